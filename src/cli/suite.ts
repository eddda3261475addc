/**
 * `khp-inspect suite server <ws-url> [options]` (and `suite client`, suite-client.ts): runs the numbered KHP conformance cases against a
 * server (docs/suite.md), prints a verdict per case, and with `--out DIR` writes the HTML and JSON
 * reports. Exit 0 when nothing FAILED, 1 when a case (or its close) did, 2 on a usage or connection
 * error. Notes quote what the server sent: every line goes through terminal-safe.ts.
 */
import WebSocket from 'ws';
import { KHP_PROTOCOL } from '../protocol/khp';
import { SERVER_CASES, selectCases } from '../protocol/suite/catalogue';
import { caseInfo } from '../protocol/suite/report';
import { escapeControls, jsonForTerminal } from '../protocol/terminal-safe';
import { EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from './io';
import { parseSuiteArgs, type SuiteArgs } from './suite/args';
import type { RunSummary } from './suite/report-files';
import { runCases } from './suite/runner';
import { progress, reportRun } from './suite/print';
import { runSuiteClient } from './suite-client';

const HELP = `Usage: khp-inspect suite server <ws-url> [options]
       khp-inspect suite server --list [--cases p] [--exclude p]
       khp-inspect suite client [options]   (serves cases to a client: suite client --help)

Runs the numbered KHP conformance cases against a server, one connection per case (docs/suite.md).

  --cases <p,...>       cases to run: 3.* or 3 (a category), 2.4 (repeatable; default all)
  --exclude <p,...>     cases to leave out (repeatable)
  --list                list the chosen cases and run nothing
  --timeout <ms>        time each case may take (default 5000; 2s also works)
  --config <file.json>  paths of the server's scenarios, credentials, case choices (docs/suite.md);
                        'reference' for the paths of khp-inspect serve
  --user <name:pass>    Basic credentials, for the cases on the basic path
  --token <t>           token, for the cases on the token path
  --agent <name>        the server's name in the reports (default host:port)
  --out <dir>           write index.html, index.json and a page and a JSON file per case
  --json                print the results (index.json's shape) instead of the table
  --jobs <n>            cases run at the same time (default 1)
  --show-credentials    keep Authorization values in the reports (redacted by default)
  --help                print this help

Exit 0 when no case FAILED, 1 when one did, 2 on a usage or connection error.
`;

/** A system error reaching the server (refused, unknown host, TLS...), not a protocol answer. */
function connectionError(err: Error & { code?: unknown }): boolean {
  if (/handshake has timed out/i.test(err.message)) return true;
  return typeof err.code === 'string' && !err.code.startsWith('WS_ERR');
}

/** Null when `url` answers a WebSocket opening at all (whatever it answers), else why not. */
function unreachable(url: string, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, [KHP_PROTOCOL], { handshakeTimeout: timeoutMs, perMessageDeflate: false });
    ws.on('open', () => {
      ws.close(1000, 'khp-suite: reachable');
      resolve(null);
    });
    ws.on('unexpected-response', (req) => {
      req.destroy();
      resolve(null);
    });
    ws.on('error', (err: Error) => resolve(connectionError(err) ? err.message : null));
  });
}

function listCases(args: SuiteArgs, io: CliIo): number {
  const cases = selectCases(SERVER_CASES, args.include, args.exclude);
  if (args.json) io.stdout.write(`${jsonForTerminal(cases.map(caseInfo))}\n`);
  else io.stdout.write(cases.map((c) => `${c.id.padEnd(5)} ${c.title}\n`).join(''));
  return EXIT_OK;
}

/** Runs `khp-inspect suite`. */
export async function runSuite(argv: string[], io: CliIo): Promise<number> {
  const [role, ...rest] = argv;
  if (role === '--help' || role === '-h' || role === undefined) {
    (role === undefined ? io.stderr : io.stdout).write(HELP);
    return role === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (role === 'client') return runSuiteClient(rest, io);
  if (role !== 'server')
    throw new UsageError(`unknown role '${role}': suite server <ws-url> or suite client`);
  const args = parseSuiteArgs(rest);
  if (args === 'help') {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  if (args.list) return listCases(args, io);
  const cases = selectCases(SERVER_CASES, args.include, args.exclude);
  if (cases.length === 0) throw new UsageError('no case matches --cases and --exclude');
  const down = await unreachable(args.url, Math.min(args.timeoutMs, 10_000));
  if (down !== null) {
    io.stderr.write(
      `khp-inspect suite: cannot connect to ${escapeControls(args.url)}: ${escapeControls(down)}\n`,
    );
    return EXIT_USAGE;
  }
  const startedAt = Date.now();
  const shown = progress(io);
  const runs = await runCases(cases, {
    url: args.url,
    config: args.config,
    timeoutMs: args.timeoutMs,
    concurrency: args.jobs,
    onCase: shown.step,
  });
  shown.end();
  const summary: RunSummary = {
    role: 'server',
    agent: args.agent,
    url: args.url,
    startedAt,
    durationMs: Date.now() - startedAt,
    cases: SERVER_CASES,
    runs,
    showCredentials: args.showCredentials,
  };
  return reportRun(io, summary, cases, args);
}
