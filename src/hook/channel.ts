/**
 * The hook's private line to the relay: a MessageChannel whose second port is handed to the relay
 * while both content scripts are being injected, before any page script runs (the link protocol is
 * described at `LINK_KNOCK` in messaging/messages.ts). The hook listens for the relay's knock until
 * it is linked, and at most until its first task ends; nothing arrives by window message, so the page
 * can neither take the channel over nor reach the port.
 */
import {
  BRIDGE_VERSION,
  LINK_KNOCK,
  LINK_OFFER,
  envelope,
  isEnvelope,
  type FromHook,
} from '../messaging/messages';
import type { Natives } from './natives';

/** The hook's side of the link. */
export interface HookLink {
  /** Posts to the relay (dropped while not linked). */
  post(message: FromHook): void;
  /** True once the relay took the port. */
  linked(): boolean;
}

/** Starts listening for the relay's knock on `win`; `onMessage` receives the relay's envelopes. */
export function linkToRelay(
  win: typeof globalThis,
  n: Natives,
  onMessage: (kind: string, payload: unknown) => void,
): HookLink | null {
  const { MessageChannel, MessageEvent, addEventListener, removeEventListener, dispatchEvent } = n;
  if (!MessageChannel || !MessageEvent || !addEventListener || !removeEventListener || !dispatchEvent)
    return null;
  if (!n.portPostMessage || !n.portStart || !n.preventDefault) return null;
  const channel = new MessageChannel();
  const port = channel.port1;
  let linked = false;
  const stop = () => n.apply(removeEventListener!, win, [LINK_KNOCK, onKnock, true]);
  function onKnock(knock: Event): void {
    try {
      if (linked) return;
      const offer = n.construct(MessageEvent!, [
        LINK_OFFER,
        { ports: [channel.port2], cancelable: true },
      ]) as MessageEvent;
      n.apply(dispatchEvent!, win, [offer]);
      if (!n.defaultPrevented(offer)) return;
      linked = true;
      stop();
      n.apply(n.preventDefault!, knock, []);
      n.apply(n.portPostMessage!, port, [
        envelope('hello', { hookVersion: BRIDGE_VERSION, frameUrl: n.locationHref() }),
      ]);
    } catch {
      // Never into the page.
    }
  }
  n.apply(addEventListener, win, [LINK_KNOCK, onKnock, true]);
  // The relay knocks while it is injected, right after the hook: a knock after this task ended can
  // only come from the page.
  n.apply(n.setTimeout, win, [stop, 0]);
  n.apply(addEventListener, port, [
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
  n.apply(n.portStart, port, []);
  return {
    post: (message) => {
      if (linked) n.apply(n.portPostMessage!, port, [message]);
    },
    linked: () => linked,
  };
}
