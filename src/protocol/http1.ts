/**
 * HTTP/1.1 messages inside the extended handshake. Spec, "Handshake Requirements for the Extended
 * WebSocket Handshake": "The extended handshake WebSocket payloads take the form of HTTP Requests
 * (for extended handshake requests) and HTTP Responses (for extended handshake responses)
 * following the HTTP 1.1 protocol".
 *
 * Strict RFC 9112 grammar by default, with three tolerated deviations reported as warnings (errors
 * when `tolerant: false`): bare LF line endings (`BARE_LF`), a status line without reason phrase
 * (`MISSING_REASON`; an empty reason after the SP is always just a warning), and obsolete line
 * folding (`OBS_FOLD`, joined with one SP). Parsing never throws: bad input gives an `error` result
 * with a stable code, the byte offset, the state and what was expected there.
 */
import type { Header } from './model';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_HEADER_BYTES, Http1Parser } from './http1-parser';
import { buildMessage, scanHeadFast } from './http1-fast';
import { messageFraming } from './http1-rules';
import type {
  Http1Options,
  HttpParseResult,
  HttpRequestMessage,
  HttpResponseMessage,
  MessageOf,
} from './http1-types';
import { TARGET, TOKEN } from './http1-chars';

export { Http1Parser, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_HEADER_BYTES } from './http1-parser';
export type {
  Http1Options,
  HttpMessage,
  HttpParseError,
  HttpParseResult,
  HttpRequestMessage,
  HttpResponseMessage,
  HttpWarning,
  MessageOf,
  TargetForm,
} from './http1-types';

const encoder = new TextEncoder();
const EMPTY = new Uint8Array(0);

/**
 * A whole message in one byte array, read by the fast path without an incremental parser. Null
 * when the fast path declines or the framing needs the parser's answer (errors, a body cut short,
 * a body over the limit): the caller then parses with `Http1Parser`, which reports it.
 */
function parseWholeFast(
  isRequest: boolean,
  bytes: Uint8Array,
  options: Http1Options | undefined,
): HttpParseResult | null {
  const maxHeaderBytes = Math.max(0, options?.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES);
  const maxBodyBytes = Math.max(0, options?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
  const head = scanHeadFast(isRequest, bytes, Math.min(bytes.length, maxHeaderBytes));
  if (!head) return null;
  // RFC 9112 6.3: the body length follows from the header section (see `messageFraming`).
  const length = messageFraming(head, maxBodyBytes);
  if (typeof length !== 'number') return null;
  const start = head.headerBytes;
  let body = EMPTY;
  if (length === -1) {
    if (bytes.length - start > maxBodyBytes) return null;
    body = bytes.slice(start);
  } else if (length > 0) {
    if (bytes.length - start < length) return null;
    body = bytes.slice(start, start + length);
  }
  return { status: 'complete', message: buildMessage(head, body), consumed: start + body.length };
}

function parseAll<K extends 'request' | 'response'>(
  kind: K,
  input: Uint8Array | Uint8Array[] | string,
  options?: Http1Options,
): HttpParseResult<MessageOf<K>> {
  if (input instanceof Uint8Array) {
    const fast = parseWholeFast(kind === 'request', input, options);
    if (fast) return fast as HttpParseResult<MessageOf<K>>;
  }
  const parser = new Http1Parser(kind, options);
  if (input instanceof Uint8Array) {
    const result = parser.push(input);
    return result.status === 'incomplete' ? parser.end() : result;
  }
  const chunks = typeof input === 'string' ? [encoder.encode(input)] : input;
  for (const chunk of chunks) {
    const result = parser.push(chunk);
    if (result.status !== 'incomplete') return result;
  }
  return parser.end();
}

/** Parses a whole request (all chunks, then end of input). A string is encoded as UTF-8. */
export function parseHttpRequest(
  input: Uint8Array | Uint8Array[] | string,
  options?: Http1Options,
): HttpParseResult<HttpRequestMessage> {
  return parseAll('request', input, options);
}

/** Parses a whole response (all chunks, then end of input). A string is encoded as UTF-8. */
export function parseHttpResponse(
  input: Uint8Array | Uint8Array[] | string,
  options?: Http1Options,
): HttpParseResult<HttpResponseMessage> {
  return parseAll('response', input, options);
}

/** First value of header `name`, compared case-insensitively (RFC 9110 5.1); undefined if absent. */
export function getHeader(headers: Header[], name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [n, v] of headers) {
    if (n.length === lower.length && n.toLowerCase() === lower) return v;
  }
  return undefined;
}

/** All values of header `name`, case-insensitive, in message order. */
export function getHeaders(headers: Header[], name: string): string[] {
  const lower = name.toLowerCase();
  const out: string[] = [];
  for (const [n, v] of headers) {
    if (n.length === lower.length && n.toLowerCase() === lower) out.push(v);
  }
  return out;
}

const HTTP_SLASH = [0x48, 0x54, 0x54, 0x50, 0x2f] as const; // "HTTP/"

function startsWithHttpSlash(bytes: Uint8Array, at: number): boolean {
  for (let k = 0; k < HTTP_SLASH.length; k++) {
    if (at + k >= bytes.length) return true; // a prefix of "HTTP/" so far
    if (bytes[at + k] !== HTTP_SLASH[k]) return false;
  }
  return true;
}

/**
 * Cheap sniff for "the first message is not an HTTP request" (a gateway answers 400 then): an
 * upper-case method token, SP, a target, and, if the line ends within `bytes`, " HTTP/" before it.
 * A prefix of such a line (e.g. "GET /ec") also counts, since a request may be split.
 */
export function looksLikeHttpRequest(bytes: Uint8Array): boolean {
  let i = 0;
  while (i < bytes.length && i < 32 && TOKEN[bytes[i]!] === 1) {
    const c = bytes[i]!;
    if (!(c >= 0x41 && c <= 0x5a) && c !== 0x2d && c !== 0x5f) return false;
    i++;
  }
  if (i > 0 && i === bytes.length) return true; // a method so far: maybe the start of a split request
  if (i === 0 || bytes[i] !== 0x20) return false;
  const targetStart = ++i;
  // Non-ASCII bytes are not valid in a target, but such a line is still an attempted request: the
  // parser then reports where it broke instead of "not an HTTP request".
  while (i < bytes.length && (TARGET[bytes[i]!] === 1 || bytes[i]! >= 0x80)) i++;
  if (i === targetStart) return i === bytes.length;
  if (i === bytes.length) return true;
  return bytes[i] === 0x20 && startsWithHttpSlash(bytes, i + 1);
}

/** Cheap sniff: do the bytes start with "HTTP/" (a status line)? */
export function looksLikeHttpResponse(bytes: Uint8Array): boolean {
  return bytes.length >= HTTP_SLASH.length && startsWithHttpSlash(bytes, 0);
}
