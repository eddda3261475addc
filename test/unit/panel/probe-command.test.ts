/**
 * The probe command the panel copies: exact text for a captured socket, and, for hostile input, what
 * a real POSIX shell (/bin/sh) makes of it, read back by probe's own argument parser.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseProbeArgs, type ProbeArgs } from '../../../src/cli/probe';
import { hasCredentials, probeCommand, shellQuote } from '../../../src/panel/store/probe-command';
import { base64Encode, utf8Encode } from '../../../src/protocol/bytes';
import type { CapturedSocket } from '../../../src/protocol/capture';
import { decodeSocket } from '../../../src/protocol/decoder';
import { authSocket, plain, T0 } from '../../fixtures/panel/captures';

const scratch = mkdtempSync(join(tmpdir(), 'khp-probe-cmd-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The words `/bin/sh` passes to `npx` when it runs `command` (a stand-in `npx` prints them). */
function shellWords(command: string): string[] {
  const script = `npx() { printf '%s\\0' "$@"; }\n${command}\n`;
  const out = execFileSync('/bin/sh', ['-c', script], { cwd: scratch, encoding: 'utf8' });
  expect(readdirSync(scratch)).toEqual([]); // nothing in the command ran
  return out.split('\0').slice(0, -1);
}

/** What probe would do with the copied command. */
function probeArgsOf(command: string): ProbeArgs {
  const words = shellWords(command);
  expect(words.slice(0, 2)).toEqual(['khp-inspect', 'probe']);
  const args = parseProbeArgs(words.slice(2));
  if (args === 'help') throw new Error('parsed as --help');
  return args;
}

const crlf = (lines: string[]) => lines.join('\r\n') + '\r\n\r\n';

/** A KHP socket whose only extended request is `request`, sent as text or binary. */
function socketWith(url: string, protocols: string[], request: string, binary = false): CapturedSocket {
  return {
    id: 's',
    url,
    requestedProtocols: protocols,
    createdAt: T0,
    openedAt: T0 + 1,
    protocol: 'x-kaazing-handshake',
    extensions: '',
    frames: [
      {
        dir: 'send',
        time: T0 + 2,
        opcode: binary ? 2 : 1,
        data: binary ? base64Encode(utf8Encode(request)) : request,
        size: utf8Encode(request).length,
      },
      { dir: 'receive', time: T0 + 3, opcode: 1, data: crlf(['HTTP/1.1 101 OK']), size: 19 },
    ],
  };
}

