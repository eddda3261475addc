/**
 * `khp-inspect suite server <ws-url> [options]`: runs the numbered KHP conformance cases against a
 * server (docs/suite.md), prints a verdict per case, and with `--out DIR` writes the HTML and JSON
 * reports. Exit 0 when nothing FAILED, 1 when a case (or its close) did, 2 on a usage or connection
 * error. Notes quote what the server sent: every line goes through terminal-safe.ts.
 */
import { join } from 'node:path';
import WebSocket from 'ws';
import { KHP_PROTOCOL } from '../protocol/khp';
import { SERVER_CASES, selectCases } from '../protocol/suite/catalogue';
import { isFailure } from '../protocol/suite/judge';
import { caseInfo, countVerdicts, mergeIndex } from '../protocol/suite/report';
import { VERDICTS } from '../protocol/suite/types';
import { escapeControls, jsonForTerminal } from '../protocol/terminal-safe';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, InputError, UsageError, type CliIo } from './io';
import { parseSuiteArgs, type SuiteArgs } from './suite/args';
import { agentRun, writeReports, type RunSummary } from './suite/report-files';
import { runCases, type CaseRun } from './suite/runner';

const HELP = `Usage: khp-inspect suite server <ws-url> [options]
       khp-inspect suite server --list [--cases p] [--exclude p]

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

/** One line per case, and its reasons under it unless it is plainly OK. */
function table(runs: readonly CaseRun[]): string {
  const lines: string[] = [];
  for (const { result, case: c } of runs) {
    const close = result.close === null ? '' : `close ${result.close}`;
    lines.push(`${result.id.padEnd(5)} ${result.verdict.padEnd(13)} ${close.padEnd(16)} ${c.title}`);
    if (result.verdict !== 'OK' || (result.close !== null && result.close !== 'OK')) {
      for (const note of result.notes) lines.push(`      ${escapeControls(note)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function summaryLine(runs: readonly CaseRun[]): string {
  const counts = countVerdicts(runs.map((r) => r.result));
  const closeFailed = runs.filter((r) => r.result.close === 'FAILED').length;
  const parts = VERDICTS.map((v) => `${counts[v]} ${v}`).join(', ');
  return `${runs.length} cases: ${parts}${closeFailed ? `; ${closeFailed} close FAILED` : ''}\n`;
}

/** Writes progress to stderr: one line rewritten in place on a terminal, plain lines otherwise. */
function progress(io: CliIo): { step: (run: CaseRun, done: number, total: number) => void; end: () => void } {
  const tty = (io.stderr as { isTTY?: boolean }).isTTY === true;
  return {
    step(run, done, total) {
      const line = `[${done}/${total}] ${run.result.id} ${run.result.verdict}`;
      io.stderr.write(tty ? `\r\x1b[K${line} ${run.case.title.slice(0, 50)}` : `${line}\n`);
    },
    end() {
      if (tty) io.stderr.write('\r\x1b[K');
    },
  };
}

/** Runs `khp-inspect suite`. */
export async function runSuite(argv: string[], io: CliIo): Promise<number> {
  const [role, ...rest] = argv;
  if (role === '--help' || role === '-h' || role === undefined) {
    (role === undefined ? io.stderr : io.stdout).write(HELP);
    return role === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (role === 'client') throw new UsageError('the client role is not available yet: suite server <ws-url>');
  if (role !== 'server') throw new UsageError(`unknown role '${role}': suite server <ws-url>`);
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
  if (args.json)
    io.stdout.write(`${jsonForTerminal(mergeIndex(null, 'server', cases, agentRun(summary)))}\n`);
  else io.stdout.write(`${table(runs)}${summaryLine(runs)}`);
  if (args.out !== null) {
    try {
      writeReports(args.out, summary);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new InputError(`cannot write the report into ${args.out}: ${why}`);
    }
    (args.json ? io.stderr : io.stdout).write(`report: ${escapeControls(join(args.out, 'index.html'))}\n`);
  }
  return runs.some((r) => isFailure(r.result)) ? EXIT_FAILED : EXIT_OK;
}
