/**
 * The real binary, spawned: what a shell sees (stdout, stderr, exit code). The cases run
 * concurrently; each spawn costs a Node start-up.
 */
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  constants,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { RAW_CONTROL, hostileHar, runBin } from './cli-helpers';

const tmp = mkdtempSync(join(tmpdir(), 'khp-bin-'));
const version = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

describe.concurrent('the khp-inspect binary speaks like a Unix tool', () => {
  it('serve --help prints its usage on stdout and exits 0', async ({ expect }) => {
    const r = await runBin(['serve', '--help']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^Usage: khp-inspect serve \[options\]\n[^]*--port[^]*--help/);
  });

  it('--version prints the version from package.json', async ({ expect }) => {
    expect(await runBin(['--version'])).toEqual({ code: 0, stdout: `khp-inspect ${version}\n`, stderr: '' });
  });

  it('an unknown argument: one line on stderr, a hint to --help, exit 2', async ({ expect }) => {
    expect(await runBin(['start', '--nope'])).toEqual({
      code: 2,
      stdout: '',
      stderr: "khp-inspect start: unknown argument '--nope'\nTry 'npx khp-inspect start --help'.\n",
    });
  });

  it.skipIf(process.platform === 'win32')(
    'decode refuses a named pipe at once and reads nothing from it',
    async ({ expect }) => {
      const fifo = join(tmp, 'capture.har');
      execFileSync('mkfifo', [fifo]);
      // Hold the pipe open with bytes waiting in it: a reader would take them, then wait for an
      // end that never comes (this end stays open).
      const fd = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
      try {
        writeSync(fd, '{"log":');
        const r = await runBin(['decode', fifo], 5000);
        expect(r).toEqual({
          code: 2,
          stdout: '',
          stderr: `khp-inspect decode: cannot read ${fifo}: is a named pipe, not a regular file\n`,
        });
        const left = Buffer.alloc(16);
        expect(left.toString('utf8', 0, readSync(fd, left))).toBe('{"log":');
      } finally {
        closeSync(fd);
      }
    },
  );

  it('decode of a hostile HAR writes no control character', async ({ expect }) => {
    const file = join(tmp, 'hostile.har');
    writeFileSync(file, JSON.stringify(hostileHar()));
    const r = await runBin(['decode', file]);
    expect(r.code).toBe(0);
    expect((r.stdout + r.stderr).replace(/\n/g, '')).not.toMatch(RAW_CONTROL);
    expect(r.stderr).toMatch(/^khp-inspect decode: warning: [^\n]*plain\.example\.com\/\\x1b\[2J[^\n]*\n$/);
    expect(r.stdout).toContain('→ ws://evil.example.com/echo\\x1b[2J\\x1b]0;owned\\x07 (balancer)');
    expect(r.stdout).toContain('Location: ws://gw2.example.com/echo\\u202egnp.exe');
  });
});
