/**
 * Per-socket recording: turns what the hook observes into `CaptureEvent`s, in order.
 *
 * What is recorded, and why (the page's main thread is the user's):
 * - Every socket's life (create, open, error, close), always.
 * - Every frame of a KHP socket's extended handshake, whole (up to `maxPayload`): from construction
 *   until a received frame with a completing status, then one more frame (the empty terminator or
 *   the balancer message real gateways send). Spec, "Extended Handshake Response": 101 completes the
 *   handshake; 201, 204 and 205 "MUST consider the extended handshake completed" too.
 * - After the handshake (at `open` for a socket that is not KHP), frames are recorded only while they
 *   are wanted: with full capture (whole payloads, no budget), or while DevTools is open on the tab
 *   (`live`), up to `frameBudget` frames with a `preview` of each payload. Otherwise the socket is
 *   *paused*: its messages no longer pass through the hook (they then cost the page nothing; see
 *   message-slot.ts) and it only counts what the page sends; `paused` / `resumed` events mark the span for the panel.
 *
 * - With full capture while DevTools is closed on the tab (settings known, not `live`), frames after
 *   the handshake are *held* in the page (held.ts) instead of being encoded and sent one by one; the
 *   socket's later events wait behind them. When DevTools opens, they are sent in order, a slice per
 *   task. Held frames dropped to make room are marked by a `paused` / `resumed` span ('held-full').
 *
 * Blob payloads are read asynchronously; the socket's later events wait for them, so each socket's
 * events stay in order. No built-in is looked up after start-up (see natives.ts): records and events
 * are object literals with every field present, a socket's queue is a linked list, the held queue
 * typed-array columns (held.ts).
 */
import type { CaptureEvent, Direction, UnrecordedSpan, WorkerOrigin } from '../protocol/capture';
import { KHP_PROTOCOL } from '../protocol/khp';
import { HeldQueue, PAGE_HELD_LIMITS, WORKER_HELD_LIMITS, type HeldEntry, type HeldLimits } from './held';
import { HIDE_CONSTRUCTOR, type Natives } from './natives';
import {
  blobSize,
  byteParts,
  frameEvent,
  isCompletingResponse,
  readBlob,
  syncPayload,
  textPayload,
  type Payload,
} from './payload';

/** Largest payload kept per frame (bytes); longer payloads are cut and marked `truncated`. */
export const MAX_PAYLOAD = 1024 * 1024;
/** Payload bytes kept of a frame after the handshake in default mode. */
export const PREVIEW_BYTES = 256;
/** Hard cap on frames kept during a KHP handshake that never ends. */
const HANDSHAKE_CAP = 10_000;
/** Payload bytes of held frames sent per task once DevTools opens. */
const DRAIN_STEP_BYTES = 1024 * 1024;

/** What the hook applies (from the background, through the relay). */
export interface RecorderSettings {
  fullCapture: boolean;
  frameBudget: number;
  /** DevTools is open on the tab: frames after the handshake are wanted (within the budget). */
  live: boolean;
}

/** An event waiting behind a Blob read of the same socket. */
interface Queued {
  ready: boolean;
  event: CaptureEvent | null;
  next: Queued | null;
}

/** The state of one observed socket. */
export interface SocketRecord {
  id: string;
  khp: boolean;
  completed: boolean;
  handshakeOver: boolean;
  handshakeFrames: number;
  /** Frames kept after the handshake. */
  kept: number;
  /** Not recording frames (see the module comment); `sent` counts the page's sends meanwhile. */
  paused: boolean;
  sent: number;
  closed: boolean;
  head: Queued | null;
  tail: Queued | null;
  /** Entries of this socket in the held queue (its events go there while any is). */
  held: number;
  /** Held frames of this socket were dropped to make room and no later event was sent yet. */
  dropping: boolean;
  /** Of those, the page's sends and the messages it received. */
  droppedSent: number;
  droppedReceived: number;
  /** Neighbours in the list of sockets not yet closed. */
  prev: SocketRecord | null;
  next: SocketRecord | null;
  /** Set by the installer: starts or stops observing the socket's received messages. */
  listen: (on: boolean) => void;
}

