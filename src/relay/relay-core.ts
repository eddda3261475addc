/**
 * The isolated relay's logic: checks what the hook posts on the window, forwards it to the background
 * over a `khp-relay` port, and makes sure every batch arrives exactly once.
 *
 * What the hook sends is checked before it is kept (capture-bounds.ts): each event's shape and types
 * (malformed events are dropped and counted), every string capped with a mark, and the events split
 * into batches within `CAPTURE_LIMITS.batchBytes`, far under Chrome's 64 MiB limit on one message.
 *
 * Each batch gets a sequence number and is kept until the background acknowledges it (the background
 * acks only after it has stored the batch). When the port drops (Chrome stops an idle service worker;
 * Firefox suspends its event page), the next batch opens a new port and re-sends everything not yet
 * acked, in order; the background recognises batches it already stored by `(docId, seq)` and acks them
 * again without storing them twice.
 *
 * A batch the background never takes (the port drops each time it is on it, or posting it throws) is
 * not re-sent forever: after a lost port the relay re-sends one batch at a time until an ack comes,
 * a port lost with one batch alone in flight counts against that batch, and a batch that failed
 * `maxDeliveries` times is dropped. Every event dropped here (malformed, past
 * `maxUnackedBytes`, undeliverable) is counted in `lostEvents`, a running total the relay reports to
 * the background (`lost {docId, events}`, again on every new port), which adds it to the tab's
 * dropped events.
 *
 * Flow control: at most `maxInFlightBytes` of unacknowledged batches are on the port at a time; the
 * rest wait here (they are kept until acked anyway) and go out as acks come back. A page producing
 * faster than the background can store then holds its backlog once, here, instead of also as a queue
 * of messages in the service worker.
 */
import type { PortLike } from '../messaging/ports';
import { RELAY_PORT, envelope, isEnvelope, type Envelope, type FromRelay } from '../messaging/messages';
import type { CaptureEvent } from '../protocol/capture';
import { CAPTURE_LIMITS, boundEvents, cutString, splitBatches } from '../protocol/capture-bounds';

/** The relay's end of the hook's MessageChannel. */
export interface HookPort {
  postMessage(message: unknown): void;
  onMessage(fn: (message: unknown) => void): void;
}

/** What the relay needs from its context (the real window and runtime, or fakes). */
export interface RelayDeps {
  connect(name: string): PortLike;
  docId: string;
  frameUrl: string;
  top: boolean;
  /** Bytes of unacknowledged batches kept at most; older ones not yet posted are dropped past it. */
  maxUnackedBytes?: number;
  /** Bytes of unacknowledged batches posted to the background at a time (the rest wait). */
  maxInFlightBytes?: number;
  /** Times a batch may be lost with its port before it is dropped (default 3). */
  maxDeliveries?: number;
  /** Largest batch posted, estimated bytes (default `CAPTURE_LIMITS.batchBytes`). */
  maxBatchBytes?: number;
}

interface Pending {
  seq: number;
  events: CaptureEvent[];
  bytes: number;
  /** Ports lost while this batch was alone in flight on them, or posts of it that threw. */
  failures: number;
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
  /** A port was lost with batches in flight: post one batch at a time until the next ack. */
  private probing = false;
  private hello: FromRelay | null = null;
  private hookPort: HookPort | null = null;
  /**
   * What the background sent for the hook before the hook was linked: the latest `hook-settings`
   * and the latest `hook-policy`.
   */
  private forHook: Envelope[] = [];
  /** Batches dropped unacknowledged: past `maxUnackedBytes`, or undeliverable. */
  lostBatches = 0;
  /** Events dropped here, all causes (reported to the background as a running total). */
  lostEvents = 0;
  /** Of `lostEvents`, the events the hook sent that failed the shape check. */
  malformedEvents = 0;

  constructor(protected readonly deps: RelayDeps) {}

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

