/**
 * The MAIN-world content script (entry point): wraps `WebSocket` at `document_start` and posts what
 * it observes to the isolated relay in batches, over a MessageChannel introduced by one window message.
 */
import { DEFAULT_SETTINGS, envelope, type HookSettings } from '../messaging/messages';
import { relayChannel } from './channel';
import { Batcher } from './batcher';
import { installHook } from './install';
import { captureNatives } from './natives';
import { Recorder } from './recorder';

try {
  const win = window;
  const n = captureNatives(win);
  const frameToken = Math.floor(n.random() * 2 ** 48).toString(36);
  const settings: HookSettings = {
    fullCapture: DEFAULT_SETTINGS.fullCapture,
    frameBudget: DEFAULT_SETTINGS.frameBudget,
  };
  const post = relayChannel(win, n, (kind, payload) => {
    if (kind !== 'hook-settings') return;
    const p = payload as Partial<HookSettings>;
    if (typeof p.fullCapture === 'boolean') settings.fullCapture = p.fullCapture;
    if (typeof p.frameBudget === 'number' && p.frameBudget >= 0) settings.frameBudget = p.frameBudget;
  });
  const batcher = new Batcher(
    (events) => post(envelope('batch', { events })),
    (fn, ms) => n.apply(n.setTimeout, win, [fn, ms]),
    () => recorder.reportDropped(),
  );
  const recorder = new Recorder(n, (event) => batcher.push(event), frameToken, settings, {
    wake: () => batcher.armSlow(),
  });
  if (n.MessageChannel && n.portPostMessage && n.portStart) installHook(win, n, recorder);
} catch {
  // A hook that cannot install leaves the page exactly as it was.
}
