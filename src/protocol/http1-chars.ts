/**
 * Byte classes of the HTTP/1.1 grammar (RFC 9110 section 5.6, RFC 9112 sections 3-5) as lookup
 * tables, so the parser's hot loops test one array entry per byte instead of comparing ranges.
 */

export const CR = 0x0d;
export const LF = 0x0a;
export const SP = 0x20;
export const HTAB = 0x09;
export const COLON = 0x3a;

/** tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA */
export const TOKEN = new Uint8Array(256);
for (let c = 0x30; c <= 0x39; c++) TOKEN[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TOKEN[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TOKEN[c] = 1;
for (const ch of "!#$%&'*+-.^_`|~") TOKEN[ch.charCodeAt(0)] = 1;

/**
 * Bytes allowed inside a field value or reason phrase: field-vchar (VCHAR / obs-text) plus SP and
 * HTAB. 1 = VCHAR, 2 = whitespace (so trailing OWS is trimmed in the same pass), 3 = obs-text
 * (non-ASCII: the section then needs a UTF-8 decode per field).
 */
export const FIELD = new Uint8Array(256);
for (let c = 0x21; c <= 0x7e; c++) FIELD[c] = 1;
for (let c = 0x80; c <= 0xff; c++) FIELD[c] = 3;
FIELD[SP] = 2;
FIELD[HTAB] = 2;

/** Bytes of a request-target: visible ASCII (RFC 3986 characters; non-ASCII must be percent-encoded). */
export const TARGET = new Uint8Array(256);
for (let c = 0x21; c <= 0x7e; c++) TARGET[c] = 1;

export function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** "HTTP/1." as bytes: HTTP-version = HTTP-name "/" DIGIT "." DIGIT, major version 1 only. */
export const VERSION_PREFIX = [0x48, 0x54, 0x54, 0x50, 0x2f, 0x31, 0x2e] as const;

const decoder = new TextDecoder('utf-8', { fatal: false });

/**
 * Decodes one field with a single TextDecoder call. ASCII (all tokens, nearly all values) comes out
 * unchanged; obs-text bytes are read as UTF-8, lossy (invalid sequences become U+FFFD).
 */
export function decodeField(buf: Uint8Array, start: number, end: number): string {
  return start >= end ? '' : decoder.decode(buf.subarray(start, end));
}

/**
 * Text of buf[start, end) when every byte is known to be ASCII: short spans through
 * `String.fromCharCode` (no decoder call), longer ones with one TextDecoder call.
 */
export function asciiText(buf: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n > 12) return decoder.decode(buf.subarray(start, end));
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(buf[i]!);
  return s;
}

/**
 * The strings of a complete header section. ASCII sections (nearly all) take one TextDecoder call
 * for the whole section and a slice per field; with obs-text, each field is decoded on its own.
 */
export class SectionText {
  private readonly text: string;

  constructor(
    private readonly buf: Uint8Array,
    end: number,
    private readonly nonAscii: boolean,
  ) {
    this.text = nonAscii ? '' : decodeField(buf, 0, end);
  }

  slice(start: number, stop: number): string {
    return this.nonAscii ? decodeField(this.buf, start, stop) : this.text.slice(start, stop);
  }

  /**
   * Turns field spans (name start or -1 for a folded line, name end, value start, value end) into
   * `headers` and `valueOffsets`. RFC 9112 5.2: a folded line is joined to the previous value
   * with one SP (tolerant mode; strict mode rejects it before this point).
   */
  fields(spans: readonly number[], headers: Array<[string, string]>, valueOffsets: number[]): void {
    for (let k = 0; k < spans.length; k += 4) {
      const value = this.slice(spans[k + 2]!, spans[k + 3]!);
      if (spans[k] === -1) {
        const last = headers[headers.length - 1]!;
        if (value !== '') last[1] = last[1] === '' ? value : `${last[1]} ${value}`;
      } else {
        headers.push([this.slice(spans[k]!, spans[k + 1]!), value]);
        valueOffsets.push(spans[k + 2]!);
      }
    }
  }
}

/** Printable description of a byte for error messages, e.g. `'G' (0x47)` or `0x0d (CR)`. */
export function describeByte(c: number): string {
  const hex = '0x' + c.toString(16).padStart(2, '0');
  if (c === CR) return `${hex} (CR)`;
  if (c === LF) return `${hex} (LF)`;
  if (c === SP) return `${hex} (SP)`;
  if (c === HTAB) return `${hex} (HTAB)`;
  if (c > 0x20 && c < 0x7f) return `'${String.fromCharCode(c)}' (${hex})`;
  return hex;
}

/** Case-insensitive compare of buf[start, end) with a lowercase ASCII name. */
export function bytesEqualLower(buf: Uint8Array, start: number, end: number, lower: string): boolean {
  if (end - start !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) {
    if ((buf[start + i]! | 0x20) !== lower.charCodeAt(i)) return false;
  }
  return true;
}
