/**
 * The demo page's files: `src/demo/index.html` as is, and `src/demo/demo.ts` bundled on first use
 * with esbuild's JS API (in memory, cached for the life of the process), so the page works from a
 * fresh clone with no build step.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const DEMO_DIR = fileURLToPath(new URL('../demo/', import.meta.url));

let bundle: Promise<string> | null = null;

/** The demo script, bundled once (errors are not cached, so a fixed file is picked up on reload). */
export function demoBundle(): Promise<string> {
  bundle ??= build({
    entryPoints: [`${DEMO_DIR}demo.ts`],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    sourcemap: 'inline',
    logLevel: 'silent',
  }).then(
    (result) => result.outputFiles[0]?.text ?? '',
    (err: unknown) => {
      bundle = null;
      throw err;
    },
  );
  return bundle;
}

const SECURITY_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
};

/** Answers the demo page's http requests: `/`, `/demo.js`; anything else is 404. `path`: the target's path. */
export async function serveDemo(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { 'Content-Type': 'text/plain', Allow: 'GET, HEAD' }).end('method not allowed\n');
    return;
  }
  if (path === '/' || path === '/index.html') {
    const html = await readFile(`${DEMO_DIR}index.html`, 'utf8');
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ...SECURITY_HEADERS });
    res.end(req.method === 'HEAD' ? undefined : html);
    return;
  }
  if (path === '/demo.js') {
    const js = await demoBundle();
    res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', ...SECURITY_HEADERS });
    res.end(req.method === 'HEAD' ? undefined : js);
    return;
  }
  if (path === '/favicon.ico') {
    res.writeHead(204).end();
    return;
  }
  res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
}
