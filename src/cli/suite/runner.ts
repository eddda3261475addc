/**
 * Runs suite cases against a server: one driver (so one set of real sockets) per case, a deadline
 * per case, a few cases at a time at most, and each case judged from what it observed.
 */
import { judgeCase } from '../../protocol/suite/judge';
import type { DecodeResult } from '../../protocol/model';
import {
  Unavailable,
  type CaseResult,
  type Observation,
  type SuiteCase,
  type SuiteCaseBase,
  type SuiteConfig,
} from '../../protocol/suite/types';
import { NodeDriver } from './driver';

/** One case as run: its result, what it observed and the decoder's reading. */
export interface CaseRun {
  case: SuiteCaseBase;
  result: CaseResult;
  obs: Observation;
  decoded: DecodeResult;
  /** Epoch ms when the case started. */
  startedAt: number;
}

/** How to run. */
export interface RunOptions {
  /** The main ws URL. */
  url: string;
  config: SuiteConfig;
  /** Per case, in ms. */
  timeoutMs: number;
  /** Cases run at the same time (default 1: clean logs, and a server sees one case at a time). */
  concurrency?: number;
  /** Called as each case ends, in the order they end. */
  onCase?: (run: CaseRun, done: number, total: number) => void;
}

/**
 * Runs `work` for at most `ms`: 'done' when it ended, 'timeout' when time ran out first; an error
 * it throws is handed to `failed` (and counts as done).
 */
export async function withDeadline(
  work: () => Promise<void>,
  ms: number,
  failed: (err: unknown) => void,
): Promise<'done' | 'timeout'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeUp = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  try {
    return await Promise.race([work().then(() => 'done' as const), timeUp]);
  } catch (err) {
    failed(err);
    return 'done';
  } finally {
    clearTimeout(timer);
  }
}

/** A case's verdict from what it observed, as a run the reports take. */
export function judgedRun(c: SuiteCaseBase, obs: Observation, startedAt: number): CaseRun {
  const judged = judgeCase(c, obs);
  const result: CaseResult = {
    id: c.id,
    verdict: judged.verdict,
    close: judged.close,
    notes: judged.notes,
    durationMs: Date.now() - startedAt,
  };
  return { case: c, result, obs, decoded: judged.decoded, startedAt };
}

/** Runs one case to its verdict. */
export async function runCase(c: SuiteCase, options: RunOptions): Promise<CaseRun> {
  const startedAt = Date.now();
  const driver = new NodeDriver(c.id, options.url, options.config, startedAt + options.timeoutMs);
  const ended = await withDeadline(
    () => c.run(driver),
    options.timeoutMs,
    (err) => {
      if (err instanceof Unavailable) driver.obs.unavailable = err.message;
      else driver.obs.error = err instanceof Error ? err.message : String(err);
    },
  );
  if (ended === 'timeout') driver.cut();
  else await driver.finish();
  await driver.settled();
  return judgedRun(c, driver.obs, startedAt);
}

/** Runs `cases`, at most `concurrency` at a time; results in catalogue order. */
export async function runCases(cases: readonly SuiteCase[], options: RunOptions): Promise<CaseRun[]> {
  const out: CaseRun[] = new Array(cases.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < cases.length) {
      const i = next++;
      const run = await runCase(cases[i]!, options);
      out[i] = run;
      options.onCase?.(run, ++done, cases.length);
    }
  };
  const n = Math.max(1, Math.min(options.concurrency ?? 1, cases.length));
  await Promise.all(Array.from({ length: n }, worker));
  return out;
}
