/**
 * One round of the overhead section, interleaved in time: every set-up's page is loaded and its
 * socket opened first, then the round's messages go in `slices` slices, one set-up after another (the
 * order rotated slice by slice), each slice a fraction of a second. The page's main-thread CPU of a
 * set-up is read once its page is quiet before the first slice and once it is quiet after the last:
 * everything its page did in between counts, work left behind by a slice included, and its pages idle
 * between slices costs next to nothing.
 *
 * Why slices: other work on the machine takes the cores for fractions of a second to seconds. With
 * one whole run per set-up, one set-up's run can land in a busy second and another's in a quiet one
 * (a run was 15–25 % off its median); with slices, every set-up meets the same seconds.
 */
import type { Page } from 'puppeteer-core';
import { median } from '../lib/stats';
import type { EchoOptions, EchoResult, EchoWindow } from './echo-page';
import type { RunResult } from './measure-run';
import { SETTLE } from './measure-run';
import { CpuMeter, cpuPerMessage, type CpuReading } from './page-cpu';
import type { Setup, SetupName } from './setups';

/** A set-up's page, freshly loaded, and what its socket does. */
export interface SliceRun {
  setup: Setup;
  page: Page;
  echo: EchoOptions;
}

/** The sizes of `count` messages cut into `slices` slices (the first ones one larger). */
export function sliceCounts(count: number, slices: number): number[] {
  const n = Math.max(1, Math.min(slices, count));
  const base = Math.floor(count / n);
  return Array.from({ length: n }, (_, i) => base + (i < count % n ? 1 : 0));
}

/** The echo totals of one set-up's slices, as one run: throughput over the slices' time. */
export function joinSlices(parts: EchoResult[]): EchoResult {
  const count = parts.reduce((a, p) => a + p.count, 0);
  const ms = parts.reduce((a, p) => a + p.ms, 0);
  return {
    count,
    ms,
    messagesPerSec: count / (ms / 1000),
    // Percentiles of percentiles are not percentiles: the median slice's, a steady estimate.
    rttP50: median(parts.map((p) => p.rttP50)),
    rttP99: median(parts.map((p) => p.rttP99)),
    rttMean: parts.reduce((a, p) => a + p.rttMean * p.count, 0) / count,
    handshakeStatus: parts[0]!.handshakeStatus,
    protocol: parts[0]!.protocol,
  };
}

/** The set-ups in the order of slice `k`: `runs` rotated by `k`. */
const rotate = <T>(items: readonly T[], k: number): T[] => {
  const r = k % items.length;
  return [...items.slice(r), ...items.slice(0, r)];
};

/**
 * Runs one interleaved round on pages freshly loaded. Every socket is opened, checked and closed here.
 * No wait for a quiet machine between slices: other work lands on every set-up alike, and held frames
 * aside a set-up's slice leaves next to nothing behind (what it leaves still counts, in its page).
 */
export async function measureInterleaved(
  runs: readonly SliceRun[],
  slices: number,
): Promise<Partial<Record<SetupName, RunResult>>> {
  const meters: CpuMeter[] = [];
  try {
    for (const r of runs) meters.push(await CpuMeter.open(r.page));
    for (const r of runs) {
      const opened = await r.page.evaluate((o) => (window as unknown as EchoWindow).benchOpen(o), r.echo);
      if (!r.echo.plain && opened.handshakeStatus !== 101)
        throw new Error(`${r.setup.name}: handshake ${opened.handshakeStatus}`);
      if (r.echo.plain && opened.protocol !== '')
        throw new Error(`${r.setup.name}: a plain socket negotiated ${opened.protocol}`);
    }
    const before: CpuReading[] = [];
    for (const m of meters) before.push(await m.settle(SETTLE));
    const counts = sliceCounts(runs[0]!.echo.count, slices);
    const parts: EchoResult[][] = runs.map(() => []);
    for (let k = 0; k < counts.length; k++) {
      for (const i of rotate(
        runs.map((_, j) => j),
        k,
      )) {
        parts[i]!.push(
          await runs[i]!.page.evaluate(
            (n) => (window as unknown as EchoWindow).benchRun(n, true),
            counts[k]!,
          ),
        );
      }
    }
    const atEnd: CpuReading[] = [];
    for (const m of meters) atEnd.push(await m.read());
    for (const r of runs) await r.page.evaluate(() => (window as unknown as EchoWindow).benchClose());
    const after: CpuReading[] = [];
    for (const m of meters) after.push(await m.settle(SETTLE));
    const out: Partial<Record<SetupName, RunResult>> = {};
    runs.forEach((r, i) => {
      const echo = joinSlices(parts[i]!);
      out[r.setup.name] = {
        echo,
        cpu: cpuPerMessage(before[i]!, after[i]!, echo.count),
        cpuAtEnd: cpuPerMessage(before[i]!, atEnd[i]!, echo.count),
      };
    });
    return out;
  } finally {
    for (const m of meters) await m.close();
  }
}
