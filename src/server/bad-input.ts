/**
 * What the reference server does with input it cannot use: request targets that are no URL, upgrades
 * it refuses, HTTP that Node's parser rejects, and request text on its way to a log line. Each of
 * these fails one connection and leaves the server serving.
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { escapeControls } from '../protocol/terminal-safe';

const ORIGIN = 'http://localhost';
const SCHEMES = new Set(['http:', 'https:', 'ws:', 'wss:']);

/**
 * The URL of a request target (RFC 9112 3.2), or null. Origin-form (`/path?query`) is read under a
 * fixed origin; absolute-form is accepted with an http(s) or ws(s) scheme. A target starting with
 * `//` is refused: a path without an authority cannot begin with two slashes (RFC 3986 3.3), and read
 * as a URL it names a host (`//[` names one that does not parse, `http://[` too).
 */
export function parseTarget(target: string): URL | null {
  try {
    if (target.startsWith('//')) return null;
    if (target.startsWith('/')) return new URL(ORIGIN + target);
    const url = new URL(target);
    return SCHEMES.has(url.protocol) ? url : null;
  } catch {
    return null;
  }
}

/** Why `parseTarget` refused `target`, for the log and the 400's body. */
export function badTarget(target: string): string {
  return `request target ${quoted(target)} is neither a path nor an http(s) or ws(s) URL`;
}

/** `text` safe for a terminal: control, bidi and separator characters shown escaped (`\x1b`), the rest kept. */
export function printable(text: string): string {
  return escapeControls(text);
}

/** A string the client sent, quoted for a log line or an error body: escaped, cut after `max` characters. */
export function quoted(text: string, max = 80): string {
  const head = text.length > max ? text.slice(0, max) : text;
  const tail = text.length > max ? `... (${text.length} characters)` : '';
  return `"${printable(head.replace(/["\\]/g, '\\$&'))}"${tail}`;
}

/** The message of a thrown value, on one line. */
export function errorText(err: unknown): string {
  return printable(err instanceof Error ? err.message : String(err));
}

/** `address:port` of the far end of a socket. */
export function peerOf(socket: Duplex): string {
  const s = socket as Partial<Socket>;
  return `${s.remoteAddress ?? '?'}:${s.remotePort ?? '?'}`;
}

/**
 * Answers the HTTP request on a raw socket with `status` and a one-line text body, then closes the
 * socket. A socket that already carries bytes (a 101, a response) is only destroyed.
 */
export function refuse(socket: Duplex, status: number, text: string, headers: [string, string][] = []): void {
  if (!socket.writable || ((socket as Partial<Socket>).bytesWritten ?? 0) > 0) {
    socket.destroy();
    return;
  }
  const body = `${printable(text)}\n`;
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    'Connection: close',
    'Content-Type: text/plain; charset=utf-8',
    `Content-Length: ${body.length}`,
    ...headers.map(([name, value]) => `${name}: ${value}`),
  ];
  socket.once('finish', () => socket.destroy());
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

/** The status Node itself answers to a request its HTTP parser refused (error code → status). */
function clientErrorStatus(code: string | undefined): number {
  if (code === 'HPE_HEADER_OVERFLOW') return 431;
  if (code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW') return 413;
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  return 400;
}

/**
 * `clientError` of the http server: HTTP that Node's parser refuses (bad request line, 100 KB header,
 * request timeout). Answers what Node would (400, 431...) and logs one line; a reset is the client
 * leaving, not news.
 */
export function answerClientError(
  err: NodeJS.ErrnoException,
  socket: Duplex,
  log: (line: string) => void,
): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = clientErrorStatus(err.code);
  const why = `unreadable HTTP request (${err.code ?? 'parse error'})`;
  log(`${peerOf(socket)} refused ${status}: ${why}`);
  refuse(socket, status, why);
}

/**
 * `wsClientError` of the WebSocket server: an upgrade `ws` will not complete (bad Sec-WebSocket-Key,
 * version, protocol or extensions header, method). 405 for a method other than GET, else 400, with
 * the reason `ws` gives; RFC 6455 4.4: the versions served go with a version the server does not speak.
 */
export function answerWsRefusal(
  err: Error,
  socket: Duplex,
  req: IncomingMessage,
  log: (line: string) => void,
): void {
  const status = req.method === 'GET' ? 400 : 405;
  const version = req.headers['sec-websocket-version'];
  const headers: [string, string][] =
    version === '13' || version === '8' ? [] : [['Sec-WebSocket-Version', '13, 8']];
  if (status === 405) headers.push(['Allow', 'GET']);
  log(`refused ${status}: ${err.message}`);
  refuse(socket, status, err.message, headers);
}
