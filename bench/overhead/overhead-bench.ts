/**
 * Section "overhead": what the extension costs a page. The same page exchanges echo messages with
 * the reference server in three set-ups, alternated run by run so a noisy machine hits them alike:
 * `off` (Chromium without the extension), `default` (the extension, default capture settings) and
 * `full` (the extension with full frame capture, switched through the panel's settings path).
 * Each set-up keeps one browser for the whole section; each run gets a fresh page load.
 */
import type { Page } from 'puppeteer-core';
import { startServer } from '../../src/server/server';
import { launchChromium, type BenchBrowser } from '../browser/launch';
import { ExtensionControl } from '../browser/extension-control';
import { startPageServer } from '../browser/static-server';
import type { Figures } from '../lib/report';
import { median } from '../lib/stats';
import { ECHO_PAGE, type EchoOptions, type EchoResult } from './echo-page';

/** Knobs of the section. */
export interface OverheadOptions {
  extensionDir: string;
  /** Alternation rounds (each runs every mode once). */
  rounds: number;
  textCount: number;
  binaryCount: number;
  window: number;
  log: (line: string) => void;
}

type Mode = 'off' | 'default' | 'full';
const MODES: Mode[] = ['off', 'default', 'full'];

interface Workload {
  name: 'text' | 'binary';
  size: number;
  binary: boolean;
  count: number;
}

async function runOnce(page: Page, pageUrl: string, echo: EchoOptions): Promise<EchoResult> {
  await page.goto('about:blank');
  await page.goto(pageUrl);
  return page.evaluate(
    (o) => (window as unknown as { benchEcho(o: EchoOptions): Promise<EchoResult> }).benchEcho(o),
    echo,
  );
}

/** Runs the section and records its figures. */
export async function runOverheadBench(figures: Figures, opts: OverheadOptions): Promise<unknown> {
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    mode: 'gateway',
    demo: false,
    perMessageDeflate: false,
  });
  const pages = await startPageServer();
  pages.route('/echo-page.html', ECHO_PAGE);
  const pageUrl = `${pages.url}/echo-page.html`;
  const browsers: BenchBrowser[] = [];
  let control: ExtensionControl | null = null;
  try {
    const plain = await launchChromium(null);
    browsers.push(plain);
    const withExt = await launchChromium(opts.extensionDir);
    browsers.push(withExt);
    control = await ExtensionControl.open(withExt.browser, withExt.extensionId!);
    const plainPage = await plain.browser.newPage();
    const extPage = await withExt.browser.newPage();
    await extPage.goto(pageUrl);
    const tabId = await control.tabIdOf(pageUrl);

    const workloads: Workload[] = [
      { name: 'text', size: 32, binary: false, count: opts.textCount },
      { name: 'binary', size: 64 * 1024, binary: true, count: opts.binaryCount },
    ];
    const results: Record<string, Record<Mode, EchoResult[]>> = {};
    for (const w of workloads) {
      results[w.name] = { off: [], default: [], full: [] };
      if (w.binary && w.count < opts.textCount)
        opts.log(
          `overhead binary: ${w.count} x 64 KiB per run, not ${opts.textCount} (${opts.textCount} would take minutes per run)`,
        );
      const echo: EchoOptions = {
        url: `${server.wsUrl}/echo`,
        count: w.count,
        size: w.size,
        binary: w.binary,
        window: opts.window,
      };
      for (let r = 0; r < opts.rounds; r++) {
        for (const mode of MODES) {
          if (mode !== 'off') {
            await extPage.goto('about:blank');
            await control.setSettings(tabId, { fullCapture: mode === 'full' });
          }
          const res = await runOnce(mode === 'off' ? plainPage : extPage, pageUrl, echo);
          results[w.name]![mode].push(res);
          opts.log(
            `overhead ${w.name} round ${r + 1} ${mode.padEnd(7)} ${Math.round(res.messagesPerSec)} msg/s, rtt p50 ${res.rttP50.toFixed(3)} ms, p99 ${res.rttP99.toFixed(3)} ms`,
          );
        }
      }
      record(figures, w, results[w.name]!);
    }
    await control.setSettings(tabId, { fullCapture: false });
    return { window: opts.window, workloads, results };
  } finally {
    await control?.close();
    for (const b of browsers) await b.close();
    await pages.close();
    await server.close();
  }
}

function record(figures: Figures, w: Workload, byMode: Record<Mode, EchoResult[]>): void {
  const what = w.binary ? `${w.count} x 64 KiB binary` : `${w.count} x ${w.size} B text`;
  const med = (mode: Mode, key: keyof EchoResult) => median(byMode[mode].map((r) => r[key]));
  for (const mode of MODES) {
    const p = `overhead.${w.name}.${mode}`;
    figures.add(`${p}.messagesPerSec`, `${what}, ${mode}: echoes/s`, med(mode, 'messagesPerSec'), '1/s');
    figures.add(`${p}.rttP50`, `${mode}: round trip p50`, med(mode, 'rttP50'), 'ms');
    figures.add(`${p}.rttP99`, `${mode}: round trip p99`, med(mode, 'rttP99'), 'ms');
  }
  // Ratio per alternation round (with / the `off` run next to it), then the median of those.
  const ratio = (mode: Mode) =>
    median(byMode[mode].map((r, i) => r.messagesPerSec / byMode.off[i]!.messagesPerSec));
  figures.add(
    `overhead.${w.name}.ratio.default`,
    `${w.name}: throughput with/without`,
    ratio('default'),
    'x',
    {
      op: '>=',
      value: 0.95,
    },
  );
  figures.add(`overhead.${w.name}.ratio.full`, `${w.name}: full capture with/without`, ratio('full'), 'x', {
    op: '>=',
    value: 0.85,
  });
}
