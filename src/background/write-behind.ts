/**
 * Write-behind persistence of one tab: batches are appended to the tab's buffer at once, but written
 * to `storage.session` together, once per `persistDelayMs` (sooner past `FLUSH_BYTES` waiting), and
 * only then acknowledged to their relays and sent to the tab's panels.
 *
 * The no-loss, no-duplicate guarantee across a service-worker restart rests on one rule: nothing
 * leaves the background (ack, live event) before the write that holds it has completed. A worker that
 * stops with writes pending has acked none of those batches, so the relays re-send them and the new
 * worker stores them once (the persisted `acked` numbers are those of the last completed write).
 */
import type { PortLike } from '../messaging/ports';
import { envelope } from '../messaging/messages';
import type { CaptureEvent } from '../protocol/capture';
import { approxBytes } from '../protocol/capture-bounds';
import type { Chunk, TabBuffer } from './tab-buffer';
import { saveTab, type SessionStore, type TabRecord } from './tab-store';

/** An acknowledgement held back until the write that holds its batch completes. */
interface HeldAck {
  port: PortLike;
  docId: string;
  seq: number;
}

/** What is waiting for the tab's next write. */
export class PendingWrite {
  /** Something changed since the last write (record, buffer). */
  dirty = false;
  /** A flush is scheduled. */
  armed = false;
  private readonly added = new Set<Chunk>();
  private readonly removed: Chunk[] = [];
  private readonly acks: HeldAck[] = [];
  private live: CaptureEvent[] = [];
  private liveSeq = 0;
  /** Estimated bytes of the batches waiting (the buffer's estimate). */
  bytes = 0;

  /** A batch went into the buffer as (part of) `chunk`; `evicted` left it. */
  appended(chunk: Chunk, evicted: Chunk[], events: CaptureEvent[], lastSeq: number): void {
    this.dirty = true;
    this.bytes += approxBytes(events);
    this.added.add(chunk);
    this.removeChunks(evicted);
    for (const e of events) this.live.push(e);
    this.liveSeq = lastSeq;
  }

  /** Chunks to delete from storage with the next write. */
  removeChunks(chunks: Chunk[]): void {
    for (const c of chunks) {
      this.added.delete(c);
      this.removed.push(c);
    }
  }

  /** True when `chunk` has not been written yet (it may still grow). */
  isUnsaved(chunk: Chunk | undefined): boolean {
    return chunk !== undefined && this.added.has(chunk);
  }

  /** Acks `seq` now when nothing is pending, else after the next write. */
  ack(port: PortLike, docId: string, seq: number): boolean {
    if (!this.dirty) {
      post(port, envelope('ack', { docId, seq }));
      return false;
    }
    this.acks.push({ port, docId, seq });
    return true;
  }

  /**
   * Writes what is pending (record, new chunks, removals), then sends the held acks and, as one
   * `events` message, the live events to `panels`.
   */
  async flush(
    store: SessionStore,
    tabId: number,
    rec: Omit<TabRecord, 'buffer'>,
    buffer: TabBuffer,
    panels: Iterable<PortLike>,
  ): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    this.bytes = 0;
    const added = [...this.added];
    this.added.clear();
    const removed = this.removed.splice(0);
    const acks = this.acks.splice(0);
    const live = this.live;
    this.live = [];
    // Chunks it could not remove go with the next write (else they would hold quota for good).
    for (const c of await saveTab(store, tabId, rec, buffer, added, removed)) this.removed.push(c);
    for (const a of acks) post(a.port, envelope('ack', { docId: a.docId, seq: a.seq }));
    if (live.length > 0) {
      const message = envelope('events', { events: live, seq: this.liveSeq });
      for (const p of panels) post(p, message);
    }
  }
}

/** Posts on a port that may have gone away. */
export function post(port: PortLike, message: unknown): void {
  try {
    port.postMessage(message);
  } catch {
    // The other side disconnected; it re-syncs when it reconnects.
  }
}
