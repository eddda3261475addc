/**
 * The reference KHP server: a `ws` WebSocket server on a node:http server that also serves the demo
 * page. Clients that offer `x-kaazing-handshake` get the extended handshake by scenario (session.ts);
 * plain clients get a plain echo.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { KHP_PROTOCOL } from '../protocol/khp';
import { serveDemo } from './demo-assets';
import type { ServerMode } from './responses';
import { KhpSession, type SessionConfig } from './session';

export type { ServerMode } from './responses';

/** Options of `startServer`; every field has a default. */
export interface ServerOptions {
  /** TCP port, default 7681; 0 picks a free one (read it back from `port`). */
  port?: number;
  /** Interface to bind, default 127.0.0.1. */
  host?: string;
  /** `gateway` (default) behaves like a real gateway; `spec` sends only what the spec names. */
  mode?: ServerMode;
  /** Receives one line per connection; default silent. */
  log?: (line: string) => void;
  /** Serve the demo page at `/` (default true). */
  demo?: boolean;
  /** Timeout granted with x-kaazing-idle-timeout, default 30 000 ms (`/echo?timeout=ms` overrides). */
  idleTimeoutMs?: number;
  /** Time a client has to finish the extended handshake, default 30 000 ms. */
  handshakeTimeoutMs?: number;
  /** After a failing `/status/<code>`, time the client has to close before the server does, default 1 000 ms. */
  closeGraceMs?: number;
  /** Cap on an extended request, default 64 KiB (above: 400, close 1009). */
  maxRequestBytes?: number;
  /** Cap on `/slow?ms=`, default 30 000 ms. */
  maxSlowMs?: number;
  /** Offer permessage-deflate in the opening handshake (default true). */
  perMessageDeflate?: boolean;
}

/** A running server. */
export interface RunningServer {
  /** Base http URL (the demo page), e.g. `http://127.0.0.1:7681/`. */
  url: string;
  /** Base ws URL, e.g. `ws://127.0.0.1:7681`; append a scenario path. */
  wsUrl: string;
  port: number;
  host: string;
  mode: ServerMode;
  /** Closes every socket and the listener. */
  close(): Promise<void>;
}

export const DEFAULT_PORT = 7681;
const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** Starts the reference server and resolves once it listens. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const mode = options.mode ?? 'gateway';
  const log = options.log ?? (() => undefined);
  const config: SessionConfig = {
    mode,
    maxRequestBytes: options.maxRequestBytes ?? 64 * 1024,
    handshakeTimeoutMs: options.handshakeTimeoutMs ?? 30_000,
    closeGraceMs: options.closeGraceMs ?? 1_000,
    idleTimeoutMs: options.idleTimeoutMs ?? 30_000,
    maxSlowMs: options.maxSlowMs ?? 30_000,
  };
  const http = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (options.demo === false) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    serveDemo(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(`demo page unavailable: ${err instanceof Error ? err.message : String(err)}\n`);
    });
  });
  const wss = new WebSocketServer({
    server: http,
    maxPayload: 1024 * 1024,
    perMessageDeflate: options.perMessageDeflate ?? true,
    // Spec, "Opening WebSocket Handshake": if the server agrees to use KHP it MUST send back a
    // Sec-WebSocket-Protocol header containing x-kaazing-handshake. Others get no protocol.
    handleProtocols: (protocols) => (protocols.has(KHP_PROTOCOL) ? KHP_PROTOCOL : false),
  });
  let nextId = 1;
  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    const id = nextId++;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const peer = `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
    const done = (summary: string): void => log(`#${id} ${peer} ${summary}`);
    if (ws.protocol !== KHP_PROTOCOL) {
      startPlainEcho(ws, url, done);
      return;
    }
    const key = String(req.headers['sec-websocket-key'] ?? '');
    const session = new KhpSession(
      ws,
      {
        id,
        url,
        host: req.headers.host ?? `${formatHost(host)}:${(http.address() as AddressInfo).port}`,
        extensions: ws.extensions
          .split(',')
          .map((e) => e.trim().toLowerCase())
          .filter(Boolean),
        accept: createHash('sha1')
          .update(key + WS_GUID)
          .digest('base64'),
      },
      config,
    );
    session.start(done);
  });
  wss.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? DEFAULT_PORT, host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  http.on('error', () => undefined);
  const port = (http.address() as AddressInfo).port;
  const base = `${formatHost(host)}:${port}`;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${base}/`,
    wsUrl: `ws://${base}`,
    port,
    host,
    mode,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => {
          http.close(() => resolve());
          http.closeAllConnections();
        });
      });
      return closing;
    },
  };
}

/** A client that did not offer KHP: echo every message as it came. */
function startPlainEcho(ws: WebSocket, url: URL, done: (summary: string) => void): void {
  const started = Date.now();
  let messages = 0;
  ws.on('message', (data, isBinary) => {
    messages++;
    ws.send(data, { binary: isBinary });
  });
  ws.on('error', () => undefined);
  ws.on('close', (code) =>
    done(`plain ${url.pathname} messages=${messages} close=${code} ${Date.now() - started}ms`),
  );
}
