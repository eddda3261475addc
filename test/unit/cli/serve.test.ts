import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { describeServer, logTo, parseServeArgs, runServe } from '../../../src/cli/serve';
import type { RunningServer } from '../../../src/server/server';
import { RAW_CONTROL } from './cli-helpers';
import { runStart } from '../../../src/cli/start';
import { main } from '../../../src/cli/main';

function buffers() {
  let out = '';
  let err = '';
  return {
    io: { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } },
    out: () => out,
    err: () => err,
  };
}

async function waitFor<T>(get: () => T | null, ms = 5000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = get();
    if (v) return v;
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('khp-inspect serve', () => {
  it('prints the actual URL for --port 0, serves, logs, and stops cleanly', { timeout: 10000 }, async () => {
    const b = buffers();
    let stop!: () => void;
    const done = runServe(['--port', '0', '--mode', 'spec'], b.io, new Promise<void>((r) => (stop = r)));
    const url = await waitFor(() => /listening on (ws:\/\/127\.0\.0\.1:\d+)/.exec(b.out())?.[1] ?? null);
    expect(b.out()).toContain('spec mode');
    expect(b.out()).toMatch(/demo page: {2}http:\/\/127\.0\.0\.1:\d+\//);
    // Run from the checkout (as the tests are): the suggested command works there.
    expect(b.out()).toContain(`try:        npx khp-inspect probe ${url}/echo`);
    const ws = new WebSocket(`${url}/echo`, ['x-kaazing-handshake']);
    const first = await new Promise<string>((resolve, reject) => {
      ws.on('open', () => ws.send('GET /echo HTTP/1.1\r\n\r\n'));
      ws.on('message', (d: Buffer) => resolve(d.toString()));
      ws.on('error', reject);
    });
    expect(first).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
    ws.close();
    await waitFor(() => (b.err().includes('khp /echo') ? true : null));
    stop();
    expect(await done).toBe(0);
    expect(b.out()).toContain('server stopped');
  });

  it('rejects bad arguments with exit 2 and a one-line message', { timeout: 5000 }, async () => {
    for (const args of [['--port', 'x'], ['--port', '70000'], ['--mode', 'other'], ['--nope'], ['--port']]) {
      const b = buffers();
      expect(await main(['serve', ...args], b.io)).toBe(2);
      expect(b.err()).toMatch(/^khp-inspect serve: [^\n]+\nTry '[^\n]+ serve --help'\.\n$/);
    }
  });

  it('escapes the log lines (they carry what clients sent)', () => {
    const b = buffers();
    const log = logTo(b.io);
    log('#1 127.0.0.1:5 khp /\x1b]0;owned\x07\u202e statuses=101\r\nfake');
    expect(b.err()).toBe('#1 127.0.0.1:5 khp /\\x1b]0;owned\\x07\\u202e statuses=101\\r\\nfake\n');
    expect(b.err().slice(0, -1)).not.toMatch(RAW_CONTROL);
  });

  it('suggests the command the user can run', () => {
    const server = { mode: 'spec', url: 'http://127.0.0.1:9/', wsUrl: 'ws://127.0.0.1:9' } as RunningServer;
    expect(describeServer(server, 'node /opt/khp/bin/khp-inspect.mjs')).toContain(
      'try:        node /opt/khp/bin/khp-inspect.mjs probe ws://127.0.0.1:9/echo\n',
    );
  });

  it('parses --port=N, --host and --quiet', () => {
    expect(parseServeArgs(['--port=0', '--host', '::1', '-q'])).toEqual({
      port: 0,
      host: '::1',
      mode: 'gateway',
      quiet: true,
    });
  });

  it('reports a port in use with exit 2', { timeout: 5000 }, async () => {
    const a = buffers();
    let stop!: () => void;
    const first = runServe(['--port', '0'], a.io, new Promise<void>((r) => (stop = r)));
    const port = await waitFor(() => /127\.0\.0\.1:(\d+)/.exec(a.out())?.[1] ?? null);
    const b = buffers();
    expect(await main(['serve', '--port', port], b.io)).toBe(2);
    // The arguments were fine: one line, no hint to --help.
    expect(b.err()).toMatch(
      /^khp-inspect serve: cannot listen on 127\.0\.0\.1:\d+: port \d+ is in use \(try --port 0\)\n$/,
    );
    stop();
    await first;
  });
});

describe('khp-inspect start', () => {
  it(
    'builds, serves, prints how to load the extension, skips the browser with --no-browser',
    { timeout: 10000 },
    async () => {
      const b = buffers();
      let stop!: () => void;
      let builds = 0;
      const done = runStart(['--port', '0', '--no-browser'], b.io, {
        stop: new Promise<void>((r) => (stop = r)),
        runBuild: async () => {
          builds++;
          return 0;
        },
        env: { PATH: '' },
      });
      await waitFor(() => (b.out().includes('Ctrl-C') ? true : null));
      expect(builds).toBe(1);
      expect(b.out()).toContain('chrome://extensions');
      expect(b.out()).toContain('about:debugging#/runtime/this-firefox');
      expect(b.out()).toMatch(/dist\/firefox\/manifest\.json/);
      stop();
      expect(await done).toBe(0);
    },
  );

  it('says when the build is unavailable and when there is no display', { timeout: 10000 }, async () => {
    const b = buffers();
    let stop!: () => void;
    const done = runStart(['--port', '0'], b.io, {
      stop: new Promise<void>((r) => (stop = r)),
      runBuild: async () => 0,
      env: { PATH: '/usr/bin:/bin' },
    });
    await waitFor(() => (b.out().includes('Ctrl-C') ? true : null));
    expect(b.out()).toContain('No display');
    stop();
    await done;
    const c = buffers();
    let stop2!: () => void;
    const done2 = runStart(['--port', '0'], c.io, {
      stop: new Promise<void>((r) => (stop2 = r)),
      runBuild: async () => null,
    });
    await waitFor(() => (c.out().includes('Ctrl-C') ? true : null));
    expect(c.out()).toContain('build is unavailable');
    stop2();
    await done2;
  });
});
