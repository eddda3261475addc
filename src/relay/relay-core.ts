/**
 * The isolated relay's logic: checks what the hook posts on the window, forwards it to the background
 * over a `khp-relay` port, and makes sure every batch arrives exactly once.
 *
 * Each batch gets a sequence number and is kept until the background acknowledges it (the background
 * acks only after it has stored the batch). When the port drops (Chrome stops an idle service worker;
 * Firefox suspends its event page), the next batch opens a new port and re-sends everything not yet
 * acked, in order; the background recognises batches it already stored by `(docId, seq)` and acks them
 * again without storing them twice.
 *
 * Flow control: at most `maxInFlightBytes` of unacknowledged batches are on the port at a time; the
 * rest wait here (they are kept until acked anyway) and go out as acks come back. A page producing
 * faster than the background can store then holds its backlog once, here, instead of also as a queue
 * of messages in the service worker.
 */
import type { PortLike } from '../messaging/ports';
import {
  PANEL_PORT,
  RELAY_PORT,
  envelope,
  isEnvelope,
  type Envelope,
  type FromRelay,
  type TestQuery,
} from '../messaging/messages';
import type { CaptureEvent } from '../protocol/capture';

/** The relay's end of the hook's MessageChannel. */
export interface HookPort {
  postMessage(message: unknown): void;
  onMessage(fn: (message: unknown) => void): void;
}

/** What the relay needs from its context (the real window and runtime, or fakes). */
export interface RelayDeps {
  connect(name: string): PortLike;
  /** Posts on the page's window (test-only replies). */
  postToPage(message: unknown): void;
  docId: string;
  frameUrl: string;
  top: boolean;
  /** Answer test-only queries (test builds only). */
  testQueries?: boolean;
  /** Bytes of unacknowledged batches kept at most; older ones are dropped past it. */
  maxUnackedBytes?: number;
  /** Bytes of unacknowledged batches posted to the background at a time (the rest wait). */
  maxInFlightBytes?: number;
}

interface Pending {
  seq: number;
  events: CaptureEvent[];
  bytes: number;
}

/** One document's relay. */
export class Relay {
  private port: PortLike | null = null;
  private seq = 0;
  private readonly unacked: Pending[] = [];
  private unackedBytes = 0;
  /** Highest sequence number posted on the current port. */
  private postedSeq = 0;
  /** Bytes of batches posted on the current port and not yet acked. */
  private inFlightBytes = 0;
  private hello: FromRelay | null = null;
  private hookPort: HookPort | null = null;
  /** What the background sent for the hook before the hook introduced itself (latest settings). */
  private forHook: Envelope[] = [];
  /** Batches dropped because the background never acked them (only past `maxUnackedBytes`). */
  lostBatches = 0;

  constructor(private readonly deps: RelayDeps) {}

  /** The top frame connects at once, so the background learns of every top-level navigation. */
  start(): void {
    if (this.deps.top) this.ensurePort();
  }

  /** The hook's end of the link (hook-link.ts): its messages come over this port, and only over it. */
  attachHook(port: HookPort): void {
    if (this.hookPort) return;
    this.hookPort = port;
    port.onMessage((m) => this.onHookMessage(m));
    for (const m of this.forHook.splice(0)) port.postMessage(m);
  }

  /** A window `message` event (test builds only): test queries posted by this window itself. */
  onWindowMessage(data: unknown, fromThisWindow: boolean): void {
    if (!fromThisWindow || !isEnvelope(data)) return;
    if (data.kind === 'khp-test-query' && this.deps.testQueries) {
      const q = data.payload as TestQuery;
      if (q.op === 'panel') void this.actAsPanel(q);
      else this.send(envelope('test-query', q));
    }
  }

  /** A message from the hook, over its channel. */
  onHookMessage(data: unknown): void {
    if (!isEnvelope(data)) return;
    if (data.kind === 'batch') {
      const { events, count } = data.payload as { events?: unknown; count?: unknown };
      if (!Array.isArray(events)) return;
      // The hook reuses one array: `count` says how much of it is the batch.
      const n = typeof count === 'number' && count >= 0 && count < events.length ? count : events.length;
      this.pushBatch((n < events.length ? events.slice(0, n) : events) as CaptureEvent[]);
    } else if (data.kind === 'hello') {
      const p = data.payload as { hookVersion?: unknown; frameUrl?: unknown };
      if (typeof p.hookVersion !== 'number') return;
      this.hello = envelope('hello', { hookVersion: p.hookVersion, frameUrl: String(p.frameUrl ?? '') });
      this.send(this.hello);
    }
  }

  /** A message from the background sent to this frame outside the port (settings). */
  onRuntimeMessage(message: unknown): void {
    if (!isEnvelope(message)) return;
    if (message.kind === 'hook-settings') this.toHook(message);
  }

