/**
 * The texts the panel's Copy actions put on the clipboard. All plain strings, built from captured
 * (untrusted) data without interpreting it: a payload is copied as its text, its hex or its base64,
 * an extended-handshake message as the HTTP text it was sent as.
 */
import type { CapturedFrame, CapturedSocket } from '../../protocol/capture';
import { base64Encode, frameBytes } from '../../protocol/bytes';
import type { Connection, DecodedRequest, DecodedResponse } from '../../protocol/model';
import type { PanelCore } from './core-port';
import { frameText, joinedBytes } from './payload';

/** Bytes per line of `hexText`, as in the panel's Hex view. */
export const HEX_BYTES_PER_LINE = 16;

/** Bytes as lower-case hex pairs separated by spaces, 16 to a line (`48 54 54 50`); '' for none. */
export function hexText(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let o = 0; o < bytes.length; o += HEX_BYTES_PER_LINE) {
    const row = bytes.subarray(o, o + HEX_BYTES_PER_LINE);
    let line = '';
    for (let i = 0; i < row.length; i++) {
      const b = row[i]!;
      line += (i ? ' ' : '') + (b < 16 ? '0' : '') + b.toString(16);
    }
    lines.push(line);
  }
  return lines.join('\n');
}

/** How a frame can be copied. */
export type FrameCopyFormat = 'text' | 'hex' | 'base64';

/** A frame's payload as text (binary read as UTF-8, lossy), hex pairs, or standard base64. */
export function frameCopyText(frame: CapturedFrame, format: FrameCopyFormat): string {
  if (format === 'text') return frameText(frame);
  const bytes = frameBytes(frame);
  return format === 'hex' ? hexText(bytes) : base64Encode(bytes);
}

/** The bytes of an extended-handshake message (its frames joined), as text, hex or base64. */
export function messageCopyText(
  message: DecodedRequest | DecodedResponse,
  frames: CapturedFrame[],
  format: FrameCopyFormat,
): string {
  if (format === 'text') return message.raw;
  const bytes = joinedBytes(frames, message.frames);
  return format === 'hex' ? hexText(bytes) : base64Encode(bytes);
}

/**
 * The request and response of a socket's last extended-handshake round that has them (the round that
 * decided the outcome: after a 401, the replayed request and its answer).
 */
export function lastMessages(c: Connection): {
  request: DecodedRequest | null;
  response: DecodedResponse | null;
} {
  let request: DecodedRequest | null = null;
  let response: DecodedResponse | null = null;
  for (const round of c.rounds) {
    if (round.request) request = round.request;
    if (round.response) response = round.response;
  }
  return { request, response };
}

/**
 * One socket as a HAR file (pretty JSON), written by the core's `exportHar`; credentials redacted
 * unless `redact` is false.
 */
export function socketHarText(core: PanelCore, socket: CapturedSocket, redact: boolean): string {
  return JSON.stringify(core.exportHar([socket], redact), null, 2);
}
