/**
 * The built panel as a plain page: a tiny static server for a built extension directory (the panel
 * and its assets) plus fixture files, and a helper that opens the panel in a Chromium page fed by a
 * fixture. Used by the panel browser tests and by `npm run screenshots`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.har': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** A static server: the built extension at `/`, extra files (in memory) at their own paths. */
export interface PanelServer {
  url: string;
  /** Serves `body` at `path` (e.g. `/fixtures/big.khp.json`) from now on. */
  file(path: string, body: string): void;
  close(): Promise<void>;
}

/** Serves `distDir` (must contain panel.html: run the build first) on 127.0.0.1, ephemeral port. */
export async function servePanel(distDir: string): Promise<PanelServer> {
  const root = resolve(distDir);
  if (!existsSync(join(root, 'panel.html')))
    throw new Error(`${root}/panel.html is missing: build the extension first`);
  const extra = new Map<string, string>();
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const body = extra.get(path);
    if (body !== undefined) {
      res.writeHead(200, { 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body);
      return;
    }
    const file = normalize(join(root, path));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    file: (path, text) => extra.set(path, text),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Options of `openPanel`. */
export interface OpenPanelOptions {
  /** Path of the fixture on the server (`/fixtures/x.khp.json`); none for an empty panel. */
  fixture?: string;
  theme?: 'light' | 'dark';
  width?: number;
  height?: number;
}

/** Opens the panel in a new page and waits until it rendered (rows, or the empty state). */
export async function openPanel(
  browser: Browser,
  server: PanelServer,
  options: OpenPanelOptions = {},
): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewport({
    width: options.width ?? 1200,
    height: options.height ?? 640,
    deviceScaleFactor: 1,
  });
  const params = new URLSearchParams();
  if (options.fixture) params.set('fixture', options.fixture);
  if (options.theme) params.set('theme', options.theme);
  await page.goto(`${server.url}/panel.html?${params.toString()}`);
  await page.waitForSelector(options.fixture ? '.conn-row' : '.khp-app', { timeout: 15_000 });
  return page;
}
