/**
 * `khp-inspect serve [--port N] [--host 127.0.0.1] [--mode gateway|spec] [--quiet]`: runs the
 * reference KHP server (and its demo page) until Ctrl-C. Its log lines carry what clients sent, so
 * they are printed through terminal-safe.ts.
 */
import { walkArgs } from './args';
import { commandPrefix } from './invocation';
import { EXIT_OK, InputError, UsageError, type CliIo } from './io';
import { escapeControls } from '../protocol/terminal-safe';
import { DEFAULT_PORT, startServer, type RunningServer, type ServerMode } from '../server/server';
import { MISBEHAVIOURS, findMisbehaviour, type Misbehaviour } from '../server/misbehave';

/** The options `serve` and `start` share, for their help texts. */
export const SERVER_OPTIONS = `  --port, -p <N>        port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  --host <h>            address to bind (default 127.0.0.1)
  --mode gateway|spec   behave like a Kaazing gateway (default) or send only what the spec names
  --quiet, -q           no log line per connection
`;

/** `serve`'s own options (not `start`'s). */
const MISBEHAVE_OPTION = `  --misbehave <m>       break the protocol on purpose, to see the conformance suite fail: a name
                        below or a suite case id it breaks (repeatable; never for real use)
${Object.entries(MISBEHAVIOURS)
  .map(([name, info]) => `                          ${name.padEnd(18)} ${info.breaks.join(', ')}`)
  .join('\n')}
`;

const HELP = `Usage: khp-inspect serve [options]

Runs the reference KHP server and its demo page until Ctrl-C; one line per connection on stderr.

${SERVER_OPTIONS}${MISBEHAVE_OPTION}  --help                print this help

Exit 0 after Ctrl-C, 2 on bad arguments or when the port is in use.
`;

/** Options of `serve` (and of the server part of `start`). */
export interface ServeArgs {
  port: number;
  host: string;
  mode: ServerMode;
  quiet: boolean;
  /** Protocol breaks asked for (`serve --misbehave`); absent when none. */
  misbehave?: Misbehaviour[];
}

/** Reads a port number, 0..65535. */
export function parsePort(value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !/^\d+$/.test(value) || n > 65535) {
    throw new UsageError(`--port wants a number from 0 to 65535, got '${value ?? ''}'`);
  }
  return n;
}

/**
 * Parses `serve`'s arguments; 'help' for --help. `extra` handles flags of the calling command
 * (returns true if used).
 */
export function parseServeArgs(args: string[], extra?: (flag: string) => boolean): ServeArgs | 'help' {
  const out: ServeArgs = { port: DEFAULT_PORT, host: '127.0.0.1', mode: 'gateway', quiet: false };
  const help = walkArgs(args, ({ arg, flag, value }) => {
    if (flag === '--help' || flag === '-h') return 'stop';
    else if (flag === '--port' || flag === '-p') out.port = parsePort(value());
    else if (flag === '--host') out.host = value();
    else if (flag === '--mode') {
      const mode = value();
      if (mode !== 'gateway' && mode !== 'spec')
        throw new UsageError(`--mode is gateway or spec, not '${mode}'`);
      out.mode = mode;
    } else if (flag === '--quiet' || flag === '-q') out.quiet = true;
    else if (flag === '--misbehave' && !extra) {
      const name = value();
      const found = findMisbehaviour(name);
      if (found === null) throw new UsageError(`--misbehave: no misbehaviour named or breaking '${name}'`);
      (out.misbehave ??= []).push(found);
    } else if (!(flag && extra?.(flag))) throw new UsageError(`unknown argument '${arg}'`);
  });
  return help ? 'help' : out;
}

/** The server's log: one line per connection on stderr, escaped (a request path is the client's). */
export function logTo(io: CliIo): (line: string) => void {
  return (line) => io.stderr.write(`${escapeControls(line)}\n`);
}

/** Starts the server described by `args`, or throws a one-line error (port in use...). */
export async function startFromArgs(args: ServeArgs, io: CliIo): Promise<RunningServer> {
  try {
    return await startServer({
      port: args.port,
      host: args.host,
      mode: args.mode,
      misbehave: args.misbehave ?? [],
      log: args.quiet ? undefined : logTo(io),
    });
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why = code === 'EADDRINUSE' ? `port ${args.port} is in use (try --port 0)` : String(err);
    throw new InputError(`cannot listen on ${args.host}:${args.port}: ${why}`);
  }
}

/** Resolves on the first SIGINT or SIGTERM (Ctrl-C). */
export function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (signal: string) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

/**
 * Describes a running server in a few lines; `run` is how the user runs khp-inspect from where they
 * stand (`commandPrefix`), so the suggested command works when pasted.
 */
export function describeServer(server: RunningServer, run: string): string {
  const misbehaving = server.misbehave?.length ? `, misbehaving: ${server.misbehave.join(', ')}` : '';
  return (
    `KHP reference server (${server.mode} mode${misbehaving}) listening on ${server.wsUrl}\n` +
    `  demo page:  ${server.url}\n` +
    `  try:        ${run} probe ${server.wsUrl}/echo\n`
  );
}

/** Runs `serve`; `stop` (tests) replaces waiting for Ctrl-C. */
export async function runServe(args: string[], io: CliIo, stop?: Promise<unknown>): Promise<number> {
  const options = parseServeArgs(args);
  if (options === 'help') {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  const server = await startFromArgs(options, io);
  io.stdout.write(describeServer(server, commandPrefix({ cwd: process.cwd(), env: process.env })));
  io.stdout.write('Press Ctrl-C to stop.\n');
  await (stop ?? untilSignal());
  await server.close();
  io.stdout.write('server stopped\n');
  return EXIT_OK;
}
