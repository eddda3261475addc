/**
 * The page runner, evaluated from its source text in a fresh V8 context (as `inspectedWindow.eval`
 * does in the page), against a scripted in-memory gateway. Running in a separate context also proves
 * that the runner is self-contained: any reference to module code would be a ReferenceError.
 */
import { runInNewContext } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pageRunner, runnerExpression } from '../../../src/replay/page-runner';
import { readReplayMarker, replayMarker } from '../../../src/replay/marker';
import type { RunnerAck, RunnerCommand } from '../../../src/replay/types';

type Listener = (event: { data?: unknown; code?: number; reason?: string }) => void;
const enc = new TextEncoder();
const dec = new TextDecoder();
const BALANCER_N = new Uint8Array([0xef, 0x83, 0xbf, 0x4e]);
const PREFIX = '\x01\x01\x01\x02';

/** A scripted gateway: decides the negotiated protocol and answers each request. */
interface Gateway {
  protocol(url: URL): string;
  answer(ws: FakeSocket, request: string): void;
}

let gateway: Gateway;
let sockets: FakeSocket[] = [];

class FakeSocket {
  readonly url: string;
  readonly args: unknown[];
  protocol = '';
  binaryType = 'blob';
  sent: (string | Uint8Array)[] = [];
  received: string[] = [];
  closedBy: { side: 'client' | 'server'; code: number; reason: string } | null = null;
  private listeners = new Map<string, Listener[]>();

