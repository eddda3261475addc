/**
 * Batches capture events: one post per short tick, or sooner when a batch grows past its event or
 * byte limit, instead of one message per WebSocket frame.
 *
 * The batch is one array, filled in place and reused: its slots are created when the hook starts
 * (before any page script), so writing an event into a slot never reaches a setter the page may
 * later put on `Object.prototype` or `Array.prototype` (as `push` or a write past the end would).
 * `post` must copy what it is given before returning (a MessagePort's `postMessage` does).
 */
import type { CaptureEvent } from '../protocol/capture';

/** Batch limits and the flush delay. */
export interface BatchLimits {
  maxEvents: number;
  maxBytes: number;
  /** Delay of a flush for queued events (about one animation frame). */
  delayMs: number;
}

export const DEFAULT_BATCH_LIMITS: BatchLimits = {
  maxEvents: 256,
  maxBytes: 2 * 1024 * 1024,
  delayMs: 16,
};

/** Estimated bytes of one event beyond its payload text. */
const EVENT_OVERHEAD = 64;

/** Collects events and hands them to `post` in batches: `events[0..count)` are the batch. */
export class Batcher {
  private readonly slots: (CaptureEvent | null)[];
  private count = 0;
  private bytes = 0;
  private armed = false;
  private readonly flushNow = () => {
    this.armed = false;
    this.flush();
  };

  constructor(
    private readonly post: (events: (CaptureEvent | null)[], count: number) => void,
    private readonly schedule: (fn: () => void, ms: number) => void,
    private readonly limits: BatchLimits = DEFAULT_BATCH_LIMITS,
  ) {
    const slots: (CaptureEvent | null)[] = [];
    for (let i = 0; i < limits.maxEvents; i++) slots[i] = null;
    this.slots = slots;
  }

  /** Queues one event; flushes now when the batch is full, else on the next tick. */
  push(event: CaptureEvent): void {
    this.slots[this.count++] = event;
    this.bytes +=
      EVENT_OVERHEAD +
      (event.type === 'frame'
        ? event.data.length
        : event.type === 'create'
          ? event.url.length + (event.pageUrl?.length ?? 0)
          : 0);
    if (this.count >= this.limits.maxEvents || this.bytes >= this.limits.maxBytes) this.flush();
    else if (!this.armed) {
      this.armed = true;
      this.schedule(this.flushNow, this.limits.delayMs);
    }
  }

  /** Posts what is queued, if anything, and empties the slots. */
  flush(): void {
    const count = this.count;
    if (count === 0) return;
    this.count = 0;
    this.bytes = 0;
    try {
      this.post(this.slots, count);
    } finally {
      for (let i = 0; i < count; i++) this.slots[i] = null;
    }
  }
}
