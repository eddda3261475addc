import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import {
  KhpClient,
  KhpError,
  type KhpClientOptions,
  type WebSocketConstructor,
} from '../../../src/client/khp-client';

/** A server that answers the first message with a fixed script of frames. */
type Script = (ws: WebSocket, request: string) => void;

let wss: WebSocketServer | null = null;

afterEach(async () => {
  if (!wss) return;
  for (const c of wss.clients) c.terminate();
  await new Promise((r) => wss?.close(r));
  wss = null;
});

async function scripted(script: Script, protocol: string | false = 'x-kaazing-handshake'): Promise<string> {
  wss = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: () => protocol });
  wss.on('connection', (ws) => ws.once('message', (data) => script(ws, data.toString())));
  await new Promise((r) => wss?.once('listening', r));
  return `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
}

function connect(url: string, options: Partial<KhpClientOptions> = {}): Promise<unknown> {
  return new KhpClient({
    url,
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    timeoutMs: 3000,
    terminatorWaitMs: 200,
    ...options,
  }).connect();
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (err) {
    return err instanceof KhpError ? err.code : `other: ${String(err)}`;
  }
}

const empty = Buffer.alloc(0);
const OK = 'HTTP/1.1 101 Switching Protocols\r\n\r\n';

describe('the client against scripted servers', () => {
  it('not-khp when the server chooses no sub-protocol', { timeout: 5000 }, async () => {
    const url = await scripted(() => undefined, false);
    expect(await code(connect(`${url}/x`))).toBe('not-khp');
  });

  it('not-khp when the server chooses an application protocol instead', { timeout: 5000 }, async () => {
    const url = await scripted(() => undefined, 'chat');
    const c = new KhpClient({
      url: `${url}/x`,
      WebSocket: WebSocket as unknown as WebSocketConstructor,
      protocols: ['chat'],
    });
    const err = await c.connect().then(
      () => null,
      (e: unknown) => e as KhpError,
    );
    expect(err?.code).toBe('not-khp');
    expect(c.sockets[0]?.protocol).toBe('chat');
    expect(c.sockets[0]?.close?.code).toBe(1000);
  });

  it(
    'extension-mismatch when the 101 grants an extension that was not requested',
    { timeout: 5000 },
    async () => {
      const url = await scripted((ws) => {
        ws.send(
          'HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Extensions: x-kaazing-ping-pong; 01010102\r\n\r\n',
        );
        ws.send(empty);
      });
      expect(await code(connect(`${url}/x`))).toBe('extension-mismatch');
    },
  );

  it(
    'bad-response on a payload that is not HTTP, and on a 302 without Location',
    { timeout: 5000 },
    async () => {
      let url = await scripted((ws) => {
        ws.send(Buffer.from('\x00\x01garbage\r\n\r\n'));
        ws.send(empty);
      });
      expect(await code(connect(`${url}/x`))).toBe('bad-response');
      await new Promise((r) => wss?.close(r));
      url = await scripted((ws) => {
        ws.send('HTTP/1.1 302 Found\r\n\r\n');
        ws.send(empty);
      });
      expect(await code(connect(`${url}/x`))).toBe('bad-response');
    },
  );

  it('closed when the server closes mid-handshake', { timeout: 5000 }, async () => {
    const url = await scripted((ws) => ws.close(1001, 'going away'));
    expect(await code(connect(`${url}/x`))).toBe('closed');
  });

  it(
    'accepts a response without terminator after a wait, unless a terminator is required',
    { timeout: 5000 },
    async () => {
      const url = await scripted((ws) => ws.send(Buffer.from(OK)));
      const c = new KhpClient({
        url: `${url}/x`,
        WebSocket: WebSocket as unknown as WebSocketConstructor,
        terminatorWaitMs: 100,
      });
      const conn = await c.connect();
      expect(conn.response.terminator).toBe('none');
      await conn.close();
      expect(await code(connect(`${url}/x`, { requireTerminator: true }))).toBe('no-terminator');
    },
  );

  it('sends the request the spec describes, target without .kl=Y', { timeout: 5000 }, async () => {
    let seen = '';
    const url = await scripted((ws, req) => {
      seen = req;
      ws.send(OK);
      ws.send(empty);
    });
    const conn = (await connect(`${url}/path?a=1`, {
      protocols: ['amqp', 'chat'],
      extensions: ['x-kaazing-idle-timeout', 'x-kaazing-ping-pong'],
    })) as { close(): Promise<unknown> };
    expect(seen).toBe(
      'GET /path?a=1 HTTP/1.1\r\nSec-WebSocket-Protocol: amqp, chat\r\n' +
        'Sec-WebSocket-Extensions: x-kaazing-idle-timeout, x-kaazing-ping-pong\r\n\r\n',
    );
    await conn.close();
  });

  it('follows a relative Location on the same server', { timeout: 5000 }, async () => {
    const paths: string[] = [];
    wss = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: () => 'x-kaazing-handshake' });
    wss.on('connection', (ws, req) => {
      paths.push(req.url ?? '');
      ws.once('message', () => {
        if (req.url?.startsWith('/first')) {
          ws.send('HTTP/1.1 307 Temporary Redirect\r\nLocation: /second\r\n\r\n');
          ws.send(empty);
          ws.close(1000);
        } else {
          ws.send(OK);
          ws.send(empty);
        }
      });
    });
    await new Promise((r) => wss?.once('listening', r));
    const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
    const conn = (await connect(`${url}/first`)) as { url: string; close(): Promise<unknown> };
    expect(paths).toEqual(['/first?.kl=Y', '/second?.kl=Y']);
    expect(conn.url).toBe(`${url}/second`);
    await conn.close();
  });

  // Cases where the client's own copy of the rules differed from the core's (src/protocol).
  it('keeps the query as written when it adds .kl=Y', { timeout: 5000 }, async () => {
    let opened = '';
    let seen = '';
    wss = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: () => 'x-kaazing-handshake' });
    wss.on('connection', (ws, req) => {
      opened = req.url ?? '';
      ws.once('message', (data) => {
        seen = data.toString().split('\r\n')[0]!;
        ws.send(OK);
        ws.send(empty);
      });
    });
    await new Promise((r) => wss?.once('listening', r));
    const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
    const conn = (await connect(`${url}/p?q=a+b&r=%2F`)) as { close(): Promise<unknown> };
    expect(opened).toBe('/p?q=a+b&r=%2F&.kl=Y');
    expect(seen).toBe('GET /p?q=a+b&r=%2F HTTP/1.1');
    await conn.close();
  });

  it(
    'does not take U+F0FF R without an absolute ws URL as a balancer redirect',
    { timeout: 5000 },
    async () => {
      const url = await scripted((ws) => {
        ws.send(Buffer.from('\uF0FFR/elsewhere'));
        ws.send(OK);
        ws.send(empty);
      });
      expect(await code(connect(`${url}/echo`))).toBe('bad-response');
    },
  );

  it('answers pings under the prefix the server granted', { timeout: 5000 }, async () => {
    const prefix = '\x0a\x0b\x0c\x0d';
    let pong = '';
    const url = await scripted((ws) => {
      ws.send(
        'HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Extensions: x-kaazing-ping-pong; 0A0B0C0D\r\n\r\n',
      );
      ws.send(empty);
      ws.on('message', (data) => (pong = data.toString()));
      ws.send(`${prefix}\x09\x00`);
    });
    const conn = (await connect(`${url}/echo`, { extensions: ['x-kaazing-ping-pong'] })) as {
      close(): Promise<unknown>;
    };
    for (let i = 0; i < 50 && pong === ''; i++) await new Promise((r) => setTimeout(r, 20));
    expect(pong).toBe(`${prefix}\x0a\x00`);
    await conn.close();
  });
});