/** Optional knobs: the payload caps, and the worker the recorder runs in. */
export interface RecorderOptions {
  /** Set in a worker's hook: stamped on every socket's `create` event. */
  worker?: WorkerOrigin;
  maxPayload?: number;
  /** Bytes kept of post-handshake payloads in default mode (`PREVIEW_BYTES`). */
  preview?: number;
  /** Bounds of the held frames (default: a page's, or a worker's where `worker` is set). */
  held?: HeldLimits;
  /** Runs `fn` in a later task (held frames are sent a slice per task); without it, all at once. */
  schedule?: (fn: () => void, ms: number) => void;
}

const noop = () => {};

/** Records sockets' events and hands them to `sink` in order. */
export class Recorder {
  private counter = 0;
  private readonly maxPayload: number;
  private readonly preview: number;
  private readonly worker: WorkerOrigin | undefined;
  /** Sockets not yet closed, newest first (for resuming them when settings change). */
  private open_: SocketRecord | null = null;
  /**
   * Until the first settings arrive from the background, sockets are treated as live: a page's
   * first sockets are not paused on a guess in the moments before the answer arrives.
   */
  private known = false;
  private readonly queue: HeldQueue<SocketRecord>;
  private readonly schedule: ((fn: () => void, ms: number) => void) | undefined;
  private draining = false;
  private readonly drainStep = () => {
    this.draining = false;
    this.drain(DRAIN_STEP_BYTES);
  };

  constructor(
    private readonly n: Natives,
    private readonly sink: (event: CaptureEvent) => void,
    private readonly frameToken: string,
    public settings: RecorderSettings,
    options: RecorderOptions = {},
  ) {
    this.maxPayload = options.maxPayload ?? MAX_PAYLOAD;
    this.worker = options.worker;
    const preview = options.preview ?? PREVIEW_BYTES;
    this.preview = preview < this.maxPayload ? preview : this.maxPayload;
    this.schedule = options.schedule;
    this.queue = new HeldQueue<SocketRecord>(
      n,
      options.held ?? (this.worker ? WORKER_HELD_LIMITS : PAGE_HELD_LIMITS),
      (e) => this.evicted(e),
    );
  }

  /** A socket was constructed (`replayOf`: the socket a panel replay opened it for). */
  create(url: string, protocols: string[], pageUrl: string, replayOf?: string): SocketRecord {
    const rec: SocketRecord = {
      id: `${this.frameToken}:${++this.counter}`,
      khp: false,
      completed: false,
      handshakeOver: false,
      handshakeFrames: 0,
      kept: 0,
      paused: false,
      sent: 0,
      closed: false,
      head: null,
      tail: null,
      held: 0,
      dropping: false,
      droppedSent: 0,
      droppedReceived: 0,
      prev: null,
      next: this.open_,
      listen: noop,
    };
    if (this.open_) this.open_.prev = rec;
    this.open_ = rec;
    const time = this.n.now();
    this.emit(
      rec,
      // Literals (never assignments a setter on Object.prototype could see); `worker` is present
      // only in a worker's hook, where it is always set.
      this.worker !== undefined
        ? { type: 'create', socketId: rec.id, time, url, protocols, pageUrl, worker: this.worker }
        : replayOf === undefined
          ? { type: 'create', socketId: rec.id, time, url, protocols, pageUrl }
          : { type: 'create', socketId: rec.id, time, url, protocols, pageUrl, replayOf },
    );
    return rec;
  }

  /** The `open` event: the negotiated protocol decides whether the KHP handshake is captured. */
  open(rec: SocketRecord, protocol: string, extensions: string): void {
    rec.khp = protocol === KHP_PROTOCOL;
    this.emit(rec, { type: 'open', socketId: rec.id, time: this.n.now(), protocol, extensions });
    if (!rec.khp) {
      rec.handshakeOver = true;
      this.review(rec);
    }
  }

