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
 * - The socket's life is observed through listeners added at construction. Only the browser's own
 *   events are recorded (`isTrusted`, which a page cannot forge or redefine): an event the page
 *   dispatches on a socket is not capture.
 * - Its messages are observed through the socket's `onmessage` slot while the page has a handler there
 *   (the hook's handler records, then calls the page's; `WebSocket.prototype.onmessage` answers with
 *   what the page set), else through a listener of the hook's own, and not at all while the recorder
 *   pauses the socket (message-slot.ts).
 * - `Event.prototype.stopImmediatePropagation` records a socket's message first when a page listener
 *   stops it before the hook has seen it (a target's listeners run in the order they were added), then
 *   stops it.
 * - Every observer body is guarded: nothing the hook does may throw into the page.
 */
import { readReplayMarker } from '../replay/marker';
import { redefine, type Masks } from './masks';
import { messageSlot, type MessageSlot } from './message-slot';
import { defineIndex, uncurry, type Natives } from './natives';
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
  const nativeMessage = n.getOwnPropertyDescriptor(proto, 'onmessage');
  if (typeof nativeMessage?.get !== 'function' || typeof nativeMessage.set !== 'function') return false;
  const { get: nativeGet, set: nativeSet } = nativeMessage;
  const currentEvent = () => n.windowEvent(win);
  const records = new WeakMap<object, SocketRecord>();
  /** Per socket: its `onmessage` slot (the page's handler, and the hook's in front of it). */
  const slots = new WeakMap<object, MessageSlot>();
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
  // no `prototype`, not a constructor. Nothing is allocated per call: the native is passed `data`
  // alone, as it reads no more (WebIDL ignores, unconverted, arguments past an operation's last), and
  // with no argument it is called with none, to throw its own TypeError.
  const callSend = uncurry(nativeSend) as (ws: unknown, ...data: [unknown?]) => void;
  const send = {
    send(this: unknown, data: unknown): void {
      if (arguments.length === 0) return callSend(this);
      callSend(this, data);
      try {
        const rec = n.weakMapLookup(records, this) as SocketRecord | undefined;
        // In CLOSING/CLOSED the browser accepts the call but discards the data: nothing was sent.
        if (rec !== undefined && n.wsReadyState(this as object) === 1) recorder.frame(rec, 'send', data);
      } catch {
        // Observation must never change what the page sees.
      }
    },
  }.send;

  // Like the native (a method, length 0), which it calls last whatever happened before.
  const stopImmediatePropagation = {
    stopImmediatePropagation(this: unknown): void {
      try {
        // A socket is in no tree: the target of an event dispatched on it is the socket.
        const target = n.eventTarget(this as object);
        const slot = target ? (n.weakMapLookup(slots, target) as MessageSlot | undefined) : undefined;
        if (slot !== undefined && n.eventType(this as object) === 'message') slot.catchUp(this as Event);
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
    const slot = messageSlot(n, ws, {
      setNative: nativeSet,
      record: (event) => recorder.frame(rec, 'receive', n.messageData(event)),
      currentEvent,
    });
    n.apply(n.weakMapSet, slots, [ws, slot]);
    rec.listen = slot.want;
    on('open', () => recorder.open(rec, n.wsProtocol(ws), n.wsExtensions(ws)));
    rec.listen(true);
    on('error', () => recorder.error(rec));
    on('close', (e) => recorder.close(rec, n.closeCode(e), n.closeReason(e), n.closeWasClean(e)));
  }

  // `WebSocket.prototype.onmessage`: a socket's slot answers with the page's value; anything else
  // (the prototype itself, a socket of another realm) reaches the native accessor, errors included.
  const onmessage = n.getOwnPropertyDescriptor(
    {
      get onmessage(): unknown {
        const slot = n.weakMapLookup(slots, this) as MessageSlot | undefined;
        return slot !== undefined ? slot.value : n.apply(nativeGet, this, []);
      },
      set onmessage(value: unknown) {
        const slot = n.weakMapLookup(slots, this) as MessageSlot | undefined;
        if (slot !== undefined) slot.set(value);
        else n.apply(nativeSet, this, [value]);
      },
    },
    'onmessage',
  )!;

  for (const [fake, native] of [
    [Wrapped, Native],
    [send, nativeSend],
    [stopImmediatePropagation, nativeStop],
    [onmessage.get!, nativeGet],
    [onmessage.set!, nativeSet],
  ] as const)
    if (native) masks.mask(fake, native);

  n.defineProperty(proto, 'onmessage', { ...nativeMessage, get: onmessage.get, set: onmessage.set });
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
