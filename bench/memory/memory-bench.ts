/**
 * Section "memory": a firehose through one page. The page echoes `count` 64 KiB binary messages with
 * the reference server (count x 64 KiB each way) while the page's and the service worker's JS heaps
 * are sampled. Set-ups: default settings (per-socket frame budget), full capture with the default
 * tab buffer cap, full capture with a configured (smaller) cap; the full-capture runs with DevTools
 * counted as open (a watch port), so their frames stream to the background. After each run a panel-like port
 * reads the tab's buffer: its size must stay under the cap, and the dropped counts must be shown.
 * Heaps are sampled every 500 ms as they are (garbage included), and right after a forced GC before
 * the run, 1 s after it and again 5 s later (backlogs drained): the after-GC figures are what the page
 * and the worker retain.
 */
import type { Page } from 'puppeteer-core';
import { DEFAULT_SETTINGS, type CaptureSettings } from '../../src/messaging/messages';
import { startServer } from '../../src/server/server';
import { ExtensionControl, type PanelView } from '../browser/extension-control';
import { launchChromium, serviceWorker } from '../browser/launch';
import { startPageServer } from '../browser/static-server';
import type { Figures } from '../lib/report';
import { ECHO_PAGE, type EchoOptions, type EchoResult } from '../overhead/echo-page';
import { HeapSampler, shape, type HeapSample } from './sampler';

/** Knobs of the section. */
export interface MemoryOptions {
  extensionDir: string;
  /** 64 KiB echoes of the default-settings run (8,192 = 1 GiB through the page: 512 MiB each way). */
  count: number;
  /** 64 KiB echoes of each full-capture run (fewer: every frame is encoded and stored). */
  fullCount: number;
  /** The configured (non-default) tab buffer cap, bytes. */
  configuredCap: number;
  log: (line: string) => void;
}

interface Setup {
  name: 'default' | 'full' | 'fullCapped';
  label: string;
  count: number;
  settings: Partial<CaptureSettings>;
}

const MIB = 1024 * 1024;
/** After the run: time for the relay's and the worker's backlogs to drain before the last GC'd sample. */
const SETTLE_MS = 5000;

/** Runs the section and records its figures. */
export async function runMemoryBench(figures: Figures, opts: MemoryOptions): Promise<unknown> {
  const setups: Setup[] = [
    { name: 'default', label: 'default settings', count: opts.count, settings: { ...DEFAULT_SETTINGS } },
    {
      name: 'full',
      label: 'full capture, default cap',
      count: opts.fullCount,
      settings: { ...DEFAULT_SETTINGS, fullCapture: true },
    },
    {
      name: 'fullCapped',
      label: `full capture, cap ${opts.configuredCap / MIB} MiB`,
      count: opts.fullCount,
      settings: { ...DEFAULT_SETTINGS, fullCapture: true, tabBufferBytes: opts.configuredCap },
    },
  ];
  const server = await startServer({ port: 0, demo: false, perMessageDeflate: false });
  const pages = await startPageServer();
  pages.route('/firehose.html', ECHO_PAGE);
  const pageUrl = `${pages.url}/firehose.html`;
  const b = await launchChromium(opts.extensionDir);
  let control: ExtensionControl | null = null;
  const out: Record<string, unknown> = {};
  try {
    control = await ExtensionControl.open(b.browser, b.extensionId!);
    const sw = await serviceWorker(b.browser, b.extensionId!);
    const page = await b.browser.newPage();
    await page.goto(pageUrl);
    const tabId = await control.tabIdOf(pageUrl);
    for (const setup of setups) {
      await page.goto('about:blank');
      const settings = await control.setSettings(tabId, setup.settings);
      // With full capture, DevTools counts as open: frames go to the background as they come (with
      // DevTools closed they would wait in the page, held.ts, and the buffer would see none).
      await control.watch(tabId, settings.fullCapture);
      const run = await firehose(page, pageUrl, sw, `${server.wsUrl}/echo`, setup.count);
      const view = await control.panelView(tabId);
      const storage = await storageBytes(sw);
      out[setup.name] = {
        count: setup.count,
        bytesThroughPage: setup.count * 2 * 64 * 1024,
        settings,
        echo: run.echo,
        view,
        storageBytes: storage,
        samples: run.samples,
      };
      record(figures, setup, settings, run.samples, view, run.echo, setup.count);
      opts.log(
        `memory ${setup.name}: ${Math.round(run.echo.ms / 1000)} s, buffer ${(view.approxBytes / MIB).toFixed(1)} MiB of ${settings.tabBufferBytes / MIB} MiB, ` +
          `dropped ${view.droppedEvents} events (background) + ${view.droppedFrames} frames (hook), storage ${(storage / MIB).toFixed(1)} MiB`,
      );
    }
    await control.watch(tabId, false);
    await control.setSettings(tabId, { ...DEFAULT_SETTINGS });
    return { runs: out };
  } finally {
    await control?.close();
    await b.close();
    await pages.close();
    await server.close();
  }
}

