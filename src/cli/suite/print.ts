/**
 * What `khp-inspect suite` prints, in both roles: a progress line while it runs, then one line per
 * case with the reasons under it, and a count of each verdict. Notes quote what the peer sent:
 * every line goes through terminal-safe.ts.
 */
import { join } from 'node:path';
import { isFailure } from '../../protocol/suite/judge';
import { countVerdicts, mergeIndex } from '../../protocol/suite/report';
import { VERDICTS } from '../../protocol/suite/types';
import type { SuiteCaseBase } from '../../protocol/suite/types';
import { escapeControls, jsonForTerminal } from '../../protocol/terminal-safe';
import { EXIT_FAILED, EXIT_OK, InputError, type CliIo } from '../io';
import { agentRun, writeReports, type RunSummary } from './report-files';
import type { CaseRun } from './runner';

/** One line per case, and its reasons under it unless it is plainly OK. */
export function table(runs: readonly CaseRun[]): string {
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

export function summaryLine(runs: readonly CaseRun[]): string {
  const counts = countVerdicts(runs.map((r) => r.result));
  const closeFailed = runs.filter((r) => r.result.close === 'FAILED').length;
  const parts = VERDICTS.map((v) => `${counts[v]} ${v}`).join(', ');
  return `${runs.length} cases: ${parts}${closeFailed ? `; ${closeFailed} close FAILED` : ''}\n`;
}

/** Writes progress to stderr: one line rewritten in place on a terminal, plain lines otherwise. */
export function progress(io: CliIo): {
  step: (run: CaseRun, done: number, total: number) => void;
  end: () => void;
} {
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

/**
 * Prints the results (the table, or index.json's shape with `json`), writes the reports into `out`,
 * and returns the exit code: 1 when a case or its close FAILED, else 0.
 */
export function reportRun(
  io: CliIo,
  summary: RunSummary,
  chosen: readonly SuiteCaseBase[],
  args: { json: boolean; out: string | null },
): number {
  const { runs } = summary;
  if (args.json)
    io.stdout.write(`${jsonForTerminal(mergeIndex(null, summary.role, chosen, agentRun(summary)))}\n`);
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
