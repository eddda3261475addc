/**
 * Native functions, captured when the hook starts (at `document_start`, before any page script). The
 * page shares the hook's realm and may later replace any built-in (`Array.prototype.push`,
 * `Function.prototype.call`, `String.prototype.slice`, `Math.min`, `window.Blob`,
 * `ArrayBuffer[Symbol.hasInstance]`, a setter on `Object.prototype`...). Everything the hook calls
 * after start-up is one of these saved references, called with the saved `Reflect.apply` or through
 * `uncurry` (a bound `call` of start-up, for the hot paths: it allocates nothing per call); values are
 * recognised by brand checks (a native getter that throws on anything else), never by `instanceof`.
 */

/**
 * `fn` as a function of its receiver and arguments: `uncurry(fn)(target, ...args)` is `fn.call(target,
 * ...args)` with the `call` of start-up (a bound function keeps it), and nothing allocated per call.
 */
export function uncurry<A extends unknown[], R>(fn: (...args: A) => R): (target: unknown, ...args: A) => R {
  return Reflect.apply(Function.prototype.bind, Function.prototype.call, [fn]) as (
    target: unknown,
    ...args: A
  ) => R;
}

const none = () => undefined;

/** Returns a function that calls the native getter `name` of `proto` on an object. */
function getter<T>(proto: object | undefined, name: string | symbol): (target: object) => T {
  const get = proto ? Object.getOwnPropertyDescriptor(proto, name)?.get : undefined;
  return (get ? uncurry(get) : none) as (target: object) => T;
}

/** A method of `proto`, or undefined. */
function method<T>(proto: object | undefined, name: string): T | undefined {
  const d = proto ? Object.getOwnPropertyDescriptor(proto, name) : undefined;
  return typeof d?.value === 'function' ? (d.value as T) : undefined;
}