  constructor(...args: unknown[]) {
    const url = new URL(String(args[0]));
    if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new SyntaxError('bad scheme');
    if ((args[1] as string[]).some((p) => !/^[\w.-]+$/.test(p))) throw new SyntaxError('bad protocol');
    this.url = url.href;
    this.args = args;
    sockets.push(this);
    setTimeout(() => {
      this.protocol = gateway.protocol(url);
      this.emit('open', {});
    }, 1);
  }
  addEventListener(type: string, fn: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  send(data: string | Uint8Array): void {
    if (this.closedBy) return;
    this.sent.push(data);
    const text = typeof data === 'string' ? data : dec.decode(data);
    if (text.startsWith('GET ') || text.startsWith('POST ')) gateway.answer(this, text);
  }
  close(code = 1005, reason = ''): void {
    if (this.closedBy) return;
    this.closedBy = { side: 'client', code, reason };
    setTimeout(() => this.emit('close', { code, reason }), 1);
  }
  /** Gateway side. */
  push(data: string | Uint8Array): void {
    if (this.closedBy) return;
    this.received.push(typeof data === 'string' ? data : dec.decode(data));
    const payload = typeof data === 'string' ? data : data.slice().buffer;
    this.emit('message', { data: payload });
  }
  serverClose(code: number): void {
    if (this.closedBy) return;
    this.closedBy = { side: 'server', code, reason: '' };
    setTimeout(() => this.emit('close', { code, reason: '' }), 1);
  }
  get path(): string {
    return new URL(this.url).pathname;
  }
  private emit(type: string, event: Parameters<Listener>[0]): void {
    for (const fn of this.listeners.get(type) ?? []) fn(event);
  }
}

/** A gateway like the reference server: `.kl=Y` terminators, 401 until joe:welcome, redirects, pings. */
function referenceGateway(): Gateway {
  return {
    protocol: (url) => (url.pathname === '/plain' ? '' : 'x-kaazing-handshake'),
    answer(ws, request) {
      const url = new URL(ws.url);
      const kl = url.searchParams.get('.kl') === 'Y';
      const respond = (lines: string[], body = '') => {
        ws.push(enc.encode(`${lines.join('\r\n')}\r\n\r\n${body}`));
        if (kl) ws.push(new Uint8Array(0));
      };
      const path = url.pathname;
      const target = request.split(' ')[1];
      if (target !== path + url.search.replace(/[?&]?\.kl=Y/, '').replace(/^&/, '?')) {
        respond(['HTTP/1.1 400 Bad Request', 'Content-Length: 3'], 'bad');
        return ws.serverClose(1002);
      }
      const redirect = /^\/redirect\/(\d+)$/.exec(path);
      const loop = { '/loop/a': '/loop/b', '/loop/b': '/loop/a' }[path];
      if (redirect || loop) {
        const n = Number(redirect?.[1]);
        const to = loop ?? (n === 0 ? '/echo' : `/redirect/${n - 1}`);
        respond(['HTTP/1.1 302 Found', `Location: http://${url.host}${to}`]);
        return ws.serverClose(1000);
      }
      if (path === '/auth' && !/\r\nAuthorization: Basic am9lOndlbGNvbWU=\r\n/.test(request)) {
        return respond(['HTTP/1.1 401 Unauthorized', 'WWW-Authenticate: Application Basic realm="x"']);
      }
      if (path === '/status/404') {
        respond(['HTTP/1.1 404 Not Found']);
        return ws.serverClose(1011);
      }
      if (path === '/silent') return;
      const granted = /x-kaazing-ping-pong/.test(request)
        ? ['Sec-WebSocket-Extensions: x-kaazing-ping-pong; 01010102']
        : [];
      respond(['HTTP/1.1 101 Web Socket Protocol Handshake', 'Connection: Upgrade', ...granted]);
      if (kl) ws.push(BALANCER_N);
      if (path === '/balancer') ws.push(enc.encode(`\uF0FFRws://${url.host}/echo`));
      if (granted.length) ws.push(`${PREFIX}\x09\x00`);
    },
  };
}

function command(over: Partial<RunnerCommand> = {}): RunnerCommand {
  const url = over.url ?? 'ws://gw.test/echo?.kl=Y';
  const target = URL.canParse(url) ? new URL(url).pathname : '/';
  return {
    replayOf: 'orig:1',
    url,
    protocols: ['x-kaazing-handshake', 'amqp'],
    request: `GET ${target} HTTP/1.1\r\nSec-WebSocket-Protocol: amqp\r\n\r\n`,
    binary: false,
    followRedirects: true,
    maxRedirects: 5,
    authorization: null,
    answerPings: false,
    keepOpen: false,
    timeoutMs: 5000,
    marker: replayMarker('orig:1'),
    ...over,
  };
}

/** Evaluates the runner's source text in a fresh context whose only globals are the page's. */
function run(cmd: RunnerCommand): RunnerAck {
  const page = {
    WebSocket: FakeSocket,
    URL,
    TextEncoder,
    TextDecoder,
    setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
    clearTimeout: (t: ReturnType<typeof setTimeout>) => clearTimeout(t),
  };
  return runInNewContext(runnerExpression(cmd), page) as RunnerAck;
}

const settle = () => vi.advanceTimersByTimeAsync(2000);
const requests = (ws: FakeSocket) => ws.sent.map((d) => (typeof d === 'string' ? d : dec.decode(d)));

beforeEach(() => {
  vi.useFakeTimers();
  sockets = [];
  gateway = referenceGateway();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('page runner', () => {
  it('replays the request through the page constructor, marked, and closes after completion', async () => {
    const ack = run(command());
    expect(ack).toEqual({ ok: true, url: 'ws://gw.test/echo?.kl=Y' });
    await settle();
    expect(sockets).toHaveLength(1);
    const ws = sockets[0]!;
    expect(ws.args[1]).toEqual(['x-kaazing-handshake', 'amqp']);
    expect(readReplayMarker(ws.args[2])).toBe('orig:1');
    expect(ws.binaryType).toBe('arraybuffer');
    expect(requests(ws)).toEqual(['GET /echo HTTP/1.1\r\nSec-WebSocket-Protocol: amqp\r\n\r\n']);
    expect(ws.closedBy).toEqual({ side: 'client', code: 1000, reason: 'replay: completed' });
  });

  it('keeps the socket open and answers extended pings when asked', async () => {
    run(
      command({
        keepOpen: true,
        answerPings: true,
        request: 'GET /echo HTTP/1.1\r\nSec-WebSocket-Extensions: x-kaazing-ping-pong\r\n\r\n',
      }),
    );
    await settle();
    const ws = sockets[0]!;
    expect(ws.closedBy).toBeNull();
    expect(ws.sent.at(-1)).toBe(`${PREFIX}\x0a\x00`);
  });

  it('answers a ping with a text pong, not the message an escape marks as data', async () => {
    gateway.answer = (ws) => {
      ws.push(
        enc.encode('HTTP/1.1 101 OK\r\nSec-WebSocket-Extensions: x-kaazing-ping-pong; 01010102\r\n\r\n'),
      );
      ws.push(new Uint8Array(0));
      ws.push(PREFIX);
      ws.push(`${PREFIX}\x09\x00`);
      ws.push(`${PREFIX}\x09\x00 and more`);
      ws.push(enc.encode(`${PREFIX}\x09\x00`));
      ws.push(`${PREFIX}\x09\x00`);
    };
    run(command({ keepOpen: true, answerPings: true, binary: true }));
    await settle();
    expect(sockets[0]!.sent.slice(1)).toEqual([`${PREFIX}\x0a\x00`]);
  });

  it('reads statuses as the spec table does: 202 waits for the next response, 308 is no redirect', async () => {
    gateway.answer = (ws) => {
      ws.push(enc.encode('HTTP/1.1 202 Accepted\r\n\r\n'));
      ws.push(new Uint8Array(0));
      ws.push(enc.encode('HTTP/1.1 101 OK\r\n\r\n'));
      ws.push(new Uint8Array(0));
    };
    run(command());
    await settle();
    expect(sockets[0]!.closedBy?.reason).toBe('replay: completed');
    gateway.answer = (ws) => {
      ws.push(enc.encode('HTTP/1.1 308 Permanent Redirect\r\nLocation: /echo\r\n\r\n'));
      ws.push(new Uint8Array(0));
    };
    run(command());
    await settle();
    expect(sockets).toHaveLength(2);
    expect(sockets[1]!.closedBy?.reason).toBe('replay: extended handshake ended with 308');
  });

  it('does not take other messages that start with U+F0FF as balancer messages', async () => {
    gateway.answer = (ws) => {
      ws.push(enc.encode('\uF0FFR/elsewhere'));
      ws.push(enc.encode('HTTP/1.1 101 OK\r\n\r\n'));
      ws.push(new Uint8Array(0));
    };
    run(command());
    await settle();
    expect(sockets).toHaveLength(1);
    expect(sockets[0]!.closedBy?.reason).toBe('replay: the response is not HTTP');
  });

  it('does not answer pings unless asked', async () => {
    run(
      command({
        keepOpen: true,
        request: 'GET /echo HTTP/1.1\r\nSec-WebSocket-Extensions: x-kaazing-ping-pong\r\n\r\n',
      }),
    );
    await settle();
    expect(sockets[0]!.sent).toHaveLength(1);
  });

  it('sends the request as binary when the capture did', async () => {
    run(command({ binary: true }));
    await settle();
    expect(sockets[0]!.sent[0]).toBeInstanceOf(Uint8Array);
  });

  it('answers one 401 with the given Authorization, replacing any in the request', async () => {
    run(
      command({
        url: 'ws://gw.test/auth?.kl=Y',
        request: 'GET /auth HTTP/1.1\r\nAuthorization: Basic d3Jvbmc=\r\nX-A: 1\r\n\r\n',
        authorization: 'Basic am9lOndlbGNvbWU=',
      }),
    );
    await settle();
    const sent = requests(sockets[0]!);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toBe('GET /auth HTTP/1.1\r\nX-A: 1\r\nAuthorization: Basic am9lOndlbGNvbWU=\r\n\r\n');
    expect(sockets[0]!.closedBy?.reason).toBe('replay: completed');
  });

  it('stops at a 401 without credentials, and at a second 401', async () => {
    run(command({ url: 'ws://gw.test/auth?.kl=Y', request: 'GET /auth HTTP/1.1\r\n\r\n' }));
    await settle();
    expect(requests(sockets[0]!)).toHaveLength(1);
    expect(sockets[0]!.closedBy?.reason).toBe('replay: extended handshake ended with 401');
    run(
      command({
        url: 'ws://gw.test/auth?.kl=Y',
        request: 'GET /auth HTTP/1.1\r\n\r\n',
        authorization: 'Basic d3Jvbmc=',
      }),
    );
    await settle();
    expect(requests(sockets[1]!)).toHaveLength(2);
    expect(sockets[1]!.closedBy?.reason).toBe('replay: extended handshake ended with 401');
  });

  it('follows a redirect chain with http→ws mapping, own targets per hop and .kl=Y kept', async () => {
    run(command({ url: 'ws://gw.test/redirect/2?.kl=Y' }));
    await settle();
    expect(sockets.map((s) => s.url)).toEqual([
      'ws://gw.test/redirect/2?.kl=Y',
      'ws://gw.test/redirect/1?.kl=Y',
      'ws://gw.test/redirect/0?.kl=Y',
      'ws://gw.test/echo?.kl=Y',
    ]);
    expect(sockets.map((s) => requests(s)[0]!.split('\r\n')[0])).toEqual([
      'GET /redirect/2 HTTP/1.1',
      'GET /redirect/1 HTTP/1.1',
      'GET /redirect/0 HTTP/1.1',
      'GET /echo HTTP/1.1',
    ]);
    expect(sockets.every((s) => readReplayMarker(s.args[2]) === 'orig:1')).toBe(true);
    expect(sockets.at(-1)!.closedBy?.reason).toBe('replay: completed');
  });

  it('does not follow redirects when off, and stops after the maximum', async () => {
    run(command({ url: 'ws://gw.test/redirect/2', followRedirects: false, maxRedirects: 0 }));
    await settle();
    expect(sockets).toHaveLength(1);
    sockets = [];
    run(command({ url: 'ws://gw.test/redirect/9', maxRedirects: 5 }));
    await settle();
    expect(sockets).toHaveLength(6);
    expect(sockets.at(-1)!.url).toBe('ws://gw.test/redirect/4');
  });

  it('stops a redirect loop', async () => {
    run(command({ url: 'ws://gw.test/loop/a' }));
    await settle();
    expect(sockets.map((s) => s.path)).toEqual(['/loop/a', '/loop/b']);
  });

  it('follows a balancer redirect after completion', async () => {
    run(command({ url: 'ws://gw.test/balancer?.kl=Y' }));
    await settle();
    expect(sockets.map((s) => s.path)).toEqual(['/balancer', '/echo']);
  });

  it('reads the end of a response without .kl=Y from the HTTP message itself', async () => {
    gateway.answer = (ws) => {
      ws.push(enc.encode('HTTP/1.1 401 Unauthorized\r\nContent-Length: 10\r\n\r\n12345'));
      ws.push(enc.encode('67890'));
    };
    run(command({ url: 'ws://gw.test/echo', authorization: 'Token t' }));
    await settle();
    expect(requests(sockets[0]!)).toHaveLength(2);
  });

  it('gives up on a silent server and does not send on a socket without KHP', async () => {
    run(command({ url: 'ws://gw.test/silent', timeoutMs: 1000 }));
    await settle();
    expect(sockets[0]!.closedBy?.reason).toBe('replay: no extended response');
    run(command({ url: 'ws://gw.test/plain' }));
    await settle();
    expect(sockets[1]!.sent).toEqual([]);
    expect(sockets[1]!.closedBy?.reason).toBe('replay: x-kaazing-handshake not negotiated');
  });

  it('reports a URL the constructor refuses synchronously', () => {
    expect(run(command({ url: 'http://gw.test/echo' }))).toEqual({
      ok: false,
      error: 'not a ws:// or wss:// URL',
    });
    const bad = run(command({ url: 'not a url' }));
    expect(bad.ok).toBe(false);
    expect(run(command({ protocols: ['x-kaazing-handshake', 'a b'] }))).toEqual({
      ok: false,
      error: 'SyntaxError: bad protocol',
    });
    expect(sockets).toHaveLength(0);
  });

  it('leaves nothing on the page global', () => {
    const page: Record<string, unknown> = {
      WebSocket: FakeSocket,
      URL,
      TextEncoder,
      TextDecoder,
      setTimeout,
      clearTimeout,
    };
    const before = Object.keys(page).sort();
    runInNewContext(runnerExpression(command()), page);
    expect(Object.keys(page).sort()).toEqual(before);
    expect(typeof pageRunner).toBe('function');
  });
});
