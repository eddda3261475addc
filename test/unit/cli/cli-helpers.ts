/** Helpers shared by the CLI tests. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Any character a terminal could act on, or that could hide or reorder text. */
export const RAW_CONTROL = /[\p{Cc}\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|\p{Cs}/u;

/** The checkout's root. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** What a spawned CLI did. */
export interface BinResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real binary (`node bin/khp-inspect.mjs ...args`) from the checkout; kills it after `timeoutMs`. */
export function runBin(args: readonly string[], timeoutMs = 8000): Promise<BinResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/khp-inspect.mjs', ...args],
      { cwd: ROOT, timeout: timeoutMs, env: { ...process.env, NO_COLOR: '1' } },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Escape sequences and invisible characters a hostile page or server could slip into a capture. */
export const HOSTILE = {
  /** Clears the screen, then retitles the terminal window. */
  esc: '\x1b[2J\x1b]0;owned\x07',
  /** An 8-bit CSI: starts a colour change on terminals that take C1 controls. */
  c1: '\u009b31m',
  /** A right-to-left override: `…\u202egnp.exe` shows as `…exe.png`. */
  bidi: '\u202egnp.exe',
  /** A forged line. */
  line: '\r\noutcome: open',
};

const T0 = Date.UTC(2024, 4, 14, 9);
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
type Msg = [type: 'send' | 'receive', at: number, opcode: 1 | 2, data: string];

function entry(url: string, start: number, messages: Msg[] | null, protocol = 'x-kaazing-handshake') {
  const headers = protocol ? [{ name: 'Sec-WebSocket-Protocol', value: protocol }] : [];
  return {
    _resourceType: 'websocket',
    startedDateTime: new Date(T0 + start).toISOString(),
    time: 1,
    request: { method: 'GET', url, httpVersion: 'HTTP/1.1', headers, queryString: [], cookies: [] },
    response: { status: 101, statusText: 'Switching Protocols', httpVersion: 'HTTP/1.1', headers },
    ...(messages && {
      _webSocketMessages: messages.map(([type, at, opcode, data]) => ({
        type,
        time: (T0 + start + at) / 1000,
        opcode,
        data,
      })),
    }),
  };
}

const request = (target: string) =>
  `GET ${target} HTTP/1.1\r\nSec-WebSocket-Extensions: x-kaazing-idle-timeout\r\n\r\n`;

/**
 * A HAR export whose every printable field carries hostile characters: socket URLs, a reason
 * phrase, a Location and a WWW-Authenticate value, an extension parameter, a balancer-redirect URL,
 * a first message that is not HTTP, and an entry without messages (an import warning quoting its URL).
 */
export function hostileHar(): unknown {
  const { esc, c1, bidi, line } = HOSTILE;
  return {
    log: {
      version: '1.2',
      creator: { name: 'hostile', version: '1' },
      entries: [
        entry(`ws://gw1.example.com/echo${esc}?.kl=Y`, 0, [
          ['send', 5, 1, request('/echo')],
          [
            'receive',
            8,
            2,
            b64(
              `HTTP/1.1 302 Found${bidi}${c1}\r\nLocation: ws://gw2.example.com/echo${bidi}\r\n` +
                `WWW-Authenticate: Basic realm="${c1}"\r\n\r\n`,
            ),
          ],
          ['receive', 9, 2, ''],
        ]),
        entry('ws://gw3.example.com/echo?.kl=Y', 100, [
          ['receive', 3, 2, b64('\uf0ffN')],
          ['send', 5, 1, request('/echo')],
          [
            'receive',
            8,
            2,
            b64(
              `HTTP/1.1 101 OK\r\nSec-WebSocket-Extensions: x-kaazing-idle-timeout; timeout=${bidi}\r\n\r\n`,
            ),
          ],
          ['receive', 9, 2, ''],
          ['receive', 10, 2, b64(`\uf0ffRws://evil.example.com/echo${esc}`)],
        ]),
        entry('ws://gw4.example.com/x', 200, [['send', 5, 1, `hello${esc}${line}`]]),
        entry(`ws://plain.example.com/${esc}${bidi}${line}`, 300, null, ''),
      ],
    },
  };
}
