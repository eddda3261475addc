/**
 * Section "panel": the panel as a plain page (dist/chrome/panel.html served over HTTP, no extension),
 * fed generated capture events through its transport. Measures the time to first render of 1,000
 * sockets and 100,000 frames, then animation-frame times while idle, while 1,000 events per second
 * arrive, and while the connection list and a socket's message list scroll.
 */
import { launchChromium, shimNames } from '../browser/launch';
import { startPageServer } from '../browser/static-server';
import type { Figures } from '../lib/report';
import { median } from '../lib/stats';
import { PANEL_BENCH_SCRIPT } from './panel-script';

/** Knobs of the section. */
export interface PanelOptions {
  extensionDir: string;
  sockets: number;
  frames: number;
  /** Share of the frames on the first socket (its message list is the one scrolled). */
  bigShare: number;
  /** Fresh page loads for the first-render figure (median). */
  loads: number;
  measureMs: number;
  log: (line: string) => void;
}

interface FrameStats {
  frames: number;
  p50: number;
  p95: number;
  max: number;
  fps: number;
  over50ms: number;
  delivered: number;
  scrollable: number;
}

interface Bench {
  generate(sockets: number, frames: number, bigShare: number): number;
  firstRender(sockets: number): Promise<{ ms: number; deliverMs: number; rows: number; status: string }>;
  openBig(): Promise<number>;
  frames(ms: number, mode: string): Promise<FrameStats>;
}
type BenchWindow = { khpBench: Bench };

/** Runs the section and records its figures. */
export async function runPanelBench(figures: Figures, opts: PanelOptions): Promise<unknown> {
  const pages = await startPageServer(opts.extensionDir);
  const b = await launchChromium(null);
  try {
    const page = await b.browser.newPage();
    await shimNames(page);
    const renders: { ms: number; deliverMs: number; rows: number; status: string }[] = [];
    for (let i = 0; i < opts.loads; i++) {
      await page.goto(`${pages.url}/panel.html`);
      await page.waitForFunction(
        () => '__khpPanel' in globalThis && document.querySelector('.khp-app') !== null,
      );
      await page.evaluate(PANEL_BENCH_SCRIPT);
      const events = await page.evaluate(
        (s, f, share) => (window as unknown as BenchWindow).khpBench.generate(s, f, share),
        opts.sockets,
        opts.frames,
        opts.bigShare,
      );
      const r = await page.evaluate(
        (s) => (window as unknown as BenchWindow).khpBench.firstRender(s),
        opts.sockets,
      );
      renders.push(r);
      opts.log(
        `panel first render ${i + 1}: ${r.ms.toFixed(0)} ms (${events} events, ${r.rows} rows; ${r.status})`,
      );
    }
    const modes = ['idle', 'live', 'scroll-list'] as const;
    const stats: Record<string, FrameStats> = {};
    for (const mode of modes)
      stats[mode] = await page.evaluate(
        (ms, m) => (window as unknown as BenchWindow).khpBench.frames(ms, m),
        opts.measureMs,
        mode,
      );
    const frameRows = await page.evaluate(() => (window as unknown as BenchWindow).khpBench.openBig());
    stats['scroll-frames'] = await page.evaluate(
      (ms) => (window as unknown as BenchWindow).khpBench.frames(ms, 'scroll-frames'),
      opts.measureMs,
    );
    stats['live-detail'] = await page.evaluate(
      (ms) => (window as unknown as BenchWindow).khpBench.frames(ms, 'live'),
      opts.measureMs,
    );
    for (const [mode, s] of Object.entries(stats))
      opts.log(
        `panel ${mode}: p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms, max ${s.max.toFixed(0)} ms, ${s.fps.toFixed(1)} fps${s.delivered ? `, ${s.delivered} events` : ''}`,
      );
    record(figures, opts, renders, stats);
    return { renders, stats, frameRowsInDom: frameRows };
  } finally {
    await b.close();
    await pages.close();
  }
}

function record(
  figures: Figures,
  opts: PanelOptions,
  renders: { ms: number; deliverMs: number }[],
  stats: Record<string, FrameStats>,
): void {
  const what = `${opts.sockets} sockets, ${opts.frames} frames`;
  figures.add('panel.firstRenderMs', `first render, ${what}`, median(renders.map((r) => r.ms)), 'ms', {
    op: '<=',
    value: 300,
  });
  figures.add(
    'panel.ingestMs',
    'of which: store ingest (deliver call)',
    median(renders.map((r) => r.deliverMs)),
    'ms',
  );
  const labels: Record<string, string> = {
    idle: 'idle (headless frame clock)',
    live: '1,000 events/s arriving',
    'scroll-list': 'scrolling the connection list',
    'scroll-frames': 'scrolling 20% of frames (one socket)',
    'live-detail': '1,000 events/s, detail open',
  };
  for (const [mode, s] of Object.entries(stats)) {
    const key = mode.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
    const target = mode === 'idle' ? undefined : ({ op: '>=', value: 58 } as const);
    figures.add(`panel.${key}.fps`, `${labels[mode]}: fps`, s.fps, 'fps', target);
    figures.add(`panel.${key}.p50`, `${labels[mode]}: frame time p50`, s.p50, 'ms');
    figures.add(`panel.${key}.p95`, `${labels[mode]}: frame time p95`, s.p95, 'ms');
  }
}
