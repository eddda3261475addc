/**
 * The relay's side of the link to the hook (protocol at `LINK_KNOCK` in messaging/messages.ts): one
 * knock, dispatched while the relay is injected, right after the hook and before any page script.
 * The hook answers within the knock; whatever did not answer by then is not taken later.
 */
import { LINK_KNOCK, LINK_OFFER } from '../messaging/messages';

/** Knocks on `win` and returns the hook's port, or null when no hook answered. */
export function linkToHook(win: Window): MessagePort | null {
  let port: MessagePort | null = null;
  const onOffer = (event: Event) => {
    const offered = (event as MessageEvent).ports?.[0];
    if (port || !offered) return;
    port = offered;
    event.preventDefault();
    event.stopImmediatePropagation();
  };
  win.addEventListener(LINK_OFFER, onOffer, true);
  try {
    win.dispatchEvent(new Event(LINK_KNOCK, { cancelable: true }));
  } finally {
    win.removeEventListener(LINK_OFFER, onOffer, true);
  }
  return port;
}
