/**
 * `devtools.network` for the panel: DevTools' Network log as HAR (`getHAR`) and the entries of requests
 * as they finish (`onRequestFinished`: Chromium reports a WebSocket when it closes, Firefox once its 101
 * came). Only DevTools pages have it.
 * The callback form of `chrome.devtools.network` is used where it exists, as for `inspectedWindow.eval`
 * (inspected-window.ts); elsewhere the polyfill's promise form.
 */
import { browser } from './browser';

/** Where the network witness reads from (network-feed.ts takes it as a dependency). */
export interface NetworkSource {
  /** The Network log's entries now. */
  entries(): Promise<unknown[]>;
  /** Calls `cb` with each finished request's entry; returns the unsubscribe function. */
  onFinished(cb: (entry: unknown) => void): () => void;
  /** Calls `cb` when the source holds a socket it did not before, where it can tell (else absent). */
  onNewSocket?(cb: () => void): () => void;
}

interface NetworkApi {
  getHAR(callback?: (log: { entries?: unknown[] }) => void): Promise<{ entries?: unknown[] }> | void;
  onRequestFinished: {
    addListener(cb: (entry: unknown) => void): void;
    removeListener(cb: (entry: unknown) => void): void;
  };
}

/** The inspected tab's Network log, or null where this page has no `devtools.network`. */
export function devtoolsNetwork(): NetworkSource | null {
  const g = globalThis as { chrome?: { devtools?: { network?: NetworkApi } } };
  const callbackApi = g.chrome?.devtools?.network;
  const api = (callbackApi ?? (browser.devtools as { network?: NetworkApi } | undefined)?.network) as
    NetworkApi | undefined;
  if (!api || typeof api.getHAR !== 'function') return null;
  return {
    entries: async () => {
      const log = callbackApi
        ? await new Promise<{ entries?: unknown[] }>((resolve) => void callbackApi.getHAR((l) => resolve(l)))
        : await (api.getHAR() as Promise<{ entries?: unknown[] }>);
      return Array.isArray(log?.entries) ? log.entries : [];
    },
    onFinished(cb) {
      api.onRequestFinished.addListener(cb);
      return () => api.onRequestFinished.removeListener(cb);
    },
  };
}
