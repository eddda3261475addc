/**
 * Bytes over a bare TCP connection, for requests no HTTP or WebSocket client would send: bad request
 * lines, broken headers, truncated requests.
 */
import net from 'node:net';

/** What came back on one connection. */
export interface TcpReply {
  /** Everything received, read as latin1 (one character per byte). */
  text: string;
  /** True when the server closed the connection before the wait ended. */
  closed: boolean;
}

/**
 * Opens a connection to `port` on 127.0.0.1, writes `chunks` one write each, and collects the reply
 * until the server closes, a 101 head is complete (the socket would stay open), or `ms` pass; then
 * destroys the connection. `end` half-closes after the last chunk.
 */
export function tcpExchange(
  port: number,
  chunks: Buffer[],
  { ms = 1000, end = false }: { ms?: number; end?: boolean } = {},
): Promise<TcpReply> {
  return new Promise((resolve) => {
    let text = '';
    let settled = false;
    const socket = net.connect(port, '127.0.0.1');
    const finish = (closed: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, closed });
    };
    const timer = setTimeout(() => finish(false), ms);
    socket.on('connect', () => {
      for (const chunk of chunks) socket.write(chunk);
      if (end) socket.end();
    });
    socket.on('data', (data: Buffer) => {
      text += data.toString('latin1');
      if (/^HTTP\/1\.1 101 /.test(text) && text.includes('\r\n\r\n')) finish(false);
    });
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(true));
  });
}

/** An opening handshake request with `target` and the usual WebSocket headers, plus `extra` lines. */
export function upgradeRequest(
  target: string,
  extra: string[] = ['Sec-WebSocket-Protocol: x-kaazing-handshake'],
): Buffer {
  const lines = [
    `GET ${target} HTTP/1.1`,
    'Host: 127.0.0.1',
    'Upgrade: websocket',
    'Connection: Upgrade',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version: 13',
    ...extra,
  ];
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}
