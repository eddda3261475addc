/**
 * One measured run of the overhead section, on a freshly loaded echo page: a socket opened (for KHP,
 * through its extended handshake), then the page's main-thread CPU read once the page is quiet just
 * before the echoes, and once it is quiet again after them (work the run left behind, such as the
 * extension's deferred flushes, counts). The CDP session is opened for the run and closed after it.
 */
import type { Page } from 'puppeteer-core';
import type { EchoOptions, EchoResult, EchoWindow } from './echo-page';
import { CpuMeter, cpuPerMessage, type CpuPerMessage, type SettleOptions } from './page-cpu';

/** What one run gives. */
export interface RunResult {
  echo: EchoResult;
  /** Main-thread CPU per message, up to the reading once the page is quiet again (the figure). */
  cpu: CpuPerMessage;
  /** The same up to the reading taken as the last echo came back (without work left behind). */
  cpuAtEnd: CpuPerMessage;
  /** Time waited before the run for the browsers and the server to be quiet (set by the caller). */
  waitedMs?: number;
}

/** How the readings wait for a quiet page: before the run (page load, handshake) and after it. */
export const SETTLE: SettleOptions = { intervalMs: 200, quietMs: 1, maxMs: 10_000 };

/** Opens the socket in `page` (the echo page, freshly loaded) and measures the echoes. */
export async function measureRun(page: Page, echo: EchoOptions): Promise<RunResult> {
  const meter = await CpuMeter.open(page);
  try {
    const opened = await page.evaluate((o) => (window as unknown as EchoWindow).benchOpen(o), echo);
    if (!echo.plain && opened.handshakeStatus !== 101) throw new Error(`handshake ${opened.handshakeStatus}`);
    if (echo.plain && opened.protocol !== '') throw new Error(`plain socket negotiated ${opened.protocol}`);
    const before = await meter.settle(SETTLE);
    const result = await page.evaluate(() => (window as unknown as EchoWindow).benchRun());
    const atEnd = await meter.read();
    const after = await meter.settle(SETTLE);
    return {
      echo: result,
      cpu: cpuPerMessage(before, after, result.count),
      cpuAtEnd: cpuPerMessage(before, atEnd, result.count),
    };
  } finally {
    await meter.close();
  }
}
