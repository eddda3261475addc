import { describe, expect, it } from 'vitest';
import { HeldQueue, type HeldLimits } from '../../../src/hook/held';
import { captureNatives } from '../../../src/hook/natives';
import { Recorder, type RecorderSettings } from '../../../src/hook/recorder';
import { base64Decode } from '../../../src/protocol/bytes';
import type { CaptureEvent } from '../../../src/protocol/capture';
import { fakeWindow } from './fake-window';

const n = captureNatives(fakeWindow());
const HELD: RecorderSettings = { fullCapture: true, frameBudget: 1, live: false };
const LIVE: RecorderSettings = { ...HELD, live: true };

function setup(limits?: HeldLimits, schedule?: (fn: () => void, ms: number) => void, natives = n) {
  const events: CaptureEvent[] = [];
  const recorder = new Recorder(natives, (e) => events.push(e), 'f', HELD, { held: limits, schedule });
  recorder.apply(HELD);
  const open = () => {
    const rec = recorder.create('wss://x/', [], 'p');
    recorder.open(rec, '', '');
    return rec;
  };
  return { events, recorder, open };
}

/** What a frame event kept: its text, or its bytes as a list. */
const payloads = (events: CaptureEvent[]) =>
  events
    .filter((e) => e.type === 'frame')
    .map((e) => (e.type !== 'frame' ? null : e.opcode === 1 ? e.data : [...(base64Decode(e.data) ?? [])]));

describe('full capture with DevTools closed: frames held in the page', () => {
  it('sends nothing per frame until DevTools opens, then everything in order, later events behind', () => {
    const { events, recorder, open } = setup();
    const a = open();
    const b = open();
    recorder.frame(a, 'send', 'a1');
    recorder.frame(b, 'receive', new Uint8Array([1, 2]).buffer);
    recorder.frame(a, 'receive', 'a2');
    recorder.close(a, 1000, 'bye', true);
    const before = events.map((e) => e.type);
    expect(before).toEqual(['create', 'open', 'create', 'open']);
    recorder.apply(LIVE);
    expect(events.slice(4).map((e) => [e.type, e.socketId])).toEqual([
      ['frame', a.id],
      ['frame', b.id],
      ['frame', a.id],
      ['close', a.id],
    ]);
    expect(payloads(events)).toEqual(['a1', [1, 2], 'a2']);
    expect(events.at(-1)).toMatchObject({ code: 1000, reason: 'bye' });
  });

  it('holds a copy of the bytes: the page changing or reusing its buffer afterwards changes nothing', () => {
    const { events, recorder, open } = setup();
    const rec = open();
    const buffer = new Uint8Array([1, 2, 3, 4]);
    recorder.frame(rec, 'send', buffer);
    buffer.fill(9);
    recorder.frame(rec, 'send', new DataView(buffer.buffer, 1, 2));
    recorder.apply(LIVE);
    expect(payloads(events)).toEqual([
      [1, 2, 3, 4],
      [9, 9],
    ]);
  });

  it('frames of the handshake are never held', () => {
    const { events, recorder } = setup();
    const rec = recorder.create('wss://x/', ['x-kaazing-handshake'], 'p');
    recorder.open(rec, 'x-kaazing-handshake', '');
    recorder.frame(rec, 'send', 'GET /x HTTP/1.1\r\n\r\n');
    recorder.frame(rec, 'receive', 'HTTP/1.1 101 OK\r\n\r\n');
    recorder.frame(rec, 'receive', '');
    recorder.frame(rec, 'receive', 'data');
    expect(payloads(events)).toEqual(['GET /x HTTP/1.1\r\n\r\n', 'HTTP/1.1 101 OK\r\n\r\n', '']);
    expect(recorder.heldEntries).toBe(1);
  });

  it('drops the oldest frames to make room, marked by a held-full span with the sends counted', () => {
    const { events, recorder, open } = setup({ ringBytes: 10, textUnits: 100, entries: 100 });
    const rec = open();
    for (let i = 0; i < 5; i++) recorder.frame(rec, i % 2 ? 'receive' : 'send', new Uint8Array([i, i, i, i]));
    // Ring of 10 bytes: two 4-byte frames fit; frames 0, 1 and 2 left to make room for 2, 3 and 4.
    expect(events.slice(2).map((e) => e.type)).toEqual(['paused']);
    expect(events[2]).toMatchObject({ reason: 'held-full' });
    recorder.apply(LIVE);
    expect(events.slice(3).map((e) => e.type)).toEqual(['resumed', 'frame', 'frame']);
    expect(events[3]).toMatchObject({ sent: 2, received: 1 });
    expect(payloads(events)).toEqual([
      [3, 3, 3, 3],
      [4, 4, 4, 4],
    ]);
  });

  it('bounds the text it references and the entries', () => {
    const text = setup({ ringBytes: 16, textUnits: 5, entries: 100 });
    const t = text.open();
    for (const s of ['ab', 'cd', 'ef']) text.recorder.frame(t, 'receive', s);
    text.recorder.apply(LIVE);
    expect(payloads(text.events)).toEqual(['cd', 'ef']);
    const count = setup({ ringBytes: 16, textUnits: 100, entries: 2 });
    const c = count.open();
    for (const s of ['1', '2', '3', '4']) count.recorder.frame(c, 'send', s);
    count.recorder.apply(LIVE);
    expect(payloads(count.events)).toEqual(['3', '4']);
    expect(count.events.find((e) => e.type === 'resumed')).toMatchObject({ sent: 2, received: 0 });
  });

  it('sends an event that must leave the queue to make room rather than drop it', () => {
    const { events, recorder, open } = setup({ ringBytes: 16, textUnits: 100, entries: 2 });
    const a = open();
    recorder.frame(a, 'send', 'x');
    recorder.close(a, 1000, '', true);
    const b = open();
    recorder.frame(b, 'send', 'y');
    recorder.frame(b, 'send', 'z');
    // 'x' dropped, then a's close sent (never dropped), in order after the span.
    expect(events.filter((e) => e.socketId === a.id).map((e) => e.type)).toEqual([
      'create',
      'open',
      'paused',
      'resumed',
      'close',
    ]);
  });

  it('sends held frames a slice per task, and holds again if DevTools closes meanwhile', () => {
    const tasks: (() => void)[] = [];
    const { events, recorder, open } = setup(undefined, (fn) => void tasks.push(fn));
    const rec = open();
    const mib = new Uint8Array(600 * 1024);
    for (let i = 0; i < 4; i++) recorder.frame(rec, 'receive', mib);
    recorder.apply(LIVE);
    expect(payloads(events)).toHaveLength(0);
    tasks.shift()!();
    expect(payloads(events)).toHaveLength(2); // about 1 MiB per task
    recorder.apply(HELD);
    recorder.frame(rec, 'receive', 'held again');
    tasks.shift()?.();
    expect(payloads(events)).toHaveLength(2);
    recorder.apply(LIVE);
    while (tasks.length > 0) tasks.shift()!();
    expect(
      payloads(events)
        .slice(2)
        .map((p) => (typeof p === 'string' ? p : p?.length)),
    ).toEqual([600 * 1024, 600 * 1024, 'held again']);
  });

  it('cuts a held payload at the cap when it is sent, keeping its size', () => {
    const events: CaptureEvent[] = [];
    const recorder = new Recorder(n, (e) => events.push(e), 'f', HELD, { maxPayload: 3 });
    recorder.apply(HELD);
    const rec = recorder.create('wss://x/', [], 'p');
    recorder.open(rec, '', '');
    recorder.frame(rec, 'receive', 'abcdef');
    recorder.frame(rec, 'receive', new Uint8Array([1, 2, 3, 4, 5]).buffer);
    recorder.apply(LIVE);
    const frames = events.filter((e) => e.type === 'frame');
    expect(frames.map((f) => f.type === 'frame' && [f.size, f.truncated])).toEqual([
      [6, true],
      [5, true],
    ]);
    expect(payloads(events)).toEqual(['abc', [1, 2, 3]]);
  });
});

