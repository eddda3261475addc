/**
 * A small HTTP + WebSocket server for the browser tests: serves the test pages, echoes on `/echo`, and
 * plays the server side of KHP on `/khp/*`:
 *   /khp/ok          101 (+ empty terminator), then echoes (ping-pong)
 *   /khp/auth        401 until a request carries `Authorization`, then 101
 *   /khp/redirect/N  302 to /khp/redirect/N-1 (N = 0: to /khp/ok), then closes 1000
 *   /khp/status/C    status C, then closes 1011
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

const KHP = 'x-kaazing-handshake';

/** The running server. */
export interface TestServer {
  url: string;
  wsUrl: string;
  port: number;
  /** Sets the HTML served at `path`, with extra response `headers` (name to value, or values). */
  page(path: string, html: string, headers?: Record<string, string | string[]>): void;
  /**
   * Sets the JavaScript served at `path` (a worker's script: browsers want a JavaScript type), to any
   * origin (CORS allowed).
   */
  script(path: string, js: string): void;
  /** Answers `path` with a 302 to `location` (CORS allowed). */
  redirect(path: string, location: string): void;
  close(): Promise<void>;
}

function response(code: number, reason: string, headers: string[] = []): Buffer {
  return Buffer.from([`HTTP/1.1 ${code} ${reason}`, ...headers, '', ''].join('\r\n'));
}

function khp(ws: WebSocket, path: string, origin: string): void {
  const terminator = () => ws.send(Buffer.alloc(0));
  ws.on('message', (data, isBinary) => {
    const text = Buffer.isBuffer(data) ? data.toString('utf8') : String(data);
    if (!text.startsWith('GET ')) return ws.send(data, { binary: isBinary }); // after the handshake: echo
    if (path === '/khp/ok') {
      ws.send(response(101, 'Web Socket Protocol Handshake', ['Connection: Upgrade', 'Upgrade: WebSocket']));
      return terminator();
    }
    if (path === '/khp/auth') {
      if (!/\r\nAuthorization: /i.test(text)) {
        ws.send(response(401, 'Unauthorized', ['WWW-Authenticate: Application Basic realm="test"']));
        return terminator();
      }
      ws.send(response(101, 'Web Socket Protocol Handshake'));
      return terminator();
    }
    let m = /^\/khp\/redirect\/(\d+)$/.exec(path);
    if (m) {
      const n = Number(m[1]);
      const next = n === 0 ? '/khp/ok' : `/khp/redirect/${n - 1}`;
      ws.send(response(302, 'Found', [`Location: ${origin}${next}`]));
      terminator();
      return ws.close(1000);
    }
    m = /^\/khp\/status\/(\d{3})$/.exec(path);
    const code = m ? Number(m[1]) : 404;
    ws.send(response(code, 'Status'));
    terminator();
    ws.close(1011);
  });
}

/** Starts the server on 127.0.0.1 and a free port. */
export async function startTestServer(): Promise<TestServer> {
  const pages = new Map<string, string>();
  const pageHeaders = new Map<string, Record<string, string | string[]>>();
  const scripts = new Map<string, string>();
  const redirects = new Map<string, string>();
  // Request heads up to 2 MiB (Node's default is 16 KiB): the flood tests open sockets with ~1 MB URLs,
  // and they should reach the server like any other.
  const http = createServer({ maxHeaderSize: 2 * 1024 * 1024 }, (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const js = scripts.get(path);
    const cors = { 'access-control-allow-origin': '*', 'cache-control': 'no-store' };
    if (js !== undefined) {
      res.writeHead(200, { ...cors, 'content-type': 'text/javascript' }).end(js);
      return;
    }
    const location = redirects.get(path);
    if (location !== undefined) {
      res.writeHead(302, { ...cors, location }).end();
      return;
    }
    const html = pages.get(path);
    if (html === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res
      .writeHead(200, {
        ...pageHeaders.get(path),
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
      })
      .end(html);
  });
  const wss = new WebSocketServer({
    server: http,
    handleProtocols: (protocols: Set<string>) =>
      protocols.has(KHP) ? KHP : (protocols.values().next().value ?? false),
  });
  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const origin = `http://127.0.0.1:${port}`;
    if (path.startsWith('/khp/')) return khp(ws, path, origin);
    if (path === '/close') return ws.close(4001, 'server says bye');
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const port = (http.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    port,
    page: (path, html, headers) => {
      pages.set(path, html);
      if (headers) pageHeaders.set(path, headers);
      else pageHeaders.delete(path);
    },
    script: (path, js) => void scripts.set(path, js),
    redirect: (path, location) => void redirects.set(path, location),
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise((r) => wss.close(r));
      http.closeAllConnections();
      await new Promise((r) => http.close(r));
    },
  };
}
