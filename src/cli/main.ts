import { EXIT_OK, EXIT_USAGE, InputError, UsageError, type CliIo } from './io';
import { commandPrefix, packageVersion, type Whereabouts } from './invocation';
import { escapeControls } from '../protocol/terminal-safe';

const USAGE = `khp-inspect: inspect WebSockets that speak x-kaazing-handshake (KHP)

Usage:
  khp-inspect decode <file.har|capture.json> [--json] [--show-credentials]
  khp-inspect probe <ws-url> [--protocol p]... [--ext e]... [--user name:password | --token t]
                    [--no-follow] [--json]
  khp-inspect serve [--port N] [--host 127.0.0.1] [--mode gateway|spec] [--quiet]
                    [--misbehave name|case]...
  khp-inspect suite server <ws-url> [--cases 3.*] [--exclude p] [--list] [--timeout ms]
                    [--config file.json] [--user name:password] [--token t] [--out DIR] [--json]
  khp-inspect start [--port N] [--no-browser]
  khp-inspect <command> --help      options of one command (also: khp-inspect help <command>)
  khp-inspect --version
`;

type Command = (args: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  decode: async () => (await import('./decode')).runDecode,
  probe: async () => (await import('./probe')).runProbe,
  serve: async () => (await import('./serve')).runServe,
  start: async () => (await import('./start')).runStart,
  suite: async () => (await import('./suite')).runSuite,
};

/** Writes a one-line error (and for a usage error, where to read the usage) and returns 2. */
function refuse(io: CliIo, who: string, message: string, help: string | null): number {
  io.stderr.write(`${who}: ${escapeControls(message)}\n`);
  if (help !== null) io.stderr.write(`Try '${help} --help'.\n`);
  return EXIT_USAGE;
}

/** Runs one CLI invocation and resolves to its exit code. */
export async function main(
  argv: string[],
  io: CliIo,
  where: Whereabouts = { cwd: process.cwd(), env: process.env },
): Promise<number> {
  let [name, ...rest] = argv;
  const prefix = (): string => commandPrefix(where);
  if (name === 'help' && rest.length > 0) [name, rest] = [rest[0], ['--help', ...rest.slice(1)]];
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    (name === undefined ? io.stderr : io.stdout).write(USAGE);
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (name === '--version') {
    io.stdout.write(`khp-inspect ${packageVersion(where.root)}\n`);
    return EXIT_OK;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    const what = name.startsWith('-') ? 'option' : 'command';
    return refuse(io, 'khp-inspect', `unknown ${what} '${name}'`, prefix());
  }
  try {
    return await (
      await load()
    )(rest, io);
  } catch (err) {
    const who = `khp-inspect ${name}`;
    if (err instanceof UsageError) return refuse(io, who, err.message, `${prefix()} ${name}`);
    if (err instanceof InputError) return refuse(io, who, err.message, null);
    throw err;
  }
}
