import { describe, expect, it } from 'vitest';
import type { CaptureEvent, CaptureEventOf as Of } from '../../../src/protocol/capture';
import {
  CAPTURE_LIMITS,
  approxBytes,
  boundEvent,
  boundEvents,
  checkBatch,
  eventBytes,
  splitBatches,
} from '../../../src/protocol/capture-bounds';

const MIB = 1024 * 1024;
const T = 1715677923129.125;

/** One well-formed event of each type, as the hook emits them. */
const valid: CaptureEvent[] = [
  {
    type: 'create',
    socketId: 'f0:1',
    time: T,
    url: 'ws://h/echo',
    protocols: ['x-kaazing-handshake'],
    pageUrl: 'http://h/',
    replayOf: 'f0:0',
  },
  { type: 'create', socketId: 'f0:2', time: T, url: 'ws://h/', protocols: [] },
  { type: 'open', socketId: 'f0:1', time: T, protocol: 'x-kaazing-handshake', extensions: '' },
  { type: 'frame', socketId: 'f0:1', time: T, dir: 'send', opcode: 1, data: 'GET / HTTP/1.1', size: 14 },
  {
    type: 'frame',
    socketId: 'f0:1',
    time: T,
    dir: 'receive',
    opcode: 2,
    data: 'AAEC',
    size: 3,
    truncated: true,
  },
  { type: 'close', socketId: 'f0:1', time: T, code: 1000, reason: 'bye', wasClean: true },
  { type: 'error', socketId: 'f0:1', time: T },
  { type: 'error', socketId: 'f0:1', time: T, message: 'boom' },
  { type: 'dropped', socketId: 'f0:1', time: T, frames: 12, bytes: 3400 },
  {
    type: 'create',
    socketId: 'w1:1',
    time: T,
    url: 'ws://h/khp',
    protocols: [],
    pageUrl: 'http://h/',
    worker: { kind: 'dedicated', url: 'http://h/w.js' },
  },
];

const frame = { type: 'frame', socketId: 'f:1', time: 1, dir: 'send', opcode: 1, data: 'x', size: 1 };

/** Events that must be refused: [why, event]. */
const malformed: [string, unknown][] = [
  ['not an object', 'create'],
  ['null', null],
  ['unknown type', { ...frame, type: 'frames' }],
  ['socket id not a string', { ...frame, socketId: 7 }],
  ['empty socket id', { ...frame, socketId: '' }],
  ['socket id too long', { ...frame, socketId: 'f'.repeat(257) }],
  ['time NaN', { ...frame, time: NaN }],
  ['time Infinity', { ...frame, time: Infinity }],
  ['time a string', { ...frame, time: '1' }],
  ['opcode 3', { ...frame, opcode: 3 }],
  ['opcode "1"', { ...frame, opcode: '1' }],
  ['dir other', { ...frame, dir: 'up' }],
  ['data not a string', { ...frame, data: ['x'] }],
  ['size negative', { ...frame, size: -1 }],
  ['truncated not a boolean', { ...frame, truncated: 'yes' }],
  ['truncatedFields not an array', { ...valid[2], truncatedFields: 'url' }],
  ['url missing', { type: 'create', socketId: 'a', time: 1, protocols: [] }],
  ['protocols not an array', { type: 'create', socketId: 'a', time: 1, url: 'ws://h/', protocols: 'p' }],
  ['a protocol not a string', { type: 'create', socketId: 'a', time: 1, url: 'ws://h/', protocols: [1] }],
  ['pageUrl not a string', { ...valid[1], pageUrl: {} }],
  ['replayOf too long', { ...valid[1], replayOf: 'r'.repeat(257) }],
  ['worker not an object', { ...valid[1], worker: 'http://h/w.js' }],
  ['worker of an unknown kind', { ...valid[1], worker: { kind: 'service', url: 'http://h/w.js' } }],
  ['worker url not a string', { ...valid[1], worker: { kind: 'shared', url: 1 } }],
  ['open without extensions', { type: 'open', socketId: 'a', time: 1, protocol: '' }],
  ['close code a string', { ...valid[5], code: '1000' }],
  ['wasClean not a boolean', { ...valid[5], wasClean: 1 }],
  ['reason missing', { type: 'close', socketId: 'a', time: 1, code: 1000, wasClean: true }],
  ['error message a number', { ...valid[6], message: 5 }],
  ['dropped frames NaN', { ...valid[8], frames: NaN }],
  ['paused for an unknown reason', { type: 'paused', socketId: 'a', time: 1, reason: 'full' }],
  ['resumed with received negative', { type: 'resumed', socketId: 'a', time: 1, sent: 0, received: -1 }],
  ['resumed with received a string', { type: 'resumed', socketId: 'a', time: 1, sent: 0, received: '2' }],
];

