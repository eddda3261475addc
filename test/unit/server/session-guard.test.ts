/**
 * The session's last-resort guard: an exception inside a message handler or a timer costs that one
 * connection (500 and close 1011, or a cut socket), is named in its log line, and never escapes.
 * A fake socket whose `send` throws stands in for the bug.
 */
import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { KhpSession, type SessionConfig } from '../../../src/server/session';

class ThrowingSocket extends EventEmitter {
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readyState = 1;
  sent: string[] = [];
  closed: { code: number; reason: string } | null = null;
  terminated = false;

  constructor(
    private failures: number,
    private readonly message: string,
  ) {
    super();
  }

  send(data: Uint8Array | string): void {
    if (this.failures-- > 0) throw new Error(this.message);
    this.sent.push(Buffer.from(data).toString());
  }

  close(code: number, reason: string): void {
    this.readyState = 2;
    this.closed = { code, reason };
    this.emit('close', code);
  }

  terminate(): void {
    this.readyState = 3;
    this.terminated = true;
    this.emit('close', 1006);
  }

  ping(): void {}
}

const CONFIG: SessionConfig = {
  mode: 'gateway',
  maxRequestBytes: 4096,
  handshakeTimeoutMs: 5000,
  closeGraceMs: 100,
  idleTimeoutMs: 30_000,
  maxSlowMs: 1000,
};

function session(path: string, ws: ThrowingSocket): Promise<string> {
  const s = new KhpSession(
    ws as unknown as WebSocket,
    { id: 1, url: new URL(path, 'http://localhost'), host: 'localhost', extensions: [], accept: 'x' },
    CONFIG,
  );
  return new Promise((resolve) => s.start(resolve));
}

function message(ws: ThrowingSocket, text: string): void {
  ws.emit('message', Buffer.from(text), false);
}

describe('an exception inside a session', () => {
  it('in a message handler: 500, close 1011 with a reason of at most 123 bytes, one log line', async () => {
    const ws = new ThrowingSocket(1, `broken ${'é'.repeat(100)}`);
    const done = session('/echo', ws);
    expect(() => message(ws, 'GET /echo HTTP/1.1\r\n\r\n')).not.toThrow();
    expect(ws.sent[0]).toMatch(/^HTTP\/1\.1 500 /);
    expect(ws.closed?.code).toBe(1011);
    expect(Buffer.byteLength(ws.closed!.reason)).toBeLessThanOrEqual(123);
    expect(await done).toMatch(/^khp \/echo statuses=500 close=1011 \d+ms error: broken é/);
  });

  it('when even the 500 cannot be sent: the socket is cut', async () => {
    const ws = new ThrowingSocket(Infinity, 'socket gone');
    const done = session('/echo', ws);
    expect(() => message(ws, 'GET /echo HTTP/1.1\r\n\r\n')).not.toThrow();
    expect(ws.terminated).toBe(true);
    expect(await done).toMatch(/close=1006 \d+ms error: socket gone$/);
  });

  it('in a timer (the answer of /slow): 500 and close 1011', async () => {
    const ws = new ThrowingSocket(1, 'late failure');
    const done = session('/slow?ms=5', ws);
    message(ws, 'GET /slow?ms=5 HTTP/1.1\r\n\r\n');
    expect(await done).toMatch(/statuses=500 close=1011 \d+ms error: late failure$/);
  });

  it('after completion: close 1011, no HTTP response on the open link', async () => {
    const ws = new ThrowingSocket(0, 'echo failed');
    const done = session('/echo', ws);
    message(ws, 'GET /echo HTTP/1.1\r\n\r\n');
    (ws as unknown as { failures: number }).failures = 1;
    message(ws, 'hello');
    expect(ws.sent).toEqual([expect.stringMatching(/^HTTP\/1\.1 101 /)]);
    expect(ws.closed?.code).toBe(1011);
    expect(await done).toMatch(/statuses=101 close=1011 \d+ms error: echo failed$/);
  });
});
