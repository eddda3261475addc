/**
 * `khp-inspect serve [--port N] [--host 127.0.0.1] [--mode gateway|spec] [--quiet]`: runs the
 * reference KHP server (and its demo page) until Ctrl-C.
 */
import { walkArgs } from './args';
import { EXIT_OK, UsageError, type CliIo } from './io';
import { DEFAULT_PORT, startServer, type RunningServer, type ServerMode } from '../server/server';

/** Options of `serve` (and of the server part of `start`). */
export interface ServeArgs {
  port: number;
  host: string;
  mode: ServerMode;
  quiet: boolean;
}

/** Reads a port number, 0..65535. */
export function parsePort(value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !/^\d+$/.test(value) || n > 65535) {
    throw new UsageError(`--port wants a number from 0 to 65535, got '${value ?? ''}'`);
  }
  return n;
}

/** Parses `serve`'s arguments; `extra` handles flags of the calling command (returns true if used). */
export function parseServeArgs(args: string[], extra?: (flag: string) => boolean): ServeArgs {
  const out: ServeArgs = { port: DEFAULT_PORT, host: '127.0.0.1', mode: 'gateway', quiet: false };
  walkArgs(args, ({ arg, flag, value }) => {
    if (flag === '--port' || flag === '-p') out.port = parsePort(value());
    else if (flag === '--host') out.host = value();
    else if (flag === '--mode') {
      const mode = value();
      if (mode !== 'gateway' && mode !== 'spec')
        throw new UsageError(`--mode is gateway or spec, not '${mode}'`);
      out.mode = mode;
    } else if (flag === '--quiet' || flag === '-q') out.quiet = true;
    else if (!(flag && extra?.(flag))) throw new UsageError(`unknown argument '${arg}'`);
  });
  return out;
}

/** Starts the server described by `args`, or throws a one-line error (port in use...). */
export async function startFromArgs(args: ServeArgs, io: CliIo): Promise<RunningServer> {
  try {
    return await startServer({
      port: args.port,
      host: args.host,
      mode: args.mode,
      log: args.quiet ? undefined : (line) => io.stderr.write(`${line}\n`),
    });
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why = code === 'EADDRINUSE' ? `port ${args.port} is in use (try --port 0)` : String(err);
    throw new UsageError(`cannot listen on ${args.host}:${args.port}: ${why}`);
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

/** Describes a running server in a few lines. */
export function describeServer(server: RunningServer): string {
  return (
    `KHP reference server (${server.mode} mode) listening on ${server.wsUrl}\n` +
    `  demo page:  ${server.url}\n` +
    `  try:        khp-inspect probe ${server.wsUrl}/echo\n`
  );
}

/** Runs `serve`; `stop` (tests) replaces waiting for Ctrl-C. */
export async function runServe(args: string[], io: CliIo, stop?: Promise<unknown>): Promise<number> {
  const options = parseServeArgs(args);
  const server = await startFromArgs(options, io);
  io.stdout.write(describeServer(server));
  io.stdout.write('Press Ctrl-C to stop.\n');
  await (stop ?? untilSignal());
  await server.close();
  io.stdout.write('server stopped\n');
  return EXIT_OK;
}
