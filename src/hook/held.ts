/**
 * Full capture while DevTools is closed on the tab: frames wait here, in the page, until a DevTools
 * window opens on it (the settings say `live`), instead of each being encoded, posted to the relay and
 * written to the background as it happens, which cost the page's thread 1.5 times its own work per
 * 32-byte message and 7 times per 64 KiB one (docs/benchmarks.md). Holding a frame costs a reference
 * (text: strings cannot change) or one copy into a ring of bytes allocated once (bytes: the page may
 * change or transfer its buffer after `send`, or after it got a message).
 *
 * The queue is first in, first out, across the realm's sockets; an entry is a held frame or an event
 * that must wait behind one (a socket's later events stay in order). It is bounded three ways (the
 * ring's bytes, the text it references, the entries); to make room the oldest entry leaves first, and
 * `release` hands it back to the recorder, which ships an event and drops a frame (recorder.ts).
 *
 * Like the rest of the hook this runs next to page code: built-ins only through `Natives`, entries
 * are object literals, the queue is a linked list.
 */
import type { CaptureEvent, DataOpcode, Direction } from '../protocol/capture';
import type { Natives } from './natives';
import { bytesPayload, textPayload } from './payload';

/** The bounds of the queue. */
export interface HeldLimits {
  /** The ring's size: bytes of binary payloads held at once (allocated when first needed). */
  ringBytes: number;
  /** UTF-16 units of text payloads held at once. */
  textUnits: number;
  entries: number;
}

/** A page's bounds; a worker's are smaller (its ring is its own). */
export const PAGE_HELD_LIMITS: HeldLimits = { ringBytes: 16 << 20, textUnits: 16 << 20, entries: 100_000 };
export const WORKER_HELD_LIMITS: HeldLimits = { ringBytes: 4 << 20, textUnits: 4 << 20, entries: 25_000 };

/** An entry: `event` set for an event waiting in line, else a held frame. */
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
  next: HeldEntry<O> | null;
  /** The next binary frame (the ring is used in the same order). */
  nextBytes: HeldEntry<O> | null;
}

/** The queue; `release` gets every entry that leaves it to make room (the oldest first). */
export class HeldQueue<O> {
  private head: HeldEntry<O> | null = null;
  private tail: HeldEntry<O> | null = null;
  private bytesHead: HeldEntry<O> | null = null;
  private bytesTail: HeldEntry<O> | null = null;
  private ring: Uint8Array | null = null;
  /** Where the next binary frame is written. */
  private write = 0;
  /** The newest binary frames are at the start of the ring, before the oldest ones. */
  private wrapped = false;
  private textUnits = 0;
  /** Entries in the queue. */
  size = 0;

  constructor(
    private readonly n: Natives,
    private readonly limits: HeldLimits,
    private readonly release: (entry: HeldEntry<O>) => void,
  ) {}

  /** Puts an event in line behind what is held. */
  event(owner: O, event: CaptureEvent): void {
    this.append(this.entry(owner, event, 'send', 0, 1, '', 0, 0, 0));
  }

  /**
   * Holds a text frame; false when it cannot be held (longer than the text bound): the caller records
   * it the usual way.
   */
  text(owner: O, dir: Direction, time: number, text: string): boolean {
    const units = text.length;
    if (units > this.limits.textUnits) return false;
    while (this.head && (this.textUnits + units > this.limits.textUnits || this.size >= this.limits.entries))
      this.evict();
    this.textUnits += units;
    this.append(this.entry(owner, null, dir, time, 1, text, 0, 0, units));
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
    if (!this.ring) {
      try {
        this.ring = this.n.construct(this.n.Uint8Array, [ringBytes]) as Uint8Array;
      } catch {
        return false; // out of memory: the frame goes the usual way
      }
    }
    const at = this.room(kept);
    if (kept > 0) {
      const source = this.n.construct(this.n.Uint8Array, [buffer, offset, kept]) as Uint8Array;
      this.n.apply(this.n.typedSet!, this.ring, [source, at]);
    }
    this.write = at + kept;
    const entry = this.entry(owner, null, dir, time, 2, '', at, kept, length);
    if (this.bytesTail) this.bytesTail.nextBytes = entry;
    else this.bytesHead = entry;
    this.bytesTail = entry;
    this.append(entry);
    return true;
  }

  /** Takes the oldest entry out of the queue (null when empty); the caller ships it. */
  shift(): HeldEntry<O> | null {
    const e = this.head;
    if (!e) return null;
    this.head = e.next;
    if (!this.head) this.tail = null;
    this.size--;
    if (e.event === null) {
      if (e.opcode === 1) this.textUnits -= e.size;
      else {
        this.bytesHead = e.nextBytes;
        if (!this.bytesHead) {
          this.bytesTail = null;
          this.write = 0;
          this.wrapped = false;
        } else if (this.bytesHead.start < e.start) this.wrapped = false; // the oldest are at the start now
      }
    }
    e.next = e.nextBytes = null;
    return e;
  }

  /** A held frame as the frame event it stands for, its payload cut at `maxPayload` bytes. */
  frameEvent(e: HeldEntry<O>, socketId: string, maxPayload: number): CaptureEvent {
    let data: string;
    let size: number;
    let truncated: boolean;
    if (e.opcode === 1) {
      const p = textPayload(e.text, maxPayload, this.n);
      data = p.data;
      size = p.size;
      truncated = p.truncated;
    } else {
      const p = bytesPayload(this.ring!.buffer as ArrayBuffer, e.start, e.length, maxPayload, this.n);
      data = p.data;
      size = e.size;
      truncated = e.length < e.size || p.truncated;
    }
    return { type: 'frame', socketId, dir: e.dir, time: e.time, opcode: e.opcode, data, size, truncated };
  }

  /**
   * Where `kept` bytes can be written in the ring: after the last binary frame, or from the start
   * when they do not fit before the end; the oldest entries leave until the place is free.
   */
  private room(kept: number): number {
    const ringBytes = this.limits.ringBytes;
    for (;;) {
      if (this.size >= this.limits.entries && this.head) {
        this.evict();
        continue;
      }
      const oldest = this.bytesHead;
      if (!oldest) return 0; // the ring is empty: start at its beginning
      const read = oldest.start;
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

  private append(e: HeldEntry<O>): void {
    if (this.tail) this.tail.next = e;
    else this.head = e;
    this.tail = e;
    this.size++;
  }

  private entry(
    owner: O,
    event: CaptureEvent | null,
    dir: Direction,
    time: number,
    opcode: DataOpcode,
    text: string,
    start: number,
    length: number,
    size: number,
  ): HeldEntry<O> {
    return { owner, event, dir, time, opcode, text, start, length, size, next: null, nextBytes: null };
  }
}
