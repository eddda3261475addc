/**
 * Reads DevTools' Network log for the network witness while the panel is open (store/witness.ts
 * folds what is read). How, and why so:
 *
 * - once when the panel opens, the whole log (`getHAR`): every WebSocket since DevTools opened;
 * - each WebSocket that closes, from `onRequestFinished`: its final entry, at no cost to anything else;
 * - for sockets still open, the log again, on a timer that backs off: 1 s after something new (a
 *   socket appeared in the log or in the capture, a network-only socket got messages, a view waits to
 *   be paired), doubling to 8 s while nothing changes. `getHAR` copies the whole log, messages
 *   included, so its cost grows with the traffic: the next read also waits at least 20 times as long
 *   as the last one took, which keeps the witness under ~5 % of the panel's time however large the
 *   log. Between reads nothing runs. The witness only reads while the panel is open (this module runs
 *   in the panel page).
 */
import type { NetworkSource } from '../platform/devtools-network';
import type { PanelStore } from './store/panel-store';

/** The refresh timer's bounds (ms) and how many times a read's own duration it waits at least. */
export const FEED_TIMING = { minMs: 1000, maxMs: 8000, costFactor: 20 } as const;

/** Timers and clock, injectable for tests. */
export interface FeedClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: FeedClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** Starts reading `source` into `store`; returns the stop function. */
export function startNetworkFeed(store: PanelStore, source: NetworkSource, clock = realClock): () => void {
  let stopped = false;
  let timer: unknown;
  let delay: number = FEED_TIMING.minMs;
  let socketCount = -1;
  const read = async () => {
    timer = undefined;
    if (stopped) return;
    const started = clock.now();
    let news = false;
    try {
      news = store.network(await source.entries());
    } catch {
      // DevTools went away, or the log could not be read this time: try again later.
    }
    if (stopped) return;
    const took = clock.now() - started;
    const count = store.getSnapshot().sockets.length;
    const busy = news || count !== socketCount || store.networkUndecided();
    socketCount = count;
    delay = busy ? FEED_TIMING.minMs : Math.min(FEED_TIMING.maxMs, delay * 2);
    timer = clock.setTimeout(() => void read(), Math.max(delay, took * FEED_TIMING.costFactor));
  };
  const unsubscribe = source.onFinished((entry) => {
    if (!stopped) store.network([entry], true);
  });
  void read();
  return () => {
    stopped = true;
    unsubscribe();
    if (timer !== undefined) clock.clearTimeout(timer);
  };
}
