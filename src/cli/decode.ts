/**
 * `khp-inspect decode <file.har|capture.json> [--json] [--show-credentials]`: reads a HAR export or
 * a KHP Inspector capture file, decodes every WebSocket and prints the timeline (or the JSON report
 * v1 with `--json`). Exit 0 when the file was decoded, whatever the findings; 2 with a one-line
 * reason when the file cannot be read (docs/cli-decode.md).
 */
import { readFile } from 'node:fs/promises';
import { decodeCapture } from '../protocol/index';
import { ImportError, importFile } from '../protocol/import';
import { toReport } from '../protocol/report';
import { EXIT_OK, UsageError, type CliIo } from './io';
import { formatTimeline } from './timeline-text';

const HELP = `Usage: khp-inspect decode <file.har|capture.json> [--json] [--show-credentials]

  --json               print the JSON report (version 1) instead of the timeline
  --show-credentials   keep Authorization, Cookie and similar values (redacted by default)
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

async function readInput(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (err as Error).message;
    throw new UsageError(`cannot read ${file}: ${why}`);
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
    if (err instanceof ImportError) throw new UsageError(`${parsed.file}: ${err.message}`);
    throw err;
  }
  for (const w of imported.warnings) io.stderr.write(`khp-inspect decode: warning: ${w}\n`);
  const report = toReport(decodeCapture(imported.sockets), { showCredentials: parsed.showCredentials });
  if (parsed.json) {
    io.stdout.write(JSON.stringify(report, null, 2) + '\n');
  } else {
    io.stdout.write(formatTimeline(report, { color: useColour(io, env) }));
  }
  return EXIT_OK;
}
