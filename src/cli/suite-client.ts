/**
 * `khp-inspect suite client [options]`: the reference server serves the client-role cases
 * (`/case/<id>?agent=NAME`) and a page that runs a browser's KHP client through all of them
 * (`/suite/client.html`); `--self` runs the project's own Node client through them in-process. Once an
 * agent has a verdict for every case (or on Ctrl-C) it prints them and writes the reports, as the
 * server role does: exit 0 when nothing FAILED, 1 when something did, 2 on usage or listen errors.
 */
import WebSocket from 'ws';
import { playCase } from '../client/suite-play';
import type { WebSocketConstructor } from '../client/types';
import { CLIENT_CASES, selectCases } from '../protocol/suite/catalogue';
import { caseInfo } from '../protocol/suite/report';
import type { ClientCase } from '../protocol/suite/types';
import { escapeControls, jsonForTerminal } from '../protocol/terminal-safe';
import { startServer, type RunningServer } from '../server/server';
import { walkArgs } from './args';
import { EXIT_OK, EXIT_USAGE, InputError, UsageError, type CliIo } from './io';
import { parsePort } from './serve';
import { CaseHost } from './suite/case-host';
import { parseMs, patterns } from './suite/args';
import { progress, reportRun } from './suite/print';
import type { CaseRun } from './suite/runner';

const HELP = `Usage: khp-inspect suite client [options]

Serves the numbered KHP client-role cases: point a KHP client at ws://HOST:PORT/case/<id>?agent=NAME,
or open http://HOST:PORT/suite/client.html?agent=NAME to run this browser's KHP client through all of
them (docs/suite.md). Prints the verdicts once an agent has run every case (or on Ctrl-C).

  --port, -p <N>     port to listen on (default 7682; 0 picks a free one)
  --host <h>         address to bind (default 127.0.0.1)
  --cases <p,...>    cases to serve: 3.* or 3 (a category), 4.1 (repeatable; default all)
  --exclude <p,...>  cases to leave out (repeatable)
  --list             list the chosen cases and serve nothing
  --timeout <ms>     time each case may take from the client's first socket (default 5000)
  --agent <name>     the agent --self runs as, and the one reported on Ctrl-C
  --self             run the project's own KHP client (Node) through every case, then stop
  --out <dir>        write index.html, index.json and a page and a JSON file per case
  --json             print the results (index.json's shape) instead of the table
  --help             print this help

Exit 0 when no case FAILED, 1 when one did, 2 on a usage error, when the port is in use, or when
stopped before any case ran.
`;

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** Parsed `suite client` arguments. */
export interface ClientSuiteArgs {
  port: number;
  host: string;
  include: string[];
  exclude: string[];
  list: boolean;
  timeoutMs: number;
  agent: string | null;
  self: boolean;
  out: string | null;
  json: boolean;
}

/** Parses the arguments after `suite client`; 'help' for --help. */
export function parseClientSuiteArgs(argv: string[]): ClientSuiteArgs | 'help' {
  const out: ClientSuiteArgs = {
    port: 7682,
    host: '127.0.0.1',
    include: [],
    exclude: [],
    list: false,
    timeoutMs: 5_000,
    agent: null,
    self: false,
    out: null,
    json: false,
  };
  const help = walkArgs(argv, ({ arg, flag, value }) => {
    if (flag === '--help' || flag === '-h') return 'stop';
    else if (flag === '--port' || flag === '-p') out.port = parsePort(value());
    else if (flag === '--host') out.host = value();
    else if (flag === '--cases') out.include.push(...patterns(flag, value()));
    else if (flag === '--exclude') out.exclude.push(...patterns(flag, value()));
    else if (flag === '--list') out.list = true;
    else if (flag === '--timeout') out.timeoutMs = parseMs(flag, value());
    else if (flag === '--agent') out.agent = value();
    else if (flag === '--self') out.self = true;
    else if (flag === '--out') out.out = value();
    else if (flag === '--json') out.json = true;
    else throw new UsageError(`unknown ${arg.startsWith('-') ? 'option' : 'argument'} '${arg}'`);
  });
  return help ? 'help' : out;
}

