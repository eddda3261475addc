/**
 * Full capture while DevTools is closed on the tab: frames wait here, in the page, until a DevTools
 * window opens on it (the settings say `live`), instead of each being encoded, posted to the relay and
 * written to the background as it happens, which cost the page's thread 1.5 times its own work per
 * 32-byte message and 7 times per 64 KiB one (docs/benchmarks.md). Holding a frame costs a reference
 * (text and Blobs: they cannot change; a Blob is read when it leaves) or one copy into a ring of bytes
 * allocated once (buffers and views: the page may change or transfer its buffer after `send`, or
 * after it got a message).
 *
 * The queue is first in, first out, across the realm's sockets; an entry is a held frame or an event
 * that must wait behind one (a socket's later events stay in order). It is bounded four ways (the
 * ring's bytes, the text and the Blobs it references, the entries); to make room the oldest entry
 * leaves first, and `release` hands it back to the recorder, which ships an event and drops a frame
 * (recorder.ts).
 *
 * The queue is kept in columns (typed arrays, and objects without a prototype for the references),
 * allocated when the first frame is held: holding a frame allocates nothing and leaves the garbage
 * collector nothing to copy but the payload itself. Like the rest of the hook this runs next to page
 * code: built-ins only through `Natives`, and no write a setter on a page prototype could see.
 */
import type { CaptureEvent, DataOpcode, Direction } from '../protocol/capture';
import type { Natives } from './natives';
import { bytesPayload, frameEvent, textPayload } from './payload';

/** The bounds of the queue. */
export interface HeldLimits {
  /** The ring's size: bytes of binary payloads held at once (allocated when first needed). */
  ringBytes: number;
  /** UTF-16 units of text payloads held at once. */
  textUnits: number;
  /** Bytes of Blob payloads held at once (by reference; default: `ringBytes`). */
  blobBytes?: number;
  entries: number;
}

/**
 * A page's bounds; a worker's are smaller (its ring is its own). The ring is what holding costs the
 * page's thread: every byte is copied once, and the ring's memory is touched for the first time as it
 * fills (on the bench machine about 12 µs per 4 KiB page). Measured over 3,000 held 64 KiB frames, a
 * 16 MiB ring cost about 21 µs per frame, 4 MiB about 9, 1 MiB about 4 (docs/benchmarks.md).
 */
export const PAGE_HELD_LIMITS: HeldLimits = {
  ringBytes: 4 << 20,
  textUnits: 16 << 20,
  blobBytes: 16 << 20,
  entries: 100_000,
};
export const WORKER_HELD_LIMITS: HeldLimits = {
  ringBytes: 1 << 20,
  textUnits: 4 << 20,
  blobBytes: 4 << 20,
  entries: 25_000,
};

/** An entry as it leaves the queue: `event` set for an event that waited in line, else a held frame. */
export interface HeldEntry<O> {
  owner: O;
  event: CaptureEvent | null;
  dir: Direction;
  time: number;
  opcode: DataOpcode;
  /** A text frame's payload. */
  text: string;
  /** A binary frame's bytes in the ring: where, how many kept, and the payload's whole size. */
  start: number;
  length: number;
  size: number;
}

/** Kinds of entry, in `kinds` (the direction is bit 4). */
const EVENT = 0;
const TEXT = 1;
const BYTES = 2;
const BLOB = 3;
const RECEIVE = 16;

/** A store indexed by slot, without a prototype (a page's setters on Object.prototype never see it). */
type Slots<T> = Record<number, T>;
const slots = <T>(): Slots<T> => ({ __proto__: null }) as unknown as Slots<T>;

/** The columns, allocated with the first entry. */
interface Columns<O> {
  owners: Slots<O>;
  events: Slots<CaptureEvent | null>;
  texts: Slots<string>;
  blobs: Slots<Blob | null>;
  kinds: Uint8Array;
  times: Float64Array;
  sizes: Float64Array;
  starts: Int32Array;
  lengths: Int32Array;
  /** The slots of the binary frames, oldest first (the ring is used in the same order). */
  bytesSlots: Int32Array;
}

