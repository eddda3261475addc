/**
 * Test-only queries to the extension, from inside a page: the page posts `khp-test-query` on its
 * window, the relay (test builds only) forwards it to the background, and the answer comes back as
 * `khp-test-reply`. Works the same in Chromium and Firefox.
 */
import type { Browser, Frame, Page } from 'puppeteer-core';
import type { CaptureEvent } from '../../../src/protocol/capture';
import type { CaptureSettings, TestQuery } from '../../../src/messaging/messages';

/** The background's view of a tab (`state` query). */
export interface TabState {
  tabId: number;
  seq: number;
  events: CaptureEvent[];
  droppedEvents: number;
  /** The tab buffer's cap, and what all tabs' buffers hold together under their cap (estimated bytes). */
  capBytes: number;
  totalBytes: number;
  totalCapBytes: number;
  settings: CaptureSettings;
  topUrl: string;
  /** Panels connected to this tab. */
  panels: number;
}

/** Sends one query from `target` (a page or frame) and waits for its answer. */
export async function query<T>(target: Page | Frame, q: Omit<TestQuery, 'id'>, timeoutMs = 5000): Promise<T> {
  return target.evaluate(
    (q, timeoutMs) =>
      new Promise<T>((resolve, reject) => {
        const id = Math.random().toString(36).slice(2);
        const timer = setTimeout(() => reject(new Error(`no answer to test query ${q.op}`)), timeoutMs);
        window.addEventListener('message', function onReply(event) {
          const d = event.data as { source?: string; kind?: string; payload?: { id?: string; result?: T } };
          if (d?.source !== 'khp-inspector' || d.kind !== 'khp-test-reply' || d.payload?.id !== id) return;
          window.removeEventListener('message', onReply);
          clearTimeout(timer);
          resolve(d.payload.result as T);
        });
        window.postMessage(
          { source: 'khp-inspector', v: 1, kind: 'khp-test-query', payload: { ...q, id } },
          '*',
        );
      }),
    q,
    timeoutMs,
  );
}

/** The tab's buffered events and settings, as the background holds them. */
export function tabState(page: Page | Frame): Promise<TabState> {
  return query<TabState>(page, { op: 'state' });
}

/** Polls the tab's state until `done` holds (or fails after `timeoutMs`). */
export async function waitForState(
  page: Page,
  done: (s: TabState) => boolean,
  timeoutMs = 10_000,
): Promise<TabState> {
  const end = Date.now() + timeoutMs;
  let last: TabState | null = null;
  while (Date.now() < end) {
    last = await tabState(page);
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`background state never matched; last: ${JSON.stringify(last)?.slice(0, 2000)}`);
}

/**
 * Opens `url` in a new tab that counts as having DevTools open (test builds: the `watch` query, kept
 * by the background per tab), so the page's hooks record frames after the handshake. `blankUrl` is a
 * page of the test server that the query is sent from before navigating.
 */
export async function openWatched(browser: Browser, blankUrl: string, url: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(blankUrl);
  const { live } = await query<{ live: boolean }>(page, { op: 'watch' });
  if (!live) throw new Error('the background did not take the watch query');
  await page.goto(url);
  return page;
}

/**
 * The last `hook-policy` the relay of `target`'s document passed on to its hook, polled until the
 * background answered (null if it did not in `timeoutMs`). The hook starts a worker with its copy only
 * once this says `{ blobWorkers: true }` (docs/workers.md): a test that needs a hooked worker waits
 * for it, as a page's worker started earlier is left to the browser by design.
 */
export function hookPolicy(target: Page | Frame, timeoutMs = 10_000): Promise<unknown> {
  return pollPolicy(() => query<unknown>(target, { op: 'policy' }), timeoutMs);
}

/** `hookPolicy` with the query asked by `ask` (a page that replaces built-ins asks through its saved natives). */
export async function pollPolicy(ask: () => Promise<unknown>, timeoutMs = 10_000): Promise<unknown> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const p = await ask();
    if (p !== null || Date.now() > end) return p;
    await new Promise((r) => setTimeout(r, 50));
  }
}
