/**
 * Turns a WebSocket payload (what `send` got or a `message` event carried) into the capture model's
 * frame fields: text stays text, bytes become base64, anything past `maxBytes` is cut and marked.
 * Only the kept part is ever copied or encoded (a view of the first bytes, a prefix of the text).
 *
 * Runs on the page's thread next to page code: every built-in is reached through `Natives` (saved at
 * start-up) and every value is recognised by a brand check, so a page that replaced a built-in after
 * load changes nothing here.
 */
import type { CaptureEvent, DataOpcode, Direction } from '../protocol/capture';
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

/** The frame event of a payload (every field present: an object literal no page setter sees). */
export function frameEvent(socketId: string, dir: Direction, time: number, p: Payload): CaptureEvent {
  const { opcode, data, size, truncated } = p;
  return { type: 'frame', socketId, dir, time, opcode, data, size, truncated };
}

/** Below this many UTF-16 units, UTF-8 length is counted by hand; above, by the native encoder. */
const HAND_COUNT = 512;

/**
 * The UTF-8 length of `text` (lone surrogates count 3, as the encoder writes U+FFFD): the twin of
 * `utf8Length` in protocol/bytes.ts, kept here because the hook must reach `charCodeAt` and the
 * encoder through the natives saved at start-up, never through the page's (replaceable) prototypes.
 */
export function utf8Size(text: string, n: Natives): number {
  const len = text.length;
  if (len > HAND_COUNT && n.encoder && n.encode)
    return n.typedByteLength(n.apply(n.encode, n.encoder, [text]) as Uint8Array);
  let size = 0;
  for (let i = 0; i < len; i++) {
    const c = n.apply(n.charCodeAt, text, [i]) as number;
    if (c < 0x80) size += 1;
    else if (c < 0x800) size += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < len) {
      const d = n.apply(n.charCodeAt, text, [i + 1]) as number;
      if (d >= 0xdc00 && d <= 0xdfff) {
        size += 4;
        i++;
      } else size += 3;
    } else size += 3;
  }
  return size;
}

/** A text payload; a string longer than `maxBytes` bytes keeps about `maxBytes` bytes of text. */
export function textPayload(text: string, maxBytes: number, n: Natives): Payload {
  const size = utf8Size(text, n);
  if (size <= maxBytes) return { opcode: 1, data: text, size, truncated: false, head: text };
  let end = text.length < maxBytes ? text.length : maxBytes;
  const last = n.apply(n.charCodeAt, text, [end - 1]) as number;
  if (last >= 0xd800 && last <= 0xdbff) end--; // never keep half a surrogate pair
  const data = n.apply(n.stringSlice, text, [0, end]) as string;
  return { opcode: 1, data, size, truncated: true, head: data };
}

/** A binary payload from `length` bytes at `offset` of `buffer`; only the kept part is read. */
export function bytesPayload(
  buffer: ArrayBuffer,
  offset: number,
  length: number,
  maxBytes: number,
  n: Natives,
): Payload {
  const kept = length > maxBytes ? maxBytes : length;
  const view = n.construct(n.Uint8Array, [buffer, offset, kept]) as Uint8Array;
  return { opcode: 2, data: base64(view, n), size: length, truncated: kept < length, head: view };
}

/** Base64 of `bytes`: the browser's own encoder where it has one, else `btoa` over latin-1 chunks. */
function base64(bytes: Uint8Array, n: Natives): string {
  if (n.toBase64) return n.apply(n.toBase64, bytes, []) as string;
  let s = '';
  const len = n.typedByteLength(bytes);
  for (let i = 0; i < len; i++) s += n.apply(n.fromCharCode, null, [bytes[i]!]) as string;
  return n.btoa ? n.btoa(s) : '';
}

/**
 * The parts of an ArrayBuffer, a typed array or a DataView; null for anything else. Brand checks that
 * throw nothing on the usual values: a thrown TypeError costs the page a stack trace on every `send`.
 */