  /** A message from the hook, over its channel: its events are checked, capped and re-batched. */
  onHookMessage(data: unknown): void {
    if (!isEnvelope(data)) return;
    if (data.kind === 'batch') {
      const { events: raw, count } = (data.payload ?? {}) as { events?: unknown; count?: unknown };
      if (!Array.isArray(raw)) return;
      // The hook reuses one array: `count` says how much of it is the batch.
      const n = typeof count === 'number' && count >= 0 && count < raw.length ? count : raw.length;
      const { events, malformed } = boundEvents(n < raw.length ? raw.slice(0, n) : raw);
      const max = this.deps.maxBatchBytes ?? CAPTURE_LIMITS.batchBytes;
      for (const b of splitBatches(events, max)) this.pushBatch(b.events, b.bytes);
      if (malformed > 0) {
        this.malformedEvents += malformed;
        this.lose(malformed);
      }
    } else if (data.kind === 'hello') {
      const p = data.payload as { hookVersion?: unknown; frameUrl?: unknown } | null;
      if (typeof p?.hookVersion !== 'number' || !Number.isFinite(p.hookVersion)) return;
      const frameUrl = typeof p.frameUrl === 'string' ? cutString(p.frameUrl, CAPTURE_LIMITS.urlChars) : '';
      this.hello = envelope('hello', { hookVersion: p.hookVersion, frameUrl });
      this.send(this.hello);
    }
  }

  /** A message from the background sent to this frame outside the port (settings). */
  onRuntimeMessage(message: unknown): void {
    if (!isEnvelope(message)) return;
    if (message.kind === 'hook-settings') this.toHook(message);
  }

  /** Posts to the hook, or keeps it until the hook is linked (only the latest of each kind). */
  protected toHook(message: Envelope): void {
    if (this.hookPort) return this.hookPort.postMessage(message);
    this.forHook = this.forHook.filter((m) => m.kind !== message.kind);
    this.forHook.push(message);
  }

  private pushBatch(events: CaptureEvent[], bytes: number): void {
    const pending: Pending = { seq: ++this.seq, events, bytes, failures: 0 };
    this.unacked.push(pending);
    this.unackedBytes += pending.bytes;
    const max = this.deps.maxUnackedBytes ?? 64 * 1024 * 1024;
    // Past the limit the oldest batch not yet on the port goes (never the newest). A batch in flight
    // stays: the background may be storing it, and a batch both stored and counted lost would count
    // its events twice.
    const inFlight = this.port ? this.postedSeq : 0;
    for (let i = 0; this.unackedBytes > max && i < this.unacked.length - 1;) {
      if (this.unacked[i]!.seq <= inFlight) i++;
      else this.drop(i);
    }
    if (this.port) this.pump();
    else this.ensurePort();
  }

  /** Drops the unacknowledged batch at `index`, counting its events as lost. */
  private drop(index: number): void {
    const [lost] = this.unacked.splice(index, 1);
    if (!lost) return;
    this.unackedBytes -= lost.bytes;
    if (lost.seq <= this.postedSeq) this.inFlightBytes -= lost.bytes;
    this.lostBatches++;
    this.lose(lost.events.length);
  }

  /** Counts `n` more lost events and tells the background the new total. */
  private lose(n: number): void {
    this.lostEvents += n;
    this.send(this.lostReport());
  }

  private lostReport(): FromRelay {
    return envelope('lost', { docId: this.deps.docId, events: this.lostEvents });
  }

