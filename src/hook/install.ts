/**
 * Wraps the page's `WebSocket` so the page cannot tell in ordinary use.
 *
 * - The constructor is a Proxy of the native one: `new WebSocket(...)` builds the real socket with
 *   `Reflect.construct(native, args, newTarget)` (so subclasses work) and returns it. The arguments
 *   list is passed on as is (an absent `protocols` stays absent). `prototype`, the static constants,
 *   `name`, `length`, `instanceof` and calling without `new` all reach the native function.
 * - `WebSocket.prototype.send` is a method that calls the native `send` first (so its
 *   exceptions propagate untouched) and observes only what was accepted on an open socket.
 * - `Function.prototype.toString` answers for the wrappers as for the natives they stand for.
 * - The socket is observed through listeners added at construction; the page's listeners are never
 *   called by the hook. The `message` listener is removed while the recorder pauses the socket and
 *   added back when it resumes. Only the browser's own events are recorded (`isTrusted`, which a page
 *   cannot forge or redefine): an event the page dispatches on a socket is not capture.
 * - `Event.prototype.stopImmediatePropagation` records a socket's message first when a page listener
 *   stops it before the hook's own listener has run (Chromium runs a target's listeners in the order
 *   they were added, so a listener added back on resume runs after the page's), then stops it.
 * - Every observer body is guarded: nothing the hook does may throw into the page.
 */
import { readReplayMarker } from '../replay/marker';
import { redefine, type Masks } from './masks';
import { defineIndex, type Natives } from './natives';
import type { Recorder, SocketRecord } from './recorder';

/** What differs between a page's hook and a worker's. */
export interface HookOptions {
  /** Resolves the constructor's URL argument first (a worker's relative URLs; see worker-scope.ts). */
  resolveUrl?: (url: unknown) => unknown;
  /** The page the sockets belong to (default: the realm's `location.href`). */
  pageUrl?: () => string;
}

