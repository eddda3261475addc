/**
 * Credential redaction. Everything that leaves the tool (JSON report, HAR and capture exports,
 * timeline text) goes through here unless the user asks to see credentials.
 *
 * What counts as a credential (docs/json-format.md, "Redaction"):
 * - headers `Authorization`, `Proxy-Authorization`, `Cookie`, `Set-Cookie`, `Set-Cookie2`, and any
 *   header whose name contains `token`, `secret`, `password`, `passwd`, `apikey`, `api-key`, `api_key`
 *   or starts with `x-auth`. Authorization values keep their scheme: `Basic [redacted]`;
 * - in URLs (socket URL, page URL, request targets, `Location`): the password of `user:pass@`, and
 *   the value of query parameters named like a credential (see `isCredentialParam`).
 *
 * Payload rewriting keeps every other byte where it was: only the value bytes are replaced, so a
 * redacted handshake still decodes the same way. Malformed payloads are left as they are.
 */
import type { CapturedFrame, CapturedSocket } from './capture';
import type { Header } from './model';
import { base64Decode, base64Encode, utf8Length } from './bytes';

export const REDACTED = '[redacted]';

const EXACT_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'set-cookie2',
]);
const SCHEME_HEADERS = new Set(['authorization', 'proxy-authorization']);
const HEADER_WORDS = ['token', 'secret', 'password', 'passwd', 'apikey', 'api-key', 'api_key'];
const PARAM_WORDS = [
  'token',
  'secret',
  'password',
  'passwd',
  'apikey',
  'api_key',
  'api-key',
  'credential',
  'session',
];
const PARAM_EXACT = new Set([
  'pwd',
  'pass',
  'auth',
  'authorization',
  'sig',
  'signature',
  'sid',
  'key',
  'code',
]);
const URL_HEADERS = new Set(['location', 'content-location', 'referer']);

/** True for a header whose value is a credential. */
export function isCredentialHeader(name: string): boolean {
  const n = name.trim().toLowerCase();
  return EXACT_HEADERS.has(n) || n.startsWith('x-auth') || HEADER_WORDS.some((w) => n.includes(w));
}

/** True for a URL query parameter whose value is a credential (`access_token`, `password`, `sig`...). */
export function isCredentialParam(name: string): boolean {
  let n = name.toLowerCase();
  try {
    n = decodeURIComponent(n);
  } catch {
    // keep the raw name
  }
  return PARAM_EXACT.has(n) || PARAM_WORDS.some((w) => n.includes(w));
}

/** The redacted form of one header value (unchanged when the header holds no credential). */
export function redactHeaderValue(name: string, value: string): string {
  const lower = name.trim().toLowerCase();
  if (URL_HEADERS.has(lower)) return redactUrl(value);
  if (!isCredentialHeader(name)) return value;
  if (SCHEME_HEADERS.has(lower)) {
    const m = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)[ \t]+\S/.exec(value);
    if (m) return `${m[1]} ${REDACTED}`;
  }
  return value === '' ? value : REDACTED;
}

/** Returns a copy of `headers` with credential values replaced by `[redacted]`. */
export function redactHeaders(headers: readonly Header[]): Header[] {
  return headers.map(([name, value]) => [name, redactHeaderValue(name, value)]);
}

/**
 * Redacts credentials in a URL or request target, as written (no normalisation): the password of
 * `user:pass@`, and the values of credential-like query parameters.
 */
export function redactUrl(url: string): string {
  let out = url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^@/?#]*)@/i, (all, scheme: string, info: string) => {
    const colon = info.indexOf(':');
    return colon < 0 ? all : `${scheme}${info.slice(0, colon)}:${REDACTED}@`;
  });
  const q = out.indexOf('?');
  if (q < 0) return out;
  const hash = out.indexOf('#', q);
  const end = hash < 0 ? out.length : hash;
  const query = out
    .slice(q + 1, end)
    .split('&')
    .map((part) => {
      const eq = part.indexOf('=');
      if (eq < 0) return part;
      return isCredentialParam(part.slice(0, eq)) && eq < part.length - 1
        ? `${part.slice(0, eq + 1)}${REDACTED}`
        : part;
    })
    .join('&');
  out = `${out.slice(0, q + 1)}${query}${out.slice(end)}`;
  return out;
}

/**
 * Redacts credentials inside free text (finding messages, timeline labels): URLs with a password,
 * credential query parameters, and `Authorization: scheme value` fragments.
 */
