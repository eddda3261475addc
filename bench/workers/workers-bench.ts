/**
 * Section "workers": what the hook's worker bootstrap (src/hook/workers.ts) costs a page that starts
 * dedicated workers, in Chromium with and without the extension, alternated by round. Per worker:
 * the page's time inside `new Worker(...)` (the synchronous part: with the extension, the bootstrap
 * is written and its `blob:` URL made), and the time until the worker's first message (its script
 * loaded and run: with the extension, the hook's copy is parsed and run first). Workers are started
 * one after another, after the page has had its CSP answer, from a same-origin script.
 */
import type { Page } from 'puppeteer-core';
import { launchChromium } from '../browser/launch';
import { startPageServer } from '../browser/static-server';
import type { Figures } from '../lib/report';
import { median } from '../lib/stats';

export interface WorkersOptions {
  extensionDir: string;
  rounds: number;
  /** Workers started per page and round. */
  workers: number;
  log: (line: string) => void;
}

const PAGE = `<!doctype html><title>workers</title><script>
window.startWorkers = async (count) => {
  const construct = [];
  const firstMessage = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const w = new Worker('/worker.js?' + i);
    const t1 = performance.now();
    await new Promise((resolve) => { w.onmessage = resolve; });
    firstMessage.push(performance.now() - t0);
    construct.push(t1 - t0);
    w.terminate();
  }
  return { construct, firstMessage };
};
</script>`;
/** A worker script of a realistic size for a client library's worker (about 60 KB of code). */
const WORKER = `${'function f(x) { return x * 2 + 1; }\n'.repeat(1600)}postMessage('up');`;

interface Run {
  constructUs: number[];
  firstMessageMs: number[];
}

async function measure(page: Page, count: number): Promise<Run> {
  const r = (await page.evaluate(`window.startWorkers(${count})`)) as {
    construct: number[];
    firstMessage: number[];
  };
  return { constructUs: r.construct.map((ms) => ms * 1000), firstMessageMs: r.firstMessage };
}

export async function runWorkersBench(figures: Figures, opts: WorkersOptions): Promise<unknown> {
  const server = await startPageServer();
  server.route('/workers', PAGE, 'text/html');
  server.route('/worker.js', WORKER, 'text/javascript');
  const runs: Record<'off' | 'ext', Run[]> = { off: [], ext: [] };
  try {
    for (let round = 0; round < opts.rounds; round++) {
      for (const setup of round % 2 ? (['ext', 'off'] as const) : (['off', 'ext'] as const)) {
        const b = await launchChromium(setup === 'ext' ? opts.extensionDir : null, { network: false });
        try {
          const page = await b.browser.newPage();
          await page.goto(`${server.url}/workers`);
          // The CSP answer reaches the hook a few ms after the page starts; one warm-up worker.
          await new Promise((r) => setTimeout(r, 500));
          await measure(page, 1);
          runs[setup].push(await measure(page, opts.workers));
        } finally {
          await b.close();
        }
      }
      opts.log(`round ${round + 1}/${opts.rounds} done`);
    }
  } finally {
    await server.close();
  }
  const all = (setup: 'off' | 'ext', key: keyof Run) => runs[setup].flatMap((r) => r[key]);
  const m = {
    constructOff: median(all('off', 'constructUs')),
    constructExt: median(all('ext', 'constructUs')),
    startOff: median(all('off', 'firstMessageMs')),
    startExt: median(all('ext', 'firstMessageMs')),
  };
  figures.add('workers.construct.off', 'new Worker(), no extension', m.constructOff, 'µs');
  figures.add('workers.construct.ext', 'new Worker(), extension (bootstrap made)', m.constructExt, 'µs');
  figures.add('workers.start.off', 'new Worker() to its first message, no extension', m.startOff, 'ms');
  figures.add('workers.start.ext', 'new Worker() to its first message, extension', m.startExt, 'ms');
  figures.add('workers.start.ratio', 'worker start, extension / none', m.startExt / m.startOff, 'x');
  return { runs, medians: m };
}