  /** A frame sent or received; `value` is the raw payload (string, buffer, view or Blob). */
  frame(rec: SocketRecord, dir: Direction, value: unknown): void {
    if (rec.paused) {
      if (dir === 'send') rec.sent++;
      return;
    }
    const time = this.n.now();
    if (rec.handshakeOver && rec.head === null && this.holding() && this.hold(rec, dir, time, value)) return;
    // A frame judged in the handshake here keeps its whole payload even if the frames ahead of it
    // (a pending Blob read) end the handshake.
    const limit = this.settings.fullCapture || !rec.handshakeOver ? this.maxPayload : this.preview;
    const payload = syncPayload(value, limit, this.n);
    if (payload !== 'blob') {
      const p = payload ?? { ...textPayload('', 0, this.n), truncated: true };
      return this.accept(rec, dir, time, p, null);
    }
    const slot: Queued = { ready: false, event: null, next: null };
    this.enqueue(rec, slot);
    if (blobSize(value, this.n) < 0) return this.fill(rec, slot, null);
    try {
      readBlob(value as Blob, limit, this.n, HIDE_CONSTRUCTOR, (p) =>
        p ? this.accept(rec, dir, time, p, slot) : this.fill(rec, slot, null),
      );
    } catch {
      this.fill(rec, slot, null); // a Blob that cannot be read is left out
    }
  }

  /** The `close` event. */
  close(rec: SocketRecord, code: number, reason: string, wasClean: boolean): void {
    const time = this.n.now();
    if (rec.paused) this.resume(rec, time);
    rec.closed = true;
    rec.listen(false);
    if (rec.prev) rec.prev.next = rec.next;
    else if (this.open_ === rec) this.open_ = rec.next;
    if (rec.next) rec.next.prev = rec.prev;
    rec.prev = rec.next = null;
    this.emit(rec, { type: 'close', socketId: rec.id, time, code, reason, wasClean });
  }

  /** The `error` event (browsers give no detail). */
  error(rec: SocketRecord): void {
    this.emit(rec, { type: 'error', socketId: rec.id, time: this.n.now() });
  }

  /**
   * New settings: sockets paused for a reason that no longer holds resume, and the reverse; held
   * frames start to leave once they are no longer to be held.
   */
  apply(settings: RecorderSettings): void {
    this.settings = settings;
    this.known = true;
    for (let rec = this.open_; rec; rec = rec.next) this.review(rec);
    if (!this.holding()) this.drainSoon();
  }

  /** Entries in the held queue (for tests). */
  get heldEntries(): number {
    return this.queue.size;
  }

  /** Frames are held: full capture, DevTools closed on the tab, as the background said. */
  private holding(): boolean {
    const s = this.settings;
    return this.known && s.fullCapture && !s.live;
  }

  /** Holds a frame's payload if it is text or bytes (a Blob or another value goes the usual way). */
  private hold(rec: SocketRecord, dir: Direction, time: number, value: unknown): boolean {
    let held = false;
    if (typeof value === 'string') held = this.queue.text(rec, dir, time, value);
    else {
      const parts = byteParts(value, this.n);
      if (parts) held = this.queue.bytes(rec, dir, time, parts[0], parts[1], parts[2], this.maxPayload);
      else {
        const size = blobSize(value, this.n);
        if (size >= 0) held = this.queue.blob(rec, dir, time, value as Blob, size);
      }
    }
    if (held) {
      rec.kept++;
      rec.held++;
    }
    return held;
  }

  private drainSoon(): void {
    if (this.draining || this.queue.size === 0) return;
    if (!this.schedule) return this.drain(Infinity);
    this.draining = true;
    this.schedule(this.drainStep, 0);
  }

  /** Sends held entries in order, about `bytes` of payload, then goes on in a later task. */
  private drain(bytes: number): void {
    let budget = bytes;
    while (budget > 0 && !this.holding()) {
      const blob = this.queue.oldestBlob();
      if (blob) return this.drainBlob(blob, this.queue.oldestId);
      const e = this.queue.shift();
      if (!e) return;
      e.owner.held--;
      budget -= e.event ? 64 : e.opcode === 1 ? e.size : e.length;
      this.toSink(e.owner, e.event ?? this.queue.frameEvent(e, e.owner.id, this.maxPayload));
    }
    if (!this.holding()) this.drainSoon();
  }

  /**
   * The oldest held entry is a Blob: it is read while it stays at the head of the queue (counted in
   * the bounds, everything after it behind it), and the drain waits for the read. If it had to leave
   * to make room meanwhile, it was dropped and counted like any frame, and the read is not used.
   */
  private drainBlob(blob: Blob, id: number): void {
    this.draining = true;
    const done = (p: Payload | null) => {
      this.draining = false;
      try {
        if (this.queue.oldestId === id && this.queue.size > 0) {
          const e = this.queue.shift()!;
          if (!p) return this.evicted(e); // unreadable now: counted as dropped
          e.owner.held--;
          this.toSink(e.owner, frameEvent(e.owner.id, e.dir, e.time, p));
        }
      } catch {
        // Observation must never change what the page sees (this runs in a promise reaction).
      } finally {
        if (!this.holding()) this.drainSoon();
      }
    };
    try {
      readBlob(blob, this.maxPayload, this.n, HIDE_CONSTRUCTOR, done);
    } catch {
      done(null);
    }
  }