/** The queue; `release` gets every entry that leaves it to make room (the oldest first). */
export class HeldQueue<O> {
  private c: Columns<O> | null = null;
  private ring: Uint8Array | null = null;
  /** The oldest entry's slot. */
  private first = 0;
  /** The oldest binary frame's place in `bytesSlots`, and how many there are. */
  private bytesFirst = 0;
  private bytesCount = 0;
  /** Where the next binary frame is written. */
  private write = 0;
  /** The newest binary frames are at the start of the ring, before the oldest ones. */
  private wrapped = false;
  private textUnits = 0;
  private blobBytes = 0;
  /** Entries ever appended: entries are numbered 0, 1, ... as they come. */
  private appended = 0;
  /** Entries in the queue. */
  size = 0;
  /** What `shift` returns (filled in place: the caller uses it before the next `shift`). */
  private readonly out: HeldEntry<O> = {
    owner: null as O,
    event: null,
    dir: 'send',
    time: 0,
    opcode: 1,
    text: '',
    start: 0,
    length: 0,
    size: 0,
  };

  constructor(
    private readonly n: Natives,
    private readonly limits: HeldLimits,
    private readonly release: (entry: HeldEntry<O>) => void,
  ) {}

  /** Puts an event in line behind what is held. */
  event(owner: O, event: CaptureEvent): void {
    const c = this.columns();
    if (this.size >= this.limits.entries) this.evict();
    const i = this.append(c, owner, EVENT, 0);
    c.events[i] = event;
  }

  /**
   * Holds a text frame; false when it cannot be held (longer than the text bound): the caller records
   * it the usual way.
   */
  text(owner: O, dir: Direction, time: number, text: string): boolean {
    const units = text.length;
    if (units > this.limits.textUnits) return false;
    const c = this.columns();
    while (
      this.size > 0 &&
      (this.textUnits + units > this.limits.textUnits || this.size >= this.limits.entries)
    )
      this.evict();
    this.textUnits += units;
    const i = this.append(c, owner, dir === 'receive' ? TEXT | RECEIVE : TEXT, time);
    c.texts[i] = text;
    c.sizes[i] = units;
    return true;
  }

  /**
   * Holds a binary frame: the first `keep` of its `length` bytes at `offset` of `buffer` are copied
   * into the ring. False when the ring cannot be had (the caller records it the usual way).
   */
  bytes(
    owner: O,
    dir: Direction,
    time: number,
    buffer: ArrayBuffer,
    offset: number,
    length: number,
    keep: number,
  ): boolean {
    const kept = length < keep ? length : keep;
    const ringBytes = this.limits.ringBytes;
    if (kept > ringBytes) return false;
    const c = this.columns();
    if (!this.ring) {
      try {
        this.ring = this.n.construct(this.n.Uint8Array, [ringBytes]) as Uint8Array;
      } catch {
        return false; // out of memory: the frame goes the usual way
      }
    }
    const at = this.room(c, kept);
    if (kept > 0) {
      const source = this.n.construct(this.n.Uint8Array, [buffer, offset, kept]) as Uint8Array;
      this.n.apply(this.n.typedSet!, this.ring, [source, at]);
    }
    this.write = at + kept;
    const i = this.append(c, owner, dir === 'receive' ? BYTES | RECEIVE : BYTES, time);
    c.starts[i] = at;
    c.lengths[i] = kept;
    c.sizes[i] = length;
    c.bytesSlots[(this.bytesFirst + this.bytesCount) % this.limits.entries] = i;
    this.bytesCount++;
    return true;
  }

  /**
   * Holds a Blob frame by reference: a Blob cannot change, so it is read only when it leaves the
   * queue. False when it is larger than the bound (the caller records it the usual way).
   */
  blob(owner: O, dir: Direction, time: number, blob: Blob, size: number): boolean {
    const limit = this.limits.blobBytes ?? this.limits.ringBytes;
    if (size > limit) return false;
    const c = this.columns();
    while (this.size > 0 && (this.blobBytes + size > limit || this.size >= this.limits.entries)) this.evict();
    this.blobBytes += size;
    const i = this.append(c, owner, dir === 'receive' ? BLOB | RECEIVE : BLOB, time);
    c.blobs[i] = blob;
    c.sizes[i] = size;
    return true;
  }

  /** The oldest entry's number (see `appended`): it changes only when the oldest entry leaves. */
  get oldestId(): number {
    return this.appended - this.size;
  }

  /** The oldest entry's Blob when the oldest is a held Blob, else null; the entry stays in the queue. */
  oldestBlob(): Blob | null {
    const c = this.c;
    if (!c || this.size === 0 || (c.kinds[this.first]! & 15) !== BLOB) return null;
    return c.blobs[this.first] ?? null;
  }