describe('HeldQueue: the ring', () => {
  it('wraps around, keeping every frame it still holds intact', () => {
    const released: number[] = [];
    const q = new HeldQueue<number>(n, { ringBytes: 10, textUnits: 0, entries: 100 }, (e) =>
      released.push(e.owner),
    );
    const put = (i: number, len: number) =>
      q.bytes(i, 'send', 0, new Uint8Array(len).fill(i).buffer, 0, len, 100);
    put(1, 4); // [0, 4)
    put(2, 4); // [4, 8)
    put(3, 4); // needs to wrap: 1 leaves, [0, 4)
    expect(released).toEqual([1]);
    put(4, 3); // [4, 8) is 2's: it leaves, 4 at [4, 7)
    expect(released).toEqual([1, 2]);
    const out: number[][] = [];
    for (let e = q.shift(); e; e = q.shift()) {
      const ev = q.frameEvent(e, 's', 100);
      out.push(ev.type === 'frame' ? [...(base64Decode(ev.data) ?? [])] : []);
    }
    expect(out).toEqual([
      [3, 3, 3, 3],
      [4, 4, 4],
    ]);
  });

  it("holds a Blob by reference and reads it only when DevTools opens, the socket's later events behind it", async () => {
    const reads: Blob[] = [];
    const blobN = { ...n };
    const nativeRead = n.blobArrayBuffer!;
    blobN.blobArrayBuffer = function (this: Blob) {
      reads.push(this);
      return Reflect.apply(nativeRead, this, []) as Promise<ArrayBuffer>;
    } as Blob['arrayBuffer'];
    const { events, recorder, open } = setup(undefined, undefined, blobN);
    const a = open();
    const b = open();
    recorder.frame(a, 'receive', new Blob([new Uint8Array([7, 8, 9])]));
    recorder.frame(b, 'send', 'b1');
    recorder.frame(a, 'send', 'a2');
    await new Promise((r) => setTimeout(r, 10));
    expect(reads).toHaveLength(0); // nothing read while DevTools is closed
    recorder.apply(LIVE);
    // The read is under way: nothing after it has left, and the socket's close waits behind it too.
    recorder.close(a, 1000, '', true);
    expect(events.slice(4)).toEqual([]);
    await new Promise((r) => setTimeout(r, 10));
    expect(reads).toHaveLength(1);
    expect(events.slice(4).map((e) => [e.type, e.socketId])).toEqual([
      ['frame', a.id],
      ['frame', b.id],
      ['frame', a.id],
      ['close', a.id],
    ]);
    expect(payloads(events)).toEqual([[7, 8, 9], 'b1', 'a2']);
    expect(events[4]).toMatchObject({ dir: 'receive', opcode: 2, size: 3, truncated: false });
    expect(recorder.heldEntries).toBe(0);
  });

  it('keeps a Blob being read at the head: what comes after it never overtakes it, even when room is made', async () => {
    // Messages arriving during the read are queued behind it; the bound then drops the Blob itself
    // (the oldest), counted, and the read's result is not used.
    const { events, recorder, open } = setup({ ringBytes: 4, textUnits: 100, entries: 3 });
    const a = open();
    recorder.frame(a, 'receive', new Blob(['X']));
    recorder.apply(LIVE);
    for (let i = 0; i < 5; i++) recorder.frame(a, 'receive', `m${i}`);
    await new Promise((r) => setTimeout(r, 10));
    const after = events.slice(2);
    expect(after.map((e) => (e.type === 'frame' ? e.data : e.type))).toEqual([
      'paused',
      'resumed',
      'm0',
      'm1',
      'm2',
      'm3',
      'm4',
    ]);
    expect(after[1]).toMatchObject({ sent: 0, received: 1 });
    expect(recorder.heldEntries).toBe(0);
  });

  it("never sends a socket's close before its Blob, when holding starts again during the read", async () => {
    const { events, recorder, open } = setup({ ringBytes: 4, textUnits: 4, entries: 100 });
    const a = open();
    const b = open();
    recorder.frame(a, 'receive', new Blob(['X']));
    recorder.frame(a, 'send', 'a1');
    recorder.close(a, 1000, '', true);
    recorder.apply(LIVE); // the read starts
    recorder.apply(HELD); // DevTools closes again before it ends
    recorder.frame(b, 'send', 'bbbb'); // room is made: the Blob, then 'a1', are dropped
    recorder.apply(LIVE);
    await new Promise((r) => setTimeout(r, 10));
    const ofA = events.filter((e) => e.socketId === a.id).map((e) => e.type);
    expect(ofA).toEqual(['create', 'open', 'paused', 'resumed', 'close']);
    expect(events.find((e) => e.type === 'resumed' && e.socketId === a.id)).toMatchObject({
      sent: 1,
      received: 1,
    });
    expect(payloads(events)).toEqual(['bbbb']);
  });

  it('a held Blob that cannot be read when DevTools opens is counted as dropped', async () => {
    const failing = { ...n };
    failing.blobArrayBuffer = function () {
      return Promise.reject(new Error('gone'));
    } as Blob['arrayBuffer'];
    const { events, recorder, open } = setup(undefined, undefined, failing);
    const a = open();
    recorder.frame(a, 'receive', new Blob(['X']));
    recorder.frame(a, 'receive', 'after');
    recorder.apply(LIVE);
    await new Promise((r) => setTimeout(r, 10));
    expect(events.slice(2).map((e) => (e.type === 'frame' ? e.data : e.type))).toEqual([
      'paused',
      'resumed',
      'after',
    ]);
    expect(events[3]).toMatchObject({ type: 'resumed', received: 1 });
  });

  it('bounds the Blobs it holds: the oldest is dropped and counted as received', () => {
    const { events, recorder, open } = setup({ ringBytes: 4, textUnits: 100, blobBytes: 10, entries: 100 });
    const rec = open();
    recorder.frame(rec, 'receive', new Blob(['123456']));
    recorder.frame(rec, 'receive', new Blob(['abcdef'])); // 12 > 10: the first leaves
    expect(recorder.heldEntries).toBe(1);
    expect(events.at(-1)).toMatchObject({ type: 'paused', reason: 'held-full' });
    // A Blob over the bound is not held: it is read at once, the usual way.
    recorder.frame(rec, 'receive', new Blob(['x'.repeat(11)]));
    expect(recorder.heldEntries).toBe(1);
  });

  it('refuses a frame larger than the ring (it goes the usual way)', () => {
    const q = new HeldQueue<number>(n, { ringBytes: 4, textUnits: 2, entries: 10 }, () => {});
    expect(q.bytes(1, 'send', 0, new ArrayBuffer(8), 0, 8, 100)).toBe(false);
    expect(q.bytes(1, 'send', 0, new ArrayBuffer(8), 0, 8, 4)).toBe(true); // kept 4 of 8
    expect(q.text(1, 'send', 0, 'abc')).toBe(false);
  });
});
