/**
 * `khp-inspect suite server` as a user runs it: against the real reference server on loopback (and a
 * misbehaving one, and a hostile peer), through `main`, with its exit codes, its help and list, its
 * usage errors, its config file, its progress on stderr and nothing raw from the peer on the terminal.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main';
import { startServer, type RunningServer } from '../../../src/server/server';
import { startHostile } from '../suite/hostile-server';
import { RAW_CONTROL } from './cli-helpers';

let server: RunningServer;
let broken: RunningServer;
let dir: string;

beforeAll(async () => {
  server = await startServer({ port: 0, demo: false, closeGraceMs: 300 });
  broken = await startServer({ port: 0, demo: false, misbehave: ['no-challenge'] });
  dir = mkdtempSync(join(tmpdir(), 'khp-suite-cli-'));
});
afterAll(async () => {
  await Promise.all([server.close(), broken.close()]);
  rmSync(dir, { recursive: true, force: true });
});

async function suite(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } };
  const code = await main(['suite', ...args], io);
  return { code, out, err };
}

/** `suite server <its /echo> ...args`. */
const against = (to: { wsUrl: string }, ...args: string[]) => suite('server', `${to.wsUrl}/echo`, ...args);

const FAST = ['--config', 'reference', '--timeout', '1500', '--jobs', '4'];

describe('khp-inspect suite server', () => {
  it('exits 0 when nothing FAILED, prints a line per case, progress on stderr, and writes the report', async () => {
    const r = await against(server, ...FAST, '--cases', '1.*,3', '--exclude', '3.4', '--out', dir);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^1\.1 {3}OK +KHP offered alone is negotiated$/m);
    expect(r.out).toMatch(/^1\.4 {3}NON-STRICT {4}.*\n {6}1 balancer notice/m);
    expect(r.out).not.toMatch(/^3\.4 /m);
    expect(r.out).toContain('9 cases: 8 OK, 1 NON-STRICT, 0 INFORMATIONAL, 0 UNIMPLEMENTED, 0 FAILED\n');
    expect(r.out).toContain(`report: ${join(dir, 'index.html')}`);
    expect(r.err).toMatch(/^\[1\/9\] \d\.\d \S+\n/);
    expect(JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')).agents).toHaveLength(1);
  });

  it('exits 1 when a case FAILED, and --json prints the index', async () => {
    const r = await against(broken, ...FAST, '--cases', '3.1', '--json');
    expect(r.code).toBe(1);
    const index = JSON.parse(r.out);
    expect(index.agents[0].results['3.1'].verdict).toBe('FAILED');
    expect(index.agents[0].results['3.1'].notes.join()).toContain('challenge-missing');
  });

  it('reads a config file: paths, credentials, cases', async () => {
    const file = join(dir, 'suite.json');
    writeFileSync(
      file,
      JSON.stringify({ paths: { basic: '/auth/basic' }, user: 'joe:welcome', cases: ['3.2'], timeout: 1500 }),
    );
    const r = await against(server, '--config', file);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^3\.2 {3}OK /m);
    writeFileSync(file, JSON.stringify({ paths: { basc: '/auth/basic' } }));
    const bad = await against(server, '--config', file);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('unknown path "basc"');
    // A report directory that is a file: the results are printed, then one line and exit 2.
    const unwritable = await against(server, ...FAST, '--cases', '1.1', '--out', file);
    expect(unwritable.code).toBe(2);
    expect(unwritable.out).toMatch(/^1\.1 {3}OK/);
    expect(unwritable.err).toMatch(/khp-inspect suite: cannot write the report into .*suite\.json: .+\n$/);
  });

  it('shows what a hostile peer sent as escapes only', async () => {
    const peer = await startHostile();
    try {
      const file = join(dir, 'hostile.json');
      writeFileSync(file, JSON.stringify({ paths: { redirect: '/r' }, quietMs: 100 }));
      const args = ['--config', file, '--cases', '4.1,8.2', '--json'];
      const r = await against(peer, ...args);
      expect(r.code).toBe(0); // a well-formed redirect, however hostile its text
      expect(r.out).toContain('\\u202e');
      const notes: string[] = JSON.parse(r.out).agents[0].results['4.1'].notes;
      expect(notes.join()).toContain('\u202egnp.exe');
      for (const line of `${r.out}${r.err}`.split('\n')) expect(line).not.toMatch(RAW_CONTROL);
    } finally {
      await peer.close();
    }
  });

  it('lists cases, prints help, and exits 2 on usage and connection errors', async () => {
    const list = await suite('server', '--list', '--cases', '8');
    expect(list.code).toBe(0);
    expect(list.out.split('\n').filter(Boolean)).toHaveLength(5);
    const help = await suite('server', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^Usage: khp-inspect suite server <ws-url> \[options\]/);
    expect(help.out).toContain('--timeout <ms>');
    for (const args of [
      ['server'],
      ['server', 'http://x/'],
      ['server', 'ws://x/', '--cases', 'x.y'],
      ['nope', 'ws://x/'],
      ['server', 'ws://x/', '--timeout', '5'],
    ]) {
      const r = await suite(...args);
      expect([args, r.code]).toEqual([args, 2]);
      expect(r.err).toMatch(/^khp-inspect suite: .+\nTry '.+ suite --help'\.\n$/);
    }
    const down = await suite('server', 'ws://127.0.0.1:1/echo');
    expect(down.code).toBe(2);
    expect(down.err).toMatch(
      /^khp-inspect suite: cannot connect to ws:\/\/127\.0\.0\.1:1\/echo: .*ECONNREFUSED/,
    );
  });
});
