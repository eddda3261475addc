import { describe, expect, it } from 'vitest';
import { Relay, type RelayDeps } from '../../../src/relay/relay-core';
import { envelope, isEnvelope, type Envelope } from '../../../src/messaging/messages';
import { memoryPortPair, type PortLike } from '../../../src/messaging/ports';
import type { CaptureEvent } from '../../../src/protocol/capture';
import { CAPTURE_LIMITS, approxBytes } from '../../../src/protocol/capture-bounds';
import { settle } from '../background/memory-store';

const MIB = 1024 * 1024;

interface Backend {
  port: PortLike;
  got: Envelope[];
}

/**
 * A relay whose every port goes to a fake background; `onBackend` decides what that background does
 * with each message it gets (ack it, disconnect...). The wire's JSON size of each message is kept.
 */
function setup(onBackend: (m: Envelope, b: Backend) => void = () => {}, extra: Partial<RelayDeps> = {}) {
  const backends: Backend[] = [];
  const sizes: number[] = [];
  const posted: Envelope[] = [];
  const relay = new Relay({
    connect: (name) => {
      const [mine, theirs] = memoryPortPair(name, { tab: { id: 1 }, frameId: 0 });
      const b: Backend = { port: theirs, got: [] };
      backends.push(b);
      const post = mine.postMessage.bind(mine);
      mine.postMessage = (m) => {
        sizes.push(JSON.stringify(m).length);
        if (isEnvelope(m)) posted.push(m);
        post(m);
      };
      theirs.onMessage.addListener((m) => {
        if (!isEnvelope(m)) return;
        b.got.push(m);
        onBackend(m, b);
      });
      return mine;
    },
    docId: 'doc-1',
    frameUrl: 'https://p.test/',
    top: false,
    ...extra,
  });
  const all = () => backends.flatMap((b) => b.got);
  const batches = () => all().filter((m) => m.kind === 'batch');
  const eventsOf = (ms: Envelope[]) => ms.flatMap((m) => (m.payload as { events: CaptureEvent[] }).events);
  return { relay, backends, sizes, posted, all, batches, eventsOf };
}

/** A background that acks every batch at once. */
const acking = (m: Envelope, b: Backend) => {
  if (m.kind === 'batch')
    b.port.postMessage(envelope('ack', { docId: 'doc-1', seq: (m.payload as { seq: number }).seq }));
};

const create = (i: number, url: string): CaptureEvent => ({
  type: 'create',
  socketId: `s:${String(i).padStart(3, '0')}`,
  time: i,
  url,
  protocols: ['x-kaazing-handshake'],
});

