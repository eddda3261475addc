/**
 * `khp-inspect probe <ws-url> [--protocol p]... [--ext e]... [--user name:password | --token t]
 * [--no-follow] [--no-kl] [--binary] [--timeout s] [--json] [--show-credentials]`: performs the KHP
 * handshake with the project's client over Node's `ws`, then prints what was exchanged through the
 * decoder, exactly like `decode` (timeline text, or the JSON report v1 with `--json`).
 * Exit 0 when the handshake completed, 1 when it failed, 2 on a usage or connection error. What the
 * server sent (reason phrases, redirect URLs, close reasons) is printed through terminal-safe.ts.
 */
import WebSocket from 'ws';
import { KhpClient, KhpError, type Credentials, type WebSocketConstructor } from '../client/khp-client';
import { decodeCapture } from '../protocol/index';
import { toReport } from '../protocol/report';
import { walkArgs } from './args';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from './io';
import { escapeControls, jsonForTerminal } from '../protocol/terminal-safe';
import { formatTimeline } from './timeline-text';

const HELP = `Usage: khp-inspect probe <ws-url> [options]

  --protocol <p>        application protocol (repeatable)
  --ext <e>             extension to request in the extended handshake (repeatable, or a,b)
  --user <name:pass>    answer a 401 with Basic credentials
  --token <t>           answer a 401 with a token (Authorization: Token <t>)
  --no-follow           do not follow 3xx or balancer redirects
  --no-kl               do not add .kl=Y to the URL
  --binary              send the extended request as a binary message
  --timeout <s>         give up after this many seconds (default 10; 500ms also works)
  --json                print the JSON report (version 1) instead of the timeline
  --show-credentials    keep Authorization values in the output (redacted by default)
  --help                print this help

Exit 0 when the handshake completed, 1 when it failed, 2 on a usage or connection error.
`;

/** Parsed `probe` arguments. */
export interface ProbeArgs {
  url: string;
  protocols: string[];
  extensions: string[];
  credentials: Credentials | null;
  follow: boolean;
  kl: boolean;
  binary: boolean;
  timeoutMs: number;
  json: boolean;
  showCredentials: boolean;
}

function parseTimeout(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(value.trim());
  const n = m ? Number(m[1]) * (m[2] === 'ms' ? 1 : 1000) : NaN;
  if (!Number.isFinite(n) || n <= 0 || n > 600_000) {
    throw new UsageError(`--timeout wants seconds (e.g. 10 or 500ms), got '${value}'`);
  }
  return n;
}

/** Parses `probe`'s arguments; 'help' for --help. */
export function parseProbeArgs(args: string[]): ProbeArgs | 'help' {
  const out: ProbeArgs = {
    url: '',
    protocols: [],
    extensions: [],
    credentials: null,
    follow: true,
    kl: true,
    binary: false,
    timeoutMs: 10_000,
    json: false,
    showCredentials: false,
  };
  let user: string | undefined;
  let token: string | undefined;
  const help = walkArgs(args, ({ arg, flag, value }) => {
    if (flag === '--help' || flag === '-h') return 'stop';
    else if (flag === '--protocol') out.protocols.push(value());
    else if (flag === '--ext')
      out.extensions.push(
        ...value()
          .split(',')
          .map((e) => e.trim())
          .filter(Boolean),
      );
    else if (flag === '--user') user = value();
    else if (flag === '--token') token = value();
    else if (flag === '--no-follow') out.follow = false;
    else if (flag === '--no-kl') out.kl = false;
    else if (flag === '--binary') out.binary = true;
    else if (flag === '--timeout') out.timeoutMs = parseTimeout(value());
    else if (flag === '--json') out.json = true;
    else if (flag === '--show-credentials') out.showCredentials = true;
    else if (arg.startsWith('-')) throw new UsageError(`unknown option '${arg}'`);
    else if (out.url) throw new UsageError(`one URL at a time ('${out.url}' and '${arg}' given)`);
    else out.url = arg;
  });
  if (help) return 'help';
  if (!out.url) throw new UsageError('which server? usage: khp-inspect probe <ws-url>');
  let u: URL;
  try {
    u = new URL(out.url);
  } catch {
    throw new UsageError(`not a URL: '${out.url}'`);
  }
  if (!['ws:', 'wss:', 'http:', 'https:'].includes(u.protocol)) {
    throw new UsageError(`not a ws:// or wss:// URL: '${out.url}'`);
  }
  if (user !== undefined && token !== undefined)
    throw new UsageError('--user and --token exclude each other');
  if (user !== undefined) {
    const colon = user.indexOf(':');
    if (colon < 0) throw new UsageError('--user wants name:password');
    out.credentials = { user: user.slice(0, colon), password: user.slice(colon + 1) };
  } else if (token !== undefined) out.credentials = { token };
  return out;
}

/** Runs `khp-inspect probe`. */
export async function runProbe(args: string[], io: CliIo): Promise<number> {
  const parsed = parseProbeArgs(args);
  if (parsed === 'help') {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  const client = new KhpClient({
    url: parsed.url,
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    protocols: parsed.protocols,
    extensions: parsed.extensions,
    kl: parsed.kl,
    binary: parsed.binary,
    followRedirects: parsed.follow,
    timeoutMs: parsed.timeoutMs,
    credentials: () => parsed.credentials,
  });
  let failure: KhpError | null = null;
  let completedOn = '';
  try {
    const connection = await client.connect();
    completedOn = connection.url;
    // Close cleanly so the recorded socket ends as a real client's would.
    await Promise.race([connection.close(1000, 'probe done'), new Promise((r) => setTimeout(r, 2000))]);
  } catch (err) {
    failure = err instanceof KhpError ? err : new KhpError('connect-failed', String(err));
  }
  const neverOpened = client.sockets.every((s) => s.openedAt === undefined);
  if (failure && failure.code === 'connect-failed' && neverOpened) {
    io.stderr.write(`khp-inspect probe: ${escapeControls(failure.message)}\n`);
    return EXIT_USAGE;
  }
  const report = toReport(decodeCapture(client.sockets), { showCredentials: parsed.showCredentials });
  if (parsed.json) io.stdout.write(jsonForTerminal(report) + '\n');
  else io.stdout.write(formatTimeline(report, { color: false }));
  if (failure) {
    const why = `handshake failed (${failure.code}): ${failure.message}`;
    io.stderr.write(`khp-inspect probe: ${escapeControls(why)}\n`);
    return EXIT_FAILED;
  }
  // The URL a balancer redirect named is the server's text.
  if (!parsed.json) io.stdout.write(`handshake completed on ${escapeControls(completedOn)}\n`);
  return EXIT_OK;
}
