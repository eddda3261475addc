/**
 * One tab's bounded event buffer. Events arrive in batches; each batch becomes a chunk whose events
 * get consecutive sequence numbers (per tab, never reused, so a panel can resume from `lastSeq`).
 * Past `maxBytes`, whole chunks are dropped oldest first and their events counted in `droppedEvents`.
 */
import type { CaptureEvent } from '../protocol/capture';
import { approxBytes } from '../protocol/capture-bounds';

/** A stored batch: its events hold sequence numbers `firstSeq` .. `firstSeq + events.length - 1`. */
export interface Chunk {
  id: number;
  firstSeq: number;
  events: CaptureEvent[];
  bytes: number;
}

/** The persisted summary of a buffer (chunks are stored separately). */
export interface BufferMeta {
  seq: number;
  nextChunkId: number;
  droppedEvents: number;
  chunkIds: number[];
  /** Events the listed chunks hold, so chunks missing on restore are counted as dropped. */
  heldEvents?: number;
}

/** A tab's buffer. */
export class TabBuffer {
  seq = 0;
  droppedEvents = 0;
  bytes = 0;
  chunks: Chunk[] = [];
  private nextChunkId = 1;

  /**
   * Appends a batch; returns the chunk that holds it and the chunks evicted to make room. With
   * `extendLast` (the newest chunk is not stored yet), the batch joins that chunk while it stays
   * under `maxChunkBytes`, so one write stores one chunk instead of one per batch.
   */
  append(
    events: CaptureEvent[],
    maxBytes: number,
    extendLast = false,
    maxChunkBytes = 0,
  ): { chunk: Chunk; evicted: Chunk[] } {
    const bytes = approxBytes(events);
    const last = this.chunks.at(-1);
    let chunk: Chunk;
    if (extendLast && last && last.bytes + bytes <= maxChunkBytes) {
      chunk = last;
      for (const e of events) chunk.events.push(e);
      chunk.bytes += bytes;
    } else {
      chunk = { id: this.nextChunkId++, firstSeq: this.seq + 1, events: events.slice(), bytes };
      this.chunks.push(chunk);
    }
    this.seq += events.length;
    this.bytes += bytes;
    return { chunk, evicted: this.evict(maxBytes) };
  }

  /** Drops oldest chunks until the buffer fits in `maxBytes` (the newest chunk always stays). */
  evict(maxBytes: number): Chunk[] {
    const evicted: Chunk[] = [];
    while (this.bytes > maxBytes && this.chunks.length > 1) evicted.push(this.dropOldest()!);
    return evicted;
  }

  /** Drops the oldest chunk, counting its events as dropped. */
  dropOldest(): Chunk | undefined {
    const c = this.chunks.shift();
    if (c) {
      this.bytes -= c.bytes;
      this.droppedEvents += c.events.length;
    }
    return c;
  }

  /** Empties the buffer (the user cleared it, or the page navigated); sequence numbers go on. */
  clear(): Chunk[] {
    const all = this.chunks;
    this.chunks = [];
    this.bytes = 0;
    return all;
  }

  /** The events after `lastSeq`, in order, and the sequence number of the last one. */
  since(lastSeq: number): { events: CaptureEvent[]; seq: number } {
    const events: CaptureEvent[] = [];
    for (const c of this.chunks) {
      const skip = Math.max(0, lastSeq - c.firstSeq + 1);
      for (let i = skip; i < c.events.length; i++) events.push(c.events[i]!);
    }
    return { events, seq: this.seq };
  }

  /** The summary to persist. */
  meta(): BufferMeta {
    let heldEvents = 0;
    for (const c of this.chunks) heldEvents += c.events.length;
    return {
      seq: this.seq,
      nextChunkId: this.nextChunkId,
      droppedEvents: this.droppedEvents,
      chunkIds: this.chunks.map((c) => c.id),
      heldEvents,
    };
  }

  /** Rebuilds a buffer from its persisted summary and chunks (missing chunks count as dropped). */
  static restore(meta: BufferMeta, chunks: Map<number, Chunk>): TabBuffer {
    const b = new TabBuffer();
    b.seq = meta.seq;
    b.nextChunkId = meta.nextChunkId;
    b.droppedEvents = meta.droppedEvents;
    let held = 0;
    for (const id of meta.chunkIds) {
      const c = chunks.get(id);
      if (!c) continue;
      b.chunks.push(c);
      b.bytes += c.bytes;
      held += c.events.length;
    }
    if (typeof meta.heldEvents === 'number') b.droppedEvents += Math.max(0, meta.heldEvents - held);
    return b;
  }
}
