/**
 * The MAIN-world content script (entry point): wraps `WebSocket` at `document_start` and posts what
 * it observes to the isolated relay with `window.postMessage`, in batches.
 */
import {
  BRIDGE_VERSION,
  DEFAULT_SETTINGS,
  envelope,
  isEnvelope,
  type FromHook,
  type HookSettings,
} from '../messaging/messages';
import { Batcher } from './batcher';
import { installHook } from './install';
import { captureNatives } from './natives';
import { Recorder } from './recorder';

try {
  const win = window;
  const n = captureNatives(win);
  const post = (message: FromHook) => n.apply(n.postMessage, win, [message, '*']);
  let helloSent = false;
  const frameToken = Math.floor(n.random() * 2 ** 48).toString(36);
  const settings: HookSettings = {
    fullCapture: DEFAULT_SETTINGS.fullCapture,
    frameBudget: DEFAULT_SETTINGS.frameBudget,
  };
  const batcher = new Batcher(
    (events) => {
      if (!helloSent) post(envelope('hello', { hookVersion: BRIDGE_VERSION, frameUrl: n.locationHref() }));
      helloSent = true;
      post(envelope('batch', { events }));
    },
    (fn, ms) => n.apply(n.setTimeout, win, [fn, ms]),
    () => recorder.reportDropped(),
  );
  const recorder = new Recorder(n, (event) => batcher.push(event), frameToken, settings, {
    wake: () => batcher.arm(),
  });
  if (installHook(win, n, recorder)) {
    n.apply(n.addEventListener!, win, [
      'message',
      (event: MessageEvent) => {
        try {
          if (n.messageSource(event) !== win) return;
          const msg = n.messageData(event);
          if (!isEnvelope(msg) || msg.kind !== 'hook-settings') return;
          const p = msg.payload as Partial<HookSettings>;
          if (typeof p.fullCapture === 'boolean') settings.fullCapture = p.fullCapture;
          if (typeof p.frameBudget === 'number' && p.frameBudget >= 0) settings.frameBudget = p.frameBudget;
          batcher.arm();
        } catch {
          // Never into the page.
        }
      },
    ]);
  }
} catch {
  // A hook that cannot install leaves the page exactly as it was.
}
