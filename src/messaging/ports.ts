/**
 * The slice of `runtime.Port` the extension's logic uses, so routers and relays run over real ports
 * in the browser and over in-memory pairs in unit tests.
 */

/** Who opened a port (as `runtime.Port.sender` reports it). */
export interface PortSender {
  tab?: { id?: number };
  frameId?: number;
  url?: string;
}

/** A message port: `runtime.Port` in the browser, `memoryPortPair` in tests. */
export interface PortLike {
  name: string;
  sender?: PortSender;
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(fn: (message: unknown) => void): void };
  onDisconnect: { addListener(fn: () => void): void };
}

class MemoryPort implements PortLike {
  peer: MemoryPort | null = null;
  private readonly messageFns: ((message: unknown) => void)[] = [];
  private readonly disconnectFns: (() => void)[] = [];
  connected = true;
  constructor(
    public name: string,
    public sender?: PortSender,
  ) {}
  postMessage(message: unknown): void {
    if (!this.connected) throw new Error('Attempting to use a disconnected port object');
    const peer = this.peer;
    // Chrome serialises port messages as JSON: do the same, so tests catch what would not survive.
    const copy = JSON.parse(JSON.stringify(message)) as unknown;
    queueMicrotask(() => {
      if (peer?.connected) for (const fn of peer.messageFns) fn(copy);
    });
  }
  disconnect(): void {
    if (!this.connected) return;
    this.connected = false;
    const peer = this.peer;
    if (peer?.connected) {
      peer.connected = false;
      queueMicrotask(() => peer.disconnectFns.forEach((fn) => fn()));
    }
  }
  onMessage = { addListener: (fn: (message: unknown) => void) => void this.messageFns.push(fn) };
  onDisconnect = { addListener: (fn: () => void) => void this.disconnectFns.push(fn) };
}

/**
 * Two connected in-memory ports: `[opener, receiver]`. The receiver carries `sender`, as the port
 * `runtime.onConnect` hands to the background does. Delivery is asynchronous and JSON-copied.
 */
export function memoryPortPair(name: string, sender?: PortSender): [PortLike, PortLike] {
  const a = new MemoryPort(name);
  const b = new MemoryPort(name, sender);
  a.peer = b;
  b.peer = a;
  return [a, b];
}
