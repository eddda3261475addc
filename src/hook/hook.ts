/**
 * The MAIN-world content script (entry point): links to the isolated relay, wraps `WebSocket` at
 * `document_start`, and posts what it observes to the relay in batches over the linked channel.
 */
import { DEFAULT_SETTINGS, envelope } from '../messaging/messages';
import { linkToRelay } from './channel';
import { Batcher } from './batcher';
import { installHook } from './install';
import { captureNatives } from './natives';
import { Recorder, type RecorderSettings } from './recorder';

try {
  const win = window;
  const n = captureNatives(win);
  const frameToken = Math.floor(n.random() * 2 ** 48).toString(36);
  const settings: RecorderSettings = {
    fullCapture: DEFAULT_SETTINGS.fullCapture,
    frameBudget: DEFAULT_SETTINGS.frameBudget,
    live: false,
  };
  const link = linkToRelay(win, n, (kind, payload) => {
    if (kind === 'hook-settings') recorder.apply(readSettings(payload, recorder.settings));
  });
  const batcher = new Batcher(
    (events, count) => link?.post(envelope('batch', { events, count })),
    (fn, ms) => n.apply(n.setTimeout, win, [fn, ms]),
  );
  const recorder = new Recorder(n, (event) => batcher.push(event), frameToken, settings);
  if (link) installHook(win, n, recorder);
} catch {
  // A hook that cannot install leaves the page exactly as it was.
}

/** The valid fields of a `hook-settings` payload over `current` (a structured clone from the relay). */
function readSettings(payload: unknown, current: RecorderSettings): RecorderSettings {
  const p = (typeof payload === 'object' && payload !== null ? payload : {}) as Partial<RecorderSettings>;
  return {
    fullCapture: typeof p.fullCapture === 'boolean' ? p.fullCapture : current.fullCapture,
    frameBudget:
      typeof p.frameBudget === 'number' && p.frameBudget >= 0 ? p.frameBudget : current.frameBudget,
    live: typeof p.live === 'boolean' ? p.live : current.live,
  };
}
