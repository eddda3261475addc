import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KhpClient,
  KhpError,
  type KhpClientOptions,
  type WebSocketConstructor,
} from '../../../src/client/khp-client';
import { base64Decode } from '../../../src/protocol/bytes';
import { startServer, type RunningServer } from '../../../src/server/server';

const WS = WebSocket as unknown as WebSocketConstructor;
let gateway: RunningServer;
let spec: RunningServer;

beforeAll(async () => {
  gateway = await startServer({ port: 0, mode: 'gateway', closeGraceMs: 300 });
  spec = await startServer({ port: 0, mode: 'spec', closeGraceMs: 300 });
});
afterAll(async () => {
  await gateway.close();
  await spec.close();
});

function client(url: string, options: Partial<KhpClientOptions> = {}): KhpClient {
  return new KhpClient({
    url,
    WebSocket: WS,
    timeoutMs: 4000,
    credentials: (ch) =>
      ch.scheme === 'Token' ? { token: 'joe:welcome' } : { user: 'joe', password: 'welcome' },
    ...options,
  });
}

async function failure(c: KhpClient): Promise<KhpError> {
  try {
    const conn = await c.connect();
    await conn.close();
  } catch (err) {
    expect(err).toBeInstanceOf(KhpError);
    return err as KhpError;
  }
  throw new Error('connect() resolved; a failure was expected');
}

describe.each(['gateway', 'spec'] as const)('the client against the %s-mode server', (mode) => {
  const base = () => (mode === 'gateway' ? gateway : spec).wsUrl;

  it(
    'completes /echo, grants the requested extensions, echoes text and binary',
    { timeout: 8000 },
    async () => {
      const c = client(`${base()}/echo`, { extensions: ['x-kaazing-ping-pong', 'x-kaazing-idle-timeout'] });
      const events: string[] = [];
      for (const name of ['opening', 'open', 'request', 'response', 'completed'] as const)
        c.on(name, () => events.push(name));
      const conn = await c.connect();
      expect(events).toEqual(['opening', 'open', 'request', 'response', 'completed']);
      expect(conn.response.status).toBe(101);
      expect(conn.response.terminator).toBe('empty-frame');
      expect(conn.extensions).toEqual([
        'x-kaazing-ping-pong; 01010102',
        'x-kaazing-idle-timeout; timeout=30000',
      ]);
      const got: (string | Uint8Array)[] = [];
      c.on('message', (m) => got.push(m.data));
      conn.send('hi');
      conn.send(new Uint8Array([7, 8, 9]));
      conn.send('\x01\x01\x01\x02 escaped');
      await waitFor(() => got.length === 3);
      expect(got[0]).toBe('hi');
      expect(Array.from(got[1] as Uint8Array)).toEqual([7, 8, 9]);
      expect(got[2]).toBe('\x01\x01\x01\x02 escaped');
      expect(await conn.close()).toMatchObject({ code: 1000 });
    },
  );

  it('answers Basic and Token challenges from the callback', { timeout: 8000 }, async () => {
    for (const path of ['/auth/basic', '/auth/token']) {
      const c = client(`${base()}${path}`);
      const challenges: string[] = [];
      c.on('challenge', (ch) => challenges.push(`${ch.scheme}:${ch.realm ?? ''}`));
      const conn = await c.connect();
      expect(challenges).toEqual([`${path.endsWith('basic') ? 'Basic' : 'Token'}:KHP Inspector demo`]);
      await conn.close();
    }
  });

  it(
    'gives up with auth-failed without credentials, and fails with 403 after wrong ones',
    { timeout: 8000 },
    async () => {
      const none = await failure(client(`${base()}/auth/basic`, { credentials: undefined }));
      expect(none.code).toBe('auth-failed');
      const wrong = await failure(
        client(`${base()}/auth/basic`, { credentials: () => ({ user: 'joe', password: 'x' }) }),
      );
      expect(wrong.code).toBe('status');
      expect(wrong.status).toBe(403);
      const capped = await failure(
        client(`${base()}/auth/basic`, {
          maxChallenges: 1,
          credentials: () => ({ user: 'joe', password: 'x' }),
        }),
      );
      expect(capped.code).toBe('auth-failed');
    },
  );

  it('follows a redirect chain to /echo and records every socket', { timeout: 8000 }, async () => {
    const c = client(`${base()}/redirect/2`);
    const redirects: string[] = [];
    c.on('redirect', (r) => redirects.push(new URL(r.to).pathname));
    const conn = await c.connect();
    expect(redirects).toEqual(['/redirect/1', '/redirect/0', '/echo']);
    expect(new URL(conn.url).pathname).toBe('/echo');
    await conn.close();
    expect(c.sockets.map((s) => new URL(s.url).pathname)).toEqual([
      '/redirect/2',
      '/redirect/1',
      '/redirect/0',
      '/echo',
    ]);
    expect(c.sockets.every((s) => s.url.includes('.kl=Y'))).toBe(true);
    expect(c.sockets[0]?.close?.code).toBe(1000);
  });

  it(
    'stops at loops, at more than five redirects, and when told not to follow',
    { timeout: 8000 },
    async () => {
      expect((await failure(client(`${base()}/loop/a`))).code).toBe('redirect-loop');
      const long = await failure(client(`${base()}/redirect/5`));
      expect(long.code).toBe('too-many-redirects');
      expect(long.steps.filter((s) => s.event === 'redirect')).toHaveLength(5);
      expect((await failure(client(`${base()}/redirect/1`, { followRedirects: false }))).code).toBe(
        'redirect-not-followed',
      );
    },
  );

  it('fails on a closing status and closes with 1011', { timeout: 8000 }, async () => {
    const c = client(`${base()}/status/500`);
    const err = await failure(c);
    expect(err.code).toBe('status');
    expect(err.status).toBe(500);
    expect(c.sockets[0]?.close?.code).toBe(1011);
    expect(err.steps.some((s) => s.event === 'response' && s.text.includes('500'))).toBe(true);
  });

  it(
    'follows /status/307 to /echo, keeps waiting after 202, replays after /status/401',
    { timeout: 8000 },
    async () => {
      const redirected = await client(`${base()}/status/307`).connect();
      expect(new URL(redirected.url).pathname).toBe('/echo');
      await redirected.close();
      const waiting = await failure(client(`${base()}/status/202`, { timeoutMs: 500 }));
      expect(waiting.code).toBe('timeout');
      expect(waiting.steps.filter((s) => s.event === 'response')).toHaveLength(1);
      const c = client(`${base()}/status/401`);
      const err = await failure(c);
      expect(err.status).toBe(403);
      expect(err.steps.filter((s) => s.event === 'challenge')).toHaveLength(3);
    },
  );

  it('reads the split response and completes 201', { timeout: 8000 }, async () => {
    const split = await client(`${base()}/split`).connect();
    expect(split.response.status).toBe(101);
    await split.close();
    const created = await client(`${base()}/status/201`).connect();
    expect(created.response.status).toBe(201);
    await created.close();
  });

  it('sends the extended request as binary on request', { timeout: 8000 }, async () => {
    const c = client(`${base()}/echo`, { binary: true, protocols: ['chat'] });
    const conn = await c.connect();
    const sent = c.sockets[0]?.frames.find((f) => f.dir === 'send');
    expect(sent?.opcode).toBe(2);
    const text = new TextDecoder().decode(base64Decode(sent?.data ?? '') ?? new Uint8Array());
    expect(text).toBe('GET /echo HTTP/1.1\r\nSec-WebSocket-Protocol: chat\r\n\r\n');
    expect(c.sockets[0]?.requestedProtocols).toEqual(['x-kaazing-handshake', 'chat']);
    expect(conn.protocol).toBe('chat');
    await conn.close();
  });
});

