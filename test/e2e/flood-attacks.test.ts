/**
 * A page floods its own capture, in Chromium and Firefox:
 *
 * - Oversized: 100 sockets with ~1 MB URLs in one task. The page must not hang (its next socket's echo
 *   comes back), the background must hold the creates with their URLs cut to the cap and marked (or
 *   count them as dropped: stored + dropped = what the page created), and the relay must not re-send
 *   forever (the state stops changing).
 * - Flood: forged events at ~60 MiB/s (test-only `inject` query: the relay takes them as if its hook
 *   had sent them, so its checks, caps and batching run) for 30 s in Chromium, 5 s in Firefox, beside
 *   a busy tab (4 MiB captured before) and a quiet tab that keeps exchanging messages. All tabs'
 *   buffers together stay within the one cap (sampled every second), the quiet tab's capture is whole,
 *   every event the flooding and the busy tab lost is counted, and the page stays responsive. In
 *   Chromium the service worker's heap (forced GC, sampled every second) stays under the cap plus the
 *   in-flight allowance; Firefox's event page is out of the test's reach.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { launch, serviceWorkerHeap, type BrowserName, type Launched } from './helpers/browsers';
import { startTestServer, type TestServer } from './helpers/test-server';
import { openWatched, waitForState, type TabState } from './helpers/extension-query';
import { FLOOD_SCRIPT, OVERSIZED_SCRIPT, SUMMARY_SCRIPT } from './helpers/flood-page';
import { transcript, socketEvents } from './helpers/capture-asserts';
import { CAPTURE_LIMITS } from '../../src/protocol/capture-bounds';
import { MAX_TOTAL_BYTES } from '../../src/background/router';
import { SESSION_QUOTA_BYTES, storageBudget } from '../../src/background/tab-store';

const MIB = 1024 * 1024;
/** Seconds of flood: 30 in Chromium (the figure), 5 in Firefox; `KHP_FLOOD_SECONDS` overrides. */
const FLOOD_SECONDS = { chromium: 30, firefox: 5 };
const FLOOD_MIB_PER_SECOND = 60;
/** The cap across tabs in both browsers: `MAX_TOTAL_BYTES`, under 70 % of `storage.session`'s 10 MiB. */
const TOTAL_CAP = Math.min(MAX_TOTAL_BYTES, storageBudget(SESSION_QUOTA_BYTES));
/**
 * What the worker's heap may hold beyond the buffers (at most `TOTAL_CAP`): the relay's in-flight window
 * (8 MiB of batches, as the message's JSON and as the parsed events) and the write being serialised
 * to storage.
 */
const HEAP_ALLOWANCE = 3 * CAPTURE_LIMITS.batchBytes;
/** What the busy tab holds before the flood (MiB, in one second). */
const BUSY_MIB = 4;
const BIG_SOCKETS = 100;
/** ~1 MB, under Firefox's URL limit (`network.standard-url.max-length`, 1 MiB). */
const BIG_URL_CHARS = 1_000_000;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  server.page('/blank', '<!doctype html><title>blank</title>');
  server.page('/oversized', `<!doctype html><script>${OVERSIZED_SCRIPT}${SUMMARY_SCRIPT}</script>`);
  server.page('/flood', `<!doctype html><script>${FLOOD_SCRIPT}${SUMMARY_SCRIPT}</script>`);
  // `send(text)` sends one message on an open echo socket and resolves when its echo came back.
  server.page(
    '/quiet',
    `<!doctype html><script>${SUMMARY_SCRIPT}</script><script>window.ready = new Promise(function (resolve) {
      var ws = new WebSocket('${server.wsUrl}/echo?quiet=1'); var waiting = [];
      ws.onmessage = function (e) { waiting.shift()(e.data); };
      window.send = function (text) { return new Promise(function (r) { waiting.push(r); ws.send(text); }); };
      ws.onopen = function () { resolve(true); };
    });</script>`,
  );
});
afterAll(async () => {
  await server?.close();
});

interface Summary {
  totalBytes: number;
  totalCapBytes: number;
  stored: number;
  droppedEvents: number;
  seq: number;
  capBytes: number;
  bytes: number;
  types: Record<string, number>;
  /** Stored events per socket-id prefix (`flood`, `last`). */
  sockets: Record<string, number>;
}
interface FloodResult {
  offered: { events: number; malformed: number; bytes: number; messages: number; bursts: number };
  seconds: number;
  maxGapMs: number;
}
interface OversizedResult {
  seen: Record<'create' | 'open' | 'error' | 'close' | 'frame', number>;
  urls: string[];
  createMs: number;
  echo: string | null;
  echoMs: number | null;
  allClosedMs: number;
}

const mib = (bytes: number) => `${(bytes / MIB).toFixed(1)} MiB`;

