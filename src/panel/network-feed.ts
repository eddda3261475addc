/**
 * Reads DevTools' Network log for the network witness while the panel is open (store/witness.ts
 * folds what is read). How, and why so:
 *
 * - once when the panel opens, the whole log (`getHAR`): every WebSocket since DevTools opened;
 * - each WebSocket that closes, from `onRequestFinished`: its final entry, at no cost to anything else;
 * - of each read, only the messages past where the last read stopped: a network-only socket's are
 *   decoded, a paired socket's compared with the hook's frames (store/witness.ts);
 * - for sockets still open, the log again, on a timer that backs off: 1 s after something new (a
 *   socket appeared in the log or in the capture, a network-only socket got messages, a view waits to
 *   be paired), doubling to 8 s while nothing changes; a socket the hook captures brings the next
 *   read forward to 1 s, so its headers show promptly. `getHAR` copies the whole log, messages
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
  let reading = false;
  let timer: unknown;
  /** When the pending read is due (clock ms). */
  let due = 0;
  let delay: number = FEED_TIMING.minMs;
  /** The last read's duration: no read comes sooner than `costFactor` times it after the last. */
  let took = 0;
  let lastEnd = 0;
  let socketCount = store.getSnapshot().sockets.length;
  const schedule = (wait: number) => {
    if (timer !== undefined) clock.clearTimeout(timer);
    due = clock.now() + wait;
    timer = clock.setTimeout(() => void read(), wait);
  };
  const read = async () => {
    timer = undefined;
    if (stopped) return;
    reading = true;
    const started = clock.now();
    let news = false;
    try {
      news = store.network(await source.entries());
    } catch {
      // DevTools went away, or the log could not be read this time: try again later.
    }
    reading = false;
    if (stopped) return;
    lastEnd = clock.now();
    took = lastEnd - started;
    const count = store.getSnapshot().sockets.length;
    const busy = news || count !== socketCount || store.networkUndecided();
    socketCount = count;
    delay = busy ? FEED_TIMING.minMs : Math.min(FEED_TIMING.maxMs, delay * 2);
    schedule(Math.max(delay, took * FEED_TIMING.costFactor));
  };
  /** Reads again soon (within the cost floor): something new is in the log. */
  const soon = () => {
    if (reading || stopped) return;
    delay = FEED_TIMING.minMs;
    const soonest = Math.max(lastEnd + took * FEED_TIMING.costFactor, clock.now() + FEED_TIMING.minMs);
    if (due > soonest) schedule(soonest - clock.now());
  };
  // A socket the hook just captured: its view is in the log now.
  const unwatch = store.subscribe(() => {
    const count = store.getSnapshot().sockets.length;
    if (count <= socketCount || reading || stopped) return;
    socketCount = count;
    soon();
  });
  // A source that says when it holds a new socket (the shared workers' watch).
  const unnew = source.onNewSocket?.(soon);
  const unsubscribe = source.onFinished((entry) => {
    if (!stopped) store.network([entry], true);
  });
  void read();
  return () => {
    stopped = true;
    unsubscribe();
    unwatch();
    unnew?.();
    if (timer !== undefined) clock.clearTimeout(timer);
  };
}
