/**
 * Section "overhead": what the extension costs a page, as the page's main-thread CPU per message.
 * The same echo page exchanges messages (16 in flight) with the reference server, which runs in a
 * process of its own, in five set-ups (setups.ts): without the extension (`off`, `offPlain`), with it
 * on a KHP socket (`khp`) and on a plain socket (`plain`), and with full frame capture (`full`).
 * Each round launches the three browsers afresh (setups.ts), then runs every set-up once, in an order
 * rotated round by round, on a freshly loaded page, measured through CDP (measure-run.ts): in slices
 * that the set-ups take in turns on one socket each, after discarded warm-up slices on the same pages,
 * so that all of them share the same seconds of the machine's noise. A browser kept for a whole run carries
 * one draw of whatever a launch leaves (where its processes and memory landed): two browsers
 * without the extension read up to 2.5 % apart over 30 rounds (docs/benchmarks.md), a bias no number
 * of rounds in the same browsers removes. Launched each round, it is one more part of a round's noise,
 * which the median over rounds narrows.
 * Figures: min / median / max per set-up, and per-round ratios to `off` (summary.ts).
 */
import { waitQuiet, type QuietOptions } from '../browser/process-cpu';
import { startPageServer, type PageServer } from '../browser/static-server';
import type { Figures } from '../lib/report';
import { nowMs } from '../lib/stats';
import { ECHO_PAGE, type EchoOptions } from './echo-page';
import { spawnEchoServer } from './echo-server';
import { measureSlices, type RunResult } from './measure-run';
import { profileRun, type Attribution } from './attribution';
import { SETUPS, SetupBrowsers, roundOrder, type Setup } from './setups';
import { record, summarise, summaryLines, type Round, type Workload } from './summary';

/** Knobs of the section. */
export interface OverheadOptions {
  extensionDir: string;
  /** Alternation rounds (each runs every set-up once). */
  rounds: number;
  textCount: number;
  binaryCount: number;
  /** Messages per slice of the text workload. */
  textSlice: number;
  /** Messages per slice of the binary workload. */
  binarySlice: number;
  /** Which workloads run (text, binary). */
  workloads: readonly Workload['name'][];
  /** The warm-up run's share of a workload's count (0: no warm-up). */
  warmupShare: number;
  /** Messages in flight at once. */
  window: number;
  log: (line: string) => void;
}

/** Before each run: the browsers and the server use at most 5 % of a core over 300 ms (10 s at most). */
const QUIET: QuietOptions = { intervalMs: 300, maxShare: 0.05, maxMs: 10_000 };

const runLine = (r: RunResult) =>
  `CPU ${r.cpu.taskUs.toFixed(1)} µs/msg (script ${r.cpu.scriptUs.toFixed(1)}, ` +
  `${r.cpuAtEnd.taskUs.toFixed(1)} at the last echo), ${Math.round(r.echo.messagesPerSec)} echoes/s, ` +
  `rtt p50 ${r.echo.rttP50.toFixed(2)} p99 ${r.echo.rttP99.toFixed(2)} ms; waited ${r.waitedMs} ms for quiet`;

