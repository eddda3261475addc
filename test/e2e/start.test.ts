/**
 * `npm start` (`node bin/khp-inspect.mjs start`) as a user runs it, without a browser: it builds the
 * extension, serves the reference server's demo, prints the demo URL and how to load the extension in
 * Chrome and Firefox, and stops cleanly on Ctrl-C (SIGINT), even with a socket open.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { pollUntil } from './helpers/live-panel';

const ROOT = resolve(import.meta.dirname, '../..');
let child: ChildProcess | null = null;

afterEach(() => {
  // Only if the test failed before the process exited.
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = null;
});

it('builds, serves the demo, prints the load instructions and exits cleanly on SIGINT', async () => {
  const env = { ...process.env };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  const proc = spawn(process.execPath, ['bin/khp-inspect.mjs', 'start', '--no-browser', '--port', '0'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let out = '';
  let err = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null }>((done) =>
    proc.on('exit', (code, signal) => done({ code, signal })),
  );

  // The build comes first: on a loaded machine it can take a while.
  await pollUntil(
    `start printing "Press Ctrl-C" (stderr: ${err})`,
    async () => out,
    (o) => o.includes('Press Ctrl-C to stop.'),
    120_000,
  );
  const demo = /demo page:\s+(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)?.[1];
  expect(demo, out).toBeDefined();
  const ws = /listening on (ws:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
  expect(ws).toBe(demo!.replace(/^http/, 'ws').replace(/\/$/, ''));
  expect(out).toContain('Building the extension...');
  expect(out).not.toContain('build failed');

  // How to load the extension by hand, in both browsers, pointing at the fresh build.
  expect(out).toContain('chrome://extensions');
  expect(out).toContain('about:debugging');
  expect(out).toContain(join(ROOT, 'dist', 'chrome'));
  expect(out).toContain(join(ROOT, 'dist', 'firefox', 'manifest.json'));
  expect(existsSync(join(ROOT, 'dist', 'chrome', 'manifest.json'))).toBe(true);
  expect(existsSync(join(ROOT, 'dist', 'firefox', 'manifest.json'))).toBe(true);
  expect(out).not.toContain('Launching'); // --no-browser

  // The demo page and its script are served.
  const page = await fetch(demo!);
  expect(page.status).toBe(200);
  const html = await page.text();
  for (const scenario of ['echo-ext', 'auth-basic', 'redirect', 'not-found', 'status'])
    expect(html).toContain(`id="btn-${scenario}"`);
  const script = await fetch(new URL('/demo.js', demo).href);
  expect(script.status).toBe(200);
  expect(await script.text()).toContain('x-kaazing-ping-pong');

  // A socket still open when Ctrl-C comes: the server closes it and the process exits.
  const socket = new WebSocket(`${ws}/echo`);
  await new Promise<void>((done, fail) => {
    socket.once('open', () => done());
    socket.once('error', fail);
  });
  const socketClosed = new Promise<number>((done) => socket.once('close', (code) => done(code)));
  proc.kill('SIGINT');
  const timeout = new Promise<never>((_, fail) =>
    setTimeout(() => fail(new Error(`start did not exit after SIGINT; stdout: ${out}`)), 30_000),
  );
  expect(await Promise.race([exited, timeout])).toEqual({ code: 0, signal: null });
  expect(await Promise.race([socketClosed, timeout])).toBeGreaterThan(0);
  expect(out.trimEnd().endsWith('stopped')).toBe(true);
}, 180_000);