  private toHook(message: Envelope): void {
    if (this.hookPort) return this.hookPort.postMessage(message);
    if (message.kind === 'hook-settings')
      this.forHook = this.forHook.filter((m) => m.kind !== 'hook-settings');
    this.forHook.push(message);
  }

  private pushBatch(events: CaptureEvent[]): void {
    const pending: Pending = { seq: ++this.seq, events, bytes: approxBytes(events) };
    this.unacked.push(pending);
    this.unackedBytes += pending.bytes;
    const max = this.deps.maxUnackedBytes ?? 64 * 1024 * 1024;
    while (this.unackedBytes > max && this.unacked.length > 1) {
      const lost = this.unacked.shift()!;
      this.unackedBytes -= lost.bytes;
      if (lost.seq <= this.postedSeq) this.inFlightBytes -= lost.bytes;
      this.lostBatches++;
    }
    if (this.port) this.pump();
    else this.ensurePort();
  }

  /** Posts waiting batches, in order, while the in-flight window has room (always at least one). */
  private pump(): void {
    const window = this.deps.maxInFlightBytes ?? 8 * 1024 * 1024;
    for (const p of this.unacked) {
      if (!this.port) return;
      if (p.seq <= this.postedSeq) continue;
      if (this.inFlightBytes > 0 && this.inFlightBytes + p.bytes > window) return;
      this.postedSeq = p.seq;
      this.inFlightBytes += p.bytes;
      this.send(envelope('batch', { docId: this.deps.docId, seq: p.seq, events: p.events }));
    }
  }

  private send(message: FromRelay): void {
    if (!this.port) {
      this.ensurePort(); // re-sends the hello and every unacked batch
      if (!this.port || message.kind === 'hello' || message.kind === 'batch') return;
    }
    try {
      this.port.postMessage(message);
    } catch {
      this.port = null;
      this.ensurePort();
    }
  }

  /** Opens the port if needed, introduces this document, then re-sends what was not acked. */
  private ensurePort(): void {
    if (this.port) return;
    let port: PortLike;
    try {
      port = this.deps.connect(RELAY_PORT);
    } catch {
      return; // the extension was reloaded or removed: nothing to talk to any more
    }
    this.port = port;
    this.postedSeq = 0;
    this.inFlightBytes = 0;
    port.onMessage.addListener((m) => this.onPortMessage(m));
    port.onDisconnect.addListener(() => {
      if (this.port === port) this.port = null;
      // Reconnect only when something is waiting; otherwise the next batch reconnects.
      if (this.unacked.length > 0) this.ensurePort();
    });
    const { docId, frameUrl, top } = this.deps;
    port.postMessage(envelope('relay-hello', { docId, frameUrl, top }));
    if (this.hello) port.postMessage(this.hello);
    this.pump();
  }

  private onPortMessage(message: unknown): void {
    if (!isEnvelope(message)) return;
    if (message.kind === 'ack') {
      const { seq } = message.payload as { seq: number };
      while (this.unacked.length > 0 && this.unacked[0]!.seq <= seq) {
        const done = this.unacked.shift()!;
        this.unackedBytes -= done.bytes;
        if (done.seq <= this.postedSeq) this.inFlightBytes -= done.bytes;
      }
      this.pump();
    } else if (message.kind === 'test-reply' && this.deps.testQueries) {
      this.deps.postToPage(envelope('khp-test-reply', message.payload));
    } else if (message.kind === 'hook-settings') {
      this.toHook(message);
    }
  }

  /** Test builds only: talks to the background as a panel would, and reports what came back. */
  private async actAsPanel(q: TestQuery): Promise<void> {
    const received: unknown[] = [];
    const port = this.deps.connect(PANEL_PORT);
    port.onMessage.addListener((m) => received.push(m));
    const wait = () => new Promise((r) => setTimeout(r, q.waitMs ?? 300));
    port.postMessage(envelope('connect', { tabId: q.tabId ?? -1, lastSeq: q.lastSeq ?? 0 }));
    await wait();
    if (q.send?.length) {
      for (const m of q.send) port.postMessage(m);
      await wait();
    }
    port.disconnect();
    this.deps.postToPage(envelope('khp-test-reply', { id: q.id, result: received }));
  }

  /** Number of batches not yet acknowledged (for tests). */
  get pendingBatches(): number {
    return this.unacked.length;
  }
}

/** A cheap size estimate of a batch (payload text dominates). */
export function approxBytes(events: CaptureEvent[]): number {
  let n = 0;
  for (const e of events) n += 96 + (e.type === 'frame' ? e.data.length : 0);
  return n;
}