  /** An entry left the held queue to make room: an event is sent, a frame is dropped and counted. */
  private evicted(e: HeldEntry<SocketRecord>): void {
    const rec = e.owner;
    rec.held--;
    if (e.event) return this.toSink(rec, e.event);
    if (!rec.dropping) {
      rec.dropping = true;
      rec.droppedSent = 0;
      rec.droppedReceived = 0;
      this.sink({ type: 'paused', socketId: rec.id, time: e.time, reason: 'held-full' });
    }
    if (e.dir === 'send') rec.droppedSent++;
    else rec.droppedReceived++;
  }

  /** Sends `event`, closing first a span of dropped held frames. */
  private toSink(rec: SocketRecord, event: CaptureEvent): void {
    if (rec.dropping) {
      rec.dropping = false;
      const { droppedSent: sent, droppedReceived: received } = rec;
      this.sink({ type: 'resumed', socketId: rec.id, time: event.time, sent, received });
    }
    this.sink(event);
  }

  /** Sends `event` now, or in line behind the socket's held entries. */
  private out(rec: SocketRecord, event: CaptureEvent): void {
    if (rec.held > 0) {
      rec.held++;
      this.queue.event(rec, event);
    } else this.toSink(rec, event);
  }

  /** True when the socket's frames are wanted now. */
  private wanted(rec: SocketRecord): boolean {
    const s = this.settings;
    return !rec.handshakeOver || s.fullCapture || ((s.live || !this.known) && rec.kept < s.frameBudget);
  }

  /** Pauses or resumes `rec` to match the settings. */
  private review(rec: SocketRecord): void {
    if (rec.closed) return;
    const want = this.wanted(rec);
    if (want && rec.paused) this.resume(rec, this.n.now());
    else if (!want && !rec.paused) {
      rec.paused = true;
      rec.sent = 0;
      rec.listen(false);
      const reason: UnrecordedSpan['reason'] =
        (this.settings.live || !this.known) && rec.kept >= this.settings.frameBudget
          ? 'budget'
          : 'no-devtools';
      this.emit(rec, { type: 'paused', socketId: rec.id, time: this.n.now(), reason });
    }
  }

  private resume(rec: SocketRecord, time: number): void {
    rec.paused = false;
    if (!rec.closed) {
      rec.kept = 0;
      rec.listen(true);
    }
    this.emit(rec, { type: 'resumed', socketId: rec.id, time, sent: rec.sent });
  }

  private accept(rec: SocketRecord, dir: Direction, time: number, p: Payload, slot: Queued | null): void {
    if (!rec.handshakeOver) {
      if (rec.completed || ++rec.handshakeFrames >= HANDSHAKE_CAP) rec.handshakeOver = true;
      else if (dir === 'receive' && isCompletingResponse(p.head, this.n)) rec.completed = true;
    } else rec.kept++;
    const event = frameEvent(rec.id, dir, time, p);
    if (slot) this.fill(rec, slot, event);
    else this.emit(rec, event);
    if (rec.handshakeOver && !rec.paused && !this.wanted(rec)) this.review(rec);
  }

  /** Emits now, or behind the socket's pending Blob reads. */
  private emit(rec: SocketRecord, event: CaptureEvent): void {
    if (!rec.head) return this.out(rec, event);
    this.enqueue(rec, { ready: true, event, next: null });
  }

  private enqueue(rec: SocketRecord, slot: Queued): void {
    if (rec.tail) rec.tail.next = slot;
    else rec.head = slot;
    rec.tail = slot;
  }

  /** A Blob read finished (`event` null: it failed); emits every event now at the head, in order. */
  private fill(rec: SocketRecord, slot: Queued, event: CaptureEvent | null): void {
    slot.ready = true;
    slot.event = event;
    while (rec.head && rec.head.ready) {
      const head = rec.head;
      rec.head = head.next;
      if (!rec.head) rec.tail = null;
      if (head.event) this.out(rec, head.event);
    }
  }
}
