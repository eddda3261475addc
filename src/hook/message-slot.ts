/**
 * A socket's `onmessage` slot, shared by the page and the hook: how the hook sees a received message
 * at the cost of one function call inside a dispatch the page pays for anyway. A listener of the
 * hook's own on every socket made the browser dispatch each message to one more listener, which
 * cost the page about a tenth more CPU per 32-byte echo on its own (docs/benchmarks.md).
 *
 * The browser's slot holds one of three things:
 * - while the recorder wants the socket's messages, `handler`: it records the message, then calls
 *   what the page set (a function; an object that is not a function is not called, as by the browser);
 * - otherwise what the page set, itself, or nothing: a message then runs no code of the hook.
 *
 * The page sees its own slot: `ws.onmessage` answers with what it set, and the order of the page's
 * listeners around its handler is the browser's. A handler's place among a target's listeners is
 * where one was first set while the slot was empty (HTML, "event handler attributes"); the hook's
 * `handler` sits in an empty slot while the recorder wants messages, so when the page then sets one,
 * `handler` leaves its place and is set again, at the end, where the page's own would go.
 *
 * A message is recorded once: by `handler`, or first by `catchUp` when a page listener ahead of the
 * handler stops its immediate propagation (install.ts). If the page, from such a listener, sets a
 * handler in an empty slot, `handler` leaves before it has run for that message: the message is
 * taken from `window.event` first (a worker has none; there the message is not recorded).
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

/** The slot of socket `ws` (empty: a new socket's `onmessage` is null). */
export function messageSlot(n: Natives, ws: object, options: SlotOptions): MessageSlot {
  const { setNative, record, currentEvent } = options;
  let value: unknown = null;
  let wanted = false;
  /** What the browser's slot holds: null, `handler` or `value`. */
  let current: unknown = null;
  /** The last message recorded: one message is recorded once. */
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
  const put = (next: unknown) => {
    current = next;
    n.apply(setNative, ws, [next]);
  };
  /** Sets the browser's slot; `append`: the page's handler goes to the end of the listeners. */
  const sync = (append: boolean) => {
    const next = wanted ? handler : value;
    if (append && current !== null) {
      if (current === handler) rescue();
      put(null);
    }
    if (next !== current) put(next);
  };
  /** Records the message being dispatched on this socket now, before `handler` leaves its place. */
  const rescue = () => {
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
  };
  return {
    get value() {
      return value;
    },
    set(v) {
      const isObject = (typeof v === 'object' && v !== null) || typeof v === 'function';
      const append = value === null && isObject;
      value = isObject ? v : null;
      sync(append);
    },
    want(on) {
      wanted = on;
      sync(false);
    },
    catchUp(event) {
      if (wanted && n.eventPhase(event) === AT_TARGET) observe(event);
    },
  };
}