const summary = (page: Page) =>
  page.evaluate(() => (window as unknown as { summary(): Promise<Summary> }).summary());

/** Polls the tab's summary until stored + dropped reaches `total`, then checks it stays put for 1 s. */
async function settled(page: Page, total: number, timeoutMs = 60_000): Promise<Summary> {
  const end = Date.now() + timeoutMs;
  let s = await summary(page);
  while (s.stored + s.droppedEvents < total && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 250));
    s = await summary(page);
  }
  expect(s.stored + s.droppedEvents, 'more events stored and dropped than sent').toBeLessThanOrEqual(total);
  await new Promise((r) => setTimeout(r, 1000));
  const again = await summary(page);
  // The tab's own figures (other tabs may still change what all tabs hold).
  const figures = ({ stored, droppedEvents, seq, bytes }: Summary) =>
    `stored ${stored}, dropped ${droppedEvents}, seq ${seq}, ${bytes} bytes`;
  expect(figures(again), 'the state kept changing (re-sends?)').toBe(figures(s));
  return s;
}

/** Calls `read` once a second (never two at once) until `stop()`, which resolves with the readings. */
function sampleEverySecond(read: () => Promise<number>): { stop(): Promise<number[]> } {
  const samples: number[] = [];
  let running = true;
  let failed: unknown = null;
  const loop = (async () => {
    while (running) {
      const t = Date.now();
      samples.push(await read());
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - t))));
    }
  })().catch((err: unknown) => void (failed = err));
  return {
    stop: async () => {
      running = false;
      await loop;
      if (failed) throw failed;
      return samples;
    },
  };
}

/**
 * Runs the page's oversized sockets without one long protocol call (creating, echoing and closing
 * 100 sockets with 1 MB URLs takes 20-30 s on a loaded machine, a protocol call's whole timeout):
 * starts it, then asks every 500 ms whether it is done.
 */
async function runOversized(page: Page): Promise<OversizedResult> {
  await page.evaluate(
    (base, n, chars) => {
      const w = window as unknown as {
        oversized(b: string, n: number, c: number): Promise<OversizedResult>;
        oversizedResult?: OversizedResult;
      };
      void w.oversized(base, n, chars).then((r) => (w.oversizedResult = r));
    },
    server.wsUrl,
    BIG_SOCKETS,
    BIG_URL_CHARS,
  );
  const end = Date.now() + 120_000;
  while (Date.now() < end) {
    await new Promise((r) => setTimeout(r, 500));
    const r = await page.evaluate(
      () => (window as unknown as { oversizedResult?: OversizedResult }).oversizedResult ?? null,
    );
    if (r) return r;
  }
  throw new Error('the oversized sockets never all closed');
}

/**
 * Runs the page's flood without one long protocol call: starts it, then asks every 500 ms whether it is
 * done. Each question is also a probe of the page's responsiveness: `maxPollMs` is the slowest answer.
 */
async function runFlood(
  page: Page,
  seconds: number,
  mibPerSecond: number,
  lastBurst = false,
): Promise<{ flood: FloodResult; maxPollMs: number }> {
  await page.evaluate(
    (s, rate, last) => {
      const w = window as unknown as {
        flood(s: number, r: number, b: boolean): Promise<FloodResult>;
        floodResult?: FloodResult;
      };
      void w.flood(s, rate, last).then((r) => (w.floodResult = r));
    },
    seconds,
    mibPerSecond,
    lastBurst,
  );
  let maxPollMs = 0;
  const end = Date.now() + (seconds + 60) * 1000;
  while (Date.now() < end) {
    await new Promise((r) => setTimeout(r, 500));
    const t = Date.now();
    const flood = await page.evaluate(
      () => (window as unknown as { floodResult?: FloodResult }).floodResult ?? null,
    );
    maxPollMs = Math.max(maxPollMs, Date.now() - t);
    if (flood) return { flood, maxPollMs };
  }
  throw new Error('the flood never finished');
}

const floodSeconds = (name: BrowserName) => Number(process.env.KHP_FLOOD_SECONDS ?? FLOOD_SECONDS[name]);

