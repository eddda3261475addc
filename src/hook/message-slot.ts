/**
 * How the hook sees a socket's received messages, at the cost of one function call inside a dispatch
 * the page pays for anyway wherever it can. A listener of the hook's own on every message made the
 * browser dispatch each one to one more listener, which cost the page about a tenth more CPU per
 * 32-byte echo on its own (docs/benchmarks.md).
 *
 * While the recorder wants the socket's messages:
 * - if the page has a handler in its `onmessage` slot, the browser's slot holds `handler` instead: it
 *   records the message, then calls the page's (a function; an object that is not one is not called,
 *   as by the browser);
 * - if it has none, a listener of the hook's own (`listener`) records the message.
 * Otherwise the browser's slot holds the page's own handler and no listener of the hook is there: a
 * message runs no code of the hook.
 *
 * The browser's slot is empty exactly when the page's is, so where the page's handler runs among its
 * listeners is the browser's business (HTML, "event handler attributes": a handler set in an empty slot
 * goes to the end, a new one takes the old one's place, clearing the slot removes it); `ws.onmessage`
 * answers with what the page set.
 *
 * Nothing that may still have to see a message in dispatch is removed: when the page sets a handler,
 * `listener` stays until it runs again, records that message (once: `handler` then skips it) and
 * leaves. A page listener ahead of the handler that stops a message's immediate propagation is
 * covered by `catchUp` (install.ts). One case is not covered everywhere: a page listener ahead of its
 * handler that clears the slot while a message is in dispatch removes `handler` before it has run
 * for it; the message is then taken from `window.event`, which a worker and a listener of another
 * realm do not set (there it is not recorded).
 */
import type { Natives } from './natives';

/** `Event.AT_TARGET`: the phase of an event being dispatched on a socket. */
const AT_TARGET = 2;

/** One socket's slot. */
export interface MessageSlot {
  /** What the page set: an object or function, else null (what `ws.onmessage` answers). */
  readonly value: unknown;
  /** The page sets `ws.onmessage`. */
  set(value: unknown): void;
  /** The recorder wants the socket's messages, or no longer. */
  want(on: boolean): void;
  /** A page listener stops `event`'s immediate propagation: it is recorded if it was not yet. */
  catchUp(event: Event): void;
}

/** What the slot needs from the hook. */
export interface SlotOptions {
  /** The native `onmessage` setter. */
  setNative: (this: object, value: unknown) => void;
  /** Records a received message (the browser's own: `isTrusted`). */
  record: (event: Event) => void;
  /** The event a listener of the window is handling now (`window.event`), if any. */
  currentEvent: () => unknown;
}

/**
 * An object for WebIDL: `document.all` is one, though `typeof` says 'undefined' (the only value that
 * does so and is not `undefined`).
 */
const isObject = (v: unknown) =>
  (typeof v === 'object' && v !== null) ||
  typeof v === 'function' ||
  (typeof v === 'undefined' && v !== undefined);

/** The slot of socket `ws` (empty: a new socket's `onmessage` is null). */
export function messageSlot(n: Natives, ws: object, options: SlotOptions): MessageSlot {
  const { setNative, record, currentEvent } = options;
  // The browser's slot holds `handler` exactly while `wanted` and the page's `value` is not null.
  let value: unknown = null;
  let wanted = false;
  let listening = false;
  /** The last message recorded while wanted: one message is recorded once. */
  let last: unknown = null;
  const observe = (event: Event) => {
    try {
      if (event === last || event.isTrusted !== true) return;
      last = event;
      record(event);
    } catch {
      // Observation must never change what the page sees.
    }
  };
  const handler = function (this: unknown, event: Event): unknown {
    if (wanted) observe(event);
    // eslint-disable-next-line prefer-rest-params
    return typeof value === 'function' ? n.apply(value, this, arguments) : undefined;
  };
  const listener = (event: Event) => {
    if (wanted) observe(event);
    if (value !== null || !wanted) listen(false); // `handler` sees the next ones
  };
  const listen = (on: boolean) => {
    if (on === listening) return;
    listening = on;
    // A capture listener: Firefox runs those first at the target even when added after the page's.
    n.apply(on ? n.addEventListener! : n.removeEventListener!, ws, ['message', listener, true]);
  };
  const put = (next: unknown) => n.apply(setNative, ws, [next]);
  return {
    get value() {
      return value;
    },
    set(v) {
      const had = value !== null;
      value = isObject(v) ? v : null;
      if (value === null) {
        if (!had) return;
        // The slot is cleared: `handler` leaves (after taking the message in dispatch, if any).
        if (wanted) rescue(); // `handler` was in the browser's slot
        put(null);
        if (wanted) listen(true);
      } else if (wanted) {
        if (!had) put(handler); // an empty slot: goes to the end, as the page's would
      } else put(value);
    },
    want(on) {
      if (on === wanted) return;
      wanted = on;
      if (!on) last = null;
      if (value === null) listen(on);
      else {
        put(on ? handler : value); // in the same place
        if (!on) listen(false);
      }
    },
    catchUp(event) {
      if (wanted && n.eventPhase(event) === AT_TARGET) observe(event);
    },
  };

  /** Records the message in dispatch on this socket now, before `handler` leaves its place. */
  function rescue(): void {
    try {
      const event = currentEvent();
      if (
        typeof event === 'object' &&
        event !== null &&
        n.eventTarget(event) === ws &&
        n.eventType(event) === 'message' &&
        n.eventPhase(event) === AT_TARGET
      )
        observe(event as Event);
    } catch {
      // Not an event of ours.
    }
  }
}