  /**
   * Posts waiting batches, in order, while the in-flight window has room (always at least one; only
   * one while probing). A batch that failed `maxDeliveries` times is dropped instead of posted again.
   */
  /** Index of the first unacknowledged batch not yet posted on the current port (binary search). */
  private firstUnposted(): number {
    let lo = 0;
    let hi = this.unacked.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.unacked[mid]!.seq <= this.postedSeq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private pump(): void {
    const window = this.probing ? 0 : (this.deps.maxInFlightBytes ?? 8 * 1024 * 1024);
    const maxDeliveries = this.deps.maxDeliveries ?? 3;
    // Batches are in `seq` order: start at the first one not yet posted (a backlog of thousands is
    // not walked again on every batch and every ack).
    for (let i = this.firstUnposted(); i < this.unacked.length; i++) {
      const port = this.port;
      if (!port) return;
      const p = this.unacked[i]!;
      if (p.failures >= maxDeliveries) {
        this.drop(i--);
        continue;
      }
      if (this.inFlightBytes > 0 && this.inFlightBytes + p.bytes > window) return;
      this.postedSeq = p.seq;
      this.inFlightBytes += p.bytes;
      try {
        port.postMessage(envelope('batch', { docId: this.deps.docId, seq: p.seq, events: p.events }));
      } catch {
        // Too large (Chrome refuses a message over 64 MiB), or the port is gone: this batch is the
        // one posting failed on.
        p.failures++;
        return this.portLost(port, false);
      }
    }
  }

  /**
   * Posts `message` to the background, opening the port if needed. A new port re-sends the hellos,
   * the lost total and every unacked batch by itself; a `oneOff` message is posted on it as well.
   */
  protected send(message: FromRelay, oneOff = false): void {
    if (!this.port) {
      this.ensurePort();
      if (!this.port || !oneOff) return;
    }
    try {
      this.port.postMessage(message);
    } catch {
      this.portLost(this.port, true);
    }
  }

  /**
   * The current port is unusable. With `blame`, a batch that was alone in flight on it counts a
   * failure (with several in flight, any of them could be the cause, or none: the background holds
   * its acks until its write completes). Either way the relay probes, one batch at a time, until
   * the next ack, so a batch that keeps losing its port is found and dropped alone. A new port is
   * opened when something waits.
   */
  private portLost(port: PortLike, blame: boolean): void {
    if (this.port !== port) return;
    this.port = null;
    let inFlight = 0;
    while (inFlight < this.unacked.length && this.unacked[inFlight]!.seq <= this.postedSeq) inFlight++;
    if (blame && inFlight === 1) this.unacked[0]!.failures++;
    if (inFlight > 0) this.probing = true;
    try {
      port.disconnect();
    } catch {
      // already gone
    }
    if (this.unacked.length > 0) this.ensurePort();
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
    // Reconnects only when something is waiting; otherwise the next batch reconnects.
    port.onDisconnect.addListener(() => this.portLost(port, true));
    const { docId, frameUrl, top } = this.deps;
    try {
      port.postMessage(envelope('relay-hello', { docId, frameUrl, top }));
      if (this.hello) port.postMessage(this.hello);
      if (this.lostEvents > 0) port.postMessage(this.lostReport());
    } catch {
      this.port = null;
      return;
    }
    this.pump();
  }

  private onPortMessage(message: unknown): void {
    if (!isEnvelope(message)) return;
    if (message.kind === 'ack') {
      const { seq } = message.payload as { seq: number };
      while (this.unacked.length > 0 && this.unacked[0]!.seq <= seq) {
        this.probing = false;
        const done = this.unacked.shift()!;
        this.unackedBytes -= done.bytes;
        if (done.seq <= this.postedSeq) this.inFlightBytes -= done.bytes;
      }
      this.pump();
    } else if (message.kind === 'hook-settings') {
      this.toHook(message);
    } else if (message.kind === 'hook-policy') {
      // Only the flag crosses, and only `true` allows (the hook stands aside otherwise).
      const p = message.payload as { blobWorkers?: unknown } | null;
      this.toHook(envelope('hook-policy', { blobWorkers: p?.blobWorkers === true }));
    } else {
      this.onOtherPortMessage(message);
    }
  }

  /** A message from the background of a kind the relay does not know: ignored (see test-relay.ts). */
  protected onOtherPortMessage(_message: Envelope): void {}

  /** Number of batches not yet acknowledged (for tests). */
  get pendingBatches(): number {
    return this.unacked.length;
  }
}
