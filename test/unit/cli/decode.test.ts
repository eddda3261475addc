import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main';
import { runDecode } from '../../../src/cli/decode';
import type { CliIo } from '../../../src/cli/io';
import type { ReportV1 } from '../../../src/protocol/report';
import { writeCaptureFile } from '../../../src/protocol/capture-file';
import { importHar } from '../../../src/protocol/har';
import { HOSTILE, RAW_CONTROL, hostileHar } from './cli-helpers';

const fixture = (rel: string) => fileURLToPath(new URL(`../../fixtures/${rel}`, import.meta.url));
const CHROME = fixture('chrome/khp-gateway-chrome.har');
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function bufferIo(isTTY = false): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (t: string) => (out += t), isTTY } as CliIo['stdout'],
    stderr: { write: (t: string) => (err += t) },
    out: () => out,
    err: () => err,
  };
}

async function run(args: string[]) {
  const io = bufferIo();
  const code = await main(['decode', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

/** A colour code as decode writes it: ESC [ n m. */
const SGR = new RegExp(String.raw`\x1b\[\d+m`, 'g');

const tmp = mkdtempSync(join(tmpdir(), 'khp-decode-'));
function tmpFile(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

describe('khp-inspect decode: the timeline', () => {
  it('prints rounds, key headers, extensions, outcome and findings, credentials redacted', async () => {
    const { code, out, err } = await run([CHROME]);
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(out).toContain('ws://gateway.example.com:8001/echo?.kl=Y');
    expect(out).toMatch(/→ GET \/echo/);
    expect(out).toMatch(/← 401 Unauthorized \(authenticate\)/);
    expect(out).toContain('WWW-Authenticate: Application Basic realm="Demo Realm"');
    expect(out).toMatch(/← 101 Web Socket Protocol Handshake \(completed\)/);
    expect(out).toContain('Authorization: Basic [redacted]');
    expect(out).not.toContain('am9lOndlbGNvbWU=');
    expect(out).toMatch(/extensions granted: x-kaazing-idle-timeout \(timeout=30000\), x-kaazing-ping-pong/);
    expect(out).toContain('outcome: open');
    expect(out).toMatch(/\+1\.78 s/);
    expect(out).not.toContain('\x1b[');
  });

  it('shows credentials with --show-credentials', async () => {
    const { out } = await run([CHROME, '--show-credentials']);
    expect(out).toContain('Authorization: Basic am9lOndlbGNvbWU=');
  });

  it('prints findings as severity, rule id, message and spec clause', async () => {
    const { code, out } = await run([fixture('har/status-invalid-600.har')]);
    expect(code).toBe(0);
    expect(out).toMatch(/error\s+status-invalid\s+.+\s+\[.*Kaazing Extended Handshake Response Codes.*\]/);
    expect(out).toMatch(/outcome: failed/);
  });

  it('gives a chain of one plain socket the outcome not-khp, as its socket', async () => {
    const { out } = await run([fixture('har/non-khp-socket.har')]);
    expect(out).toContain('Chain 1: 1 connection, outcome not-khp');
    expect(out).toContain('    outcome: not-khp');
    expect(out).not.toMatch(/outcome open/);
  });

  it('prints the rule text of findings without Markdown', async () => {
    const { out } = await run([fixture('har/failure-404.har')]);
    expect(out).toContain(
      '404 Not Found: A Client receiving this response MUST Close the WebSocket Connection',
    );
    expect(out).not.toMatch(/_Close|Connection_/);
  });

  it('escapes every control character a capture carries, coloured or not', async () => {
    const file = tmpFile('hostile.har', JSON.stringify(hostileHar()));
    for (const tty of [false, true]) {
      const io = bufferIo(tty);
      expect(await runDecode([file], io, {})).toBe(0);
      // The only escape sequences left are the colours decode adds itself (SGR: ESC [ n m).
      if (tty) expect(io.out()).toContain('\x1b[2m');
      const text = io.out().replace(SGR, '');
      expect(text.replace(/\n/g, '')).not.toMatch(RAW_CONTROL);
      expect(text).toContain('ws://gw1.example.com/echo\\x1b[2J\\x1b]0;owned\\x07?.kl=Y');
      expect(text).toContain('302 Found\\u202egnp.exe\\x9b31m (redirect)');
      expect(text).toContain('Location: ws://gw2.example.com/echo\\u202egnp.exe');
      expect(text).toContain('WWW-Authenticate: Basic realm="\\x9b31m"');
      expect(text).toContain('timeout=\\u202egnp.exe');
      expect(text).toContain('→ ws://evil.example.com/echo\\x1b[2J\\x1b]0;owned\\x07 (balancer)');
      expect(text).toContain(
        '[4] ws://plain.example.com/\\x1b[2J\\x1b]0;owned\\x07\\u202egnp.exe\\r\\noutcome: open',
      );
      expect(text).not.toMatch(/^\s*outcome: open/m);
      const warning = io.err();
      expect(warning).toMatch(
        /^khp-inspect decode: warning: .*plain\.example\.com\/\\x1b\[2J.*\\r\\noutcome: open.*\n$/,
      );
      expect(warning.replace(/\n/g, '')).not.toMatch(RAW_CONTROL);
    }
  });

  it('colours only on a TTY and honours NO_COLOR', async () => {
    const tty = bufferIo(true);
    expect(await runDecode([fixture('har/failure-404.har')], tty, {})).toBe(0);
    expect(tty.out()).toContain('\x1b[31m');
    const noColour = bufferIo(true);
    await runDecode([fixture('har/failure-404.har')], noColour, { NO_COLOR: '1' });
    expect(noColour.out()).not.toContain('\x1b[');
  });
});

describe('khp-inspect decode --json', () => {
  it('prints the v1 report', async () => {
    const { code, out } = await run([fixture('har/redirect-chain-3.har'), '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(out) as ReportV1;
    expect(report.version).toBe(1);
    expect(report.connections.map((c) => c.outcome)).toEqual(['redirected', 'redirected', 'open']);
    const first = report.connections[0]!;
    expect(Object.keys(first)).toEqual(
      expect.arrayContaining(['id', 'url', 'requestedProtocols', 'protocol', 'khp', 'rounds', 'outcome']),
    );
    expect(first.rounds[0]!.request).toMatchObject({ method: 'GET', target: '/echo' });
    expect(first.rounds[0]!.response).toMatchObject({ status: 302, reason: 'Found' });
    expect(first.rounds[0]!.action).toBe('redirect');
    expect(first.redirectTo).toBe('ws://gw2.example.com:8001/echo?.kl=Y');
    expect(report.chains).toEqual([
      { connections: report.connections.map((c) => c.id), outcome: 'open', loop: false, findings: [] },
    ]);
  });

  it('redacts by default and keeps credentials with --show-credentials', async () => {
    const redacted = JSON.parse((await run([CHROME, '--json'])).out) as ReportV1;
    const replay = redacted.connections[0]!.rounds[1]!.request!;
    expect(replay.headers).toContainEqual(['Authorization', 'Basic [redacted]']);
    expect(redacted.redacted).toBe(true);
    const shown = JSON.parse((await run(['--show-credentials', CHROME, '--json'])).out) as ReportV1;
    expect(shown.connections[0]!.rounds[1]!.request!.headers).toContainEqual([
      'Authorization',
      'Basic am9lOndlbGNvbWU=',
    ]);
  });

  it('writes a hostile capture as JSON that escapes every control character and parses back whole', async () => {
    const file = tmpFile('hostile-json.har', JSON.stringify(hostileHar()));
    const { code, out } = await run([file, '--json']);
    expect(code).toBe(0);
    expect(out.replace(/\n/g, '')).not.toMatch(RAW_CONTROL);
    expect(out).toContain('\\u202e');
    const report = JSON.parse(out) as ReportV1;
    expect(report.connections[0]!.url).toBe(`ws://gw1.example.com/echo${HOSTILE.esc}?.kl=Y`);
    expect(report.connections[1]!.redirectTo).toBe(`ws://evil.example.com/echo${HOSTILE.esc}`);
  });

  it('reads a capture file too and reports import warnings on stderr', async () => {
    const sockets = importHar(
      JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(CHROME, 'utf8'))),
    ).sockets;
    const file = writeCaptureFile(sockets, { redact: false }) as unknown as { sockets: unknown[] };
    file.sockets.push({ id: 'broken' });
    const { code, out, err } = await run([tmpFile('capture.json', JSON.stringify(file)), '--json']);
    expect(code).toBe(0);
    expect((JSON.parse(out) as ReportV1).connections).toHaveLength(1);
    expect(err).toMatch(/warning: socket 2: no url, skipped/);
  });
});

describe('khp-inspect decode: unreadable input exits 2 with one line', () => {
  it.each([
    ['a missing file', () => [join(tmp, 'nope.har')], /cannot read .*nope\.har: no such file/],
    ['a directory', () => [tmp], /is a directory/],
    ['not JSON', () => [tmpFile('bad.har', '{"log": [')], /bad\.har: not JSON/],
    ['neither HAR nor capture', () => [tmpFile('x.json', '{"a": 1}')], /neither a HAR file nor/],
    [
      'a newer capture',
      () => [tmpFile('new.json', '{"format":"khp-inspector-capture","version":2,"sockets":[]}')],
      /written by a newer KHP Inspector/,
    ],
  ])('%s', async (_name, args, message) => {
    const { code, out, err } = await run(args());
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(message);
    expect(err.trimEnd().split('\n')).toHaveLength(1);
    expect(err.startsWith('khp-inspect decode: ')).toBe(true);
  });

  it.skipIf(process.platform === 'win32')('a device, without reading it', async () => {
    const { code, err } = await run(['/dev/zero']);
    expect(code).toBe(2);
    expect(err).toBe('khp-inspect decode: cannot read /dev/zero: is a device, not a regular file\n');
  });

  it('shows a file name with control characters escaped', async () => {
    const { err } = await run([join(tmp, `no${HOSTILE.esc}pe.har`)]);
    expect(err).toContain('no\\x1b[2J\\x1b]0;owned\\x07pe.har: no such file');
    expect(err.replace(/\n/g, '')).not.toMatch(RAW_CONTROL);
  });
});

describe('khp-inspect decode: argument mistakes exit 2 with one line and a hint', () => {
  it.each([
    ['no file', [], /which file\?/],
    ['two files', ['a.har', 'b.har'], /one file at a time/],
    ['an unknown option', ['--yaml', CHROME], /unknown option '--yaml'/],
  ])('%s', async (_name, args, message) => {
    const { code, out, err } = await run(args);
    expect(code).toBe(2);
    expect(out).toBe('');
    const lines = err.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(message);
    expect(lines[0]!.startsWith('khp-inspect decode: ')).toBe(true);
    expect(lines[1]).toBe("Try 'npx khp-inspect decode --help'.");
  });

  it('prints help with --help and exits 0', async () => {
    const { code, out } = await run(['--help']);
    expect(code).toBe(0);
    expect(out).toContain('--show-credentials');
  });
});

describe('the khp-inspect binary', () => {
  it('decodes a fixture when spawned with node', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['bin/khp-inspect.mjs', 'decode', fixture('har/auth-basic-401-replay-101.har'), '--json'],
      { cwd: ROOT },
    );
    const report = JSON.parse(stdout) as ReportV1;
    expect(report.connections[0]!.rounds.map((r) => [r.response?.status, r.action])).toEqual([
      [401, 'authenticate'],
      [101, 'completed'],
    ]);
  });

  it('exits 2 for a missing file', async () => {
    const result = await promisify(execFile)(
      process.execPath,
      ['bin/khp-inspect.mjs', 'decode', 'missing.har'],
      {
        cwd: ROOT,
      },
    ).catch((err: { code: number; stderr: string }) => err);
    expect((result as { code: number }).code).toBe(2);
    expect((result as { stderr: string }).stderr).toMatch(/cannot read missing\.har: no such file/);
  });
});
