import { describe, expect, it } from 'vitest';
import type { Router } from '../../../src/background/router';
import type { SessionStore } from '../../../src/background/tab-store';
import { Relay } from '../../../src/relay/relay-core';
import { envelope, type Envelope } from '../../../src/messaging/messages';
import { memoryPortPair, type PortLike } from '../../../src/messaging/ports';
import type { CaptureEvent } from '../../../src/protocol/capture';
import { MemoryStore, settle } from './memory-store';
import { EXT, batch, ev, eventsOf, world } from './router-world';

/**
 * A relay of tab 4's top document wired to whichever router `router()` returns when it connects
 * (a restarted worker is a new router); each background-side port is pushed to `backends`.
 */
function relayOfTab4(router: () => Router, backends: PortLike[]): Relay {
  return new Relay({
    connect: (name) => {
      const [mine, theirs] = memoryPortPair(name, { tab: { id: 4 }, frameId: 0 });
      router().onConnect(theirs);
      backends.push(theirs);
      return mine;
    },
    docId: 'doc',
    frameUrl: 'https://p.test/',
    top: true,
  });
}

describe('Router', () => {
  it('stores batches, acks them, and sends them live to the tab panel with sequence numbers', async () => {
    const w = world();
    const p = w.panel(7);
    const other = w.panel(8);
    const r = w.relayPort(7);
    r.port.postMessage(envelope('relay-hello', { docId: 'd1', frameUrl: 'https://p.test/', top: true }));
    r.port.postMessage(batch('d1', 1, [ev(1), ev(2)]));
    r.port.postMessage(batch('d1', 2, [ev(3)]));
    await settle();
    expect(r.got.filter((m) => m.kind === 'ack').map((m) => m.payload)).toEqual([
      { docId: 'd1', seq: 1 },
      { docId: 'd1', seq: 2 },
    ]);
    // Both batches went into one write: one live message, after the write.
    expect(p.got.map((m) => m.kind)).toEqual(['settings', 'backlog', 'navigated', 'events']);
    expect(p.got.filter((m) => m.kind === 'events').map((m) => (m.payload as { seq: number }).seq)).toEqual([
      3,
    ]);
    expect(eventsOf(p.got).map((e) => e.time)).toEqual([1, 2, 3]);
    expect(eventsOf(p.got).map((e) => e.time)).toEqual([1, 2, 3]);
    expect(eventsOf(other.got)).toEqual([]);
  });

  it('gives a late panel the backlog after lastSeq, then live events', async () => {
    const w = world();
    const r = w.relayPort(1);
    r.port.postMessage(batch('d', 1, [ev(1), ev(2), ev(3)]));
    await settle();
    const late = w.panel(1, 1);
    await settle();
    const backlog = late.got.find((m) => m.kind === 'backlog')!;
    expect(backlog.payload).toEqual({
      events: [ev(2), ev(3)],
      droppedEvents: 0,
      seq: 3,
      capBytes: 32 * 1024 * 1024,
    });
    const ahead = w.panel(1, 99); // a panel from before a lost state gets everything
    await settle();
    expect(
      (ahead.got.find((m) => m.kind === 'backlog')!.payload as { events: unknown[] }).events,
    ).toHaveLength(3);
    r.port.postMessage(batch('d', 2, [ev(4)]));
    await settle();
    expect(eventsOf(late.got).map((e) => e.time)).toEqual([2, 3, 4]);
  });

  it('acks a re-sent batch again without storing it twice', async () => {
    const w = world();
    const p = w.panel(1);
    const r = w.relayPort(1);
    r.port.postMessage(batch('d', 1, [ev(1)]));
    r.port.postMessage(batch('d', 1, [ev(1)]));
    await settle();
    expect(r.got.filter((m) => m.kind === 'ack')).toHaveLength(2);
    expect(eventsOf(p.got)).toHaveLength(1);
  });

  it('drops the oldest batches past tabBufferBytes and counts them', async () => {
    const w = world();
    const p = w.panel(1);
    p.port.postMessage(envelope('settings', { tabBufferBytes: 64 * 1024 }));
    const r = w.relayPort(1);
    const big = 'x'.repeat(30 * 1024);
    for (let i = 1; i <= 4; i++) r.port.postMessage(batch('d', i, [ev(i, big)]));
    await settle();
    const late = w.panel(1);
    await settle();
    const backlog = late.got.find((m) => m.kind === 'backlog')!.payload as {
      events: CaptureEvent[];
      droppedEvents: number;
    };
    expect(backlog.events.map((e) => e.time)).toEqual([3, 4]);
    expect(backlog.droppedEvents).toBe(2);
  });

  it('survives a restart: a new router over the same storage has every acked event, once', async () => {
    const store = new MemoryStore();
    let w = world(store);
    const backends: PortLike[] = [];
    const relay = relayOfTab4(() => w.router, backends);
    relay.start();
    relay.onHookMessage(envelope('batch', { events: [ev(1)] }));
    await settle();
    // The worker stops while a batch is in flight (never processed by the old router).
    relay.onHookMessage(envelope('batch', { events: [ev(2)] }));
    w = world(store);
    backends[0]!.disconnect();
    await settle(10);
    relay.onHookMessage(envelope('batch', { events: [ev(3)] }));
    await settle(10);
    const p = w.panel(4);
    await settle();
    expect(eventsOf(p.got).map((e) => e.time)).toEqual([1, 2, 3]);
    expect(relay.pendingBatches).toBe(0);
    expect(p.got.filter((m) => m.kind === 'navigated')).toHaveLength(0);
  });

  it('survives a restart with a write pending: the unacked batches come again, stored once', async () => {
    const store = new MemoryStore();
    // The old worker's storage calls never complete once it is stopped (its work dies with it).
    let alive = true;
    const never = new Promise<never>(() => {});
    const oldStore: SessionStore = {
      get: (k) => (alive ? store.get(k) : never),
      set: (items) => (alive ? store.set(items) : never),
      remove: (k) => (alive ? store.remove(k) : never),
    };
    let w = world(oldStore, { persistDelayMs: 20 });
    const backends: PortLike[] = [];
    const relay = relayOfTab4(() => w.router, backends);
    relay.start();
    relay.onHookMessage(envelope('batch', { events: [ev(1)] }));
    await new Promise((r) => setTimeout(r, 40));
    await settle();
    expect(relay.pendingBatches).toBe(0);
    // Two batches reach the old worker, which stops before its next write.
    relay.onHookMessage(envelope('batch', { events: [ev(2)] }));
    relay.onHookMessage(envelope('batch', { events: [ev(3)] }));
    await settle();
    expect(relay.pendingBatches).toBe(2);
    alive = false;
    w = world(store, { persistDelayMs: 20 });
    backends[0]!.disconnect();
    await new Promise((r) => setTimeout(r, 40));
    await settle(10);
    relay.onHookMessage(envelope('batch', { events: [ev(4)] }));
    await new Promise((r) => setTimeout(r, 40));
    await settle(10);
    expect(relay.pendingBatches).toBe(0);
    const p = world(store).panel(4);
    await settle();
    expect(eventsOf(p.got).map((e) => e.time)).toEqual([1, 2, 3, 4]);
  });

  it('clears on a top-level navigation unless preserveLog, and drops late events of the old page', async () => {
    const w = world();
    const p = w.panel(1);
    const old = w.relayPort(1);
    old.port.postMessage(envelope('relay-hello', { docId: 'a', frameUrl: 'https://p.test/1', top: true }));
    old.port.postMessage(batch('a', 1, [ev(1)]));
    await settle();
    const next = w.relayPort(1);
    next.port.postMessage(envelope('relay-hello', { docId: 'b', frameUrl: 'https://p.test/2', top: true }));
    old.port.postMessage(batch('a', 2, [ev(2)]));
    next.port.postMessage(batch('b', 1, [ev(3)]));
    await settle();
    expect(p.got.filter((m) => m.kind === 'navigated').map((m) => m.payload)).toEqual([
      { url: 'https://p.test/1' },
      { url: 'https://p.test/2' },
    ]);
    const late = w.panel(1);
    await settle();
    expect(eventsOf(late.got).map((e) => e.time)).toEqual([3]);
    p.port.postMessage(envelope('settings', { preserveLog: true }));
    const third = w.relayPort(1);
    third.port.postMessage(envelope('relay-hello', { docId: 'c', frameUrl: 'https://p.test/3', top: true }));
    await settle();
    const later = w.panel(1);
    await settle();
    expect(eventsOf(later.got).map((e) => e.time)).toEqual([3]);
  });

  it("switches the tab's hooks to live while a devtools page watches it, and back when the last one leaves", async () => {
    const w = world();
    const live = () =>
      w.sent.map((s) => [s.tabId, (s.message as Envelope<'hook-settings', { live: boolean }>).payload.live]);
    const watcher = (url = `${EXT}devtools.html`) => {
      const [mine, theirs] = memoryPortPair('khp-devtools', { url });
      w.router.onConnect(theirs);
      try {
        mine.postMessage(envelope('watch', { tabId: 5 }));
      } catch {
        // refused: the router disconnected the port at once
      }
      return mine;
    };
    const a = watcher();
    const b = watcher();
    await settle();
    expect(live()).toEqual([[5, true]]);
    const r = w.relayPort(5, 2);
    r.port.postMessage(envelope('relay-hello', { docId: 'x', frameUrl: '', top: false }));
    await settle();
    expect(r.got).toEqual([
      envelope('hook-settings', { fullCapture: false, frameBudget: 1000, live: true }),
      envelope('hook-policy', { blobWorkers: false }),
    ]);
    a.disconnect();
    await settle();
    expect(live()).toEqual([[5, true]]);
    b.disconnect();
    await settle();
    expect(live()).toEqual([
      [5, true],
      [5, false],
    ]);
    // A page cannot pose as a devtools page.
    watcher('https://p.test/');
    await settle();
    expect(live()).toHaveLength(2);
  });

  it('keeps a watched tab live across a worker restart until its devtools page is back or the grace ends', async () => {
    const store = new MemoryStore();
    const first = world(store);
    const [mine, theirs] = memoryPortPair('khp-devtools', { url: `${EXT}devtools.html` });
    first.router.onConnect(theirs);
    mine.postMessage(envelope('watch', { tabId: 6 }));
    await settle();
    await first.router.idle();
    await new Promise((r) => setTimeout(r, 20)); // the write-behind tick persists the tab
    // A new worker: the devtools page has not reconnected (it was closed while no worker ran).
    const second = world(store, { watchGraceMs: 30 });
    const r = second.relayPort(6);
    r.port.postMessage(envelope('relay-hello', { docId: 'd', frameUrl: '', top: true }));
    await settle();
    expect(r.got.filter((m) => m.kind === 'hook-settings').at(-1)).toMatchObject({ payload: { live: true } });
    await new Promise((res) => setTimeout(res, 60));
    await second.router.idle();
    expect(second.sent.map((x) => [x.tabId, (x.message as Envelope).payload])).toEqual([
      [6, { fullCapture: false, frameBudget: 1000, live: false }],
    ]);
  });

  it('stores settings per tab, pushes the hook part to the tab and to new relays', async () => {
    const w = world();
    const p = w.panel(2);
    p.port.postMessage(envelope('settings', { fullCapture: true, frameBudget: -5, preserveLog: 'yes' }));
    await settle();
    expect(w.sent).toEqual([
      {
        tabId: 2,
        message: envelope('hook-settings', { fullCapture: true, frameBudget: 1000, live: false }),
        frameId: undefined,
      },
    ]);
    expect(p.got.at(-1)).toMatchObject({
      kind: 'settings',
      payload: { fullCapture: true, preserveLog: false },
    });
    const r = w.relayPort(2, 3);
    r.port.postMessage(envelope('relay-hello', { docId: 'x', frameUrl: '', top: false }));
    await settle();
    expect(r.got).toEqual([
      envelope('hook-settings', { fullCapture: true, frameBudget: 1000, live: false }),
      envelope('hook-policy', { blobWorkers: false }),
    ]);
    // Replays run through inspectedWindow.eval only: a 'replay' message is not routed to the page.
    const before = w.sent.length;
    p.port.postMessage(envelope('replay', { replayId: 'r1' }));
    await settle();
    expect(w.sent.length).toBe(before);
  });

  it('refuses panel ports from outside the extension', async () => {
    const w = world();
    const r = w.relayPort(1);
    r.port.postMessage(batch('d', 1, [ev(1)]));
    const intruder = w.panel(1, 0, 'https://evil.test/');
    await settle();
    expect(intruder.refused).toBe(true);
    expect(intruder.got).toEqual([]);
  });

  it('keeps within the storage quota by dropping the tab’s oldest chunks when a write fails', async () => {
    const store = new MemoryStore(80 * 1024);
    const w = world(store); // the router is not told the quota: writes fail, then drop and retry
    const r = w.relayPort(1);
    for (let i = 1; i <= 6; i++) {
      r.port.postMessage(batch('d', i, [ev(i, 'y'.repeat(20 * 1024))]));
      await settle();
    }
    await settle(20);
    expect(r.got.filter((m) => m.kind === 'ack')).toHaveLength(6);
    const restarted = world(store);
    const p = restarted.panel(1);
    await settle();
    const backlog = p.got.find((m) => m.kind === 'backlog')!.payload as {
      events: CaptureEvent[];
      droppedEvents: number;
    };
    expect(backlog.events.at(-1)!.time).toBe(6);
    expect(backlog.events.length + backlog.droppedEvents).toBe(6);
    expect(backlog.droppedEvents).toBeGreaterThan(0);
  });

  it('caps the buffer at what a known storage quota holds, and says so in the backlog', async () => {
    const store = new MemoryStore(80 * 1024);
    let failed = 0;
    const set = store.set.bind(store);
    store.set = (items) => set(items).catch((e: unknown) => (failed++, Promise.reject(e)));
    const w = world(store, { storageQuotaBytes: 80 * 1024 });
    const r = w.relayPort(1);
    for (let i = 1; i <= 6; i++) r.port.postMessage(batch('d', i, [ev(i, 'y'.repeat(20 * 1024))]));
    await settle(20);
    expect(r.got.filter((m) => m.kind === 'ack').map((m) => (m.payload as { seq: number }).seq)).toEqual([
      1, 2, 3, 4, 5, 6,
    ]);
    expect(failed).toBe(0);
    const p = world(store).panel(1);
    await settle();
    const backlog = p.got.find((m) => m.kind === 'backlog')!.payload as {
      events: CaptureEvent[];
      droppedEvents: number;
    };
    expect(backlog.events.map((e) => e.time)).toEqual([5, 6]);
    expect(backlog.droppedEvents).toBe(4);
    const live = w.panel(1);
    await settle();
    expect(live.got.find((m) => m.kind === 'backlog')!.payload).toMatchObject({ capBytes: 57344 });
  });

  it('acks and shows a batch only once the write that holds it is done, one write per delay', async () => {
    const store = new MemoryStore();
    const writes: Record<string, unknown>[] = [];
    let release: () => void = () => {};
    const set = store.set.bind(store);
    store.set = async (items) => {
      writes.push(items);
      await new Promise<void>((r) => (release = r));
      return set(items);
    };
    const w = world(store, { persistDelayMs: 30 });
    const p = w.panel(1);
    await settle();
    const r = w.relayPort(1);
    for (let i = 1; i <= 5; i++) r.port.postMessage(batch('d', i, [ev(i)]));
    await settle();
    expect(writes).toHaveLength(0); // waiting for the delay
    await new Promise((res) => setTimeout(res, 40));
    await settle();
    expect(writes).toHaveLength(1);
    const chunkKeys = Object.keys(writes[0]!).filter((k) => k.startsWith('khp:chunk:'));
    expect(chunkKeys).toHaveLength(1); // the five batches as one append-only chunk
    expect(r.got.filter((m) => m.kind === 'ack')).toHaveLength(0);
    expect(eventsOf(p.got)).toHaveLength(0);
    release();
    await settle();
    expect(r.got.filter((m) => m.kind === 'ack').map((m) => (m.payload as { seq: number }).seq)).toEqual([
      1, 2, 3, 4, 5,
    ]);
    expect(eventsOf(p.got).map((e) => e.time)).toEqual([1, 2, 3, 4, 5]);
    // A re-sent batch is acked at once when nothing is pending.
    r.port.postMessage(batch('d', 2, [ev(2)]));
    await settle();
    expect(r.got.filter((m) => m.kind === 'ack')).toHaveLength(6);
    expect(writes).toHaveLength(1);
  });

  it('writes at once, without waiting for the delay, once 2 MiB of batches are waiting', async () => {
    const w = world(new MemoryStore(), { persistDelayMs: 60_000 });
    const r = w.relayPort(1);
    r.port.postMessage(batch('d', 1, [ev(1, 'a'.repeat(1024 * 1024))]));
    await settle();
    expect(r.got.filter((m) => m.kind === 'ack')).toHaveLength(0);
    r.port.postMessage(batch('d', 2, [ev(2, 'b'.repeat(1024 * 1024))]));
    await settle();
    expect(r.got.filter((m) => m.kind === 'ack').map((m) => (m.payload as { seq: number }).seq)).toEqual([
      1, 2,
    ]);
    expect([...w.store.data.keys()].filter((k) => k.startsWith('khp:chunk:1:'))).toHaveLength(2);
  });

  it('forgets a closed tab', async () => {
    const w = world();
    const r = w.relayPort(5);
    r.port.postMessage(batch('d', 1, [ev(1)]));
    await settle();
    expect([...w.store.data.keys()].some((k) => k.includes(':5'))).toBe(true);
    w.router.onTabRemoved(5);
    await w.router.idle();
    expect([...w.store.data.keys()]).toEqual([]);
  });
});