describe('boundEvent', () => {
  it('keeps well-formed events as they are', () => {
    for (const e of valid) expect(boundEvent(e)).toEqual(e);
    for (const e of [
      { type: 'paused', socketId: 'a', time: 1, reason: 'held-full' },
      { type: 'resumed', socketId: 'a', time: 2, sent: 3, received: 4 },
      { type: 'resumed', socketId: 'a', time: 2, sent: 3 },
    ])
      expect(boundEvent(e)).toEqual(e);
  });

  it.each(malformed)('refuses an event: %s', (_why, raw) => {
    expect(boundEvent(raw)).toBeNull();
  });

  it('carries only the known fields, so nothing uncounted rides along', () => {
    const forged = { ...valid[1], junk: 'x'.repeat(MIB), __proto__: { url: 'y' } };
    const out = boundEvent(forged)!;
    expect(out).toEqual(valid[1]);
    expect(Object.keys(out)).not.toContain('junk');
  });

  it('caps a 2 MiB URL at 64 KiB and marks it', () => {
    const url = 'ws://h/?' + 'a'.repeat(2 * MIB);
    const out = boundEvent({ ...valid[1], url })!;
    expect(out.type === 'create' && out.url).toBe(url.slice(0, 65536));
    expect(out.type === 'create' && out.truncatedFields).toEqual(['url']);
    expect(eventBytes(out)).toBe(128 + 4 + 65536 + 24 + 16);
  });

  it('caps every string field with its own mark', () => {
    const long = (n: number) => 'z'.repeat(n + 10);
    const create = boundEvent({
      ...valid[0],
      pageUrl: long(65536),
      protocols: [long(1024), ...Array.from({ length: 99 }, (_, i) => `p${i}`)],
    }) as Of<'create'>;
    expect(create.pageUrl).toHaveLength(65536);
    expect(create.protocols).toHaveLength(64);
    expect(create.protocols[0]).toHaveLength(1024);
    expect(create.protocols[63]).toBe('p62');
    expect(create.truncatedFields).toEqual(['protocols', 'pageUrl']);
    const open = boundEvent({ ...valid[2], protocol: long(1024), extensions: long(4096) }) as Of<'open'>;
    expect(open.truncatedFields).toEqual(['protocol', 'extensions']);
    expect([open.protocol.length, open.extensions.length]).toEqual([1024, 4096]);
    const close = boundEvent({ ...valid[5], reason: long(1024) }) as Of<'close'>;
    expect(close.truncatedFields).toEqual(['reason']);
    expect(close.reason).toHaveLength(1024);
    const error = boundEvent({ ...valid[7], message: long(1024) }) as Of<'error'>;
    expect(error.truncatedFields).toEqual(['message']);
    expect(error.message).toHaveLength(1024);
  });

  it('cuts forged frame data past 1.5 MiB and marks the frame truncated (base64 on a 4-char quantum)', () => {
    const text = boundEvent({ ...frame, data: 't'.repeat(2 * MIB), size: 2 * MIB })!;
    expect(text).toMatchObject({ truncated: true, size: 2 * MIB });
    expect(text.type === 'frame' && text.data).toHaveLength(1.5 * MIB);
    const bin = boundEvent({ ...frame, opcode: 2, data: 'QUJD'.repeat(MIB), size: 3 * MIB })!;
    expect(bin.type === 'frame' && bin.data.length).toBe(1.5 * MIB);
    expect(bin.type === 'frame' && bin.data.length % 4).toBe(0);
    // What the hook itself keeps (1 MiB of payload: ~1.4 MiB of base64) passes whole.
    const kept = 'A'.repeat(Math.ceil(MIB / 3) * 4);
    expect(boundEvent({ ...frame, opcode: 2, data: kept, size: MIB })).toEqual({
      ...frame,
      opcode: 2,
      data: kept,
      size: MIB,
    });
  });

  it('never cuts a surrogate pair in half', () => {
    const url = 'a'.repeat(65535) + '😀' + 'b';
    const out = boundEvent({ ...valid[1], url })!;
    expect(out.type === 'create' && out.url).toBe('a'.repeat(65535));
  });

  it('keeps marks set by an earlier hop, ignores unknown ones, and is idempotent', () => {
    const once = boundEvent({ ...valid[1], url: 'u'.repeat(70000), truncatedFields: ['bogus', 'pageUrl'] })!;
    expect(once).toMatchObject({ truncatedFields: ['pageUrl', 'url'] });
    expect(boundEvent(JSON.parse(JSON.stringify(once)))).toEqual(once);
  });

  it('counts the malformed events of a run', () => {
    const { events, malformed: bad } = boundEvents([valid[0], null, { ...frame, opcode: 9 }, valid[3]]);
    expect(events).toEqual([valid[0], valid[3]]);
    expect(bad).toBe(2);
  });
});

