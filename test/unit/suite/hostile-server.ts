/**
 * A hostile KHP peer on loopback: a real `ws` server that negotiates KHP and answers every extended
 * request with a 302 whose reason phrase, Location and extra header carry markup, a C1 control and
 * a bidi override, then closes with an escape sequence in its reason. What the suite prints and writes
 * must show all of it as text.
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { HOSTILE } from '../cli/cli-helpers';

/** The markup the peer slips in. */
export const MARKUP = '<script>alert(1)</script><img src=x onerror=alert(2)>';

/** Starts the peer; resolves with its ws base URL and a stop function. */
export async function startHostile(): Promise<{ wsUrl: string; close: () => Promise<void> }> {
  const wss = new WebSocketServer({
    port: 0,
    host: '127.0.0.1',
    handleProtocols: (p) => (p.has('x-kaazing-handshake') ? 'x-kaazing-handshake' : false),
  });
  await new Promise((resolve) => wss.once('listening', resolve));
  wss.on('connection', (ws) => {
    ws.on('error', () => undefined);
    ws.once('message', () => {
      // UTF-8: the C1 control and the bidi override are bytes HTTP allows in a field (obs-text).
      const location = `http://127.0.0.1:1/${HOSTILE.bidi}`;
      const response = `HTTP/1.1 302 ${MARKUP}${HOSTILE.c1}\r\nLocation: ${location}\r\nX-Note: ${MARKUP}\r\n\r\n`;
      ws.send(Buffer.from(response, 'utf8'));
      ws.send(Buffer.alloc(0));
      ws.close(1000, `${HOSTILE.esc}${MARKUP}`.slice(0, 60));
    });
  });
  const { port } = wss.address() as AddressInfo;
  return {
    wsUrl: `ws://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
}