/** The natives the hook uses, captured from `win` once. */
export function captureNatives(win: typeof globalThis) {
  const ws = win.WebSocket?.prototype;
  const event = win.Event?.prototype;
  const messageEvent = win.MessageEvent?.prototype;
  const closeEvent = win.CloseEvent?.prototype;
  const blob = win.Blob?.prototype;
  const target = win.EventTarget?.prototype;
  const port = win.MessagePort?.prototype;
  const nodeList = win.NodeList?.prototype;
  const typedArray = Object.getPrototypeOf(Uint8Array.prototype) as object;
  const dataView = DataView.prototype;
  const encoder = typeof TextEncoder === 'function' ? new TextEncoder() : null;
  const encode = method<(s: string) => Uint8Array>(TextEncoder.prototype, 'encode');
  const url = win.URL?.prototype;
  const URLCtor = win.URL as typeof URL | undefined;
  const channel = win.BroadcastChannel?.prototype;
  return {
    apply: Reflect.apply,
    construct: Reflect.construct,
    defineProperty: Object.defineProperty,
    getOwnPropertyDescriptor: Object.getOwnPropertyDescriptor,
    isArray: Array.isArray,
    isView: ArrayBuffer.isView,
    /** `WeakMap.prototype.get` as `(map, key)`: nothing allocated per call. */
    weakMapLookup: uncurry(WeakMap.prototype.get) as (map: WeakMap<object, unknown>, key: unknown) => unknown,
    weakMapSet: WeakMap.prototype.set,
    weakSetAdd: WeakSet.prototype.add,
    weakSetHas: WeakSet.prototype.has,
    addEventListener: method<EventTarget['addEventListener']>(target, 'addEventListener'),
    removeEventListener: method<EventTarget['removeEventListener']>(target, 'removeEventListener'),
    dispatchEvent: method<EventTarget['dispatchEvent']>(target, 'dispatchEvent'),
    preventDefault: method<Event['preventDefault']>(event, 'preventDefault'),
    defaultPrevented: getter<boolean>(event, 'defaultPrevented'),
    stopImmediatePropagation: method<Event['stopImmediatePropagation']>(event, 'stopImmediatePropagation'),
    eventTarget: getter<unknown>(event, 'target'),
    eventType: getter<string>(event, 'type'),
    eventPhase: getter<number>(event, 'eventPhase'),
    /** The event being dispatched to a listener of the window (`window.event`); undefined in a worker. */
    windowEvent: getter<unknown>(win.Window ? win : undefined, 'event'),
    MessageEvent: win.MessageEvent as typeof MessageEvent | undefined,
    MessageChannel: win.MessageChannel as typeof MessageChannel | undefined,
    portPostMessage: method<MessagePort['postMessage']>(port, 'postMessage'),
    portStart: method<MessagePort['start']>(port, 'start'),
    setTimeout: win.setTimeout,
    now: Date.now,
    random: Math.random,
    Uint8Array,
    Int32Array,
    Float64Array,
    /** `Uint8Array.prototype.toBase64` where the browser has it (Chrome 140, Firefox 133). */
    toBase64: method<(this: Uint8Array) => string>(Uint8Array.prototype, 'toBase64'),
    fromCharCode: String.fromCharCode,
    btoa: typeof win.btoa === 'function' ? win.btoa : undefined,
    charCodeAt: String.prototype.charCodeAt,
    stringSlice: String.prototype.slice,
    encoder,
    encode,
    /** Brand checks: each throws on anything that is not of its kind. */
    arrayBufferByteLength: getter<number>(ArrayBuffer.prototype, 'byteLength'),
    typedBuffer: getter<ArrayBuffer>(typedArray, 'buffer'),
    typedByteOffset: getter<number>(typedArray, 'byteOffset'),
    typedByteLength: getter<number>(typedArray, 'byteLength'),
    /** A typed array's name; undefined (no exception) for anything else, a DataView included. */
    typedTag: getter<string | undefined>(typedArray, Symbol.toStringTag),
    /** `%TypedArray%.prototype.set`: copies into the held frames' ring (held.ts). */
    typedSet: method<(this: Uint8Array, source: Uint8Array, offset: number) => void>(typedArray, 'set'),
    dataViewBuffer: getter<ArrayBuffer>(dataView, 'buffer'),
    dataViewByteOffset: getter<number>(dataView, 'byteOffset'),
    dataViewByteLength: getter<number>(dataView, 'byteLength'),
    promiseThen: Promise.prototype.then,
    blobArrayBuffer: method<Blob['arrayBuffer']>(blob, 'arrayBuffer'),
    blobSlice: method<Blob['slice']>(blob, 'slice'),
    blobSize: getter<number>(blob, 'size'),
    wsUrl: getter<string>(ws, 'url'),
    wsReadyState: getter<number>(ws, 'readyState'),
    wsProtocol: getter<string>(ws, 'protocol'),
    wsExtensions: getter<string>(ws, 'extensions'),
    messageData: getter<unknown>(messageEvent, 'data'),
    closeCode: getter<number>(closeEvent, 'code'),
    closeReason: getter<string>(closeEvent, 'reason'),
    closeWasClean: getter<boolean>(closeEvent, 'wasClean'),
    locationHref: () => String(win.location?.href ?? ''),
    // Workers (workers.ts, worker-scope.ts, worker-link.ts).
    fnToString: Function.prototype.toString,
    stringify: JSON.stringify,
    iteratorSymbol: Symbol.iterator,
    /** Brand check of a `Request` (its `url` getter throws on anything else). */
    requestUrl: win.Request ? getter<string>(win.Request.prototype, 'url') : undefined,
    URL: URLCtor,
    urlCanParse: URLCtor && typeof URLCtor.canParse === 'function' ? URLCtor.canParse : undefined,
    urlHref: getter<string>(url, 'href'),
    urlOrigin: getter<string>(url, 'origin'),
    urlProtocol: getter<string>(url, 'protocol'),
    createObjectURL: URLCtor?.createObjectURL as ((blob: Blob) => string) | undefined,
    revokeObjectURL: URLCtor?.revokeObjectURL as ((url: string) => void) | undefined,
    Blob: win.Blob as typeof Blob | undefined,
    BroadcastChannel: win.BroadcastChannel as typeof BroadcastChannel | undefined,
    channelPost: method<BroadcastChannel['postMessage']>(channel, 'postMessage'),
    channelClose: method<BroadcastChannel['close']>(channel, 'close'),
    /** The realm's origin (`self.origin`), read now: a page cannot change it later. */
    origin: typeof win.origin === 'string' ? win.origin : '',
    baseURI: getter<string>(win.Node?.prototype, 'baseURI'),
    errorEventError: getter<unknown>(win.ErrorEvent?.prototype, 'error'),
    errorEventMessage: getter<string>(win.ErrorEvent?.prototype, 'message'),
    errorEventFilename: getter<string>(win.ErrorEvent?.prototype, 'filename'),
    errorEventLineno: getter<number>(win.ErrorEvent?.prototype, 'lineno'),
    errorEventColno: getter<number>(win.ErrorEvent?.prototype, 'colno'),
    getPrototypeOf: Object.getPrototypeOf,
    Proxy,
    get: Reflect.get,
    Event: win.Event as typeof Event | undefined,
    ErrorEvent: win.ErrorEvent as typeof ErrorEvent | undefined,
    stringIndexOf: String.prototype.indexOf,
    domExceptionName: getter<string>(win.DOMException?.prototype, 'name'),
    domExceptionMessage: getter<string>(win.DOMException?.prototype, 'message'),
    includes: String.prototype.includes,
    /** The window's current document (`window.document` is unforgeable: the page cannot redefine it). */
    document: () => win.document as Document | undefined,
    querySelectorAll: method<Document['querySelectorAll']>(win.Document?.prototype, 'querySelectorAll'),
    nodeListLength: getter<number>(nodeList, 'length'),
    nodeListItem: method<NodeList['item']>(nodeList, 'item'),
    getAttribute: method<Element['getAttribute']>(win.Element?.prototype, 'getAttribute'),
  };
}

/** The natives captured by `captureNatives`. */
export type Natives = ReturnType<typeof captureNatives>;

/**
 * A property descriptor with no prototype, so reading it cannot reach a getter the page put on
 * `Object.prototype` (`get`, `set`...). Built at start-up, reused.
 */
export const HIDE_CONSTRUCTOR: PropertyDescriptor = {
  __proto__: null,
  value: undefined,
} as PropertyDescriptor;

/**
 * Sets `array[index] = value` by definition, not assignment: a setter the page put on that index of
 * `Array.prototype` (or on `Object.prototype`) never sees the value.
 */
export function defineIndex(n: Natives, array: unknown[], index: number, value: unknown): void {
  n.defineProperty(array, index, {
    __proto__: null,
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  } as PropertyDescriptor);
}
