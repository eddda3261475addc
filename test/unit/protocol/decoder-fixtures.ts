/**
 * Builders for captured sockets in the shape real Kaazing gateways and clients produce (guide,
 * "KHP as real servers and clients speak it"): `.kl=Y` URLs, balancer notices, text (JavaScript
 * client) or binary (Java client) requests, binary responses followed by an empty terminator.
 */
import { base64Encode, utf8Encode } from '../../../src/protocol/bytes';
import type { CapturedFrame, CapturedSocket } from '../../../src/protocol/capture';

export const KHP = 'x-kaazing-handshake';
export const GW_URL = 'ws://gw.example.com:8001/echo?.kl=Y';
export const PLAIN_URL = 'ws://gw.example.com:8001/echo';
export const PING_PREFIX = '\x01\x01\x01\x02';

/** The extended request the JavaScript client sends (CRLF, origin form, empty WebSocket-Protocol). */
export function request(
  opts: {
    path?: string;
    protocols?: string;
    extensions?: string | null;
    extra?: string[];
    method?: string;
  } = {},
): string {
  const lines = [
    `${opts.method ?? 'GET'} ${opts.path ?? '/echo'} HTTP/1.1`,
    'WebSocket-Protocol: ',
    `Sec-WebSocket-Protocol: ${opts.protocols ?? ''}`,
  ];
  const ext = opts.extensions === undefined ? 'x-kaazing-idle-timeout,x-kaazing-ping-pong' : opts.extensions;
  if (ext !== null) lines.push(`Sec-WebSocket-Extensions: ${ext}`);
  lines.push(...(opts.extra ?? []));
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** A gateway 101: one Sec-WebSocket-Extensions line per granted extension, CORS headers. */
export function response101(
  granted: string[] = ['x-kaazing-idle-timeout; timeout=20000', 'x-kaazing-ping-pong; 01010102'],
): string {
  return [
    'HTTP/1.1 101 Web Socket Protocol Handshake',
    'Connection: Upgrade',
    'Date: Tue, 01 Apr 2025 10:00:00 GMT',
    'Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=',
    ...granted.map((g) => `Sec-WebSocket-Extensions: ${g}`),
    'Server: Kaazing Gateway',
    'Upgrade: WebSocket',
    'Access-Control-Allow-Origin: http://app.example.com',
    'Access-Control-Allow-Credentials: true',
    '',
    '',
  ].join('\r\n');
}

/** An error response as gateways write it: text/html with Content-Length and a small body. */
export function errorResponse(status: number, reason: string, headers: string[] = []): string {
  const body = `<html><head></head><body><h1>${status} ${reason}</h1></body></html>`;
  return [
    `HTTP/1.1 ${status} ${reason}`,
    'Content-Type: text/html',
    ...headers,
    `Content-Length: ${utf8Encode(body).length}`,
    '',
    body,
  ].join('\r\n');
}

export const response401 = (scheme = 'Application Basic realm="demo"'): string =>
  errorResponse(401, 'Unauthorized', [`WWW-Authenticate: ${scheme}`]);

export function redirectResponse(status: number, location: string | null): string {
  return [
    `HTTP/1.1 ${status} Found`,
    ...(location === null ? [] : [`Location: ${location}`]),
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

/** Builds one captured socket, one event at a time, 1 ms apart. */
export class SocketBuilder {
  readonly socket: CapturedSocket;
  private t: number;

  constructor(url = GW_URL, protocols: string[] = [KHP], createdAt = 1_000) {
    this.socket = { id: `s${createdAt}`, url, requestedProtocols: protocols, createdAt, frames: [] };
    this.t = createdAt;
  }

  private tick(): number {
    this.t += 1;
    return this.t;
  }

  open(protocol = KHP, extensions = ''): this {
    this.socket.openedAt = this.tick();
    this.socket.protocol = protocol;
    this.socket.extensions = extensions;
    return this;
  }

  frame(dir: CapturedFrame['dir'], opcode: 1 | 2, payload: string | Uint8Array): this {
    const bytes = typeof payload === 'string' ? utf8Encode(payload) : payload;
    const data =
      opcode === 1
        ? typeof payload === 'string'
          ? payload
          : new TextDecoder().decode(payload)
        : base64Encode(bytes);
    this.socket.frames.push({ dir, time: this.tick(), opcode, data, size: bytes.length });
    return this;
  }

  sendText(text: string): this {
    return this.frame('send', 1, text);
  }
  sendBinary(payload: string | Uint8Array): this {
    return this.frame('send', 2, payload);
  }
  recvText(text: string): this {
    return this.frame('receive', 1, text);
  }
  recvBinary(payload: string | Uint8Array): this {
    return this.frame('receive', 2, payload);
  }
  /** The empty terminator message (binary by default, text for text-encoded sessions). */
  terminator(opcode: 1 | 2 = 2): this {
    return this.frame('receive', opcode, '');
  }
  balancer(): this {
    return this.recvBinary(new Uint8Array([0xef, 0x83, 0xbf, 0x4e]));
  }
  close(code = 1000, reason = '', wasClean = true): this {
    this.socket.close = { time: this.tick(), code, reason, wasClean };
    return this;
  }
  build(): CapturedSocket {
    return this.socket;
  }
}

/** A healthy gateway exchange: open, balancer, text request, binary 101, terminator, balancer. */
export function gatewayExchange(opts: { binaryRequest?: boolean; url?: string } = {}): SocketBuilder {
  const b = new SocketBuilder(opts.url ?? GW_URL).open().balancer();
  if (opts.binaryRequest) b.sendBinary(request());
  else b.sendText(request());
  return b.recvBinary(response101()).terminator().balancer();
}
