/**
 * The replay page runner carries its own copy of the KHP rules (`runnerRules`: page code cannot
 * import). Here that copy, evaluated from its source text in a fresh context as the page gets it, and
 * the core (src/protocol) read the same inputs and must give the same answers.
 */
import fc from 'fast-check';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { readBalancerBytes } from '../../../src/protocol/balancer';
import { utf8Encode } from '../../../src/protocol/bytes';
import { PING_PONG_EXTENSION, controlKind, grantedPrefix } from '../../../src/protocol/control-frames';
import { parseExtensionsHeader } from '../../../src/protocol/extensions';
import { gatherResponse } from '../../../src/protocol/gathered';
import { getHeader, getHeaders, parseHttpRequest } from '../../../src/protocol/http1';
import { KHP_PROTOCOL, isTerminator } from '../../../src/protocol/khp';
import { readStatus } from '../../../src/protocol/status-codes';
import { endpointKey, hasKl, originTarget, redirectTarget, withKl } from '../../../src/protocol/urls';
import { runnerRules, type RunnerRules } from '../../../src/replay/page-runner';

/** The runner's rules as the page evaluates them: source text, the page's globals only. */
const page = runInNewContext(`(${runnerRules.toString()})()`, {
  URL,
  TextEncoder,
  TextDecoder,
}) as RunnerRules;

const bytesOf = (b: Uint8Array | null) => (b === null ? null : Array.from(b));

const schemes = ['ws://', 'wss://', 'http://', 'https://'];
const hosts = ['gw.example.com', 'GW.Example.COM', '127.0.0.1', '[::1]'];
const ports = ['', ':80', ':443', ':8001'];
const paths = ['', '/', '/echo', '/a/b', '/.kl=Y', '/a%20b'];
const queryParts = [
  '.kl=Y',
  '.kl=y',
  '.KL=Y',
  '%2Ekl=Y',
  'x.kl=Y',
  '.kl=Yes',
  '.kl',
  'a=1',
  'q=a+b',
  'q=a%20b',
  'p=a/b',
  'p=a%2Fb',
  'flag',
  'flag=',
  '',
];
const fragments = ['', '#', '#f', '#.kl=Y'];

/** Opening URLs from the pieces that matter to the rules. */
const urls = fc
  .tuple(
    fc.constantFrom(...schemes),
    fc.constantFrom(...hosts),
    fc.constantFrom(...ports),
    fc.constantFrom(...paths),
    fc.option(fc.array(fc.constantFrom(...queryParts), { maxLength: 4 }), { nil: undefined }),
    fc.constantFrom(...fragments),
  )
  .map(([s, h, port, p, q, f]) => `${s}${h}${port}${p}${q === undefined ? '' : `?${q.join('&')}`}${f}`);

const RUNS = { numRuns: 2000 };

