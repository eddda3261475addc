import { EXIT_USAGE, UsageError, type CliIo } from './io';

const USAGE = `khp-inspect: inspect WebSockets that speak x-kaazing-handshake (KHP)

Usage:
  khp-inspect decode <file.har|capture.json> [--json] [--show-credentials]
  khp-inspect probe <ws-url> [--protocol p]... [--ext e]... [--user name:password | --token t]
                    [--no-follow] [--json]
  khp-inspect serve [--port N] [--host 127.0.0.1] [--mode gateway|spec]
  khp-inspect start [--port N] [--no-browser]
  khp-inspect help
`;

type Command = (args: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  decode: async () => (await import('./decode')).runDecode,
  probe: async () => (await import('./probe')).runProbe,
  serve: async () => (await import('./serve')).runServe,
  start: async () => (await import('./start')).runStart,
};

/** Runs one CLI invocation and resolves to its exit code. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    (name === undefined ? io.stderr : io.stdout).write(USAGE);
    return name === undefined ? EXIT_USAGE : 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.stderr.write(`khp-inspect: unknown command '${name}' (try 'khp-inspect help')\n`);
    return EXIT_USAGE;
  }
  try {
    return await (
      await load()
    )(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`khp-inspect ${name}: ${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
}
