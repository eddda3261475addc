/**
 * The overhead section's measured rounds, on freshly loaded echo pages: each set-up opens one socket
 * (for KHP, through its extended handshake), then the set-ups run slices of echoes on them in turns,
 * each slice's main-thread CPU read from a quiet page to a quiet page (work a slice leaves behind,
 * such as the extension's deferred flushes, counts in it). The CDP sessions are opened for the round
 * and closed after it.
 */
import type { Page } from 'puppeteer-core';
import type { EchoOptions, EchoResult, EchoWindow } from './echo-page';
import { median } from '../lib/stats';
import { CpuMeter, cpuPerMessage, type CpuPerMessage, type CpuReading, type SettleOptions } from './page-cpu';

/** What a set-up's slices of one round give, taken together. */
export interface RunResult {
  echo: EchoResult;
  /** Main-thread CPU per message, up to the reading once the page is quiet again (the figure). */
  cpu: CpuPerMessage;
  /** The same up to the reading taken as the last echo came back (without work left behind). */
  cpuAtEnd: CpuPerMessage;
  /** Time waited before the round for the browsers and the server to be quiet (set by the caller). */
  waitedMs?: number;
}

/**
 * How a whole run's readings wait for a quiet page, before it (page load, handshake) and after it:
 * the profiled run of attribution.ts.
 */
export const SETTLE: SettleOptions = { intervalMs: 200, quietMs: 1, maxMs: 10_000 };

/** One set-up of a sliced round: its page (freshly loaded) and its echo options (`count`: the slice). */
export interface SlicedSetup {
  page: Page;
  echo: EchoOptions;
}

/**
 * How a slice's readings wait for a quiet page: a short interval, as a round has many slices. The page
 * is idle between its slices, so an interval that adds less than `quietMs` ends the wait.
 */
export const SLICE_SETTLE: SettleOptions = { intervalMs: 25, quietMs: 0.5, maxMs: 2_000 };

/**
 * A round in slices: every set-up opens one socket (for KHP, through its extended handshake), then
 * runs `slices` slices of `echo.count` messages on it, the set-ups taking turns slice by slice (the
 * order rotated each time), so that all of them share the same seconds of the machine's noise; then
 * each socket is closed. Each slice is measured from a quiet page to a quiet page: the work a slice leaves behind (the extension's deferred flushes) counts in it, and the
 * socket's opening and closing count in none, so the figure is per message after the handshake.
 * `warmSlices` more slices run first, in the same turns, and are discarded: the pages' code and the
 * sockets are warm when the measured slices start. Returns one `RunResult` per set-up, in the order
 * given: CPU over its measured slices, throughput over their summed time, RTT percentiles as the
 * median of the slices'.
 */
export async function measureSlices(
  setups: SlicedSetup[],
  slices: number,
  warmSlices = 0,
): Promise<RunResult[]> {
  const meters: CpuMeter[] = [];
  try {
    for (const s of setups) meters.push(await CpuMeter.open(s.page));
    for (const s of setups) await openSocket(s.page, s.echo);
    const all = setups.map(() => ({ taskMs: 0, scriptMs: 0 }));
    const atEnd = setups.map(() => ({ taskMs: 0, scriptMs: 0 }));
    const results: EchoResult[][] = setups.map(() => []);
    const add = (sum: CpuReading, from: CpuReading, to: CpuReading) => {
      sum.taskMs += to.taskMs - from.taskMs;
      sum.scriptMs += to.scriptMs - from.scriptMs;
    };
    const run = (i: number) =>
      setups[i]!.page.evaluate(() => (window as unknown as EchoWindow).benchRun({ keepOpen: true }));
    for (let k = 0; k < warmSlices; k++)
      for (let j = 0; j < setups.length; j++) await run((j + k) % setups.length);
    for (let k = 0; k < slices; k++) {
      for (let j = 0; j < setups.length; j++) {
        const i = (j + k) % setups.length;
        const meter = meters[i]!;
        const before = await meter.settle(SLICE_SETTLE);
        results[i]!.push(await run(i));
        add(atEnd[i]!, before, await meter.read());
        add(all[i]!, before, await meter.settle(SLICE_SETTLE));
      }
    }
    for (const s of setups) await s.page.evaluate(() => (window as unknown as EchoWindow).benchClose());
    const zero: CpuReading = { taskMs: 0, scriptMs: 0 };
    return setups.map((_, i) => {
      const count = results[i]!.reduce((sum, r) => sum + r.count, 0);
      return {
        echo: combine(results[i]!),
        cpu: cpuPerMessage(zero, all[i]!, count),
        cpuAtEnd: cpuPerMessage(zero, atEnd[i]!, count),
      };
    });
  } finally {
    for (const m of meters) await m.close();
  }
}

/** Opens the echo socket in `page` (for KHP, through its extended handshake) and checks what it got. */
async function openSocket(page: Page, echo: EchoOptions): Promise<void> {
  const opened = await page.evaluate((o) => (window as unknown as EchoWindow).benchOpen(o), echo);
  if (!echo.plain && opened.handshakeStatus !== 101) throw new Error(`handshake ${opened.handshakeStatus}`);
  if (echo.plain && opened.protocol !== '') throw new Error(`plain socket negotiated ${opened.protocol}`);
}

/** Slices' echo results as one: totals, throughput over the summed time, median percentiles. */
function combine(results: EchoResult[]): EchoResult {
  const count = results.reduce((sum, r) => sum + r.count, 0);
  const ms = results.reduce((sum, r) => sum + r.ms, 0);
  return {
    ...results[0]!,
    count,
    ms,
    messagesPerSec: count / (ms / 1000),
    rttP50: median(results.map((r) => r.rttP50)),
    rttP99: median(results.map((r) => r.rttP99)),
    rttMean: results.reduce((sum, r) => sum + r.rttMean * r.count, 0) / count,
  };
}
