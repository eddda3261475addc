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
const STATUS_LINE = /^HTTP\/\d+(\.\d+)?[ \t]/;

/** Result of rewriting one payload held as a string (text, or binary as one char per byte). */
interface Rewrite {
  text: string;
  /** True when the header block is still open at the end of the payload. */
  open: boolean;
}

/**
 * Rewrites the header lines of an HTTP message (or of its continuation, when `continuation`) found at
 * the start of `s`. Lines end at LF (CR LF accepted); the block ends at the first empty line.
 */
function rewrite(s: string, continuation: boolean): Rewrite | null {
  let pos = 0;
  let out = '';
  if (!continuation) {
    const eol = s.indexOf('\n');
    const first = eol < 0 ? s : s.slice(0, eol + 1);
    const req = REQUEST_LINE.exec(first);
    if (req) {
      out = `${req[1]}${req[2]}${redactUrl(req[3]!)}${first.slice(req[0].length - req[4]!.length)}`;
    } else if (STATUS_LINE.test(first)) {
      out = first;
    } else return null;
    if (eol < 0) return { text: out, open: true };
    pos = eol + 1;
  }
  while (pos < s.length) {
    const eol = s.indexOf('\n', pos);
    const line = eol < 0 ? s.slice(pos) : s.slice(pos, eol + 1);
    pos = eol < 0 ? s.length : eol + 1;
    if (line === '\n' || line === '\r\n') return { text: out + line + s.slice(pos), open: false };
    const m = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)([ \t]*:[ \t]*)(.*?)([ \t]*\r?\n?)$/s.exec(line);
    out += m ? `${m[1]}${m[2]}${redactHeaderValue(m[1]!, m[3]!)}${m[4]}` : line;
  }
  return { text: out, open: true };
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
  open: boolean;
}

function redactFrameState(frame: CapturedFrame, continuation: boolean): FrameRewrite {
  const unchanged: FrameRewrite = { frame: { ...frame }, http: false, open: false };
  try {
    if (frame.opcode === 1) {
      const r = rewrite(frame.data, continuation);
      if (!r) return unchanged;
      if (r.text === frame.data) return { ...unchanged, http: true, open: r.open };
      return { frame: { ...frame, data: r.text, size: utf8Length(r.text) }, http: true, open: r.open };
    }
    const bytes = base64Decode(frame.data);
    if (!bytes) return unchanged;
    const before = binaryString(bytes);
    const r = rewrite(before, continuation);
    if (!r) return unchanged;
    if (r.text === before) return { ...unchanged, http: true, open: r.open };
    const outBytes = fromBinaryString(r.text);
    return {
      frame: { ...frame, data: base64Encode(outBytes), size: outBytes.length },
      http: true,
      open: r.open,
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
  return redactFrameState(frame, options.continuation ?? false).frame;
}

/**
 * Returns a redacted copy of a socket: URLs, and every frame. A message whose HTTP header block is
 * not finished (a response split over several messages) makes the next message in the same
 * direction be read as its continuation, until an empty message or the end of the block.
 */
export function redactSocket(socket: CapturedSocket): CapturedSocket {
  const open: Record<'send' | 'receive', boolean> = { send: false, receive: false };
  const frames = socket.frames.map((f) => {
    const size = f.opcode === 1 ? f.data.length : f.data.replace(/=+$/, '').length;
    if (size === 0) {
      open[f.dir] = false;
      return { ...f };
    }
    const first = redactFrameState(f, false);
    const r = !first.http && open[f.dir] ? redactFrameState(f, true) : first;
    open[f.dir] = r.open;
    return r.frame;
  });
  const out: CapturedSocket = { ...socket, url: redactUrl(socket.url), frames };
  if (socket.pageUrl !== undefined) out.pageUrl = redactUrl(socket.pageUrl);
  if (socket.close) out.close = { ...socket.close };
  if (socket.error) out.error = { ...socket.error };
  if (socket.dropped) out.dropped = { ...socket.dropped };
  out.requestedProtocols = [...socket.requestedProtocols];
  return out;
}
