/**
 * The hook's private line to the relay. The first time the hook has something to say, it creates a
 * MessageChannel and posts one `hello` on the window with the channel's second port; everything else
 * (batches to the relay, settings from it) goes over the channel. The page sees that one
 * window message per frame, not one per batch, and cannot inject settings into the channel later.
 */
import { BRIDGE_VERSION, envelope, isEnvelope, type FromHook } from '../messaging/messages';
import type { Natives } from './natives';

/** Returns a `post` function; `onMessage` receives the relay's envelopes. */
export function relayChannel(
  win: typeof globalThis,
  n: Natives,
  onMessage: (kind: string, payload: unknown) => void,
): (message: FromHook) => void {
  let port: MessagePort | null = null;
  return (message) => {
    if (!port) {
      const channel = new n.MessageChannel!();
      port = channel.port1;
      n.apply(n.addEventListener!, port, [
        'message',
        (event: MessageEvent) => {
          try {
            const msg = n.messageData(event);
            if (isEnvelope(msg)) onMessage(msg.kind, msg.payload);
          } catch {
            // Never into the page.
          }
        },
      ]);
      n.apply(n.portStart!, port, []);
      const hello = envelope('hello', { hookVersion: BRIDGE_VERSION, frameUrl: n.locationHref() });
      n.apply(n.postMessage, win, [hello, '*', [channel.port2]]);
    }
    n.apply(n.portPostMessage!, port, [message]);
  };
}
