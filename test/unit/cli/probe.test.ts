import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbe } from '../../../src/cli/probe';
import { main } from '../../../src/cli/main';
import { startServer, type RunningServer } from '../../../src/server/server';
import { HOSTILE, RAW_CONTROL } from './cli-helpers';

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ port: 0, closeGraceMs: 300 });
});
afterAll(async () => {
  await server.close();
});

async function probe(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } };
  const code = await main(['probe', ...args], io);
  return { code, out, err };
}

describe('khp-inspect probe against the reference server', () => {
  it('exits 0 on /echo and prints the decoded timeline', { timeout: 10000 }, async () => {
    const r = await probe(`${server.wsUrl}/echo`, '--ext', 'x-kaazing-ping-pong');
    expect(r.code).toBe(0);
    expect(r.out).toContain('GET /echo');
    expect(r.out).toContain('101 Web Socket Protocol Handshake');
    expect(r.out).toContain('x-kaazing-ping-pong');
    expect(r.out).toMatch(/handshake completed on ws:\/\/127\.0\.0\.1:\d+\/echo\n$/);
    expect(r.err).toBe('');
  });

  it(
    'answers 401 with --user and --token; redacts unless --show-credentials',
    { timeout: 10000 },
    async () => {
      const basic = await probe(`${server.wsUrl}/auth/basic`, '--user', 'joe:welcome');
      expect(basic.code).toBe(0);
      expect(basic.out).toContain('401');
      expect(basic.out).not.toContain('am9lOndlbGNvbWU=');
      const shown = await probe(`${server.wsUrl}/auth/basic`, '--user', 'joe:welcome', '--show-credentials');
      expect(shown.out).toContain('am9lOndlbGNvbWU=');
      expect((await probe(`${server.wsUrl}/auth/token`, '--token', 'joe:welcome')).code).toBe(0);
    },
  );

  it('exits 1 with a one-line reason when the handshake fails', { timeout: 10000 }, async () => {
    const noCreds = await probe(`${server.wsUrl}/auth/basic`);
    expect(noCreds.code).toBe(1);
    expect(noCreds.err).toMatch(/^khp-inspect probe: handshake failed \(auth-failed\): [^\n]+\n$/);
    const wrong = await probe(`${server.wsUrl}/auth/basic`, '--user', 'joe:nope');
    expect(wrong.code).toBe(1);
    expect(wrong.out).toContain('403');
    const status = await probe(`${server.wsUrl}/status/503`);
    expect(status.code).toBe(1);
    expect(status.err).toContain('(status)');
    expect((await probe(`${server.wsUrl}/loop/a`)).err).toContain('(redirect-loop)');
    expect((await probe(`${server.wsUrl}/redirect/6`)).err).toContain('(too-many-redirects)');
    const nf = await probe(`${server.wsUrl}/redirect/1`, '--no-follow');
    expect(nf.code).toBe(1);
    expect(nf.err).toContain('(redirect-not-followed)');
  });

  it(
    'follows redirects and balancer redirects (every socket in the output)',
    { timeout: 10000 },
    async () => {
      const chain = await probe(`${server.wsUrl}/redirect/2`);
      expect(chain.code).toBe(0);
      expect(chain.out).toMatch(/4 connections/);
      const bal = await probe(`${server.wsUrl}/balancer`);
      expect(bal.code).toBe(0);
      expect(bal.out).toContain('/balancer');
      expect(bal.out).toMatch(/handshake completed on ws:\/\/[^/]+\/echo/);
    },
  );

  it('reads /split, /slow, binary requests and no .kl=Y', { timeout: 10000 }, async () => {
    expect((await probe(`${server.wsUrl}/split`)).code).toBe(0);
    expect((await probe(`${server.wsUrl}/slow?ms=200`)).code).toBe(0);
    const bin = await probe(`${server.wsUrl}/echo`, '--binary', '--no-kl');
    expect(bin.code).toBe(0);
    expect(bin.out).not.toContain('.kl=Y');
    expect(bin.out).toContain('[binary');
  });

  it('--json prints the JSON report v1 only', { timeout: 10000 }, async () => {
    const r = await probe(`${server.wsUrl}/redirect/0`, '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as { version: number; connections: unknown[] };
    expect(report.version).toBe(1);
    expect(report.connections).toHaveLength(2);
  });

  it('times out with exit 1', { timeout: 10000 }, async () => {
    const r = await probe(`${server.wsUrl}/slow?ms=3000`, '--timeout', '300ms');
    expect(r.code).toBe(1);
    expect(r.err).toContain('(timeout)');
  });

  it('exits 2 on usage and connection errors', { timeout: 10000 }, async () => {
    const none = await probe();
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/^khp-inspect probe: [^\n]+\nTry '[^\n]+ probe --help'\.\n$/);
    expect((await probe('http//nope')).code).toBe(2);
    expect((await probe('ftp://x/y')).code).toBe(2);
    expect((await probe(`${server.wsUrl}/echo`, '--user', 'nocolon')).code).toBe(2);
    expect((await probe(`${server.wsUrl}/echo`, '--user', 'a:b', '--token', 't')).code).toBe(2);
    expect((await probe(`${server.wsUrl}/echo`, '--bogus')).code).toBe(2);
    const refused = await probe('ws://127.0.0.1:1/echo');
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/^khp-inspect probe: cannot connect to ws:\/\/127\.0\.0\.1:1\/echo[^\n]*\n$/);
    expect(refused.out).toBe('');
  });

  it(
    'escapes what a hostile server sends: reason phrase, headers, close reason',
    { timeout: 10000 },
    async () => {
      const wss = new WebSocketServer({
        port: 0,
        host: '127.0.0.1',
        handleProtocols: () => 'x-kaazing-handshake',
      });
      wss.on('connection', (ws) =>
        ws.once('message', () => {
          ws.send(
            Buffer.from(
              `HTTP/1.1 403 Forbidden${HOSTILE.bidi}${HOSTILE.c1}\r\nX-Note: ${HOSTILE.bidi}\r\n\r\n`,
            ),
          );
          ws.send(Buffer.alloc(0));
          ws.close(4000, `bye${HOSTILE.esc}`);
        }),
      );
      await new Promise((r) => wss.once('listening', r));
      try {
        const r = await probe(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}/x`);
        expect(r.code).toBe(1);
        expect((r.out + r.err).replace(/\n/g, '')).not.toMatch(RAW_CONTROL);
        expect(r.out).toContain('← 403 Forbidden\\u202egnp.exe\\x9b31m (close)');
        expect(r.out).toContain('(closed 4000 bye\\x1b[2J\\x1b]0;owned\\x07)');
      } finally {
        await new Promise((r) => wss.close(r));
      }
    },
  );

  it('runProbe --help prints the options', { timeout: 10000 }, async () => {
    let out = '';
    const code = await runProbe(['--help'], {
      stdout: { write: (t: string) => (out += t) },
      stderr: { write: () => 0 },
    });
    expect(code).toBe(0);
    expect(out).toContain('--no-follow');
  });
});
