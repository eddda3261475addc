/**
 * The reference KHP server: a `ws` WebSocket server on a node:http server that also serves the demo
 * page. Clients that offer `x-kaazing-handshake` get the extended handshake by scenario (session.ts);
 * plain clients get a plain echo.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { KHP_PROTOCOL } from '../protocol/khp';
import {
  answerClientError,
  answerWsRefusal,
  badTarget,
  errorText,
  parseTarget,
  peerOf,
  printable,
  refuse,
} from './bad-input';
import { serveDemo } from './demo-assets';
import type { ServerMode } from './responses';
import type { Misbehaviour } from './misbehave';
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
  /** Receives one line per connection or refused request (printable ASCII); default silent. */
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
  /** Ways to break the protocol on purpose, for the conformance suite's own tests (misbehave.ts). */
  misbehave?: readonly Misbehaviour[];
  /** Paths served by someone else (the suite's client-role cases): their sockets and pages. */
  extra?: ExtraPaths;
}

/** Paths another part of the tool serves on the reference server (`khp-inspect suite client`). */
export interface ExtraPaths {
  /** True when the path (of an upgrade or an http request) is served here. */
  owns(path: string): boolean;
  /** The sub-protocol to choose for an owned socket from those offered; false for none. */
  protocol(url: URL, offered: ReadonlySet<string>): string | false;
  /** An owned socket is open. */
  connection(ws: WebSocket, req: IncomingMessage, url: URL): void;
  /** An owned http request. */
  http(req: IncomingMessage, res: ServerResponse, url: URL): void;
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
  /** The protocol breaks it was started with (misbehave.ts); empty for a conforming server. */
  misbehave: readonly Misbehaviour[];
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
  const sink = options.log ?? (() => undefined);
  // Log lines quote what clients sent: no control character of theirs may reach a terminal.
  const log = (line: string): void => sink(printable(line));
  const config: SessionConfig = {
    mode,
    maxRequestBytes: options.maxRequestBytes ?? 64 * 1024,
    handshakeTimeoutMs: options.handshakeTimeoutMs ?? 30_000,
    closeGraceMs: options.closeGraceMs ?? 1_000,
    idleTimeoutMs: options.idleTimeoutMs ?? 30_000,
    maxSlowMs: options.maxSlowMs ?? 30_000,
    misbehave: new Set(options.misbehave ?? []),
  };
  const http = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = parseTarget(req.url ?? '');
    if (!url) {
      const why = badTarget(req.url ?? '');
      log(`${peerOf(req.socket)} refused 400: ${why}`);
      res.writeHead(400, { 'Content-Type': 'text/plain', Connection: 'close' }).end(`${why}\n`);
      return;
    }
    if (options.extra?.owns(url.pathname)) {
      options.extra.http(req, res, url);
      return;
    }
    if (options.demo === false) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    serveDemo(req, res, url.pathname).catch((err: unknown) => {
      log(`${peerOf(req.socket)} demo page unavailable: ${errorText(err)}`);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(`demo page unavailable: ${errorText(err)}\n`);
    });
  });
  http.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => answerClientError(err, socket, log));
  const wss = new WebSocketServer({
    // Upgrades come through our own 'upgrade' listener, which checks the target first.
    noServer: true,
    maxPayload: 1024 * 1024,
    perMessageDeflate: options.perMessageDeflate ?? true,
    // Spec, "Opening WebSocket Handshake": if the server agrees to use KHP it MUST send back a
    // Sec-WebSocket-Protocol header containing x-kaazing-handshake. Others get no protocol.
    handleProtocols: (protocols, req) => {
      const url = options.extra ? parseTarget(req.url ?? '') : null;
      if (url && options.extra?.owns(url.pathname)) return options.extra.protocol(url, protocols);
      return protocols.has(KHP_PROTOCOL) && !config.misbehave?.has('no-protocol') ? KHP_PROTOCOL : false;
    },
  });
  let nextId = 1;
  let port = 0;
  /** The log of each upgrade request `ws` is handling, for its refusals (wsClientError). */
  const upgradeLogs = new WeakMap<IncomingMessage, (line: string) => void>();
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const id = nextId++;
    const peer = peerOf(socket);
    const line = (text: string): void => log(`#${id} ${peer} ${text}`);
    // Node hands over an upgrade's socket with no 'error' listener (docs, event 'upgrade'): without
    // one, a client reset while we answer would be thrown at the process.
    socket.on('error', () => socket.destroy());
    try {
      const url = parseTarget(req.url ?? '');
      if (!url) {
        const why = badTarget(req.url ?? '');
        line(`refused 400: ${why}`);
        refuse(socket, 400, why);
        return;
      }
      upgradeLogs.set(req, line);
      wss.handleUpgrade(req, socket, head, (ws) => {
        // An error in a listener of this socket would reach the process: guard the set-up, and
        // the session guards its own listeners and timers.
        ws.on('error', () => undefined);
        try {
          onConnection(ws, req, url, id, line);
        } catch (err) {
          line(`internal error: ${errorText(err)}`);
          closeOnError(ws);
        }
      });
    } catch (err) {
      // Last resort for this one connection; the causes known are handled above.
      line(`internal error: ${errorText(err)}`);
      refuse(socket, 500, 'internal error');
    }
  });
  wss.on('wsClientError', (err: Error, socket: Duplex, req: IncomingMessage) =>
    answerWsRefusal(err, socket, req, upgradeLogs.get(req) ?? log),
  );
  function onConnection(
    ws: WebSocket,
    req: IncomingMessage,
    url: URL,
    id: number,
    done: (summary: string) => void,
  ): void {
    if (options.extra?.owns(url.pathname)) {
      ws.on('close', (code) => done(`case ${url.pathname} close=${code}`));
      options.extra.connection(ws, req, url);
      return;
    }
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
        host: req.headers.host ?? `${formatHost(host)}:${port}`,
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
  }
  wss.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? DEFAULT_PORT, host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  http.on('error', () => undefined);
  port = (http.address() as AddressInfo).port;
  const base = `${formatHost(host)}:${port}`;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${base}/`,
    wsUrl: `ws://${base}`,
    port,
    host,
    mode,
    misbehave: [...(options.misbehave ?? [])],
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
  let error = '';
  ws.on('message', (data, isBinary) => {
    messages++;
    try {
      ws.send(data, { binary: isBinary });
    } catch (err) {
      error ||= ` error: ${errorText(err)}`;
      closeOnError(ws);
    }
  });
  ws.on('error', () => undefined);
  ws.on('close', (code) =>
    done(`plain ${url.pathname} messages=${messages} close=${code} ${Date.now() - started}ms${error}`),
  );
}

/** Ends a socket after an internal error: close 1011, or cut it when even that fails. */
function closeOnError(ws: WebSocket): void {
  try {
    ws.close(1011, 'internal error');
  } catch {
    ws.terminate();
  }
}