/** Installs the wrappers on `win`; returns false when there is no WebSocket to wrap. */
export function installHook(
  win: typeof globalThis,
  n: Natives,
  recorder: Recorder,
  masks: Masks,
  options: HookOptions = {},
): boolean {
  const Native = win.WebSocket;
  if (typeof Native !== 'function' || !n.addEventListener) return false;
  const proto = Native.prototype;
  const nativeSend = proto.send;
  const records = new WeakMap<object, SocketRecord>();
  /** Per socket: records a message its listener has not seen yet (called when a page stops one). */
  const catchUps = new WeakMap<object, (event: Event) => void>();
  /** Messages already recorded by a listener that was added back (see `readded`). */
  const recorded = new WeakSet<object>();
  const nativeStop = n.stopImmediatePropagation;
  const { resolveUrl, pageUrl = n.locationHref } = options;
  const guard = (fn: () => void) => {
    try {
      fn();
    } catch {
      // Observation must never change what the page sees.
    }
  };

  const Wrapped = new Proxy(Native, {
    construct(target, args, newTarget) {
      if (resolveUrl && args.length > 0) args[0] = resolveUrl(args[0]);
      const ws = n.construct(target, args, newTarget === Wrapped ? target : newTarget) as WebSocket;
      // A replay started from the panel passes a marker as a third argument (src/replay/marker.ts).
      guard(() =>
        observe(ws, args[1], args.length > 1, args.length > 2 ? readReplayMarker(args[2]) : undefined),
      );
      return ws;
    },
  });

  // A method, not a Proxy: the page calls it for every message, and the engine calls (and inlines)
  // a plain function far more cheaply than a Proxy's trap. Like the native: named `send`, length 1,
  // no `prototype`, not a constructor; every argument is passed on as given.
  const send = {
    send(this: unknown, _data: unknown): void {
      // eslint-disable-next-line prefer-rest-params
      const args = arguments;
      const result = n.apply(nativeSend, this, args) as void;
      try {
        const rec = n.apply(n.weakMapGet, records, [this]) as SocketRecord | undefined;
        // In CLOSING/CLOSED the browser accepts the call but discards the data: nothing was sent.
        if (rec !== undefined && n.wsReadyState(this as object) === 1) recorder.frame(rec, 'send', args[0]);
      } catch {
        // Observation must never change what the page sees.
      }
      return result;
    },
  }.send;

  // Like the native (a method, length 0), which it calls last whatever happened before.
  const stopImmediatePropagation = {
    stopImmediatePropagation(this: unknown): void {
      try {
        // A socket is in no tree: the target of an event dispatched on it is the socket.
        const target = n.eventTarget(this as object);
        const catchUp = target
          ? (n.apply(n.weakMapGet, catchUps, [target]) as ((e: Event) => void) | undefined)
          : undefined;
        if (catchUp !== undefined && n.eventType(this as object) === 'message') catchUp(this as Event);
      } catch {
        // Observation must never change what the page sees.
      }
      // eslint-disable-next-line prefer-rest-params
      return n.apply(nativeStop!, this, arguments) as void;
    },
  }.stopImmediatePropagation;

  function observe(ws: WebSocket, protocols: unknown, hasProtocols: boolean, replayOf?: string): void {
    const rec = recorder.create(n.wsUrl(ws), protocolList(protocols, hasProtocols, n), pageUrl(), replayOf);
    n.apply(n.weakMapSet, records, [ws, rec]);
    const on = (type: string, fn: (event: Event) => void) =>
      n.apply(n.addEventListener!, ws, [
        type,
        (event: Event) => guard(() => event.isTrusted === true && fn(event)),
      ]);
    const onMessage = (event: Event) => {
      try {
        if (event.isTrusted !== true) return;
        if (readded) n.apply(n.weakSetAdd, recorded, [event]);
        recorder.frame(rec, 'receive', n.messageData(event));
      } catch {
        // Observation must never change what the page sees.
      }
    };
    // The message listener comes and goes: a paused socket's messages cost the page nothing. It is a
    // capture listener, which Firefox runs before the page's own listeners at the target even when it
    // was added back after them; Chromium 156 runs them in the order they were added, so a listener
    // added back runs after the page's, and a page listener that stops a message's immediate
    // propagation would hide it: the catch-up below records it then. Until the listener is first added
    // back it runs before any page listener (added at construction), so nothing needs catching up and
    // no message is remembered.
    let listening = false;
    let readded = false;
    let added = false;
    rec.listen = (want) => {
      if (want === listening) return;
      listening = want;
      if (want) {
        readded = added;
        added = true;
      }
      n.apply(want ? n.addEventListener! : n.removeEventListener!, ws, ['message', onMessage, true]);
    };
    n.apply(n.weakMapSet, catchUps, [
      ws,
      (event: Event) => {
        if (listening && readded && !(n.apply(n.weakSetHas, recorded, [event]) as boolean)) onMessage(event);
      },
    ]);
    on('open', () => recorder.open(rec, n.wsProtocol(ws), n.wsExtensions(ws)));
    rec.listen(true);
    on('error', () => recorder.error(rec));
    on('close', (e) => recorder.close(rec, n.closeCode(e), n.closeReason(e), n.closeWasClean(e)));
  }

  for (const [fake, native] of [
    [Wrapped, Native],
    [send, nativeSend],
    [stopImmediatePropagation, nativeStop],
  ] as const)
    if (native) masks.mask(fake, native);

  redefine(n, proto, 'send', send);
  if (nativeStop && win.Event)
    redefine(n, win.Event.prototype, 'stopImmediatePropagation', stopImmediatePropagation);
  redefine(n, proto, 'constructor', Wrapped);
  redefine(n, win, 'WebSocket', Wrapped);
  return true;
}

/**
 * The `protocols` argument as the capture model's list, without running page code: strings and
 * arrays of strings are copied; other values were converted by the browser and are shown as a type.
 */
export function protocolList(value: unknown, present: boolean, n: Natives): string[] {
  if (!present || value === undefined) return [];
  if (typeof value === 'string') return [value];
  if (n.isArray(value)) {
    // Defined, not assigned: a setter the page put on an index of Array.prototype cannot see them.
    const len = value.length;
    const out: string[] = [];
    for (let i = 0; i < len; i++) {
      const item: unknown = value[i];
      const text = typeof item === 'string' ? item : `[${typeof item}]`;
      defineIndex(n, out, i, text);
    }
    return out;
  }
  return [`[${typeof value}]`];
}