/** Runs the project's Node client through `cases` as `agent`, one case after the other. */
export async function playSelf(
  host: CaseHost,
  wsUrl: string,
  agent: string,
  cases: readonly ClientCase[],
  timeoutMs: number,
): Promise<void> {
  for (const c of cases) {
    await playCase(
      `${wsUrl}/case/${c.id}?agent=${encodeURIComponent(agent)}`,
      WebSocket as unknown as WebSocketConstructor,
      {
        timeoutMs,
      },
    );
    await host.result(agent, c.id, timeoutMs + 5_000);
  }
}

/** Starts the reference server with the cases of `host` on its paths. */
export async function startCaseServer(host: CaseHost, port: number, bind: string): Promise<RunningServer> {
  try {
    return await startServer({ port, host: bind, extra: host });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const why = code === 'EADDRINUSE' ? `port ${port} is in use (try --port 0)` : String(err);
    throw new InputError(`cannot listen on ${bind}:${port}: ${why}`);
  }
}

/** Runs `khp-inspect suite client`; `stop` (tests) replaces waiting for Ctrl-C. */
export async function runSuiteClient(argv: string[], io: CliIo, stop?: Promise<unknown>): Promise<number> {
  const args = parseClientSuiteArgs(argv);
  if (args === 'help') {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  const cases = selectCases(CLIENT_CASES, args.include, args.exclude);
  if (args.list) {
    if (args.json) io.stdout.write(`${jsonForTerminal(cases.map(caseInfo))}\n`);
    else io.stdout.write(cases.map((c) => `${c.id.padEnd(5)} ${c.title}\n`).join(''));
    return EXIT_OK;
  }
  if (cases.length === 0) throw new UsageError('no case matches --cases and --exclude');
  const shown = progress(io);
  // Ends with the first agent that ran every case, or null on Ctrl-C (or `stop`).
  let finished: (done: { agent: string; runs: CaseRun[] } | null) => void = () => undefined;
  const ended = new Promise<{ agent: string; runs: CaseRun[] } | null>((resolve) => (finished = resolve));
  const interrupt = (): void => finished(null);
  const host = new CaseHost({
    cases,
    timeoutMs: args.timeoutMs,
    onCase: (_agent, run, done, total) => shown.step(run, done, total),
    onAgentDone: (agent, runs) => finished({ agent, runs }),
  });
  const server = await startCaseServer(host, args.port, args.host);
  const agent = args.agent ?? (args.self ? 'khp-client-node' : 'browser');
  const startedAt = Date.now();
  io.stderr.write(
    `khp-inspect suite client: ${cases.length} cases on ${server.wsUrl}/case/<id>?agent=${escapeControls(agent)}\n` +
      (args.self ? '' : `  browser: ${server.url}suite/client.html?agent=${escapeControls(agent)}\n`),
  );
  if (args.self) {
    // A case the server never judged must not keep the run waiting: the self run ends with its last case.
    void playSelf(host, server.wsUrl, agent, cases, args.timeoutMs).then(() =>
      finished({ agent, runs: host.runsOf(agent) }),
    );
  }
  if (stop) void stop.then(interrupt);
  else for (const signal of SIGNALS) process.once(signal, interrupt);
  const done = await ended;
  for (const signal of SIGNALS) process.off(signal, interrupt);
  shown.end();
  await server.close();
  const runs = done?.runs ?? host.runsOf(agent);
  if (runs.length === 0) {
    io.stderr.write(`khp-inspect suite client: no case was run by ${escapeControls(agent)}\n`);
    return EXIT_USAGE;
  }
  const summary = {
    role: 'client' as const,
    agent: done?.agent ?? agent,
    url: `${server.wsUrl}/case/`,
    startedAt,
    durationMs: Date.now() - startedAt,
    cases: CLIENT_CASES,
    runs,
    showCredentials: false,
  };
  return reportRun(io, summary, cases, args);
}
