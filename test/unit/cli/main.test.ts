import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main';
import { commandPrefix, packageVersion } from '../../../src/cli/invocation';
import { ROOT } from './cli-helpers';

async function run(argv: string[], cwd = ROOT) {
  let out = '';
  let err = '';
  const io = { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } };
  const code = await main(argv, io, { cwd, env: { PATH: '' } });
  return { code, out, err };
}

describe('khp-inspect --help, help <command>, --version', () => {
  it.each(['decode', 'probe', 'serve', 'start'])(
    '%s --help prints its usage on stdout, exit 0',
    async (cmd) => {
      for (const argv of [
        [cmd, '--help'],
        [cmd, '-h'],
        ['help', cmd],
      ]) {
        const r = await run(argv);
        expect(r, argv.join(' ')).toMatchObject({ code: 0, err: '' });
        expect(r.out).toMatch(new RegExp(`^Usage: khp-inspect ${cmd} `));
        expect(r.out).toMatch(/--help +print this help/);
      }
    },
  );

  it('the top level lists every command and --version; without arguments it goes to stderr, exit 2', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    for (const cmd of ['decode', 'probe', 'serve', 'start', '--version']) expect(help.out).toContain(cmd);
    const none = await run([]);
    expect(none).toMatchObject({ code: 2, out: '', err: help.out });
  });

  it('--version prints the version of package.json', async () => {
    expect(await run(['--version'])).toEqual({ code: 0, out: `khp-inspect ${packageVersion()}\n`, err: '' });
    expect(packageVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('khp-inspect: mistakes in the arguments', () => {
  it.each([
    [['frobnicate'], "khp-inspect: unknown command 'frobnicate'", 'npx khp-inspect --help'],
    [['--verbose'], "khp-inspect: unknown option '--verbose'", 'npx khp-inspect --help'],
    [['toString'], "khp-inspect: unknown command 'toString'", 'npx khp-inspect --help'],
    [['help', 'nope'], "khp-inspect: unknown command 'nope'", 'npx khp-inspect --help'],
    [['serve', 'now'], "khp-inspect serve: unknown argument 'now'", 'npx khp-inspect serve --help'],
    [['start', '--bogus'], "khp-inspect start: unknown argument '--bogus'", 'npx khp-inspect start --help'],
    [['probe', '--x'], "khp-inspect probe: unknown option '--x'", 'npx khp-inspect probe --help'],
    [['decode', '--yaml'], "khp-inspect decode: unknown option '--yaml'", 'npx khp-inspect decode --help'],
  ])('%j: one line, then a hint to --help; exit 2', async (argv, line, hint) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    const lines = r.err.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(line);
    expect(lines[1]).toBe(`Try '${hint}'.`);
  });

  it('escapes control characters in the argument it quotes', async () => {
    const r = await run(['serve', '--\x1b[2Jx']);
    expect(r.err.split('\n')[0]).toBe("khp-inspect serve: unknown argument '--\\x1b[2Jx'");
  });

  it('the hint is a command that works from where the user stands', async () => {
    const away = mkdtempSync(join(tmpdir(), 'khp-away-'));
    const r = await run(['decode'], away);
    expect(r.err.split('\n')[1]).toBe(`Try 'node ${join(ROOT, 'bin', 'khp-inspect.mjs')} decode --help'.`);
  });
});

describe('commandPrefix', () => {
  const root = mkdtempSync(join(tmpdir(), 'khp-root-'));
  mkdirSync(join(root, 'bin'));
  mkdirSync(join(root, 'sub', 'deeper'), { recursive: true });
  writeFileSync(join(root, 'bin', 'khp-inspect.mjs'), '', { mode: 0o755 });
  const outside = mkdtempSync(join(tmpdir(), 'khp-elsewhere-'));
  const onPath = mkdtempSync(join(tmpdir(), 'khp-path-'));

  it('is npx khp-inspect inside the checkout, at any depth', () => {
    expect(commandPrefix({ cwd: root, env: {}, root })).toBe('npx khp-inspect');
    expect(commandPrefix({ cwd: join(root, 'sub', 'deeper'), env: {}, root })).toBe('npx khp-inspect');
  });

  it('never npx outside it (that would fetch a package of that name): node <bin>, or the linked name', () => {
    expect(commandPrefix({ cwd: outside, env: { PATH: '' }, root })).toBe(
      `node ${join(root, 'bin', 'khp-inspect.mjs')}`,
    );
    expect(commandPrefix({ cwd: `${root}-sibling`, env: {}, root })).toMatch(/^node /);
    symlinkSync(join(root, 'bin', 'khp-inspect.mjs'), join(onPath, 'khp-inspect'));
    expect(commandPrefix({ cwd: outside, env: { PATH: onPath }, root })).toBe('khp-inspect');
  });

  it('quotes a path with spaces or quotes for the shell', () => {
    const spaced = join(mkdtempSync(join(tmpdir(), 'khp-q-')), "it's here");
    expect(commandPrefix({ cwd: outside, env: {}, root: spaced })).toBe(
      `node '${spaced.replace("'", "'\\''")}/bin/khp-inspect.mjs'`,
    );
  });
});
