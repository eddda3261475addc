/**
 * The decoder benchmark's corpus: extended-handshake payloads as gateways and their clients write
 * them (request in origin form with CRLF; `101 Web Socket Protocol Handshake` with one
 * Sec-WebSocket-Extensions line per grant; 401 with `WWW-Authenticate: Application Basic` and a small
 * HTML body; 302 with an absolute `Location`), at several header counts, grouped into handshakes.
 */
import type { CapturedFrame, CapturedSocket } from '../../src/protocol/capture';
import { base64Encode } from '../../src/protocol/bytes';

/** One payload: the bytes and which parser reads them. */
export interface Payload {
  kind: 'request' | 'response';
  bytes: Uint8Array;
  /** Header lines in the payload (checked against both parsers' output). */
  headers: number;
}

/** One extended handshake: the payloads of all its rounds, in order. */
export interface Handshake {
  label: string;
  /** The request target (origin form); the socket URL carries the same path and query. */
  target: string;
  payloads: Payload[];
}

const enc = new TextEncoder();
const DATE = 'Tue, 14 May 2024 09:00:00 GMT';
const BALANCER_N = new Uint8Array([0xef, 0x83, 0xbf, 0x4e]);

function payload(kind: Payload['kind'], startLine: string, headers: string[], body = ''): Payload {
  const text = [startLine, ...headers].join('\r\n') + '\r\n\r\n' + body;
  return { kind, bytes: enc.encode(text), headers: headers.length };
}

/** Extra headers to reach a header count, shaped like the CORS/proxy headers real traffic has. */
function filler(n: number, prefix: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++)
    out.push(`${prefix}-${i}: value-${i.toString(36)}-${'x'.repeat(8 + (i % 5) * 6)}`);
  return out;
}

const targetOf = (path: string) => `${path}?session=${path.length}&lang=en`;

function request(path: string, extra: number, authorization?: string): Payload {
  const headers = [
    'WebSocket-Protocol: ',
    'Sec-WebSocket-Protocol: amqp,stomp',
    'Sec-WebSocket-Extensions: x-kaazing-idle-timeout,x-kaazing-ping-pong',
  ];
  if (authorization) headers.push(`Authorization: ${authorization}`);
  headers.push(...filler(extra, 'X-Client-Attr'));
  return payload('request', `GET ${targetOf(path)} HTTP/1.1`, headers);
}

function response(status: string, reason: string, headers: string[], extra: number, body = ''): Payload {
  const all = [`Date: ${DATE}`, ...headers];
  if (body) all.push('Content-Type: text/html', `Content-Length: ${enc.encode(body).length}`);
  all.push(...filler(extra, 'Access-Control-Expose-X'), 'Server: Kaazing Gateway');
  return payload('response', `HTTP/1.1 ${status} ${reason}`, all, body);
}

function upgrade(extra: number): Payload {
  return response(
    '101',
    'Web Socket Protocol Handshake',
    [
      'Connection: Upgrade',
      'Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=',
      'Sec-WebSocket-Extensions: x-kaazing-idle-timeout; timeout=30000',
      'Sec-WebSocket-Extensions: x-kaazing-ping-pong; 01010102',
      'Upgrade: WebSocket',
      'Access-Control-Allow-Origin: http://app.example.com',
      'Access-Control-Allow-Credentials: true',
    ],
    extra,
  );
}

const html = (status: number, reason: string) =>
  `<html><head></head><body><h2>${status} ${reason}</h2></body></html>`;

/** Header counts beyond the protocol's own, to cover small and large header sections. */
export const EXTRA_HEADERS = [0, 6, 14, 26];

/** The corpus: for each header count, a plain 101, a 401 → 101 replay, and a 302. */
export function buildCorpus(): Handshake[] {
  const out: Handshake[] = [];
  for (const extra of EXTRA_HEADERS) {
    const path = `/services/market-data/${extra}`;
    const target = targetOf(path);
    out.push({ label: `101 +${extra}h`, target, payloads: [request(path, extra), upgrade(extra)] });
    out.push({
      label: `401→101 +${extra}h`,
      target,
      payloads: [
        request(path, extra),
        response(
          '401',
          'Unauthorized',
          ['WWW-Authenticate: Application Basic realm="Kaazing Gateway Demo"'],
          extra,
          html(401, 'Authentication required'),
        ),
        request(path, extra, 'Basic am9lOndlbGNvbWU='),
        upgrade(extra),
      ],
    });
    out.push({
      label: `302 +${extra}h`,
      target,
      payloads: [
        request(path, extra),
        response(
          '302',
          'Found',
          [`Location: http://gw2.example.com:8001${path}`, 'Content-Length: 0'],
          extra,
        ),
      ],
    });
  }
  return out;
}

/** Total bytes and payload count of a corpus. */
export function corpusSize(corpus: Handshake[]): { bytes: number; payloads: number } {
  let bytes = 0;
  let payloads = 0;
  for (const h of corpus)
    for (const p of h.payloads) {
      bytes += p.bytes.length;
      payloads++;
    }
  return { bytes, payloads };
}

/**
 * Each handshake as a captured socket, as the hook records it with `.kl=Y`: balancer `N`, the
 * request as text (the JavaScript client), each response as binary followed by the empty
 * terminator, balancer `N` after completion, then `dataFrames` application messages and a close.
 */
export function corpusSockets(corpus: Handshake[], dataFrames: number): CapturedSocket[] {
  const dec = new TextDecoder();
  return corpus.map((h, i) => {
    let t = 1_700_000_000_000 + i;
    const frames: CapturedFrame[] = [];
    const bin = (dir: CapturedFrame['dir'], bytes: Uint8Array) =>
      frames.push({ dir, time: ++t, opcode: 2, data: base64Encode(bytes), size: bytes.length });
    bin('receive', BALANCER_N);
    for (const p of h.payloads) {
      if (p.kind === 'request')
        frames.push({ dir: 'send', time: ++t, opcode: 1, data: dec.decode(p.bytes), size: p.bytes.length });
      else {
        bin('receive', p.bytes);
        bin('receive', new Uint8Array(0));
      }
    }
    const completed = h.payloads.at(-1)?.bytes[9] === 0x31; // "HTTP/1.1 1.." — the 101
    if (completed) bin('receive', BALANCER_N);
    for (let k = 0; completed && k < dataFrames; k++) {
      const text = `{"seq":${k},"symbol":"KZNG","bid":${(100 + k / 7).toFixed(2)}}`;
      frames.push({ dir: k % 2 ? 'receive' : 'send', time: ++t, opcode: 1, data: text, size: text.length });
    }
    return {
      id: `bench:${i}`,
      url: `ws://gw.example.com:8001${h.target}&.kl=Y`,
      requestedProtocols: ['x-kaazing-handshake', 'amqp'],
      createdAt: t - frames.length - 2,
      openedAt: t - frames.length - 1,
      protocol: 'x-kaazing-handshake',
      extensions: '',
      frames,
      close: { time: ++t, code: 1000, reason: '', wasClean: true },
    };
  });
}
