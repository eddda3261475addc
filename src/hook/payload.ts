/**
 * Turns a WebSocket payload (what `send` got or a `message` event carried) into the capture model's
 * frame fields: text stays text, bytes become base64, anything past `maxBytes` is cut and marked.
 */
import { base64Encode, utf8Encode, utf8Length } from '../protocol/bytes';
import type { DataOpcode } from '../protocol/capture';
import type { Natives } from './natives';

/** A payload ready to become a frame event. */
export interface Payload {
  opcode: DataOpcode;
  data: string;
  size: number;
  truncated: boolean;
  /** The first bytes (up to 16), for the cheap KHP status check. */
  head: Uint8Array;
}

const HEAD = 16;

/** A text payload; a string longer than `maxBytes` bytes keeps about `maxBytes` bytes of text. */
export function textPayload(text: string, maxBytes: number): Payload {
  const size = utf8Length(text);
  const truncated = size > maxBytes;
  const data = truncated ? text.slice(0, maxBytes) : text;
  return { opcode: 1, data, size, truncated, head: utf8Encode(text.slice(0, HEAD)) };
}

/** A binary payload from bytes (`size` is the full length when `bytes` was already cut). */
export function bytesPayload(bytes: Uint8Array, maxBytes: number, size = bytes.length): Payload {
  const kept = bytes.length > maxBytes ? bytes.subarray(0, maxBytes) : bytes;
  return {
    opcode: 2,
    data: base64Encode(kept),
    size,
    truncated: kept.length < size,
    head: bytes.slice(0, HEAD),
  };
}

/**
 * Converts synchronously what can be converted: strings, ArrayBuffers and views. Returns 'blob' when
 * the payload must be read asynchronously (`readBlob`), and null for anything else (a value the
 * browser stringified itself; converting it again could run page code twice).
 */
export function syncPayload(value: unknown, maxBytes: number, n: Natives): Payload | 'blob' | null {
  if (typeof value === 'string') return textPayload(value, maxBytes);
  if (value instanceof ArrayBuffer) return bytesPayload(new Uint8Array(value), maxBytes);
  if (n.isView(value)) {
    const view = value as ArrayBufferView;
    return bytesPayload(new Uint8Array(view.buffer, view.byteOffset, view.byteLength), maxBytes);
  }
  if (typeof Blob !== 'undefined' && value instanceof Blob) return 'blob';
  if (value === null || (typeof value !== 'object' && typeof value !== 'function'))
    return textPayload(String(value), maxBytes);
  return null;
}

/** Reads a Blob's first `maxBytes` bytes. */
export async function readBlob(blob: Blob, maxBytes: number, n: Natives): Promise<Payload> {
  const size = n.blobSize(blob);
  const part = size > maxBytes ? (n.apply(n.blobSlice!, blob, [0, maxBytes]) as Blob) : blob;
  const buffer = (await n.apply(n.blobArrayBuffer!, part, [])) as ArrayBuffer;
  return bytesPayload(new Uint8Array(buffer), maxBytes, size);
}

const COMPLETING = /^HTTP\/1\.[01] (101|201|204|205)[ \r\n]/;

/**
 * True when the payload starts an extended response whose status completes the KHP handshake.
 * Spec, "Extended Handshake Response": 101 completes it; 201, 204 and 205 "MUST consider the
 * extended handshake completed" too.
 */
export function isCompletingResponse(head: Uint8Array): boolean {
  let s = '';
  for (let i = 0; i < head.length && i < 13; i++) s += String.fromCharCode(head[i]!);
  return COMPLETING.test(s);
}
