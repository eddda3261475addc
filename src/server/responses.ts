/**
 * Extended handshake responses of the reference server, as bytes. Gateway mode writes what real
 * gateways write (status line `HTTP/1.1 101 Web Socket Protocol Handshake`, Date and Server headers,
 * one Sec-WebSocket-Extensions line per granted extension); spec mode writes standard reason phrases
 * and one comma-separated extensions line. Error responses carry a small HTML body with
 * Content-Length in both modes (guide, "Extended handshake response").
 */
import { utf8Encode } from '../protocol/bytes';

export type ServerMode = 'gateway' | 'spec';

const REASONS: Record<number, string> = {
  100: 'Continue',
  101: 'Switching Protocols',
  102: 'Processing',
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  205: 'Reset Content',
  300: 'Multiple Choices',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  426: 'Upgrade Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** The reason phrase the server writes for `status` in `mode`. */
export function reasonPhrase(status: number, mode: ServerMode): string {
  if (status === 101 && mode === 'gateway') return 'Web Socket Protocol Handshake';
  return REASONS[status] ?? 'Status';
}

/** What a response says; `buildResponse` turns it into bytes. */
export interface ResponseSpec {
  status: number;
  /** The code as written on the status line, when not `status` itself (a misbehaving server). */
  statusText?: string;
  headers?: [string, string][];
  /** Granted extensions (`name; params`), written per mode. */
  extensions?: string[];
  /** Text of an HTML error body; absent = no body. */
  errorText?: string;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}

/** The bytes of one extended handshake response (CRLF line endings, origin HTTP/1.1). */
export function buildResponse(spec: ResponseSpec, mode: ServerMode, now: Date = new Date()): Uint8Array {
  const lines = [`HTTP/1.1 ${spec.statusText ?? spec.status} ${reasonPhrase(spec.status, mode)}`];
  const headers: [string, string][] = [...(spec.headers ?? [])];
  const extensions = spec.extensions ?? [];
  if (mode === 'gateway') {
    for (const ext of extensions) headers.push(['Sec-WebSocket-Extensions', ext]);
    headers.push(['Date', now.toUTCString()], ['Server', 'KHP Inspector reference server']);
  } else if (extensions.length > 0) {
    headers.push(['Sec-WebSocket-Extensions', extensions.join(', ')]);
  }
  let body = '';
  if (spec.errorText !== undefined) {
    const title = `${spec.status} ${reasonPhrase(spec.status, mode)}`;
    body =
      `<html><head><title>${escapeHtml(title)}</title></head>` +
      `<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(spec.errorText)}</p></body></html>`;
    headers.push(['Content-Type', 'text/html'], ['Content-Length', String(utf8Encode(body).length)]);
  }
  for (const [name, value] of headers) lines.push(`${name}: ${value}`);
  return utf8Encode(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

/** Splits a response into `parts` roughly equal pieces (the `/split` scenario); never empty pieces. */
export function splitBytes(bytes: Uint8Array, parts: number): Uint8Array[] {
  const size = Math.max(1, Math.ceil(bytes.length / parts));
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}