describe('probe command', () => {
  it('repeats a captured handshake: URL without .kl=Y, protocols, extensions; credentials only when asked', () => {
    const c = decodeSocket(authSocket);
    expect(probeCommand(c)).toBe(
      'npx khp-inspect probe ws://gw.example.com/echo --protocol amqp --ext x-kaazing-idle-timeout --ext x-kaazing-ping-pong',
    );
    expect(hasCredentials(c)).toBe(true);
    expect(probeCommand(c, { credentials: true })).toBe(
      'npx khp-inspect probe ws://gw.example.com/echo --protocol amqp --ext x-kaazing-idle-timeout --ext x-kaazing-ping-pong --user joe:welcome',
    );
    const args = probeArgsOf(probeCommand(c, { credentials: true }));
    expect(args).toMatchObject({
      url: 'ws://gw.example.com/echo',
      protocols: ['amqp'],
      extensions: ['x-kaazing-idle-timeout', 'x-kaazing-ping-pong'],
      credentials: { user: 'joe', password: 'welcome' },
      kl: true,
      binary: false,
      follow: true,
    });
  });

  it('says --no-kl for a socket opened without .kl=Y, and nothing about credentials it never had', () => {
    const c = decodeSocket(plain);
    expect(probeCommand(c)).toBe('npx khp-inspect probe ws://chat.example.com/socket --no-kl');
    expect(hasCredentials(c)).toBe(false);
    expect(probeArgsOf(probeCommand(c))).toMatchObject({ kl: false, protocols: [], extensions: [] });
  });

  it('leaves credentials in the URL out as [redacted], keeps the rest of it, and sends binary as --binary', () => {
    const url = 'wss://ann:s3cret@gw.example.com/q?access_token=abc&room=a%20b&.kl=Y';
    const s = socketWith(
      url,
      ['x-kaazing-handshake', 'amqp', 'stomp'],
      crlf([
        'GET /q?access_token=abc&room=a%20b HTTP/1.1',
        'Sec-WebSocket-Extensions: x-kaazing-idle-timeout; timeout=5',
      ]),
      true,
    );
    const c = decodeSocket(s);
    const plainCommand = probeCommand(c);
    expect(plainCommand).toBe(
      "npx khp-inspect probe 'wss://ann:[redacted]@gw.example.com/q?access_token=[redacted]&room=a%20b' --protocol amqp --protocol stomp --ext 'x-kaazing-idle-timeout; timeout=5' --binary",
    );
    expect(probeArgsOf(plainCommand)).toMatchObject({
      url: 'wss://ann:[redacted]@gw.example.com/q?access_token=[redacted]&room=a%20b',
      protocols: ['amqp', 'stomp'],
      extensions: ['x-kaazing-idle-timeout; timeout=5'],
      binary: true,
      kl: true,
      credentials: null,
    });
    expect(probeArgsOf(probeCommand(c, { credentials: true })).url).toBe(
      'wss://ann:s3cret@gw.example.com/q?access_token=abc&room=a%20b',
    );
  });

  it('quotes hostile credentials so the shell hands them to probe unchanged and runs nothing', () => {
    const password = `it's $(touch pwned) \`touch pwned2\` "q" ; & | * ~ \\ !x`;
    const basic = base64Encode(utf8Encode(`ann:${password}`));
    const c = decodeSocket(
      socketWith(
        'ws://h/x?.kl=Y',
        ['x-kaazing-handshake'],
        crlf(['GET /x HTTP/1.1', `Authorization: Basic ${basic}`]),
      ),
    );
    expect(probeCommand(c)).toBe('npx khp-inspect probe ws://h/x');
    expect(probeArgsOf(probeCommand(c, { credentials: true })).credentials).toEqual({
      user: 'ann',
      password,
    });
    const token = "a'b$(touch${IFS}t)`id`;|&<>";
    const t = decodeSocket(
      socketWith('ws://h/x?.kl=Y', [], crlf(['GET /x HTTP/1.1', `Authorization: Token ${token}`])),
    );
    expect(probeArgsOf(probeCommand(t, { credentials: true })).credentials).toEqual({ token });
  });

  it('leaves out what a command line cannot carry safely, and says so in a shell comment', () => {
    const basic = base64Encode(utf8Encode('ann:\u001b[31mred\nline'));
    const c = decodeSocket(
      socketWith('ws://h/x?.kl=Y', [], crlf(['GET /x HTTP/1.1', `Authorization: Basic ${basic}`])),
    );
    const command = probeCommand(c, { credentials: true });
    expect(command).toBe(
      'npx khp-inspect probe ws://h/x # the Basic credentials left out: it holds control characters',
    );
    expect(probeArgsOf(command).credentials).toBeNull();
    const bearer = decodeSocket(
      socketWith('ws://h/x?.kl=Y', [], crlf(['GET /x HTTP/1.1', 'Authorization: Bearer abc'])),
    );
    expect(probeCommand(bearer, { credentials: true })).toBe(
      'npx khp-inspect probe ws://h/x # the captured Authorization is neither Basic nor Token: probe cannot send it',
    );
    // An imported capture that was exported redacted has no credentials to give.
    const redacted = decodeSocket(
      socketWith('ws://h/x?.kl=Y', [], crlf(['GET /x HTTP/1.1', 'Authorization: Basic [redacted]'])),
    );
    expect(probeCommand(redacted, { credentials: true })).toBe(
      'npx khp-inspect probe ws://h/x # the capture holds its credentials redacted',
    );
  });

  it('quotes for a POSIX shell only when needed', () => {
    expect(shellQuote('ws://h:80/a_b-c.d?x=1,2@%')).toBe("'ws://h:80/a_b-c.d?x=1,2@%'");
    expect(shellQuote('amqp')).toBe('amqp');
    expect(shellQuote('')).toBe("''");
    expect(shellQuote("a'b")).toBe("'a'\\''b'");
    for (const word of ['', 'a b', "'", "''", '$HOME', '`id`', 'a\\b', '*', '#x', '~', '\n']) {
      expect(shellWords(`npx ${shellQuote(word)}`)).toEqual([word]);
    }
  });
});
