/**
 * A stand-in for a browser window with a `WebSocket` that behaves like the native one where the hook
 * can tell: constructor argument checks, `send` state errors, events through EventTarget.
 */
export class FakeCloseEvent extends Event {
  #code: number;
  #reason: string;
  #wasClean: boolean;
  constructor(type: string, init: { code: number; reason: string; wasClean: boolean }) {
    super(type);
    this.#code = init.code;
    this.#reason = init.reason;
    this.#wasClean = init.wasClean;
  }
  get code(): number {
    return this.#code;
  }
  get reason(): string {
    return this.#reason;
  }
  get wasClean(): boolean {
    return this.#wasClean;
  }
}

/** Constructor calls the fake saw: the argument count and the values. */
export const constructed: { argc: number; args: unknown[] }[] = [];

export class FakeWebSocket extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  #url: string;
  #protocol = '';
  #extensions = '';
  #readyState = 0;
  get readyState(): number {
    return this.#readyState;
  }
  set readyState(value: number) {
    this.#readyState = value;
  }
  sent: unknown[] = [];
  /** The `onmessage` handler, and the listener that calls it while one is set (HTML's rules). */
  #handler: unknown = null;
  #handlerListener: ((event: Event) => unknown) | null = null;
  get onmessage(): unknown {
    return this.#handler;
  }
  set onmessage(value: unknown) {
    const isObject = (typeof value === 'object' && value !== null) || typeof value === 'function';
    this.#handler = isObject ? value : null;
    if (!isObject && this.#handlerListener) {
      this.removeEventListener('message', this.#handlerListener);
      this.#handlerListener = null;
    } else if (isObject && !this.#handlerListener) {
      // Added once, where the first handler was set: later handlers take its place.
      this.#handlerListener = (event) => {
        const fn = this.#handler;
        if (typeof fn === 'function' && (fn as (e: Event) => unknown).call(this, event) === false)
          event.preventDefault();
      };
      this.addEventListener('message', this.#handlerListener);
    }
  }
  constructor(...args: unknown[]) {
    super();
    const [url] = args;
    if (args.length === 0) throw new TypeError("Failed to construct 'WebSocket': 1 argument required");
    if (!/^wss?:/.test(String(url))) throw new SyntaxError(`The URL '${String(url)}' is invalid.`);
    constructed.push({ argc: args.length, args });
    this.#url = String(url);
  }
  get url(): string {
    return this.#url;
  }
  get protocol(): string {
    return this.#protocol;
  }
  get extensions(): string {
    return this.#extensions;
  }
  send(data: unknown): void {
    if (this.readyState >= 2) return; // discarded, like the browser does
    if (this.readyState !== 1) throw new DOMException('Still in CONNECTING state.', 'InvalidStateError');
    this.sent.push(data);
  }
  /** Test controls: what the network would do. */
  fakeOpen(protocol: string, extensions = ''): void {
    this.#protocol = protocol;
    this.#extensions = extensions;
    this.readyState = 1;
    this.dispatchEvent(trusted(new Event('open')));
  }
  fakeReceive(data: unknown): void {
    this.dispatchEvent(trusted(new MessageEvent('message', { data })));
  }
  fakeClose(code: number, reason: string): void {
    this.readyState = 3;
    this.dispatchEvent(trusted(new FakeCloseEvent('close', { code, reason, wasClean: true })));
  }
}

/** An event as the browser dispatches it (`isTrusted`; one the page makes is not). */
function trusted<E extends Event>(event: E): E {
  Object.defineProperty(event, 'isTrusted', { value: true });
  return event;
}

/** A window-like object (an EventTarget): what `captureNatives`, `installHook` and the link read. */
export function fakeWindow(): typeof globalThis {
  const posted: unknown[] = [];
  return Object.assign(new EventTarget(), {
    WebSocket: FakeWebSocket,
    Event,
    MessageEvent,
    MessageChannel,
    MessagePort,
    CloseEvent: FakeCloseEvent,
    Blob,
    EventTarget,
    posted,
    postMessage: (message: unknown) => posted.push(message),
    setTimeout,
    btoa,
    location: { href: 'https://page.test/app' },
  }) as unknown as typeof globalThis;
}
