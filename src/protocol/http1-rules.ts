/**
 * The parts of RFC 9112 that need a whole line or the whole header section: which form a request
 * target takes, and how long the body is (message framing).
 */
import type { HttpParseError, HttpWarning, TargetForm } from './http1-types';
import type { Header } from './model';

const SLASH = 0x2f;
const STAR = 0x2a;
const COLON = 0x3a;

function isAlpha(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isSchemeChar(c: number): boolean {
  return isAlpha(c) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e;
}

/**
 * RFC 9112 3.2: origin-form (`/path?query`, what KHP clients send), absolute-form
 * (`scheme:...`), authority-form (`host:port`, CONNECT only) and asterisk-form (`*`, OPTIONS only).
 * Returns null when buf[start, end) fits none of them.
 */
export function classifyTarget(
  method: string,
  buf: Uint8Array,
  start: number,
  end: number,
): TargetForm | null {
  const first = buf[start]!;
  if (first === SLASH) return 'origin';
  if (method === 'CONNECT') return buf.subarray(start, end).includes(COLON) ? 'authority' : null;
  if (first === STAR && end - start === 1) return method === 'OPTIONS' ? 'asterisk' : null;
  if (!isAlpha(first)) return null;
  let i = start + 1;
  while (i < end && isSchemeChar(buf[i]!)) i++;
  return i < end && buf[i] === COLON ? 'absolute' : null;
}

/** Inputs of `messageFraming`: the parsed head of one message. */
export interface FramingInput {
  readonly isRequest: boolean;
  readonly status: number;
  readonly headers: Header[];
  readonly valueOffsets: number[];
  readonly warnings: HttpWarning[];
}

const STATE = 'HEADERS_COMPLETE';

function framingError(code: string, offset: number, expected: string, message: string): HttpParseError {
  return { code, offset, state: STATE, expected, message };
}

/**
 * Body length of a message per RFC 9112 6.3 (a byte count, or -1 for "until the end of input"), or
 * the error that makes its framing invalid.
 */
export function messageFraming(input: FramingInput, maxBodyBytes: number): number | HttpParseError {
  const { headers, valueOffsets } = input;
  let length = -1;
  let lengthOffset = 0;
  let lengthText = '';
  let transferEncoding = -1;
  for (let k = 0; k < headers.length; k++) {
    const [name, value] = headers[k]!;
    if (name.length === 14 && name.toLowerCase() === 'content-length') {
      // RFC 9110 8.6: Content-Length = 1*DIGIT. A list ("42, 42") is rejected rather than repaired.
      const offset = valueOffsets[k] ?? 0;
      if (!/^[0-9]+$/.test(value)) {
        return framingError(
          'INVALID_CONTENT_LENGTH',
          offset,
          '1*DIGIT',
          `Content-Length "${value}" is not a decimal number.`,
        );
      }
      const n = value.length > 15 ? Number.MAX_SAFE_INTEGER : Number(value);
      // RFC 9112 6.3 (5): differing Content-Length values make the framing invalid.
      if (length !== -1 && n !== length) {
        return framingError(
          'INVALID_CONTENT_LENGTH',
          offset,
          `the same value as the earlier Content-Length (${length})`,
          `Content-Length headers disagree (${length} and ${value}).`,
        );
      }
      length = n;
      lengthOffset = offset;
      lengthText = value;
    } else if (name.length === 17 && name.toLowerCase() === 'transfer-encoding' && transferEncoding === -1) {
      transferEncoding = k;
    }
  }
  const s = input.status;
  if (!input.isRequest && ((s >= 100 && s < 200) || s === 204 || s === 304)) {
    // RFC 9112 6.3 (1): a 1xx, 204 or 304 response ends at the empty line after the header section.
    if (length > 0) {
      input.warnings.push({
        code: 'CONTENT_LENGTH_IGNORED',
        offset: lengthOffset,
        message: `A ${s} response has no body; its Content-Length is ignored.`,
      });
    }
    return 0;
  }
  if (transferEncoding !== -1) {
    // RFC 9112 6.1 (chunked transfer coding) is not decoded: KHP payloads are one message each.
    return framingError(
      'UNSUPPORTED_TRANSFER_ENCODING',
      valueOffsets[transferEncoding] ?? 0,
      'Content-Length framing',
      'Transfer-Encoding is not supported in an extended-handshake payload.',
    );
  }
  if (length > maxBodyBytes) {
    return framingError(
      'BODY_TOO_LARGE',
      lengthOffset,
      `a body of at most ${maxBodyBytes} bytes`,
      `Content-Length ${lengthText} exceeds the body limit.`,
    );
  }
  if (length >= 0) return length;
  // RFC 9112 6.3 (7): a request without Content-Length has no body; (8) a response without it
  // runs until the end of the input.
  return input.isRequest ? 0 : -1;
}
