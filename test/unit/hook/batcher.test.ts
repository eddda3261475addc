import { describe, expect, it } from 'vitest';
import { Batcher } from '../../../src/hook/batcher';
import type { CaptureEvent } from '../../../src/protocol/capture';

const ev = (i: number): CaptureEvent => ({ type: 'error', socketId: `s:${i}`, time: i });

/** A batcher whose posts are copied (as a MessagePort's postMessage copies) and whose ticks are manual. */
function setup(maxEvents: number, maxBytes = 1e9) {
  const posts: CaptureEvent[][] = [];
  const ticks: { fn: () => void; ms: number }[] = [];
  const b = new Batcher(
    (events, count) => posts.push(structuredClone(events.slice(0, count)) as CaptureEvent[]),
    (fn, ms) => ticks.push({ fn, ms }),
    { maxEvents, maxBytes, delayMs: 16 },
  );
  return { b, posts, ticks };
}

describe('Batcher', () => {
  it('posts once per tick, and early when a batch is full', () => {
    const { b, posts, ticks } = setup(3);
    b.push(ev(1));
    b.push(ev(2));
    expect(posts).toHaveLength(0);
    expect(ticks.map((t) => t.ms)).toEqual([16]);
    b.push(ev(3));
    expect(posts.map((p) => p.length)).toEqual([3]);
    b.push(ev(4));
    for (const t of ticks.splice(0)) t.fn();
    expect(posts.map((p) => p.length)).toEqual([3, 1]);
    expect(posts.flat().map((e) => e.time)).toEqual([1, 2, 3, 4]);
  });

  it('flushes early past the byte limit (frame payloads count)', () => {
    const { b, posts } = setup(100, 1000);
    const frame = (data: string): CaptureEvent => ({
      type: 'frame',
      socketId: 's',
      dir: 'send',
      time: 1,
      opcode: 1,
      data,
      size: data.length,
    });
    b.push(frame('x'.repeat(500)));
    expect(posts).toHaveLength(0);
    b.push(frame('y'.repeat(500)));
    expect(posts.map((p) => p.length)).toEqual([1 + 1]);
  });

  it('reuses one array whose slots exist from the start: an indexed setter on Array.prototype sees nothing', () => {
    // The test's own bookkeeping holds no arrays while the setters are in place.
    let tick: (() => void) | null = null;
    let posted: string | null = null;
    const b = new Batcher(
      (events, count) => void (posted = JSON.stringify({ events, count })),
      (fn) => void (tick = fn),
      { maxEvents: 4, maxBytes: 1e9, delayMs: 16 },
    );
    let seen = 0;
    for (const key of ['0', '1', '2', '3', '4']) {
      Object.defineProperty(Array.prototype, key, {
        configurable: true,
        set() {
          seen++;
        },
        get() {
          return undefined;
        },
      });
    }
    try {
      b.push(ev(1));
      b.push(ev(2));
      (tick as unknown as () => void)();
    } finally {
      for (const key of ['0', '1', '2', '3', '4'])
        delete (Array.prototype as unknown as Record<string, unknown>)[key];
    }
    expect(seen).toBe(0);
    expect(JSON.parse(posted!)).toEqual({ events: [ev(1), ev(2), null, null], count: 2 });
  });
});
