/** A tiny HTTP server for the benchmark pages (registered routes) and static files (a directory). */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** A running page server. */
export interface PageServer {
  url: string;
  /** Serves `body` at `path`. */
  route(path: string, body: string, type?: string): void;
  close(): Promise<void>;
}

/** Starts the server on 127.0.0.1; paths not routed are read from `staticDir`, if given. */
export async function startPageServer(staticDir?: string): Promise<PageServer> {
  const routes = new Map<string, { body: string; type: string }>();
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const routed = routes.get(path);
    if (routed) {
      res.writeHead(200, { 'Content-Type': routed.type, 'Cache-Control': 'no-store' }).end(routed.body);
      return;
    }
    const file = staticDir ? normalize(join(staticDir, path)) : null;
    if (!file || !staticDir || !file.startsWith(staticDir)) {
      res.writeHead(404).end();
      return;
    }
    readFile(file).then(
      (data) =>
        res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(data),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    route: (path, body, type = 'text/html; charset=utf-8') => routes.set(path, { body, type }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
