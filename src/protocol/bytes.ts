/**
 * Byte helpers for the pure core: UTF-8 and base64 without Node's Buffer or the DOM, so the same
 * code runs in the panel, the CLI and the tests.
 */
import type { CapturedFrame } from './capture';

const encoder = new TextEncoder();
const lossyDecoder = new TextDecoder('utf-8', { fatal: false });
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Decodes UTF-8, replacing invalid sequences with U+FFFD. */
export function utf8Decode(bytes: Uint8Array): string {
  return lossyDecoder.decode(bytes);
}

/** Decodes UTF-8, or returns null when the bytes are not valid UTF-8. */
export function utf8DecodeStrict(bytes: Uint8Array): string | null {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return null;
  }
}

/** Number of bytes `text` takes in UTF-8, without allocating. */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;
LOOKUP['-'.charCodeAt(0)] = 62; // base64url, accepted on input
LOOKUP['_'.charCodeAt(0)] = 63;

/** `Uint8Array.prototype.toBase64` (Chromium >= 140, Firefox >= 133), taken once at load. */
type ToBase64 = (this: Uint8Array) => string;
const nativeToBase64 = (Uint8Array.prototype as unknown as { toBase64?: ToBase64 }).toBase64;
/** `btoa`, where the context has it (browsers, Node >= 16). */
const nativeBtoa = typeof globalThis.btoa === 'function' ? globalThis.btoa : undefined;

/** Two base64 characters for each 12-bit value: one lookup per half of a 3-byte group. */
let pairs: string[] | null = null;
function pairTable(): string[] {
  if (pairs) return pairs;
  pairs = new Array<string>(4096);
  for (let i = 0; i < 4096; i++) pairs[i] = ALPHABET[i >> 6]! + ALPHABET[i & 63]!;
  return pairs;
}

/** Standard base64 with padding; the native encoder when the context has one. */
export function base64Encode(bytes: Uint8Array): string {
  if (nativeToBase64) return nativeToBase64.call(bytes);
  return base64EncodeFallback(bytes);
}

const LATIN1_CHUNK = 0x2000; // bytes per String.fromCharCode call (well under argument limits)

/**
 * The encoder without `toBase64`: bytes to a Latin-1 string in chunks, then `btoa`; without `btoa`,
 * a 12-bit pair table. Exported so tests run it where the native encoder exists.
 */
export function base64EncodeFallback(bytes: Uint8Array, useBtoa = nativeBtoa !== undefined): string {
  if (useBtoa && nativeBtoa) {
    let latin1 = '';
    for (let i = 0; i < bytes.length; i += LATIN1_CHUNK)
      latin1 += String.fromCharCode.apply(null, bytes.subarray(i, i + LATIN1_CHUNK) as unknown as number[]);
    return nativeBtoa(latin1);
  }
  const table = pairTable();
  const parts: string[] = [];
  const CHUNK = 0x3000; // multiple of 3, keeps each part's string small
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const end = Math.min(start + CHUNK, bytes.length);
    let out = '';
    let i = start;
    for (; i + 2 < end; i += 3) {
      const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
      out += table[n >> 12]! + table[n & 4095]!;
    }
    if (i < end) {
      const rest = end - i;
      const n = (bytes[i]! << 16) | (rest === 2 ? bytes[i + 1]! << 8 : 0);
      out += table[n >> 12]!;
      out += rest === 2 ? ALPHABET[(n >> 6) & 63]! + '=' : '==';
    }
    parts.push(out);
  }
  return parts.join('');
}

/** Decodes base64 (standard or url alphabet, padding optional, whitespace ignored); null if invalid. */
export function base64Decode(text: string): Uint8Array | null {
  const out = new Uint8Array(Math.floor((text.length * 3) / 4) + 3);
  let acc = 0;
  let bits = 0;
  let o = 0;
  let padding = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3d) {
      padding = true;
      continue;
    }
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    const v = c < 128 ? LOOKUP[c]! : -1;
    if (v < 0 || padding) return null;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  if (bits >= 6) return null; // a lone trailing character cannot encode a byte
  return out.subarray(0, o);
}

/** The bytes of a captured frame's payload (UTF-8 for text frames, decoded base64 for binary). */
export function frameBytes(frame: Pick<CapturedFrame, 'opcode' | 'data'>): Uint8Array {
  if (frame.opcode === 1) return utf8Encode(frame.data);
  return base64Decode(frame.data) ?? new Uint8Array(0);
}

/** The byte arrays joined end to end into one new array. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Lower-case hex of bytes, no separators. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += (b < 16 ? '0' : '') + b.toString(16);
  return s;
}

/** Parses an even-length hex string; null if it is not hex. */
export function fromHex(hex: string): Uint8Array | null {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}
