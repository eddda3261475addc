/**
 * Turning captured payloads into what the frame and message views show: bytes, text, pretty JSON,
 * hex rows. All output is plain strings; the views render them as text nodes only.
 */
import type { CapturedFrame } from '../../protocol/capture';
import { concatBytes, frameBytes, utf8Decode } from '../../protocol/bytes';
import type { FrameRole } from '../../protocol/model';

/** The bytes of several frames joined (an HTTP message split across messages). */
export function joinedBytes(frames: CapturedFrame[], indexes: number[]): Uint8Array {
  return concatBytes(indexes.map((i) => (frames[i] ? frameBytes(frames[i]) : new Uint8Array(0))));
}

/** The frame as text: itself for text frames, lossy UTF-8 for binary ones. */
export function frameText(frame: CapturedFrame): string {
  return frame.opcode === 1 ? frame.data : utf8Decode(frameBytes(frame));
}

/** Pretty JSON, or where parsing failed. */
export function prettyJson(text: string): { ok: true; text: string } | { ok: false; error: string } {
  try {
    return { ok: true, text: JSON.stringify(JSON.parse(text), null, 2) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : 'not JSON' };
  }
}

/** A short one-line preview for a list row. */
export function framePreview(frame: CapturedFrame, max = 120): string {
  if (frame.size === 0) return '(empty)';
  if (frame.opcode === 2) {
    const bytes = frameBytes(frame).subarray(0, 24);
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
    return frame.size > 24 ? `${hex} …` : hex;
  }
  const head = frame.data.slice(0, max * 2);
  const flat = hasControls(head) ? escapeControls(head) : head.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** True when text holds control characters that would render as boxes (anything but tab, CR, LF). */
export function hasControls(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text);
}

/** Control characters written as `\xNN`, so they are visible in one-line previews. */
export function escapeControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** One line of a hex dump: offset, 16 byte values, and their printable ASCII. */
export interface HexRow {
  offset: number;
  bytes: number[];
}

/** Hex rows of `bytes`, 16 per row, at most `maxRows`. */
export function hexRows(bytes: Uint8Array, maxRows = 4096): HexRow[] {
  const rows: HexRow[] = [];
  for (let o = 0; o < bytes.length && rows.length < maxRows; o += 16) {
    rows.push({ offset: o, bytes: Array.from(bytes.subarray(o, o + 16)) });
  }
  return rows;
}

/** Printable ASCII for a byte, '.' otherwise. */
export function asciiOf(b: number): string {
  return b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
}

/** The character index in the lossy-decoded text that corresponds to a byte offset. */
export function charOffset(bytes: Uint8Array, byteOffset: number): number {
  return utf8Decode(bytes.subarray(0, Math.max(0, Math.min(byteOffset, bytes.length)))).length;
}

/** Short labels for frame roles. */
export const ROLE_LABEL: Record<FrameRole, string> = {
  'handshake-request': 'request',
  'handshake-response': 'response',
  terminator: 'terminator',
  balancer: 'balancer',
  'balancer-redirect': 'balancer redirect',
  ping: 'ping',
  pong: 'pong',
  escape: 'escape',
  control: 'control',
  data: 'data',
  unexpected: 'unexpected',
};

/** Role filter chips: each chip toggles a family of roles. */
export const ROLE_GROUPS: { id: string; label: string; roles: FrameRole[] }[] = [
  { id: 'handshake', label: 'Handshake', roles: ['handshake-request', 'handshake-response', 'terminator'] },
  { id: 'control', label: 'Ping/pong', roles: ['ping', 'pong', 'escape', 'control'] },
  { id: 'balancer', label: 'Balancer', roles: ['balancer', 'balancer-redirect'] },
  { id: 'data', label: 'Data', roles: ['data'] },
  { id: 'unexpected', label: 'Unexpected', roles: ['unexpected'] },
];