describe('gateway specifics', () => {
  it('follows the balancer redirect of /balancer to /echo', { timeout: 8000 }, async () => {
    const c = client(`${gateway.wsUrl}/balancer`);
    const kinds: string[] = [];
    c.on('balancer', (b) => kinds.push(b.kind));
    const conn = await c.connect();
    expect(kinds).toEqual(['N', 'R', 'N', 'N']);
    expect(new URL(conn.url).pathname).toBe('/echo');
    await conn.close();
  });

  it(
    'reports a balancer redirect that arrives after connect() resolved, and closes',
    { timeout: 8000 },
    async () => {
      const c = client(`${spec.wsUrl}/balancer`);
      const seen: string[] = [];
      c.on('balancer', (b) => seen.push(`${b.kind} ${b.target ?? ''}`));
      c.on('message', () => seen.push('message'));
      const conn = await c.connect();
      expect((await conn.closed).code).toBe(1000);
      expect(seen).toEqual([`R ${spec.wsUrl}/echo`]);
    },
  );

  it('without .kl=Y reads the response where the HTTP message ends', { timeout: 8000 }, async () => {
    const c = client(`${gateway.wsUrl}/auth/basic`, { kl: false });
    const terminators: string[] = [];
    c.on('response', (r) => terminators.push(r.terminator));
    const conn = await c.connect();
    expect(terminators).toEqual(['message-end', 'message-end']);
    expect(c.sockets[0]?.url).not.toContain('.kl=Y');
    await conn.close();
  });

  it('answers extended pings with pongs', { timeout: 8000 }, async () => {
    const c = client(`${gateway.wsUrl}/echo?timeout=300`, {
      extensions: ['x-kaazing-idle-timeout', 'x-kaazing-ping-pong'],
    });
    const conn = await c.connect();
    await new Promise<void>((resolve) => c.on('ping', (p) => p.answered && resolve()));
    const pong = c.sockets[0]?.frames.find((f) => f.dir === 'send' && f.data === '\x01\x01\x01\x02\x0a\x00');
    expect(pong?.opcode).toBe(1);
    await conn.close();
  });

  it('times out and can be aborted', { timeout: 8000 }, async () => {
    const slow = await failure(client(`${gateway.wsUrl}/slow?ms=2000`, { timeoutMs: 300 }));
    expect(slow.code).toBe('timeout');
    const c = client(`${gateway.wsUrl}/slow?ms=2000`);
    const pending = failure(c);
    setTimeout(() => c.abort(), 100);
    expect((await pending).code).toBe('aborted');
  });

  it(
    'reports a refused connection as connect-failed, and a plain server as not-khp',
    { timeout: 8000 },
    async () => {
      expect((await failure(client('ws://127.0.0.1:1/echo'))).code).toBe('connect-failed');
      expect((await failure(client('not a url'))).code).toBe('connect-failed');
    },
  );
});

function waitFor(cond: () => boolean, ms = 3000): Promise<void> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const tick = () => {
      if (cond()) resolve();
      else if (Date.now() - t0 > ms) reject(new Error('timed out'));
      else setTimeout(tick, 10);
    };
    tick();
  });
}