async function firehose(
  page: Page,
  pageUrl: string,
  sw: Awaited<ReturnType<typeof serviceWorker>>,
  url: string,
  count: number,
): Promise<{ echo: EchoResult; samples: HeapSample[] }> {
  await page.goto(pageUrl);
  // Forced GCs only before the first and after the last sample: the run itself is not perturbed
  // (periodic GCs of a few-hundred-MiB heap halved the full-capture throughput).
  const sampler = await HeapSampler.begin(page, sw, 500);
  try {
    const echo: EchoOptions = { url, count, size: 64 * 1024, binary: true, window: 16 };
    const result = await page.evaluate(
      (o) => (window as unknown as { benchEcho(o: EchoOptions): Promise<EchoResult> }).benchEcho(o),
      echo,
    );
    await new Promise((r) => setTimeout(r, 1000)); // let the last batches reach the background
    return { echo: result, samples: await sampler.stop(SETTLE_MS) };
  } catch (err) {
    await sampler.stop();
    throw err;
  }
}

async function storageBytes(sw: Awaited<ReturnType<typeof serviceWorker>>): Promise<number> {
  const worker = await sw.worker();
  if (!worker) return NaN;
  return worker.evaluate(() =>
    (
      globalThis as unknown as {
        chrome: { storage: { session: { getBytesInUse(k: null): Promise<number> } } };
      }
    ).chrome.storage.session.getBytesInUse(null),
  );
}

function record(
  figures: Figures,
  setup: Setup,
  settings: CaptureSettings,
  samples: HeapSample[],
  view: PanelView,
  echo: EchoResult,
  count: number,
): void {
  const p = `memory.${setup.name}`;
  const plain = samples.filter((s) => !s.gc);
  const collected = samples.filter((s) => s.gc);
  const page = shape(plain.map((s) => s.pageMiB));
  const worker = shape(plain.map((s) => s.workerMiB ?? NaN));
  const firstGc = collected[0];
  const endGc = collected[1];
  const lastGc = collected.at(-1);
  const capMiB = settings.tabBufferBytes / MIB;
  figures.add(
    `${p}.throughPageMiB`,
    `${setup.label}: frames through the page`,
    (count * 2 * 64 * 1024) / MIB,
    'MiB',
  );
  figures.add(
    `${p}.throughputMiBps`,
    `${setup.label}: MiB/s each way`,
    (count * 64) / 1024 / (echo.ms / 1000),
    'MiB/s',
  );
  figures.add(`${p}.bufferMiB`, `${setup.label}: tab buffer after run`, view.approxBytes / MIB, 'MiB', {
    op: '<=',
    value: capMiB,
  });
  figures.add(
    `${p}.droppedEvents`,
    `${setup.label}: events dropped by the buffer`,
    view.droppedEvents,
    'events',
  );
  figures.add(
    `${p}.droppedFrames`,
    `${setup.label}: frames counted, not kept (hook)`,
    view.droppedFrames,
    'frames',
  );
  figures.add(`${p}.pagePeakMiB`, `${setup.label}: page JS heap peak`, page.peak, 'MiB');
  figures.add(
    `${p}.pageGrowthMiB`,
    `${setup.label}: page heap, last - first quarter`,
    page.late - page.early,
    'MiB',
  );
  figures.add(`${p}.workerPeakMiB`, `${setup.label}: service worker heap peak`, worker.peak, 'MiB');
  figures.add(
    `${p}.workerGrowthMiB`,
    `${setup.label}: worker heap, last - first quarter`,
    worker.late - worker.early,
    'MiB',
  );
  figures.add(
    `${p}.pageAfterGcMiB`,
    `${setup.label}: page heap after a forced GC, end (+1 s)`,
    endGc?.pageMiB ?? NaN,
    'MiB',
  );
  figures.add(
    `${p}.pageGcGrowthMiB`,
    `${setup.label}: page heap after GC, settled - start`,
    (lastGc?.pageMiB ?? NaN) - (firstGc?.pageMiB ?? NaN),
    'MiB',
  );
  figures.add(
    `${p}.workerAfterGcMiB`,
    `${setup.label}: worker heap after a forced GC, end (+1 s)`,
    endGc?.workerMiB ?? NaN,
    'MiB',
  );
  figures.add(
    `${p}.workerGcGrowthMiB`,
    `${setup.label}: worker heap after GC, settled - start`,
    (lastGc?.workerMiB ?? NaN) - (firstGc?.workerMiB ?? NaN),
    'MiB',
  );
}
