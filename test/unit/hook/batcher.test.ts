import { describe, expect, it } from 'vitest';
import { Batcher } from '../../../src/hook/batcher';
import type { CaptureEvent } from '../../../src/protocol/capture';

const ev = (i: number): CaptureEvent => ({ type: 'error', socketId: `s:${i}`, time: i });

describe('Batcher', () => {
  it('posts once per tick, and early when a batch is full', () => {
    const posts: CaptureEvent[][] = [];
    const ticks: (() => void)[] = [];
    const b = new Batcher(
      (events) => posts.push(events),
      (fn) => ticks.push(fn),
      () => {},
      { maxEvents: 3, maxBytes: 1e9, delayMs: 1, slowDelayMs: 50 },
    );
    b.push(ev(1));
    b.push(ev(2));
    expect(posts).toHaveLength(0);
    expect(ticks).toHaveLength(1);
    b.push(ev(3));
    expect(posts.map((p) => p.length)).toEqual([3]);
    b.push(ev(4));
    for (const t of ticks.splice(0)) t();
    expect(posts.map((p) => p.length)).toEqual([3, 1]);
    expect(posts.flat().map((e) => e.time)).toEqual([1, 2, 3, 4]);
  });

  it('lets beforeFlush add events to the batch', () => {
    const posts: CaptureEvent[][] = [];
    const b: Batcher = new Batcher(
      (events) => posts.push(events),
      (fn) => fn(),
      () => {
        if (posts.length === 0) b.push(ev(9));
      },
    );
    b.arm();
    expect(posts).toEqual([[ev(9)]]);
  });

  it('arms a slow flush for dropped totals, and a fast one when events come meanwhile', () => {
    const posts: CaptureEvent[][] = [];
    const ticks: { fn: () => void; ms: number }[] = [];
    const b = new Batcher(
      (events) => posts.push(events),
      (fn, ms) => ticks.push({ fn, ms }),
      () => {},
      { maxEvents: 100, maxBytes: 1e9, delayMs: 16, slowDelayMs: 250 },
    );
    b.armSlow();
    b.armSlow();
    expect(ticks.map((t) => t.ms)).toEqual([250]);
    b.push(ev(1));
    expect(ticks.map((t) => t.ms)).toEqual([250, 16]);
    ticks[1]!.fn();
    expect(posts).toEqual([[ev(1)]]);
    b.arm();
    b.armSlow(); // a fast flush is already on its way
    expect(ticks.map((t) => t.ms)).toEqual([250, 16, 16]);
  });
});