export function redactText(text: string): string {
  return text
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, (u) => redactUrl(u))
    .replace(/([?&])([^=&\s#?]+)=([^&\s#"'<>()]+)/g, (all, sep: string, name: string) =>
      isCredentialParam(name) ? `${sep}${name}=${REDACTED}` : all,
    )
    .replace(
      /\b((?:proxy-)?authorization:[ \t]*)([!#$%&'*+.^_`|~0-9A-Za-z-]+)[ \t]+(?!\[redacted\])[A-Za-z0-9._~+/=-]+/gi,
      `$1$2 ${REDACTED}`,
    );
}

const REQUEST_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)([ \t]+)(\S+)([ \t]+HTTP\/\d)/;
/** The start of a request line not finished within the message (`GET /path?q`). */
const PARTIAL_REQUEST_LINE = /^([A-Z_-]+)(?:([ \t]+)(\S*)([ \t]+(?:H(?:T(?:T(?:P(?:\/[0-9.]*)?)?)?)?)?)?)?$/;
const STATUS_LINE = /^HTTP\/\d+(\.\d+)?[ \t]/;
const FIELD_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)([ \t]*:[ \t]*)(.*?)([ \t]*\r?\n?)$/s;

/**
 * Where one direction's header block stands between messages. A line the previous message left
 * unfinished is kept (`carry`, as received, and `carryOut`, as written out) so that a credential
 * whose line straddles a message boundary is judged on the whole line.
 */
interface BlockState {
  open: boolean;
  /** The unfinished line is the start line (request or status line). */
  start: boolean;
  carry: string;
  carryOut: string;
}

const CLOSED: BlockState = { open: false, start: false, carry: '', carryOut: '' };

/** Result of rewriting one payload held as a string (text, or binary as one char per byte). */
interface Rewrite {
  text: string;
  /** The header block's state at the end of the payload. */
  state: BlockState;
}

function redactStartLine(line: string): string {
  const req = REQUEST_LINE.exec(line);
  if (req) return `${req[1]}${req[2]}${redactUrl(req[3]!)}${line.slice(req[0].length - req[4]!.length)}`;
  const partial = PARTIAL_REQUEST_LINE.exec(line);
  if (!partial || partial[2] === undefined) return line;
  return `${partial[1]}${partial[2]}${redactUrl(partial[3]!)}${partial[4] ?? ''}`;
}

function redactFieldLine(line: string): string {
  const m = FIELD_LINE.exec(line);
  return m ? `${m[1]}${m[2]}${redactHeaderValue(m[1]!, m[3]!)}${m[4]}` : line;
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/**
 * The part of a (possibly multi-message) line this message writes out: the redacted whole line
 * minus what earlier messages already wrote. When earlier messages wrote a different redaction
 * (the value was already replaced), a field line writes only its line ending, so no credential
 * byte is ever let through.
 */
function emitted(red: string, state: BlockState, piece: string): string {
  if (red.startsWith(state.carryOut)) return red.slice(state.carryOut.length);
  if (state.start) return red.slice(commonPrefix(red, state.carryOut));
  return /[ \t]*\r?\n?$/.exec(piece)![0];
}

/**
 * Rewrites the header lines of an HTTP message found at the start of `s`, or of its continuation
 * when `state` says a block is open. Lines end at LF (CR LF accepted); the block ends at the first
 * empty line. Null when `s` does not start an HTTP message and no block is open.
 */
function rewrite(s: string, before: BlockState): Rewrite | null {
  let state = before;
  if (!state.open) {
    const eol = s.indexOf('\n');
    const first = eol < 0 ? s : s.slice(0, eol + 1);
    const starts =
      REQUEST_LINE.test(first) || STATUS_LINE.test(first) || (eol < 0 && PARTIAL_REQUEST_LINE.test(first));
    if (!starts) return null;
    state = { open: true, start: true, carry: '', carryOut: '' };
  }
  let pos = 0;
  let out = '';
  while (pos < s.length) {
    const eol = s.indexOf('\n', pos);
    const piece = eol < 0 ? s.slice(pos) : s.slice(pos, eol + 1);
    pos = eol < 0 ? s.length : eol + 1;
    const line = state.carry + piece;
    if (!state.start && (line === '\n' || line === '\r\n')) {
      return { text: out + piece + s.slice(pos), state: CLOSED };
    }
    const part = emitted(state.start ? redactStartLine(line) : redactFieldLine(line), state, piece);
    out += part;
    state =
      eol < 0
        ? { open: true, start: state.start, carry: line, carryOut: state.carryOut + part }
        : { open: true, start: false, carry: '', carryOut: '' };
  }
  return { text: out, state };
}

function binaryString(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x2000) {
    s += String.fromCharCode(...bytes.subarray(i, Math.min(i + 0x2000, bytes.length)));
  }
  return s;
}

/** Bytes of a binary string (one char per byte; the replacement text is ASCII). */
function fromBinaryString(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

/** Options of `redactFrame`. */
export interface RedactFrameOptions {
  /** The frame continues a header block a previous frame of the same direction left open. */
  continuation?: boolean;
}

interface FrameRewrite {
  frame: CapturedFrame;
  /** The payload was read as HTTP (a message start, or a continuation). */
  http: boolean;
  state: BlockState;
}

function redactFrameState(frame: CapturedFrame, before: BlockState): FrameRewrite {
  const unchanged: FrameRewrite = { frame: { ...frame }, http: false, state: CLOSED };
  try {
    if (frame.opcode === 1) {
      const r = rewrite(frame.data, before);
      if (!r) return unchanged;
      if (r.text === frame.data) return { ...unchanged, http: true, state: r.state };
      return {
        frame: { ...frame, data: r.text, size: utf8Length(r.text) },
        http: true,
        state: r.state,
      };
    }
    const bytes = base64Decode(frame.data);
    if (!bytes) return unchanged;
    const text = binaryString(bytes);
    const r = rewrite(text, before);
    if (!r) return unchanged;
    if (r.text === text) return { ...unchanged, http: true, state: r.state };
    const outBytes = fromBinaryString(r.text);
    return {
      frame: { ...frame, data: base64Encode(outBytes), size: outBytes.length },
      http: true,
      state: r.state,
    };
  } catch {
    return unchanged;
  }
}

/**
 * Returns a copy of `frame` in which an HTTP request or response payload (text or binary) has its
 * credential header values and credential URL parameters redacted, every other byte unchanged.
 * Payloads that are not HTTP are returned unchanged. Never throws.
 */
export function redactFrame(frame: CapturedFrame, options: RedactFrameOptions = {}): CapturedFrame {
  const before: BlockState = options.continuation ? { ...CLOSED, open: true } : CLOSED;
  return redactFrameState(frame, before).frame;
}

/**
 * Returns a redacted copy of a socket: URLs, and every frame. A message whose HTTP header block is
 * not finished (a response split over several messages) makes the next message in the same
 * direction be read as its continuation, until an empty message or the end of the block.
 */
export function redactSocket(socket: CapturedSocket): CapturedSocket {
  const blocks: Record<'send' | 'receive', BlockState> = { send: CLOSED, receive: CLOSED };
  const frames = socket.frames.map((f) => {
    const size = f.opcode === 1 ? f.data.length : f.data.replace(/=+$/, '').length;
    if (size === 0) {
      blocks[f.dir] = CLOSED;
      return { ...f };
    }
    const before = blocks[f.dir];
    // A line left unfinished is continued; otherwise a new HTTP message may start here, and only
    // a message that does not is read as the rest of the open header block.
    let r = redactFrameState(f, before.carry !== '' ? before : CLOSED);
    if (before.open && before.carry === '' && !r.http) r = redactFrameState(f, before);
    blocks[f.dir] = r.state;
    return r.frame;
  });
  const out: CapturedSocket = { ...socket, url: redactUrl(socket.url), frames };
  if (socket.pageUrl !== undefined) out.pageUrl = redactUrl(socket.pageUrl);
  if (socket.worker !== undefined) out.worker = { ...socket.worker, url: redactUrl(socket.worker.url) };
  if (socket.close) out.close = { ...socket.close };
  if (socket.error) out.error = { ...socket.error };
  if (socket.dropped) out.dropped = { ...socket.dropped };
  out.requestedProtocols = [...socket.requestedProtocols];
  if (socket.truncatedFields) out.truncatedFields = [...socket.truncatedFields];
  if (socket.unrecorded) out.unrecorded = socket.unrecorded.map((span) => ({ ...span }));
  if (socket.network) {
    // The real opening request carries the page's cookies (and any Authorization) to the server.
    out.network = {
      ...socket.network,
      url: redactUrl(socket.network.url),
      requestHeaders: redactHeaders(socket.network.requestHeaders),
      responseHeaders: redactHeaders(socket.network.responseHeaders),
    };
  }
  return out;
}
