/**
 * Batches capture events: one post per short tick, or sooner when a batch grows past its event or
 * byte limit, instead of one window message per WebSocket frame.
 */
import type { CaptureEvent } from '../protocol/capture';

/** Batch limits and the flush delays. */
export interface BatchLimits {
  maxEvents: number;
  maxBytes: number;
  /** Delay of a flush for queued events (about one animation frame). */
  delayMs: number;
  /** Delay of a flush armed only for pending `dropped` totals (a few reports a second). */
  slowDelayMs: number;
}

export const DEFAULT_BATCH_LIMITS: BatchLimits = {
  maxEvents: 256,
  maxBytes: 2 * 1024 * 1024,
  delayMs: 16,
  slowDelayMs: 250,
};

/** Collects events and hands them to `post` in batches. */
export class Batcher {
  private events: CaptureEvent[] = [];
  private bytes = 0;
  private armedFast = false;
  private armedSlow = false;
  private flushing = false;

  constructor(
    private readonly post: (events: CaptureEvent[]) => void,
    private readonly schedule: (fn: () => void, ms: number) => void,
    private readonly beforeFlush: () => void = () => {},
    private readonly limits: BatchLimits = DEFAULT_BATCH_LIMITS,
  ) {}

  /** Queues one event; flushes now when the batch is full, else on the next tick. */
  push(event: CaptureEvent): void {
    this.events.push(event);
    this.bytes += 64 + (event.type === 'frame' ? event.data.length : 0);
    if (this.flushing) return;
    if (this.events.length >= this.limits.maxEvents || this.bytes >= this.limits.maxBytes) this.flush();
    else this.arm();
  }

  /** Makes sure a flush happens on the next tick (e.g. for events `beforeFlush` will add). */
  arm(): void {
    if (this.armedFast) return;
    this.armedFast = true;
    this.schedule(() => {
      this.armedFast = false;
      this.flush();
    }, this.limits.delayMs);
  }

  /** Makes sure a flush happens within the slow delay (only `dropped` totals are waiting). */
  armSlow(): void {
    if (this.armedSlow || this.armedFast) return;
    this.armedSlow = true;
    this.schedule(() => {
      this.armedSlow = false;
      this.flush();
    }, this.limits.slowDelayMs);
  }

  /** Posts what is queued (after `beforeFlush` had its say), if anything. */
  flush(): void {
    this.flushing = true;
    try {
      this.beforeFlush();
    } finally {
      this.flushing = false;
    }
    if (this.events.length === 0) return;
    const batch = this.events;
    this.events = [];
    this.bytes = 0;
    this.post(batch);
  }
}