describe('eventBytes', () => {
  it('counts every string field plus a fixed overhead', () => {
    expect(eventBytes({ type: 'error', socketId: 'f:1', time: 1 })).toBe(131);
    const base = valid[0] as Of<'create'>;
    const b = eventBytes(base);
    expect(eventBytes({ ...base, url: base.url + 'x'.repeat(1000) })).toBe(b + 1000);
    expect(eventBytes({ ...base, pageUrl: base.pageUrl + 'x'.repeat(1000) })).toBe(b + 1000);
    expect(eventBytes({ ...base, protocols: [...base.protocols, 'x'.repeat(1000)] })).toBe(b + 1008);
    const open = valid[2] as Of<'open'>;
    expect(eventBytes({ ...open, extensions: 'e'.repeat(500) })).toBe(eventBytes(open) + 500);
    const close = valid[5] as Of<'close'>;
    expect(eventBytes({ ...close, reason: close.reason + 'r'.repeat(500) })).toBe(eventBytes(close) + 500);
    expect(eventBytes({ ...close, truncatedFields: ['reason'] })).toBe(eventBytes(close) + 40);
  });

  it('is at least the JSON size of realistic events', () => {
    for (const e of valid) expect(eventBytes(e)).toBeGreaterThanOrEqual(JSON.stringify(e).length);
    const worker = boundEvent({
      ...valid[9],
      worker: { kind: 'shared', url: 'w'.repeat(70000) },
    }) as Of<'create'>;
    expect(worker.worker).toEqual({ kind: 'shared', url: 'w'.repeat(CAPTURE_LIMITS.urlChars) });
    expect(worker.truncatedFields).toEqual(['worker']);
    expect(eventBytes(worker)).toBeGreaterThan(CAPTURE_LIMITS.urlChars);
    const marked = boundEvent({ ...valid[0], url: 'u'.repeat(70000), pageUrl: 'p'.repeat(70000) })!;
    expect(eventBytes(marked)).toBeGreaterThanOrEqual(JSON.stringify(marked).length);
    expect(approxBytes(valid)).toBe(valid.reduce((n, e) => n + eventBytes(e), 0));
  });

  it('keeps the largest bounded event far under the batch limit', () => {
    const worst = boundEvent({
      ...valid[0],
      socketId: 's'.repeat(256),
      url: 'u'.repeat(MIB),
      pageUrl: 'p'.repeat(MIB),
      replayOf: 'r'.repeat(256),
      protocols: Array.from({ length: 1000 }, () => 'q'.repeat(5000)),
    })!;
    const bigFrame = boundEvent({ ...frame, socketId: 's'.repeat(256), data: 'd'.repeat(4 * MIB) })!;
    expect(Math.max(eventBytes(worst), eventBytes(bigFrame))).toBeLessThan(CAPTURE_LIMITS.batchBytes / 4);
  });
});

describe('splitBatches and checkBatch', () => {
  const mb = (i: number): CaptureEvent => ({
    type: 'frame',
    socketId: `s:${String(i).padStart(3, '0')}`,
    time: i,
    dir: 'receive',
    opcode: 1,
    data: 'm'.repeat(MIB),
    size: MIB,
  });

  it('splits 100 events of 1 MiB into 15 batches of at most 8 MiB, in order', () => {
    const events = Array.from({ length: 100 }, (_, i) => mb(i));
    const batches = splitBatches(events);
    // 1 MiB + 133 bytes each: seven fit in 8 MiB.
    expect(batches.map((b) => b.events.length)).toEqual([...Array(14).fill(7), 2]);
    for (const b of batches) {
      expect(b.bytes).toBe(approxBytes(b.events));
      expect(b.bytes).toBeLessThanOrEqual(CAPTURE_LIMITS.batchBytes);
    }
    expect(batches.flatMap((b) => b.events)).toEqual(events);
  });

  it('splits by event count too', () => {
    const small = Array.from({ length: 10_000 }, (_, i): CaptureEvent => ({
      type: 'error',
      socketId: 'a',
      time: i,
    }));
    expect(splitBatches(small).map((b) => b.events.length)).toEqual([4096, 4096, 1808]);
  });

  it('refuses whole a batch over the event count or the size limit, and counts malformed events', () => {
    const tooMany = Array.from({ length: 4097 }, (_, i) => ({ type: 'error', socketId: 'a', time: i }));
    expect(checkBatch(tooMany)).toEqual({ events: [], refused: 4097 });
    const tooBig = Array.from({ length: 6 }, (_, i) => ({ ...frame, time: i, data: 'd'.repeat(1.5 * MIB) }));
    expect(checkBatch(tooBig)).toEqual({ events: [], refused: 6 });
    expect(checkBatch([valid[0], { type: 'x' }, valid[2], 3])).toEqual({
      events: [valid[0], valid[2]],
      refused: 2,
    });
    expect(checkBatch({ length: 2 })).toEqual({ events: [], refused: 0 });
  });
});
