/**
 * Turns a WebSocket payload (what `send` got or a `message` event carried) into the capture model's
 * frame fields: text stays text, bytes become base64, anything past `maxBytes` is cut and marked.
 * Only the kept part is ever copied or encoded (a view of the first bytes, a prefix of the text).
 */
import { base64Encode, utf8Length } from '../protocol/bytes';
import type { DataOpcode } from '../protocol/capture';
import type { Natives } from './natives';

/** A payload ready to become a frame event. */
export interface Payload {
  opcode: DataOpcode;
  data: string;
  size: number;
  truncated: boolean;
  /** The start of the payload (the text, or a view of the bytes), for the cheap KHP status check. */
  head: string | Uint8Array;
}

/** A text payload; a string longer than `maxBytes` bytes keeps about `maxBytes` bytes of text. */
export function textPayload(text: string, maxBytes: number): Payload {
  const size = utf8Length(text);
  if (size <= maxBytes) return { opcode: 1, data: text, size, truncated: false, head: text };
  let end = Math.min(text.length, maxBytes);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--; // never keep half a surrogate pair
  const data = text.slice(0, end);
  return { opcode: 1, data, size, truncated: true, head: data };
}

/** A binary payload from bytes (`size` is the full length when `bytes` was already cut). */
export function bytesPayload(bytes: Uint8Array, maxBytes: number, size = bytes.length): Payload {
  const kept = bytes.length > maxBytes ? bytes.subarray(0, maxBytes) : bytes;
  return { opcode: 2, data: base64Encode(kept), size, truncated: kept.length < size, head: kept };
}

/**
 * The byte size of a payload without converting it (for frames that are only counted); 0 for values
 * the browser stringified itself (reading them could run page code).
 */
export function payloadSize(value: unknown, n: Natives): number {
  if (typeof value === 'string') return utf8Length(value);
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (n.isView(value)) return (value as ArrayBufferView).byteLength;
  if (typeof Blob !== 'undefined' && value instanceof Blob) return n.blobSize(value);
  return 0;
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
export function isCompletingResponse(head: string | Uint8Array): boolean {
  if (typeof head === 'string') return COMPLETING.test(head.slice(0, 13));
  let s = '';
  for (let i = 0; i < head.length && i < 13; i++) s += String.fromCharCode(head[i]!);
  return COMPLETING.test(s);
}
