/**
 * The page's main-thread CPU, read through CDP: a session of its own on the page,
 * `Performance.enable({ timeDomain: 'threadTicks' })`, then `Performance.getMetrics()`. With thread
 * ticks, `TaskDuration` is the CPU time of every task the renderer's main thread ran (the page's
 * scripts, both worlds of content scripts, parsing, style, layout, WebSocket dispatch) and
 * `ScriptDuration` the part spent running JavaScript; both are cumulative, so a run is the
 * difference of two readings. Idle time counts in neither.
 */
import type { CDPSession, Page } from 'puppeteer-core';
import { sleep } from '../lib/stats';

/** One reading, in milliseconds of main-thread CPU. */
export interface CpuReading {
  taskMs: number;
  scriptMs: number;
}

/** Options of `CpuMeter.settle`. */
export interface SettleOptions {
  /** Time between readings. */
  intervalMs: number;
  /** Quiet when one interval added less than this much task time. */
  quietMs: number;
  /** Give up waiting after this long (the last reading is returned). */
  maxMs: number;
}

/** A CDP session on one page that reads its main-thread CPU. */
export class CpuMeter {
  private constructor(private readonly session: CDPSession) {}

  /** Opens the session and enables the Performance domain with thread-time durations. */
  static async open(page: Page): Promise<CpuMeter> {
    const session = await page.createCDPSession();
    await session.send('Performance.enable', { timeDomain: 'threadTicks' });
    return new CpuMeter(session);
  }

  /** The cumulative `TaskDuration` and `ScriptDuration` now. */
  async read(): Promise<CpuReading> {
    const { metrics } = await this.session.send('Performance.getMetrics');
    const get = (name: string) => {
      const m = metrics.find((x) => x.name === name);
      if (!m) throw new Error(`Performance.getMetrics gave no ${name}`);
      return m.value * 1000;
    };
    return { taskMs: get('TaskDuration'), scriptMs: get('ScriptDuration') };
  }

  /**
   * Reads every `intervalMs` until an interval adds less than `quietMs` of task time (or `maxMs`
   * passed): the reading once work the run left behind (deferred flushes, queued messages) is done.
   */
  async settle(opts: SettleOptions): Promise<CpuReading> {
    let last = await this.read();
    for (let waited = 0; waited < opts.maxMs; waited += opts.intervalMs) {
      await sleep(opts.intervalMs);
      const next = await this.read();
      const added = next.taskMs - last.taskMs;
      last = next;
      if (added < opts.quietMs) break;
    }
    return last;
  }

  /** Disables the domain and detaches the session. */
  async close(): Promise<void> {
    await this.session.send('Performance.disable').catch(() => {});
    await this.session.detach().catch(() => {});
  }
}

/** Main-thread CPU per message, in microseconds. */
export interface CpuPerMessage {
  taskUs: number;
  scriptUs: number;
}

/** `after - before`, per message. */
export function cpuPerMessage(before: CpuReading, after: CpuReading, count: number): CpuPerMessage {
  return {
    taskUs: ((after.taskMs - before.taskMs) * 1000) / count,
    scriptUs: ((after.scriptMs - before.scriptMs) * 1000) / count,
  };
}
