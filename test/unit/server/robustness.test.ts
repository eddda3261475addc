import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../../src/server/server';
import { RawClient, request } from './raw-client';
import { tcpExchange, upgradeRequest } from './raw-tcp';
import { useServer } from './server-harness';

const logs: string[] = [];
const harness = useServer({ port: 0, maxRequestBytes: 4096, log: (l) => logs.push(l) });
const open = harness.open;

/** The server still completes a normal handshake. */
async function stillAnswers(): Promise<void> {
  const c = await open('/echo?.kl=Y');
  c.send(request('/echo'));
  expect((await c.frame(1)).data.toString()).toMatch(/^HTTP\/1\.1 101 /);
}

describe('request targets that are no URL', () => {
  for (const target of ['//[', 'http://[']) {
    it(
      `an upgrade to ${target}: 400, one log line, the server still answers`,
      { timeout: 5000 },
      async () => {
        const before = logs.length;
        const reply = await tcpExchange(harness.server.port, [upgradeRequest(target)]);
        expect(reply.text).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
        expect(reply.text).toContain(`request target "${target}" is neither a path nor`);
        expect(reply.closed).toBe(true);
        expect(logs.slice(before).filter((l) => l.includes(' refused '))).toEqual([
          expect.stringMatching(/^#\d+ 127\.0\.0\.1:\d+ refused 400: request target "/),
        ]);
        await stillAnswers();
      },
    );

    it(`a plain HTTP GET of ${target}: 400`, { timeout: 5000 }, async () => {
      const reply = await tcpExchange(harness.server.port, [
        Buffer.from(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`),
      ]);
      expect(reply.text).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      await stillAnswers();
    });
  }
});

describe('bad input never crashes the server', () => {
  it('binary junk as the first message: 400, close, server still answers', { timeout: 5000 }, async () => {
    const c = await open('/echo?.kl=Y');
    c.send(Buffer.from([0xff, 0x00, 0x13, 0x37, 0x80, 0x81]));
    expect((await c.frame(1)).data.toString()).toMatch(/^HTTP\/1\.1 400 /);
    expect((await c.closed()).code).toBe(1002);
    await stillAnswers();
  });

  it('a malformed request line: 400 and close', { timeout: 5000 }, async () => {
    const c = await open('/echo?.kl=Y');
    c.send('GET /echo HTTP/1.1\r\nBad Header Line\r\n\r\n');
    expect((await c.frame(1)).data.toString()).toMatch(/^HTTP\/1\.1 400 /);
    await c.closed();
    await stillAnswers();
  });

  it('an oversized request: 400, close 1009', { timeout: 5000 }, async () => {
    const c = await open('/echo?.kl=Y');
    c.send(`GET /echo HTTP/1.1\r\nX-Big: ${'a'.repeat(5000)}\r\n\r\n`);
    expect((await c.frame(1)).data.toString()).toMatch(/^HTTP\/1\.1 400 /);
    expect((await c.closed()).code).toBe(1009);
    await stillAnswers();
  });

  it('a request spread over many messages growing past the cap: 1009', { timeout: 5000 }, async () => {
    const c = await open('/echo?.kl=Y');
    c.send('GET /echo HTTP/1.1\r\n');
    for (let i = 0; i < 10; i++) c.send(`X-Part-${i}: ${'b'.repeat(500)}\r\n`);
    expect((await c.closed()).code).toBe(1009);
    await stillAnswers();
  });

  it('a request split across messages is read once complete', { timeout: 5000 }, async () => {
    const c = await open('/echo?.kl=Y');
    c.send('GET /ec');
    c.send('ho HTTP/1.1\r\n');
    c.send('\r\n');
    expect((await c.frame(1)).data.toString()).toMatch(/^HTTP\/1\.1 101 /);
  });

  it(
    'abrupt disconnects mid-handshake and after 401 leave the server working',
    { timeout: 5000 },
    async () => {
      const a = await open('/auth/basic?.kl=Y');
      a.send(request('/auth/basic'));
      await a.frame(1);
      a.terminate();
      const b = await open('/slow?ms=500&.kl=Y');
      b.send(request('/slow?ms=500'));
      b.terminate();
      const d = await open('/echo?.kl=Y');
      d.send('GET /echo HTTP/1.1\r\n');
      d.terminate();
      await new Promise((r) => setTimeout(r, 700));
      await stillAnswers();
    },
  );

  it(
    'garbage bytes on the TCP socket (not even WebSocket) do not crash the server',
    { timeout: 5000 },
    async () => {
      await new Promise<void>((resolve) => {
        const sock = net.connect(harness.server.port, '127.0.0.1', () => {
          sock.write('\x00\xff\x16\x03\x01 garbage\r\n\r\n');
          sock.write(Buffer.alloc(2048, 0x7a));
        });
        sock.on('error', () => resolve());
        sock.on('close', () => resolve());
        setTimeout(() => {
          sock.destroy();
          resolve();
        }, 500);
      });
      // A broken WebSocket frame after a good opening handshake.
      const c = await open('/echo?.kl=Y');
      (c.ws as unknown as { _socket: net.Socket })._socket.write(Buffer.from([0x8f, 0x85, 1, 2, 3, 4, 5]));
      await c.closed();
      await stillAnswers();
    },
  );

  it('logs one line per connection', { timeout: 5000 }, async () => {
    const before = logs.length;
    const c = await open('/echo?.kl=Y');
    c.send(request('/echo'));
    await c.frame(1);
    c.ws.close(1000);
    await c.closed();
    await new Promise((r) => setTimeout(r, 50));
    const added = logs.slice(before);
    expect(added).toHaveLength(1);
    expect(added[0]).toMatch(/khp \/echo statuses=101 close=1000/);
  });

  it('times out a client that never sends the extended request', { timeout: 5000 }, async () => {
    const quick = await startServer({ port: 0, handshakeTimeoutMs: 200 });
    try {
      const c = await RawClient.open(`${quick.wsUrl}/echo?.kl=Y`);
      harness.track(c);
      expect((await c.closed()).code).toBe(1008);
    } finally {
      await quick.close();
    }
  });
});
