/**
 * The extension APIs the isolated relay needs, without the polyfill (ports and `onMessage` have the
 * same shape in both browsers, so a content script need not carry the whole polyfill in every frame).
 */
import type { PortLike } from '../messaging/ports';

interface RuntimeLike {
  connect(info: { name: string }): PortLike;
  onMessage: { addListener(fn: (message: unknown) => void): void };
}

function runtime(): RuntimeLike {
  const g = globalThis as unknown as {
    browser?: { runtime?: RuntimeLike };
    chrome?: { runtime?: RuntimeLike };
  };
  const rt = g.browser?.runtime ?? g.chrome?.runtime;
  if (!rt) throw new Error('No extension runtime in this context');
  return rt;
}

/** Opens a port to the background. */
export function connectPort(name: string): PortLike {
  return runtime().connect({ name });
}

/** Listens to one-off messages sent to this frame (e.g. `tabs.sendMessage` from the background). */
export function onRuntimeMessage(fn: (message: unknown) => void): void {
  runtime().onMessage.addListener((message) => {
    fn(message);
  });
}