describe.each(['chromium', 'firefox'] as const)('a flooding page in %s', (name) => {
  let b: Launched;
  beforeAll(async () => {
    b = await launch(name);
  });
  afterAll(async () => {
    await b?.close();
  });

  it('opens 100 sockets with 1 MB URLs: the page goes on, URLs are cut and marked, nothing is re-sent', async () => {
    const page = await openWatched(b.browser, `${server.url}/blank`, `${server.url}/oversized`);
    // Closed however the test ends, so a failure here does not leave 100 sockets to load the next test.
    try {
      const started = Date.now();
      const r = await runOversized(page);
      const { urls, ...figures } = r;
      console.log(`[${name}] oversized: ${JSON.stringify(figures)}`);
      // The page went on: its next socket opened and its echo came back; the big ones reached the server.
      expect(r.echo).toBe('after the oversized sockets');
      expect(r.seen).toMatchObject({ create: BIG_SOCKETS + 1, open: BIG_SOCKETS + 1, error: 0 });
      expect(r.seen.close).toBe(BIG_SOCKETS + 1);

      // Every event the hook recorded is stored or counted as dropped, and the state then stays put.
      const created = Object.values(r.seen).reduce((a, n) => a + n, 0);
      const s = await settled(page, created);
      expect(s.stored + s.droppedEvents).toBe(created);
      const state = await waitForState(page, () => true);
      console.log(
        `[${name}] oversized capture: ${s.stored} stored, ${s.droppedEvents} dropped of ${created}; ` +
          `${mib(s.bytes)} of a ${mib(s.capBytes)} cap; ${Date.now() - started} ms`,
      );
      const cap = CAPTURE_LIMITS.urlChars;
      const bigCreates = state.events.filter((e) => e.type === 'create' && e.url.includes('big='));
      expect(bigCreates.length).toBeGreaterThan(0);
      for (const e of bigCreates) {
        if (e.type !== 'create') continue;
        const i = Number(/big=(\d+)/.exec(e.url)![1]);
        expect(e.url.length).toBe(cap);
        expect(e.url).toBe(urls[i]!.slice(0, cap));
        expect(e.truncatedFields).toEqual(['url']);
      }
      if (s.droppedEvents === 0) expect(bigCreates).toHaveLength(BIG_SOCKETS);
      // The normal socket, last in, is whole and unmarked.
      const normal = socketEvents(state, '/echo?normal=1');
      expect(normal[0]).not.toHaveProperty('truncatedFields');
      expect(transcript(normal)).toEqual([
        'create',
        'open:',
        'send:after the oversized sockets',
        'receive:after the oversized sockets',
        'close:1000',
      ]);
    } finally {
      await page.close();
    }
  });

  it('floods forged events at 60 MiB/s: the cap holds, a quiet tab keeps its capture, every drop is counted', async () => {
    const seconds = floodSeconds(name);
    const quiet = await openWatched(b.browser, `${server.url}/blank`, `${server.url}/quiet`);
    await quiet.evaluate(() => (window as unknown as { ready: Promise<boolean> }).ready);
    const said: string[] = [];
    const say = async (text: string) => {
      said.push(text);
      const t = Date.now();
      const echo = await quiet.evaluate(
        (m) => (window as unknown as { send(m: string): Promise<string> }).send(m),
        text,
      );
      expect(echo).toBe(text);
      return Date.now() - t;
    };
    for (let i = 0; i < 5; i++) await say(`before-${i}`);

    // The worker's heap with (almost) nothing buffered.
    const heap = name === 'chromium' ? await serviceWorkerHeap(b.browser, b.extensionId!) : null;
    const baseline = (await heap?.()) ?? 0;

    // A busy tab holds 4 MiB before the flood: with the flood's events, all tabs are over the cap across
    // tabs, so the tab holding the most (the busy one, then the flooding one) gives up its oldest.
    const busy = await b.browser.newPage();
    await busy.goto(`${server.url}/flood`);
    const { flood: busyFlood } = await runFlood(busy, 1, BUSY_MIB);
    const busyBefore = await settled(busy, busyFlood.offered.events);
    expect(busyBefore.droppedEvents).toBe(busyFlood.offered.malformed);

    const flooder = await b.browser.newPage();
    await flooder.goto(`${server.url}/flood`);
    await summary(flooder); // the relay is linked and its port open

    const sampler = heap ? sampleEverySecond(heap) : null;
    // What all tabs' buffers hold together, asked through the quiet tab (its own state is small).
    const totals = sampleEverySecond(async () => (await summary(quiet)).totalBytes);
    let quietMaxMs = 0;
    let done = false;
    const talking = (async () => {
      for (let i = 0; ; i++) {
        await new Promise((r) => setTimeout(r, 2000));
        if (done) return;
        quietMaxMs = Math.max(quietMaxMs, await say(`during-${i}`));
      }
    })();
    const { flood, maxPollMs } = await runFlood(flooder, seconds, FLOOD_MIB_PER_SECOND, true).finally(
      () => (done = true),
    );
    await talking;
    for (let i = 0; i < 5; i++) await say(`after-${i}`);

    const pingStart = Date.now();
    await flooder.evaluate(() => 1);
    const pingMs = Date.now() - pingStart;
    const s = await settled(flooder, flood.offered.events);
    const samples = (await sampler?.stop()) ?? [];
    const totalSamples = await totals.stop();
    const after = (await heap?.()) ?? 0;
    const busyAfter = await settled(busy, busyFlood.offered.events);
    const quietAfter = await summary(quiet);
    const rate = flood.offered.bytes / MIB / flood.seconds;
    const totalPeak = Math.max(...totalSamples, quietAfter.totalBytes);
    const heapPeak = Math.max(baseline, after, ...samples);
    const heapLimit = baseline + TOTAL_CAP + HEAP_ALLOWANCE;
    const { offered } = flood;
    console.log(
      `[${name}] flood: ${flood.seconds.toFixed(1)} s, ${mib(offered.bytes)} offered (${rate.toFixed(1)} MiB/s) ` +
        `in ${offered.messages} messages (${offered.bursts} of 12 MiB), ${offered.events} events ` +
        `(${offered.malformed} malformed); stored ${s.stored} (${mib(s.bytes)}), dropped ${s.droppedEvents}; ` +
        `page's longest tick gap ${flood.maxGapMs.toFixed(0)} ms, slowest answer ${maxPollMs} ms ` +
        `(${pingMs} ms after); quiet tab's slowest echo ${quietMaxMs} ms`,
    );
    console.log(
      `[${name}] all tabs: at most ${mib(totalPeak)} over ${totalSamples.length} samples, ` +
        `${mib(quietAfter.totalBytes)} after, cap ${mib(TOTAL_CAP)}; busy tab ${mib(busyBefore.bytes)} ` +
        `-> ${mib(busyAfter.bytes)} (${busyAfter.droppedEvents} of its events dropped)`,
    );
    if (heap)
      console.log(
        `[${name}] service worker heap: baseline ${mib(baseline)}, peak ${mib(heapPeak)} over ` +
          `${samples.length} samples, after ${mib(after)}; limit ${mib(heapLimit)} (baseline + ` +
          `${mib(TOTAL_CAP)} cap + ${mib(HEAP_ALLOWANCE)} in flight)`,
      );

    // Everything the page offered is stored or counted as dropped; most of it was dropped.
    expect(s.stored + s.droppedEvents).toBe(offered.events);
    expect(s.droppedEvents).toBeGreaterThan(offered.malformed);
    // The flood reached the buffer, within the cap: the last 12 MiB message was split under the batch
    // limit (a larger batch is refused whole), and the batch of its last events is stored.
    expect(s.bytes).toBeLessThanOrEqual(TOTAL_CAP);
    expect(s.sockets.last ?? 0).toBeGreaterThan(0);
    // The flood was one: well past what the cap holds, at a flood's rate even on a busy machine.
    expect(offered.bytes).toBeGreaterThan(8 * TOTAL_CAP);
    expect(rate).toBeGreaterThan(FLOOD_MIB_PER_SECOND / 3);
    // One cap across tabs: all three together never held more (sampled every second).
    expect(totalSamples.length).toBeGreaterThanOrEqual(seconds / 2);
    expect(totalPeak).toBeLessThanOrEqual(TOTAL_CAP);
    expect(quietAfter.totalCapBytes).toBe(TOTAL_CAP);
    expect(quietAfter.totalBytes).toBe(s.bytes + busyAfter.bytes + quietAfter.bytes);
    // The busy tab, the biggest when the flood began, gave up its oldest events to that cap (then the
    // flooding tab, once the biggest, gave up its own), and all its losses are counted.
    expect(busyAfter.stored + busyAfter.droppedEvents).toBe(busyFlood.offered.events);
    expect(busyAfter.bytes).toBeLessThan(busyBefore.bytes);
    expect(busyAfter.droppedEvents).toBeGreaterThan(busyBefore.droppedEvents);
    // The page stayed responsive.
    expect(maxPollMs).toBeLessThan(5000);
    expect(pingMs).toBeLessThan(2000);
    expect(flood.maxGapMs).toBeLessThan(5000);

    // The quiet tab's capture is whole.
    const q = await waitForState(
      quiet,
      (st: TabState) => st.events.filter((e) => e.type === 'frame').length >= 2 * said.length,
    );
    expect(q.droppedEvents).toBe(0);
    expect(transcript(socketEvents(q, '/echo?quiet=1'))).toEqual([
      'create',
      'open:',
      ...said.flatMap((t) => [`send:${t}`, `receive:${t}`]),
    ]);

    // The worker's heap stayed under the cap plus what is in flight (Chromium; Firefox's event page is
    // not a target the test can read).
    if (heap) {
      expect(samples.length).toBeGreaterThanOrEqual(seconds / 2);
      expect(heapPeak).toBeLessThan(heapLimit);
      expect(heapPeak).toBeLessThan(MAX_TOTAL_BYTES); // the figure: the default cap across tabs
    }
    await flooder.close();
    await busy.close();
    await quiet.close();
  });
});
