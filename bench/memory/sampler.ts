/**
 * Samples JavaScript heap sizes over time through CDP: the page (`Performance.getMetrics`,
 * `JSHeapUsedSize`, which covers the page's own scripts and the extension's content scripts: they
 * share the renderer's isolate) and the extension's service worker (`Runtime.getHeapUsage`).
 */
import type { CDPSession, Page, Target } from 'puppeteer-core';

/** One sample, in MiB, at `t` ms after the start (`gc`: taken right after a forced collection). */
export interface HeapSample {
  t: number;
  pageMiB: number;
  workerMiB: number | null;
  gc?: boolean;
}

const MIB = 1024 * 1024;

/** Samples every `everyMs` until `stop()`; returns the samples. */
export class HeapSampler {
  readonly samples: HeapSample[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private readonly start = Date.now();
  private busy: Promise<void> = Promise.resolve();
  private ticks = 0;
  private settleMs = 0;

  private constructor(
    private readonly page: CDPSession,
    private readonly worker: CDPSession | null,
    private readonly everyMs: number,
    private readonly gcEvery: number,
  ) {}

  /**
   * Opens the CDP sessions and takes the first sample (an ordinary one and one after a forced GC).
   * With `gcEvery` > 0, every `gcEvery`-th sample is taken after a forced GC.
   */
  static async begin(page: Page, worker: Target | null, everyMs: number, gcEvery = 0): Promise<HeapSampler> {
    const pageSession = await page.createCDPSession();
    await pageSession.send('Performance.enable');
    const workerSession = worker ? await worker.createCDPSession() : null;
    const s = new HeapSampler(pageSession, workerSession, everyMs, gcEvery);
    await s.sample();
    await s.sampleAfterGc();
    s.schedule();
    return s;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      const gc = this.gcEvery > 0 && ++this.ticks % this.gcEvery === 0;
      this.busy = (gc ? this.sampleAfterGc() : this.sample()).finally(() => this.schedule());
    }, this.everyMs);
  }

  /**
   * Forces a full garbage collection in the page and the worker (`HeapProfiler.collectGarbage`),
   * then takes a sample marked `gc`: what is still reachable, without garbage not yet collected.
   */
  async sampleAfterGc(): Promise<void> {
    await this.page.send('HeapProfiler.collectGarbage').catch(() => {});
    await this.worker?.send('HeapProfiler.collectGarbage').catch(() => {});
    await this.sample(true);
  }

  /** Takes one sample now (also used at the end). */
  async sample(gc = false): Promise<void> {
    const t = Date.now() - this.start;
    const metrics = await this.page.send('Performance.getMetrics').catch(() => null);
    const used = metrics?.metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN;
    let workerMiB: number | null = null;
    if (this.worker) {
      const heap = await this.worker.send('Runtime.getHeapUsage').catch(() => null);
      workerMiB = heap ? heap.usedSize / MIB : null;
    }
    this.samples.push(gc ? { t, pageMiB: used / MIB, workerMiB, gc } : { t, pageMiB: used / MIB, workerMiB });
  }

  /**
   * Stops sampling, takes a last sample and one after a forced GC; with `settleMs`, waits that long
   * (for backlogs to drain) and takes one more after a forced GC. Closes the sessions.
   */
  async stop(settleMs = 0): Promise<HeapSample[]> {
    this.settleMs = settleMs;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.busy;
    await this.sample();
    await this.sampleAfterGc();
    if (this.settleMs > 0) {
      await new Promise((r) => setTimeout(r, this.settleMs));
      await this.sampleAfterGc();
    }
    await this.page.detach().catch(() => {});
    await this.worker?.detach().catch(() => {});
    return this.samples;
  }
}

/** Peak, first-quarter median and last-quarter median of a series (flatness check). */
export function shape(values: number[]): { peak: number; early: number; late: number } {
  const finite = values.filter((v) => Number.isFinite(v));
  const q = Math.max(1, Math.floor(finite.length / 4));
  const med = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length ? s[s.length >> 1]! : NaN;
  };
  return {
    peak: finite.length ? Math.max(...finite) : NaN,
    early: med(finite.slice(0, q)),
    late: med(finite.slice(-q)),
  };
}
