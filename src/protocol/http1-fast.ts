/**
 * Fast path of the HTTP/1.1 head parser for the common case: the whole header section in one
 * chunk, CRLF line endings, ASCII only, no folded lines, a reason phrase present. It checks the
 * same grammar as `HeadMachine` (RFC 9112 sections 2-5) in one straight pass per line, without
 * per-byte state switches. On anything else (an error, a tolerated deviation that would warn,
 * obs-text, or a head that does not end within `limit`) it gives up and returns null: the state
 * machine then parses the message and reports exactly as before.
 */
import type { Header } from './model';
import type { HttpMessage, HttpWarning, TargetForm } from './http1-types';
import { classifyTarget, type FramingInput } from './http1-rules';
import * as chars from './http1-chars';

// Local copies (see http1-head.ts: imported bindings may be getters under some loaders).
const { COLON, CR, HTAB, LF, SP, TARGET, TOKEN, VERSION_PREFIX, asciiText } = chars;
const VERSION_LENGTH = VERSION_PREFIX.length + 1; // "HTTP/1." and the minor digit

/** A complete head: what a message is built from (the state machine fills the same fields). */
export interface ParsedHead extends FramingInput {
  method: string;
  target: string;
  targetForm: TargetForm;
  version: string;
  statusText: string;
  reason: string;
  headers: Header[];
  valueOffsets: number[];
  warnings: HttpWarning[];
  headerBytes: number;
}

/** Field spans of the message being scanned (reused: scanning is synchronous, nothing overlaps). */
let scratch = new Int32Array(256);

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/**
 * End of a run of SP, HTAB and visible ASCII from `i` (field-content and reason-phrase without
 * obs-text): one range check per byte. Whatever stops it must then be CRLF, else the machine decides.
 */
function plainTextEnd(buf: Uint8Array, i: number, limit: number): number {
  while (i < limit) {
    const c = buf[i]!;
    if ((c - 0x20) >>> 0 < 0x5f || c === HTAB) i++;
    else break;
  }
  return i;
}

/** "HTTP/1.x" at `i` (within `limit`): true when it matches exactly. */
function versionAt(buf: Uint8Array, i: number, limit: number): boolean {
  if (i + VERSION_LENGTH > limit) return false;
  for (let k = 0; k < VERSION_PREFIX.length; k++) if (buf[i + k] !== VERSION_PREFIX[k]) return false;
  return isDigit(buf[i + VERSION_PREFIX.length]!);
}

/**
 * Scans buf[0, limit) as a complete, plain header section. Returns null whenever the state
 * machine has to decide instead (errors, warnings, obs-text, an unfinished head).
 */
