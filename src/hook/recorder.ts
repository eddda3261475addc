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
 *   *paused*: the hook stops listening to its messages (they then cost the page nothing) and only
 *   counts what the page sends; `paused` / `resumed` events mark the span for the panel.
 *
 * Blob payloads are read asynchronously; the socket's later events wait for them, so each socket's
 * events stay in order. No built-in is looked up after start-up (see natives.ts): records and events
 * are object literals with every field present, queues are linked lists.
 */
import type { CaptureEvent, Direction, UnrecordedSpan, WorkerOrigin } from '../protocol/capture';
import { KHP_PROTOCOL } from '../protocol/khp';
import { HIDE_CONSTRUCTOR, type Natives } from './natives';
import { blobSize, isCompletingResponse, readBlob, syncPayload, textPayload, type Payload } from './payload';

/** Largest payload kept per frame (bytes); longer payloads are cut and marked `truncated`. */
export const MAX_PAYLOAD = 1024 * 1024;
/** Payload bytes kept of a frame after the handshake in default mode. */
export const PREVIEW_BYTES = 256;
/** Hard cap on frames kept during a KHP handshake that never ends. */
const HANDSHAKE_CAP = 10_000;

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
  /** Neighbours in the list of sockets not yet closed. */
  prev: SocketRecord | null;
  next: SocketRecord | null;
  /** Set by the installer: starts or stops listening to the socket's messages. */
  listen: (on: boolean) => void;
}

/** Optional knobs: the payload caps, and the worker the recorder runs in. */
export interface RecorderOptions {
  /** Set in a worker's hook: stamped on every socket's `create` event. */
  worker?: WorkerOrigin;
  maxPayload?: number;
  /** Bytes kept of post-handshake payloads in default mode (`PREVIEW_BYTES`). */
  preview?: number;
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

  /** New settings: sockets paused for a reason that no longer holds resume, and the reverse. */
  apply(settings: RecorderSettings): void {
    this.settings = settings;
    this.known = true;
    for (let rec = this.open_; rec; rec = rec.next) this.review(rec);
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
    const event: CaptureEvent = {
      type: 'frame',
      socketId: rec.id,
      dir,
      time,
      opcode: p.opcode,
      data: p.data,
      size: p.size,
      truncated: p.truncated,
    };
    if (slot) this.fill(rec, slot, event);
    else this.emit(rec, event);
    if (rec.handshakeOver && !rec.paused && !this.wanted(rec)) this.review(rec);
  }

  /** Emits now, or behind the socket's pending Blob reads. */
  private emit(rec: SocketRecord, event: CaptureEvent): void {
    if (!rec.head) return this.sink(event);
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
      if (head.event) this.sink(head.event);
    }
  }
}