export function byteParts(value: unknown, n: Natives): [ArrayBuffer, number, number] | null {
  if (typeof value !== 'object' || value === null) return null;
  if (n.isView(value)) {
    return n.typedTag(value) !== undefined
      ? [n.typedBuffer(value), n.typedByteOffset(value), n.typedByteLength(value)]
      : [n.dataViewBuffer(value), n.dataViewByteOffset(value), n.dataViewByteLength(value)];
  }
  try {
    return [value as ArrayBuffer, 0, n.arrayBufferByteLength(value)];
  } catch {
    return null; // not an ArrayBuffer (a Blob, a SharedArrayBuffer, anything else)
  }
}

/** The size of a Blob, or -1 when `value` is not one (brand check). */
export function blobSize(value: unknown, n: Natives): number {
  if (typeof value !== 'object' || value === null) return -1;
  try {
    return n.blobSize(value);
  } catch {
    return -1;
  }
}

/**
 * Converts synchronously what can be converted: strings, ArrayBuffers and views. Returns 'blob' when
 * the payload must be read asynchronously (`readBlob`), and null for anything else (a value the
 * browser stringified itself; converting it again could run page code twice).
 */
export function syncPayload(value: unknown, maxBytes: number, n: Natives): Payload | 'blob' | null {
  if (typeof value === 'string') return textPayload(value, maxBytes, n);
  const parts = byteParts(value, n);
  if (parts) return bytesPayload(parts[0], parts[1], parts[2], maxBytes, n);
  if (blobSize(value, n) >= 0) return 'blob';
  if (value === null || (typeof value !== 'object' && typeof value !== 'function'))
    return textPayload(String(value), maxBytes, n);
  return null;
}

/**
 * Reads a Blob's first `maxBytes` bytes and hands the payload to `done` (null when the read failed).
 * No `await`: the promise the browser returns gets an own `constructor` of undefined, so `then`
 * reaches no page code (a page may redefine `Promise.prototype.constructor` or `Symbol.species`).
 */
export function readBlob(
  blob: Blob,
  maxBytes: number,
  n: Natives,
  hide: PropertyDescriptor,
  done: (p: Payload | null) => void,
): void {
  const size = n.blobSize(blob);
  const part = size > maxBytes ? (n.apply(n.blobSlice!, blob, [0, maxBytes]) as Blob) : blob;
  const read = n.apply(n.blobArrayBuffer!, part, []) as Promise<ArrayBuffer>;
  n.defineProperty(read, 'constructor', hide);
  n.apply(n.promiseThen, read, [
    (buffer: ArrayBuffer) => {
      let p: Payload | null = null;
      try {
        p = bytesPayload(buffer, 0, n.arrayBufferByteLength(buffer), maxBytes, n);
        p.size = size;
        p.truncated = p.size > maxBytes;
      } catch {
        p = null;
      }
      done(p);
    },
    () => done(null),
  ]);
}

/** True when `code` is the char code of an ASCII digit. */
const digit = (code: number) => code >= 48 && code <= 57;

/**
 * True when the payload starts an extended response whose status completes the KHP handshake.
 * Spec, "Extended Handshake Response": 101 completes it; 201, 204 and 205 "MUST consider the
 * extended handshake completed" too. Reads at most 13 units (`HTTP/1.x NNN `), by char code.
 */
export function isCompletingResponse(head: string | Uint8Array, n: Natives): boolean {
  const len = typeof head === 'string' ? head.length : n.typedByteLength(head);
  const at = (i: number): number =>
    i >= len ? -1 : typeof head === 'string' ? (n.apply(n.charCodeAt, head, [i]) as number) : head[i]!;
  // "HTTP/1."
  const prefix = [72, 84, 84, 80, 47, 49, 46] as const;
  for (let i = 0; i < 7; i++) if (at(i) !== prefix[i]) return false;
  const minor = at(7);
  if ((minor !== 48 && minor !== 49) || at(8) !== 32) return false;
  const a = at(9);
  const b = at(10);
  const c = at(11);
  if (!digit(a) || !digit(b) || !digit(c)) return false;
  const end = at(12);
  if (end !== 32 && end !== 13 && end !== 10) return false;
  const status = (a - 48) * 100 + (b - 48) * 10 + (c - 48);
  return status === 101 || status === 201 || status === 204 || status === 205;
}
