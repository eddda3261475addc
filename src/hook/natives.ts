/**
 * Native functions, captured when the hook starts (at `document_start`, before any page script), so a
 * page that later patches `Reflect`, `EventTarget.prototype` or a getter cannot see or break the hook.
 */

/** Returns a function that calls the native getter `name` of `proto` on an object. */
function getter<T>(proto: object | undefined, name: string): (target: object) => T {
  const get = proto ? Object.getOwnPropertyDescriptor(proto, name)?.get : undefined;
  const apply = Reflect.apply;
  return (target) => (get ? (apply(get, target, []) as T) : (undefined as T));
}

/** The natives the hook uses, captured from `win` once. */
export function captureNatives(win: typeof globalThis) {
  const ws = win.WebSocket?.prototype;
  const messageEvent = win.MessageEvent?.prototype;
  const closeEvent = win.CloseEvent?.prototype;
  const blob = win.Blob?.prototype;
  return {
    apply: Reflect.apply,
    construct: Reflect.construct,
    defineProperty: Object.defineProperty,
    getOwnPropertyDescriptor: Object.getOwnPropertyDescriptor,
    isView: ArrayBuffer.isView,
    weakMapGet: WeakMap.prototype.get,
    weakMapSet: WeakMap.prototype.set,
    addEventListener: win.EventTarget?.prototype.addEventListener,
    postMessage: win.postMessage,
    MessageChannel: win.MessageChannel as typeof MessageChannel | undefined,
    portPostMessage: win.MessagePort?.prototype.postMessage as MessagePort['postMessage'] | undefined,
    portStart: win.MessagePort?.prototype.start as MessagePort['start'] | undefined,
    setTimeout: win.setTimeout,
    now: Date.now,
    random: Math.random,
    blobArrayBuffer: blob?.arrayBuffer,
    blobSlice: blob?.slice,
    blobSize: getter<number>(blob, 'size'),
    wsUrl: getter<string>(ws, 'url'),
    wsReadyState: getter<number>(ws, 'readyState'),
    wsProtocol: getter<string>(ws, 'protocol'),
    wsExtensions: getter<string>(ws, 'extensions'),
    messageData: getter<unknown>(messageEvent, 'data'),
    messageSource: getter<unknown>(messageEvent, 'source'),
    closeCode: getter<number>(closeEvent, 'code'),
    closeReason: getter<string>(closeEvent, 'reason'),
    closeWasClean: getter<boolean>(closeEvent, 'wasClean'),
    locationHref: () => String(win.location?.href ?? ''),
  };
}

/** The natives captured by `captureNatives`. */
export type Natives = ReturnType<typeof captureNatives>;