  /** Takes the oldest entry out of the queue (null when empty); the caller ships it. */
  shift(): HeldEntry<O> | null {
    const c = this.c;
    if (!c || this.size === 0) return null;
    const i = this.first;
    const kind = c.kinds[i]!;
    const type = kind & 15;
    const e = this.out;
    e.owner = c.owners[i]!;
    e.event = kind === EVENT ? (c.events[i] ?? null) : null;
    e.dir = kind & RECEIVE ? 'receive' : 'send';
    e.time = c.times[i]!;
    e.opcode = type === TEXT ? 1 : 2;
    e.text = type === TEXT ? c.texts[i]! : '';
    e.start = c.starts[i]!;
    e.length = c.lengths[i]!;
    e.size = c.sizes[i]!;
    // Let go of the references the slot held.
    c.owners[i] = null as O;
    c.events[i] = null;
    c.texts[i] = '';
    c.blobs[i] = null;
    this.first = (i + 1) % this.limits.entries;
    this.size--;
    if (type === TEXT) this.textUnits -= e.size;
    else if (type === BLOB) this.blobBytes -= e.size;
    else if (type === BYTES) {
      this.bytesFirst = (this.bytesFirst + 1) % this.limits.entries;
      this.bytesCount--;
      if (this.bytesCount === 0) {
        this.write = 0;
        this.wrapped = false;
      } else if (c.starts[c.bytesSlots[this.bytesFirst]!]! < e.start) this.wrapped = false; // the oldest are at the start now
    }
    return e;
  }

  /** A held frame as the frame event it stands for, its payload cut at `maxPayload` bytes. */
  frameEvent(e: HeldEntry<O>, socketId: string, maxPayload: number): CaptureEvent {
    // A binary frame's size is the whole payload's (the ring kept `length` of it); the ring's buffer is
    // read through the saved getter: a page may redefine `buffer` on the prototype.
    const p =
      e.opcode === 1
        ? textPayload(e.text, maxPayload, this.n)
        : bytesPayload(this.n.typedBuffer(this.ring!), e.start, e.length, maxPayload, this.n);
    if (e.opcode === 2) {
      p.size = e.size;
      p.truncated = p.truncated || e.length < e.size;
    }
    return frameEvent(socketId, e.dir, e.time, p);
  }

  private columns(): Columns<O> {
    if (this.c) return this.c;
    const n = this.n;
    const cap = this.limits.entries;
    const typed = <T>(ctor: unknown) => n.construct(ctor as new (len: number) => T, [cap]) as T;
    this.c = {
      owners: slots<O>(),
      events: slots<CaptureEvent | null>(),
      texts: slots<string>(),
      blobs: slots<Blob | null>(),
      kinds: typed<Uint8Array>(n.Uint8Array),
      times: typed<Float64Array>(n.Float64Array),
      sizes: typed<Float64Array>(n.Float64Array),
      starts: typed<Int32Array>(n.Int32Array),
      lengths: typed<Int32Array>(n.Int32Array),
      bytesSlots: typed<Int32Array>(n.Int32Array),
    };
    return this.c;
  }

  /**
   * Where `kept` bytes can be written in the ring: after the last binary frame, or from the start
   * when they do not fit before the end; the oldest entries leave until the place is free.
   */
  private room(c: Columns<O>, kept: number): number {
    const ringBytes = this.limits.ringBytes;
    for (;;) {
      if (this.size >= this.limits.entries) {
        this.evict();
        continue;
      }
      if (this.bytesCount === 0) return 0; // the ring is empty: start at its beginning
      const read = c.starts[c.bytesSlots[this.bytesFirst]!]!;
      if (!this.wrapped) {
        // The used part is [read, write): free at the end, else at the start up to `read`.
        if (this.write + kept <= ringBytes) return this.write;
        if (kept <= read) {
          this.wrapped = true;
          return 0;
        }
      } else if (this.write + kept <= read) return this.write; // free is [write, read)
      this.evict();
    }
  }

  private evict(): void {
    const e = this.shift();
    if (e) this.release(e);
  }

  /** A new entry's slot, its owner, kind and time written. */
  private append(c: Columns<O>, owner: O, kind: number, time: number): number {
    const i = (this.first + this.size) % this.limits.entries;
    c.owners[i] = owner;
    c.kinds[i] = kind;
    c.times[i] = time;
    this.size++;
    this.appended++;
    return i;
  }
}
