/**
 * Per-socket recording: turns what the hook observes into `CaptureEvent`s, in order, within budget.
 *
 * Budget: a socket that negotiated `x-kaazing-handshake` keeps every frame until its handshake is
 * over (a receive frame with a completing status, then one more frame: the empty terminator or the
 * balancer message real gateways send); after that, and for plain sockets from the start, it keeps
 * `frameBudget` frames and only counts the rest (running totals in `dropped` events). Full capture
 * keeps everything. Blob payloads are read asynchronously; later events of the same socket wait for
 * them, so each socket's events stay in order.
 *
 * Payloads: handshake frames are kept whole (up to `maxPayload`). After the handshake, default mode
 * keeps each frame's metadata but only a preview of its payload (`preview` bytes, marked
 * `truncated`): the house rule "after the handshake is done, stay cheap". Full capture keeps whole
 * payloads. Frames past the budget are only measured, never converted.
 */
import type { CaptureEvent, Direction } from '../protocol/capture';
import type { HookSettings } from '../messaging/messages';
import {
  isCompletingResponse,
  payloadSize,
  readBlob,
  syncPayload,
  textPayload,
  type Payload,
} from './payload';
import type { Natives } from './natives';

/** The negotiated sub-protocol that turns on KHP handshake capture. */
export const KHP_PROTOCOL = 'x-kaazing-handshake';
/** Largest payload kept per frame (bytes); longer payloads are cut and marked `truncated`. */
export const MAX_PAYLOAD = 1024 * 1024;
/** Payload bytes kept of a frame after the handshake in default mode. */
export const PREVIEW_BYTES = 256;
/** Hard cap on frames kept during a KHP handshake that never ends. */
const HANDSHAKE_CAP = 10_000;

/** The state of one observed socket. */
export interface SocketRecord {
  id: string;
  khp: boolean;
  completed: boolean;
  handshakeOver: boolean;
  handshakeFrames: number;
  kept: number;
  dropped: { frames: number; bytes: number };
  droppedReported: number;
  tail: Promise<void> | null;
}

/** Optional knobs: the payload caps, and `wake`, called when a `dropped` report is pending. */
export interface RecorderOptions {
  maxPayload?: number;
  /** Bytes kept of post-handshake payloads in default mode (`PREVIEW_BYTES`). */
  preview?: number;
  wake?: () => void;
}

/** Records sockets' events and hands them to `sink` in order. */
export class Recorder {
  private counter = 0;
  private readonly maxPayload: number;
  private readonly preview: number;
  private readonly dirty = new Set<SocketRecord>();

  constructor(
    private readonly n: Natives,
    private readonly sink: (event: CaptureEvent) => void,
    private readonly frameToken: string,
    public settings: HookSettings,
    private readonly options: RecorderOptions = {},
  ) {
    this.maxPayload = options.maxPayload ?? MAX_PAYLOAD;
    this.preview = Math.min(options.preview ?? PREVIEW_BYTES, this.maxPayload);
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
      dropped: { frames: 0, bytes: 0 },
      droppedReported: 0,
      tail: null,
    };
    const event: CaptureEvent = {
      type: 'create',
      socketId: rec.id,
      time: this.n.now(),
      url,
      protocols,
      pageUrl,
    };
    if (replayOf !== undefined) event.replayOf = replayOf;
    this.emit(rec, event);
    return rec;
  }

  /** The `open` event: the negotiated protocol decides whether the KHP handshake is captured. */
  open(rec: SocketRecord, protocol: string, extensions: string): void {
    rec.khp = protocol === KHP_PROTOCOL;
    rec.handshakeOver = !rec.khp;
    this.emit(rec, { type: 'open', socketId: rec.id, time: this.n.now(), protocol, extensions });
  }

  /** A frame sent or received; `value` is the raw payload (string, buffer, view or Blob). */
  frame(rec: SocketRecord, dir: Direction, value: unknown): void {
    const time = this.n.now();
    // With no Blob read pending, the socket's state is current: a frame past the budget is counted
    // without converting it. (With one pending, `accept` decides once the earlier frames are in.)
    if (!rec.tail && this.overBudget(rec)) return this.drop(rec, payloadSize(value, this.n));
    // The state can only move towards "handshake over": a frame judged in the handshake here keeps
    // its whole payload even if the frames ahead of it end the handshake.
    const limit = this.settings.fullCapture || !rec.handshakeOver ? this.maxPayload : this.preview;
    const payload = syncPayload(value, limit, this.n);
    if (payload === 'blob') {
      const blob = value as Blob;
      if (this.overBudget(rec)) return this.drop(rec, this.n.blobSize(blob));
      const read = readBlob(blob, limit, this.n);
      rec.tail = chain(rec.tail, async () => this.accept(rec, dir, time, await read));
      return;
    }
    const p = payload ?? { ...textPayload('', 0), truncated: true };
    if (rec.tail) rec.tail = chain(rec.tail, () => this.accept(rec, dir, time, p));
    else this.accept(rec, dir, time, p);
  }

  /** The `close` event. */
  close(rec: SocketRecord, code: number, reason: string, wasClean: boolean): void {
    this.emit(rec, { type: 'close', socketId: rec.id, time: this.n.now(), code, reason, wasClean });
  }

  /** The `error` event (browsers give no detail). */
  error(rec: SocketRecord): void {
    this.emit(rec, { type: 'error', socketId: rec.id, time: this.n.now() });
  }

  /** Emits a `dropped` event (running totals) for each socket that dropped frames since the last call. */
  reportDropped(): void {
    for (const rec of this.dirty) {
      if (rec.dropped.frames === rec.droppedReported) continue;
      rec.droppedReported = rec.dropped.frames;
      this.sink({ type: 'dropped', socketId: rec.id, time: this.n.now(), ...rec.dropped });
    }
    this.dirty.clear();
  }

  private overBudget(rec: SocketRecord): boolean {
    return !this.settings.fullCapture && rec.handshakeOver && rec.kept >= this.settings.frameBudget;
  }

  private accept(rec: SocketRecord, dir: Direction, time: number, p: Payload): void {
    if (!rec.handshakeOver) {
      // Spec, "Extended Handshake Response": a 101 (or 201/204/205) "completes" the handshake.
      if (rec.completed || ++rec.handshakeFrames >= HANDSHAKE_CAP) rec.handshakeOver = true;
      else if (dir === 'receive' && isCompletingResponse(p.head)) rec.completed = true;
    } else if (this.overBudget(rec)) {
      return this.drop(rec, p.size);
    } else rec.kept++;
    const event: CaptureEvent = {
      type: 'frame',
      socketId: rec.id,
      dir,
      time,
      opcode: p.opcode,
      data: p.data,
      size: p.size,
    };
    if (p.truncated) event.truncated = true;
    this.sink(event);
  }

  private drop(rec: SocketRecord, bytes: number): void {
    rec.dropped.frames++;
    rec.dropped.bytes += bytes;
    this.dirty.add(rec);
    this.options.wake?.();
  }

  private emit(rec: SocketRecord, event: CaptureEvent): void {
    if (rec.tail) rec.tail = chain(rec.tail, () => this.sink(event));
    else this.sink(event);
  }
}

/** Runs `next` after `prev`, whatever `prev` did; never rejects (a failed read loses one frame). */
async function chain(prev: Promise<void> | null, next: () => unknown): Promise<void> {
  try {
    await prev;
    await next();
  } catch {
    // Never into the page: a Blob that cannot be read is left out.
  }
}