describe('the replay runner and the core agree', () => {
  it('name the protocol alike', () => {
    expect(page.KHP).toBe(KHP_PROTOCOL);
  });

  it('on .kl=Y: finding it, adding it, leaving it out of the request target', () => {
    fc.assert(
      fc.property(urls, (url) => {
        const u = new URL(url);
        expect(page.hasKl(u)).toBe(hasKl(url));
        expect(page.withKl(u).href).toBe(withKl(url));
        expect(page.originTarget(u)).toBe(originTarget(url));
      }),
      RUNS,
    );
  });

  it('on endpoint keys (redirect loops)', () => {
    fc.assert(
      fc.property(urls, (url) => {
        expect(page.endpointKey(new URL(url))).toBe(endpointKey(url));
      }),
      RUNS,
    );
  });

  it('on where a redirect goes', () => {
    const locations = fc.oneof(
      urls,
      fc.constantFrom(
        '',
        '   ',
        '/next',
        'next?a=1',
        '//other.example.com/x',
        '  http://a.example.com/p  ',
        'ftp://files.example.com/',
        'mailto:someone@example.com',
        'http://',
        'ws://:80/x',
        'http://a.example.com:80/p#frag',
      ),
    );
    fc.assert(
      fc.property(locations, urls, (location, base) => {
        const socket = new URL(redirectTarget(base, base) ?? 'ws://gw.example.com/echo');
        expect(page.redirectTarget(location, socket)?.href ?? null).toBe(
          redirectTarget(location, socket.href),
        );
      }),
      RUNS,
    );
  });

  it('on balancer messages', () => {
    const text = fc.oneof(
      fc.constantFrom(
        'N',
        'NN',
        'R',
        'Rws://h/x',
        'R ws://h:1/x?.kl=Y \n',
        'Rwss://h',
        'R/echo',
        'Rhttp://h/',
      ),
      fc.constantFrom('N', 'R').chain((k) => urls.map((u) => `${k}${u}`)),
      fc.string({ maxLength: 12 }),
    );
    const payloads = fc.oneof(
      text.map((t) => utf8Encode(`\uF0FF${t}`)),
      fc.uint8Array({ maxLength: 8 }).map((b) => new Uint8Array([0xef, 0x83, 0xbf, ...b])),
      fc.uint8Array({ maxLength: 8 }),
    );
    fc.assert(
      fc.property(payloads, (payload) => {
        expect(page.readBalancer(payload)).toEqual(readBalancerBytes(payload));
      }),
      RUNS,
    );
  });

  it('on the empty terminator', () => {
    for (const b of [new Uint8Array(0), new Uint8Array(1), utf8Encode('x')])
      expect(page.isTerminator(b)).toBe(isTerminator(b));
  });

  it('on where a response ends without the terminator, split at every byte', () => {
    const responses = [
      'HTTP/1.1 101 Web Socket Protocol Handshake\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n',
      'HTTP/1.1 101 Switching Protocols\r\nContent-Length: 5\r\n\r\n',
      'HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Application Basic realm="x"\r\nContent-Length: 10\r\n\r\n0123456789',
      'HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Application Token\r\n\r\n',
      'HTTP/1.1 302 Found\r\nLocation: http://localhost:8090/path\r\n\r\n',
      'HTTP/1.1 204 No Content\r\nContent-Length: 3\r\n\r\n',
      'HTTP/1.1 304 Not Modified\r\n\r\n',
      'HTTP/1.1 403 Forbidden\r\nContent-Type: text/html\r\nContent-Length: 0\r\n\r\n',
      'HTTP/1.0 200 OK\nContent-Length: 2\n\nok',
    ];
    for (const text of responses) {
      const all = utf8Encode(text);
      for (let n = 0; n <= all.length; n++) {
        const part = all.subarray(0, n);
        const core = gatherResponse([part]);
        expect(page.responseComplete(part), `${JSON.stringify(text)} cut at ${n}`).toBe(
          core.status === 'complete',
        );
      }
      const core = gatherResponse([all]);
      if (core.status !== 'complete') throw new Error(`not a complete response: ${text}`);
      const read = page.readResponse(all);
      expect(read?.status).toBe(core.message.status);
      expect(read?.headers).toEqual(core.message.headers.map(([n, v]) => [n.toLowerCase(), v]));
    }
  });

  it('on what a status code asks of the client, for the request sent', () => {
    const requests = [
      'GET /echo HTTP/1.1\r\nSec-WebSocket-Protocol: amqp\r\n\r\n',
      'GET /echo HTTP/1.1\r\nExpect: 100-continue\r\n\r\n',
      'POST /echo HTTP/1.1\r\nexpect:x\r\nContent-Length: 0\r\n\r\n',
      'PUT /echo HTTP/1.1\r\n\r\n',
    ];
    for (const request of requests) {
      const parsed = parseHttpRequest(request);
      if (parsed.status !== 'complete') throw new Error(`not a request: ${request}`);
      const { method, headers } = parsed.message;
      const withExpect = getHeader(headers, 'expect') !== undefined;
      for (let status = 0; status < 1000; status++) {
        expect(page.statusAction(status, request), `${status} to ${JSON.stringify(request)}`).toBe(
          readStatus(status, { method, expect: withExpect }).action,
        );
      }
    }
  });

  it('on the ping-pong prefix a response grants', () => {
    const grants: string[][] = [
      ['x-kaazing-ping-pong; 01010102'],
      ['X-Kaazing-Ping-Pong;0A0b0C0d'],
      ['x-kaazing-idle-timeout; timeout=30000', 'x-kaazing-ping-pong; 01010102'],
      ['x-kaazing-idle-timeout; timeout=30000,x-kaazing-ping-pong; 01010103'],
      ['x-other; note="a, x-kaazing-ping-pong; 01010102", x-kaazing-ping-pong; 0a0a0a0a'],
      ['x-kaazing-ping-pong'],
      ['x-kaazing-ping-pong; 0101010', 'x-kaazing-ping-pong; 01010102'],
      ['x-kaazing-ping-pong; a=1; 01010102'],
      ['x-kaazing-ping-pong; 010101020'],
      ['x-kaazing-http-revalidate; 56414C49'],
      ['', ' , ;01010102'],
      [],
    ];
    for (const values of grants) {
      const headers: [string, string][] = values.map((v) => ['Sec-WebSocket-Extensions', v]);
      const core = grantedPrefix(
        parseExtensionsHeader(getHeaders(headers, 'sec-websocket-extensions')),
        PING_PONG_EXTENSION,
      );
      const lower = headers.map(([n, v]): [string, string] => [n.toLowerCase(), v]);
      expect(bytesOf(page.pingPrefix(lower)), JSON.stringify(values)).toEqual(bytesOf(core));
    }
  });

  it('on control frames', () => {
    const prefix = new Uint8Array([1, 1, 1, 2]);
    const messages = fc.oneof(
      fc.uint8Array({ maxLength: 4 }).map((b) => new Uint8Array([1, 1, 1, 2, ...b])),
      fc.constantFrom(new Uint8Array([1, 1, 1, 2, 9, 0]), new Uint8Array([1, 1, 1, 2, 0x0a, 0])),
      fc.uint8Array({ maxLength: 8 }),
    );
    fc.assert(
      fc.property(messages, (m) => {
        expect(page.controlKind(m, prefix)).toBe(controlKind(m, prefix));
      }),
      RUNS,
    );
  });
});