export function scanHeadFast(isRequest: boolean, buf: Uint8Array, limit: number): ParsedHead | null {
  let i = 0;
  let method = '';
  let targetForm: TargetForm = 'origin';
  let targetStart = 0;
  let targetEnd = 0;
  let versionStart = 0;
  let status = 0;
  let reasonStart = 0;
  let reasonEnd = 0;
  if (isRequest) {
    // RFC 9112 3: request-line = method SP request-target SP HTTP-version CRLF.
    while (i < limit && TOKEN[buf[i]!] === 1) i++;
    if (i === 0 || i >= limit || buf[i] !== SP) return null;
    method = asciiText(buf, 0, i);
    targetStart = ++i;
    while (i < limit && TARGET[buf[i]!] === 1) i++;
    if (i === targetStart || i >= limit || buf[i] !== SP) return null;
    const form = classifyTarget(method, buf, targetStart, i);
    if (form === null) return null;
    targetForm = form;
    targetEnd = i++;
    versionStart = i;
    if (!versionAt(buf, i, limit)) return null;
    i += VERSION_LENGTH;
  } else {
    // RFC 9112 4: status-line = HTTP-version SP status-code SP [ reason-phrase ] CRLF.
    if (!versionAt(buf, 0, limit)) return null;
    i = VERSION_LENGTH;
    if (i + 5 > limit || buf[i] !== SP) return null;
    const a = buf[i + 1]!;
    const b = buf[i + 2]!;
    const c = buf[i + 3]!;
    if (!isDigit(a) || !isDigit(b) || !isDigit(c) || buf[i + 4] !== SP) return null;
    status = (a - 0x30) * 100 + (b - 0x30) * 10 + (c - 0x30);
    i += 5;
    reasonStart = i;
    i = plainTextEnd(buf, i, limit);
    reasonEnd = i;
    if (i === reasonStart) return null; // empty reason: the machine warns
  }
  if (i + 1 >= limit || buf[i] !== CR || buf[i + 1] !== LF) return null;
  i += 2;

  // Header lines: field-name ":" OWS field-value OWS CRLF (RFC 9112 5), up to the empty line.
  let spans = scratch;
  let n = 0;
  while (true) {
    if (i >= limit) return null;
    const first = buf[i]!;
    if (first === CR) {
      if (i + 1 >= limit || buf[i + 1] !== LF) return null;
      i += 2;
      break;
    }
    if (TOKEN[first] !== 1) return null;
    const nameStart = i++;
    while (i < limit && TOKEN[buf[i]!] === 1) i++;
    if (i >= limit || buf[i] !== COLON) return null;
    const nameEnd = i++;
    while (i < limit && (buf[i] === SP || buf[i] === HTAB)) i++;
    const valueStart = i;
    i = plainTextEnd(buf, i, limit);
    let valueEnd = i;
    while (valueEnd > valueStart && (buf[valueEnd - 1] === SP || buf[valueEnd - 1] === HTAB)) valueEnd--;
    if (i + 1 >= limit || buf[i] !== CR || buf[i + 1] !== LF) return null;
    i += 2;
    if (n + 4 > spans.length) {
      const grown = new Int32Array(spans.length * 2);
      grown.set(spans);
      scratch = spans = grown;
    }
    spans[n] = nameStart;
    spans[n + 1] = nameEnd;
    spans[n + 2] = valueStart;
    spans[n + 3] = valueEnd;
    n += 4;
  }

  // Every byte checked is ASCII: one conversion for the section, then a slice per string. The
  // arrays get their final length at once (no growth while filling).
  const text = asciiText(buf, 0, i);
  const count = n >> 2;
  const headers = new Array<Header>(count);
  const valueOffsets = new Array<number>(count);
  for (let k = 0; k < count; k++) {
    const s = k << 2;
    const valueStart = spans[s + 2]!;
    headers[k] = [text.slice(spans[s]!, spans[s + 1]!), text.slice(valueStart, spans[s + 3]!)];
    valueOffsets[k] = valueStart;
  }
  return {
    isRequest,
    method,
    target: isRequest ? text.slice(targetStart, targetEnd) : '',
    targetForm,
    version: text.slice(versionStart, versionStart + VERSION_LENGTH),
    status,
    statusText: isRequest ? '' : text.slice(VERSION_LENGTH + 1, VERSION_LENGTH + 4),
    reason: isRequest ? '' : text.slice(reasonStart, reasonEnd),
    headers,
    valueOffsets,
    warnings: [],
    headerBytes: i,
  };
}

/** The message of a complete head and its body (one literal per kind: a stable object shape). */
export function buildMessage(h: ParsedHead, body: Uint8Array): HttpMessage {
  return h.isRequest
    ? {
        type: 'request',
        method: h.method,
        target: h.target,
        targetForm: h.targetForm,
        version: h.version,
        headers: h.headers,
        body,
        warnings: h.warnings,
        headerBytes: h.headerBytes,
      }
    : {
        type: 'response',
        status: h.status,
        statusText: h.statusText,
        reason: h.reason,
        version: h.version,
        headers: h.headers,
        body,
        warnings: h.warnings,
        headerBytes: h.headerBytes,
      };
}
