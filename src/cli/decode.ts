/**
 * `khp-inspect decode <file.har|capture.json> [--json] [--show-credentials]`: reads a HAR export or
 * a KHP Inspector capture file, decodes every WebSocket and prints the timeline (or the JSON report
 * v1 with `--json`). Exit 0 when the file was decoded, whatever the findings; 2 with a one-line
 * reason when the file cannot be read or is not a regular file (docs/cli-decode.md). Whatever the
 * capture holds is printed through terminal-safe.ts.
 */
import { constants, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { decodeCapture } from '../protocol/index';
import { ImportError, importFile } from '../protocol/import';
import { toReport } from '../protocol/report';
import { EXIT_OK, InputError, UsageError, type CliIo } from './io';
import { escapeControls, jsonForTerminal } from '../protocol/terminal-safe';
import { formatTimeline } from './timeline-text';

const HELP = `Usage: khp-inspect decode <file.har|capture.json> [--json] [--show-credentials]

Decodes every WebSocket of a HAR export or a KHP Inspector capture file.

  --json               print the JSON report (version 1) instead of the timeline
  --show-credentials   keep Authorization, Cookie and similar values (redacted by default)
  --help               print this help

Exit 0 when the file was decoded (findings or not); 2 when it cannot be read or is not a regular
file (a named pipe, a directory, a device), or on a mistake in the arguments.
`;

interface DecodeArgs {
  file: string;
  json: boolean;
  showCredentials: boolean;
}

function parseArgs(args: string[]): DecodeArgs | 'help' {
  let file: string | undefined;
  let json = false;
  let showCredentials = false;
  for (const arg of args) {
    if (arg === '--help' || arg === '-h') return 'help';
    else if (arg === '--json') json = true;
    else if (arg === '--show-credentials') showCredentials = true;
    else if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option '${arg}'`);
    else if (file !== undefined) throw new UsageError(`one file at a time ('${file}' and '${arg}' given)`);
    else file = arg;
  }
  if (file === undefined)
    throw new UsageError('which file? usage: khp-inspect decode <file.har|capture.json>');
  return { file, json, showCredentials };
}

/** What a file that is not a regular file is, in words. */
function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'is a directory';
  if (stats.isFIFO()) return 'is a named pipe, not a regular file';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'is a device, not a regular file';
  if (stats.isSocket()) return 'is a socket, not a regular file';
  return 'is not a regular file';
}

/**
 * Reads `file` as UTF-8, refusing anything but a regular file: a named pipe would block until a
 * writer comes and a device may never end. The file is opened without blocking (a FIFO opens at
 * once, with no writer) and checked on the open descriptor, so nothing is read from a file it
 * refuses, and the file checked is the file read.
 */
async function readInput(file: string): Promise<string> {
  const fail = (why: string) => new InputError(`cannot read ${file}: ${why}`);
  let handle: FileHandle;
  try {
    handle = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0));
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT') throw fail('no such file');
    if (code === 'EACCES' || code === 'EPERM') throw fail('permission denied');
    if (code === 'EISDIR') throw fail('is a directory');
    if (code === 'ENXIO') throw fail('is not a regular file');
    throw fail((err as Error).message);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw fail(kindOf(stats));
    return await handle.readFile('utf8');
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw fail((err as Error).message);
  } finally {
    await handle.close();
  }
}

/** Whether to colour: only on a TTY, and never when NO_COLOR is set (https://no-color.org). */
function useColour(io: CliIo, env: Record<string, string | undefined>): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return (io.stdout as { isTTY?: boolean }).isTTY === true;
}

/** Runs `khp-inspect decode`. */
export async function runDecode(args: string[], io: CliIo, env = process.env): Promise<number> {
  const parsed = parseArgs(args);
  if (parsed === 'help') {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  const text = await readInput(parsed.file);
  let imported;
  try {
    imported = importFile(text);
  } catch (err) {
    if (err instanceof ImportError) throw new InputError(`${parsed.file}: ${err.message}`);
    throw err;
  }
  for (const w of imported.warnings) io.stderr.write(`khp-inspect decode: warning: ${escapeControls(w)}\n`);
  const report = toReport(decodeCapture(imported.sockets), { showCredentials: parsed.showCredentials });
  if (parsed.json) {
    io.stdout.write(jsonForTerminal(report) + '\n');
  } else {
    io.stdout.write(formatTimeline(report, { color: useColour(io, env) }));
  }
  return EXIT_OK;
}
