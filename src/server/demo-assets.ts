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

const bundles = new Map<string, Promise<string>>();

/** A script of src/demo/ bundled once (errors are not cached, so a fixed file is picked up on reload). */
function bundleOf(entry: string): Promise<string> {
  let bundle = bundles.get(entry);
  if (bundle) return bundle;
  bundle = build({
    entryPoints: [`${DEMO_DIR}${entry}`],
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
      bundles.delete(entry);
      throw err;
    },
  );
  bundles.set(entry, bundle);
  return bundle;
}

/** The demo script, bundled once. */
export function demoBundle(): Promise<string> {
  return bundleOf('demo.ts');
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

/** The page of `khp-inspect suite client` that runs the browser's KHP client through every case. */
const SUITE_PAGE: Record<string, { file: string; type: string; bundle?: boolean }> = {
  '/suite/client.html': { file: 'suite-client.html', type: 'text/html; charset=utf-8' },
  '/suite/client.js': { file: 'suite-client.ts', type: 'text/javascript; charset=utf-8', bundle: true },
};

/** Answers the suite page's http requests (`/suite/client.html`, `/suite/client.js`); anything else is 404. */
export async function serveSuitePage(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const asset = SUITE_PAGE[path];
  if (!asset || (req.method !== 'GET' && req.method !== 'HEAD')) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
    return;
  }
  const body = asset.bundle ? await bundleOf(asset.file) : await readFile(`${DEMO_DIR}${asset.file}`, 'utf8');
  res.writeHead(200, { 'Content-Type': asset.type, ...SECURITY_HEADERS });
  res.end(req.method === 'HEAD' ? undefined : body);
}