/** Runs the section and records its figures. */
export async function runOverheadBench(figures: Figures, opts: OverheadOptions): Promise<unknown> {
  const server = await spawnEchoServer();
  let pages: PageServer | null = null;
  try {
    pages = await startPageServer();
    pages.route('/echo-page.html', ECHO_PAGE);
    const pageUrl = `${pages.url}/echo-page.html`;
    /** Runs `fn` in three browsers launched for it, closed after it. */
    const inBrowsers = async <T>(fn: (b: SetupBrowsers) => Promise<T>): Promise<T> => {
      const b = await SetupBrowsers.open(opts.extensionDir, pageUrl);
      try {
        return await fn(b);
      } finally {
        await b.close();
      }
    };
    const echoOf = (s: Setup, w: Workload, count: number): EchoOptions => ({
      url: `${server.wsUrl}/echo`,
      count,
      size: w.size,
      binary: w.binary,
      window: opts.window,
      plain: s.plainSocket,
    });
    /** A round in slices: every set-up's page loaded, then the slices in turns. */
    const sliced = async (b: SetupBrowsers, order: Setup[], w: Workload, warm: number): Promise<Round> => {
      const waitedMs = await waitQuiet([...b.pids(), server.pid], QUIET);
      const setups = [];
      for (const s of order) setups.push({ page: await b.load(s, pageUrl), echo: echoOf(s, w, w.slice) });
      const results = await measureSlices(setups, Math.round(w.count / w.slice), Math.round(warm / w.slice));
      const round = {} as Round;
      order.forEach((s, i) => (round[s.name] = { ...results[i]!, waitedMs }));
      return round;
    };
    const workloads = (
      [
        { name: 'text', size: 32, binary: false, count: opts.textCount, slice: opts.textSlice },
        { name: 'binary', size: 64 * 1024, binary: true, count: opts.binaryCount, slice: opts.binarySlice },
      ] satisfies Workload[]
    ).filter((w) => opts.workloads.includes(w.name));
    const details: Record<string, unknown> = {};
    for (const w of workloads) {
      const t0 = nowMs();
      const warm = Math.round(w.count * opts.warmupShare);
      const rounds: Round[] = [];
      for (let r = 0; r < opts.rounds; r++) {
        // A round warms up on the pages it measures, as discarded slices (measureSlices).
        const round = await inBrowsers((b) => sliced(b, roundOrder(r), w, warm));
        for (const s of roundOrder(r))
          opts.log(`overhead ${w.name} round ${r + 1} ${s.name.padEnd(8)} ${runLine(round[s.name])}`);
        rounds.push(round);
      }
      if (warm > 0)
        opts.log(
          `overhead ${w.name}: each round warmed up by ${warm} messages per set-up (discarded, as slices on the measured pages)`,
        );
      opts.log(
        `overhead ${w.name}: ${Math.round(w.count / w.slice)} slices of ${w.slice} per set-up and round`,
      );
      const summary = summarise(rounds);
      for (const line of summaryLines(w, summary)) opts.log(line);
      opts.log(`overhead ${w.name}: ${((nowMs() - t0) / 1000).toFixed(1)} s`);
      record(figures, w, summary);
      // One profiled run of each set-up with the extension: whose code the page's CPU went to.
      const attributions = await inBrowsers(async (b) => {
        const out: Partial<Record<Setup['name'], Attribution>> = {};
        for (const s of SETUPS.filter((x) => x.browser !== 'none')) {
          await waitQuiet([...b.pids(), server.pid], QUIET);
          const a = await profileRun(await b.load(s, pageUrl), echoOf(s, w, w.count), 'chrome-extension://');
          out[s.name] = a;
          opts.log(
            `overhead ${w.name} profile ${s.name.padEnd(8)} extension ${a.extensionUs.toFixed(2)} µs/msg ` +
              `(${(100 * a.share).toFixed(1)} % of busy samples), the rest ${a.otherUs.toFixed(1)} µs/msg ` +
              `(garbage collection ${a.gcUs.toFixed(1)}); ` +
              a.top.map(([name, us]) => `${name} ${us.toFixed(2)}`).join(', '),
          );
          figures.add(
            `overhead.${w.name}.${s.name}.extensionUs`,
            `${s.name}: the extension's own code per message (CPU profile)`,
            a.extensionUs,
            'µs',
          );
          figures.add(
            `overhead.${w.name}.${s.name}.extensionShare`,
            `${s.name}: the extension's share of the page's busy CPU (CPU profile)`,
            100 * a.share,
            '%',
          );
        }
        return out;
      });
      details[w.name] = { workload: w, summary, rounds, attributions };
    }
    return { window: opts.window, warmupShare: opts.warmupShare, setups: SETUPS, ...details };
  } finally {
    await pages?.close();
    await server.close();
  }
}