describe('Relay bounds', () => {
  it('caps a 2 MiB URL at 64 KiB, with the mark, before it leaves the page', async () => {
    const t = setup(acking);
    const url = 'wss://h/?' + 'q'.repeat(2 * MIB);
    t.relay.onHookMessage(envelope('batch', { events: [create(1, url)] }));
    await settle();
    const [e] = t.eventsOf(t.batches());
    expect(e).toEqual({ ...create(1, url.slice(0, 65536)), truncatedFields: ['url'] });
    expect(Math.max(...t.sizes)).toBeLessThan(66_000);
  });

  it('drops malformed events, counts them, and reports the running total to the background', async () => {
    const t = setup(acking);
    const good = create(1, 'ws://h/');
    t.relay.onHookMessage(
      envelope('batch', {
        events: [good, { type: 'bogus', socketId: 'a', time: 1 }, null, { ...good, time: NaN }],
      }),
    );
    await settle();
    expect(t.eventsOf(t.batches())).toEqual([good]);
    expect(t.relay.malformedEvents).toBe(3);
    t.relay.onHookMessage(envelope('batch', { events: [{ ...good, protocols: [7] }] }));
    await settle();
    expect(t.batches()).toHaveLength(1); // nothing left to send
    expect(
      t
        .all()
        .filter((m) => m.kind === 'lost')
        .map((m) => m.payload),
    ).toEqual([
      { docId: 'doc-1', events: 3 },
      { docId: 'doc-1', events: 4 },
    ]);
    // A new port hears the total again (the background counts only what it has not counted yet).
    t.backends[0]!.port.disconnect();
    t.relay.onHookMessage(envelope('batch', { events: [good] }));
    await settle();
    expect(t.backends[1]!.got.map((m) => m.kind)).toEqual(['relay-hello', 'lost', 'batch']);
    expect(t.backends[1]!.got[1]!.payload).toEqual({ docId: 'doc-1', events: 4 });
    expect(t.relay.lostEvents).toBe(4);
  });

  it('sends 100 events with 1 MB URLs capped, in batches within the limit', async () => {
    const events = Array.from({ length: 100 }, (_, i) => create(i, 'ws://h/' + 'u'.repeat(1_000_000)));
    // At the default 8 MiB limit the caps alone make them one batch of ~6.3 MiB.
    const one = setup(acking);
    one.relay.onHookMessage(envelope('batch', { events }));
    await settle();
    expect(one.batches()).toHaveLength(1);
    expect(one.eventsOf(one.batches()).every((e) => e.type === 'create' && e.url.length === 65536)).toBe(
      true,
    );
    expect(Math.max(...one.sizes)).toBeLessThan(CAPTURE_LIMITS.batchBytes);
    // With a 1 MiB limit: 15 events of 65,709 estimated bytes per batch, 7 batches.
    const small = setup(acking, { maxBatchBytes: MIB });
    small.relay.onHookMessage(envelope('batch', { events }));
    await settle();
    const batches = small.batches();
    expect(batches.map((m) => (m.payload as { events: unknown[] }).events.length)).toEqual([
      15, 15, 15, 15, 15, 15, 10,
    ]);
    for (const m of batches)
      expect(approxBytes((m.payload as { events: CaptureEvent[] }).events)).toBeLessThanOrEqual(MIB);
    expect(Math.max(...small.sizes)).toBeLessThan(MIB);
    expect(small.eventsOf(batches).map((e) => e.time)).toEqual(events.map((e) => e.time));
  });

  it('splits 100 MB of frames from one hook message into 15 messages under 8 MiB, in order', async () => {
    const frames = Array.from({ length: 100 }, (_, i): CaptureEvent => ({
      type: 'frame',
      socketId: `s:${String(i).padStart(3, '0')}`,
      time: i,
      dir: 'receive',
      opcode: 1,
      data: 'd'.repeat(MIB),
      size: MIB,
    }));
    const t = setup(acking, { maxUnackedBytes: 256 * MIB });
    t.relay.onHookMessage(envelope('batch', { events: frames }));
    await settle(20);
    expect(t.batches()).toHaveLength(15);
    const batchSizes = t.sizes.filter((n) => n > MIB);
    expect(batchSizes).toHaveLength(15);
    expect(Math.max(...batchSizes)).toBeLessThan(CAPTURE_LIMITS.batchBytes);
    expect(t.eventsOf(t.batches()).map((e) => e.time)).toEqual(frames.map((e) => e.time));
    expect(t.relay.pendingBatches).toBe(0);
  });

  it('drops each batch after 3 lost ports when the port drops on every batch, and reports the loss', async () => {
    const t = setup((m, b) => {
      if (m.kind === 'batch') b.port.disconnect(); // the background dies on every batch
    });
    const ev = (n: number): CaptureEvent => ({ type: 'error', socketId: 'f:1', time: n });
    t.relay.onHookMessage(envelope('batch', { events: [ev(1), ev(2)] }));
    t.relay.onHookMessage(envelope('batch', { events: [ev(3)] }));
    await settle(30);
    const posts = (seq: number) =>
      t.posted.filter((m) => m.kind === 'batch' && (m.payload as { seq: number }).seq === seq).length;
    // Both go out on the first port; after it is lost the relay sends one batch at a time, and a
    // batch lost alone on three ports is dropped: each was posted once with company, three times alone.
    expect([posts(1), posts(2)]).toEqual([4, 4]);
    expect(t.backends).toHaveLength(8);
    expect(t.relay.pendingBatches).toBe(0);
    expect(t.relay.lostBatches).toBe(2);
    expect(t.relay.lostEvents).toBe(3);
    const last = t.backends.at(-1)!.got;
    expect(last.map((m) => m.kind)).toEqual(['relay-hello', 'lost', 'lost']);
    expect(last.at(-1)!.payload).toEqual({ docId: 'doc-1', events: 3 });
    await settle(10);
    expect(t.backends).toHaveLength(8); // nothing waits: no more ports
  });

  it('drops a batch whose post throws (a message over the port limit) after 3 tries, and goes on', async () => {
    let ports = 0;
    const got: Envelope[] = [];
    const relay = new Relay({
      connect: (name) => {
        ports++;
        const [mine, theirs] = memoryPortPair(name);
        theirs.onMessage.addListener((m) => {
          if (!isEnvelope(m)) return;
          got.push(m);
          if (m.kind === 'batch') theirs.postMessage(envelope('ack', m.payload));
        });
        const post = mine.postMessage.bind(mine);
        mine.postMessage = (m) => {
          // A stand-in for Chrome's limit on one message, scaled down to 1 MiB.
          if (JSON.stringify(m).length > MIB)
            throw new Error('Message length exceeded maximum allowed length.');
          post(m);
        };
        return mine;
      },
      docId: 'doc-1',
      frameUrl: '',
      top: false,
    });
    const big: CaptureEvent = {
      type: 'frame',
      socketId: 'f:1',
      time: 1,
      dir: 'send',
      opcode: 1,
      data: 'x'.repeat(2 * MIB),
      size: 2 * MIB,
    };
    relay.onHookMessage(envelope('batch', { events: [big] }));
    relay.onHookMessage(envelope('batch', { events: [{ type: 'error', socketId: 'f:1', time: 2 }] }));
    await settle();
    expect(ports).toBe(4);
    expect(relay.lostEvents).toBe(1);
    expect(relay.pendingBatches).toBe(0);
    expect(got.filter((m) => m.kind === 'batch').map((m) => (m.payload as { seq: number }).seq)).toEqual([2]);
    expect(got.filter((m) => m.kind === 'lost').map((m) => m.payload)).toEqual([
      { docId: 'doc-1', events: 1 },
    ]);
  });
});
