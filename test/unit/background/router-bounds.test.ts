import { describe, expect, it } from 'vitest';
import {
  SESSION_QUOTA_BYTES,
  chunkKey,
  sessionQuotaBytes,
  storageBudget,
} from '../../../src/background/tab-store';
import { envelope, isEnvelope, type Envelope } from '../../../src/messaging/messages';
import { memoryPortPair, type PortLike } from '../../../src/messaging/ports';
import type { CaptureEvent } from '../../../src/protocol/capture';
import { Relay } from '../../../src/relay/relay-core';
import type { Router } from '../../../src/background/router';
import { MemoryStore, settle } from './memory-store';
import { batch, ev, eventsOf, world } from './router-world';

const MIB = 1024 * 1024;
const KIB64 = 'k'.repeat(64 * 1024);

interface Backlog {
  events: CaptureEvent[];
  droppedEvents: number;
}

/** What a panel connecting now to `tabId` gets as its backlog (and the live events after it). */
async function backlogOf(w: ReturnType<typeof world>, tabId: number): Promise<Backlog> {
  const p = w.panel(tabId);
  await settle();
  const b = p.got.find((m) => m.kind === 'backlog')!.payload as Backlog;
  return { events: eventsOf(p.got), droppedEvents: b.droppedEvents };
}

/**
 * A relay of tab 4's top document connected to `router` through a gate that drops the port, instead
 * of passing the message on, whenever `breaks(message)` (the background dying on that message).
 */
function gatedRelay(router: Router, breaks: (m: Envelope) => boolean): Relay {
  return new Relay({
    connect: (name) => {
      const [mine, theirs] = memoryPortPair(name, { tab: { id: 4 }, frameId: 0 });
      const fns: ((m: unknown) => void)[] = [];
      const gate: PortLike = {
        name: theirs.name,
        sender: theirs.sender,
        postMessage: (m) => theirs.postMessage(m),
        disconnect: () => theirs.disconnect(),
        onMessage: { addListener: (fn) => void fns.push(fn) },
        onDisconnect: theirs.onDisconnect,
      };
      theirs.onMessage.addListener((m) => {
        if (isEnvelope(m) && breaks(m)) theirs.disconnect();
        else for (const fn of fns) fn(m);
      });
      router.onConnect(gate);
      return mine;
    },
    docId: 'doc',
    frameUrl: 'https://p.test/',
    top: true,
  });
}

describe('Router bounds', () => {
  it('refuses a batch over the event or size limit whole, leaves out malformed events, and counts both', async () => {
    const w = world();
    const r = w.relayPort(1);
    const many = Array.from({ length: 4097 }, (_, i) => ev(i));
    const heavy = Array.from({ length: 6 }, (_, i) => ev(i, 'h'.repeat(1.5 * MIB)));
    r.port.postMessage(batch('d', 1, many));
    r.port.postMessage(batch('d', 2, heavy));
    r.port.postMessage(envelope('batch', { docId: 'd', seq: 3, events: [ev(1), { type: 'x' }, ev(2), 3] }));
    r.port.postMessage(batch('d', 2, heavy)); // re-sent: acked again, not counted again
    await settle();
    expect(r.got.filter((m) => m.kind === 'ack').map((m) => (m.payload as { seq: number }).seq)).toEqual([
      1, 2, 3, 3,
    ]);
    const b = await backlogOf(w, 1);
    expect(b.events.map((e) => e.time)).toEqual([1, 2]);
    expect(b.droppedEvents).toBe(4097 + 6 + 2);
  });

  it('caps strings at the background too (a relay is not trusted blindly)', async () => {
    const w = world();
    const r = w.relayPort(1);
    const url = 'ws://h/' + 'u'.repeat(2 * MIB);
    r.port.postMessage(batch('d', 1, [{ type: 'create', socketId: 'f:1', time: 1, url, protocols: [] }]));
    await settle();
    const [e] = (await backlogOf(w, 1)).events;
    expect(e).toEqual({
      type: 'create',
      socketId: 'f:1',
      time: 1,
      url: url.slice(0, 65536),
      protocols: [],
      truncatedFields: ['url'],
    });
  });

  it('adds what a relay reports lost to the tab’s dropped events once, across a restart', async () => {
    const store = new MemoryStore();
    let w = world(store);
    const r = w.relayPort(3);
    r.port.postMessage(envelope('relay-hello', { docId: 'd', frameUrl: 'https://p.test/', top: true }));
    for (const events of [5, 5, 7, -1, 'x', 2.5, 3])
      r.port.postMessage(envelope('lost', { docId: 'd', events }));
    await settle();
    expect((await backlogOf(w, 3)).droppedEvents).toBe(7);
    w = world(store); // the worker restarts; the relay says its total again on its new port
    const again = w.relayPort(3);
    again.port.postMessage(envelope('relay-hello', { docId: 'd', frameUrl: 'https://p.test/', top: true }));
    again.port.postMessage(envelope('lost', { docId: 'd', events: 7 }));
    again.port.postMessage(envelope('lost', { docId: 'd', events: 9 }));
    await settle();
    expect((await backlogOf(w, 3)).droppedEvents).toBe(9);
    // Losses of a page the tab has navigated away from belong to its cleared log.
    const next = w.relayPort(3);
    next.port.postMessage(envelope('relay-hello', { docId: 'e', frameUrl: 'https://p.test/2', top: true }));
    again.port.postMessage(envelope('lost', { docId: 'd', events: 30 }));
    await settle();
    expect((await backlogOf(w, 3)).droppedEvents).toBe(9);
  });

  it('a batch that breaks the port every time is dropped by the relay and counted by the background', async () => {
    const w = world();
    const poisoned = (m: Envelope) =>
      m.kind === 'batch' && (m.payload as { events: CaptureEvent[] }).events.some((e) => e.time === 666);
    const relay = gatedRelay(w.router, poisoned);
    relay.start();
    relay.onHookMessage(envelope('batch', { events: [ev(1), ev(2)] }));
    relay.onHookMessage(envelope('batch', { events: [ev(666), ev(667), ev(668)] }));
    relay.onHookMessage(envelope('batch', { events: [ev(4)] }));
    await settle(40);
    expect(relay.pendingBatches).toBe(0);
    expect(relay.lostEvents).toBe(3);
    const b = await backlogOf(w, 4);
    expect(b.events.map((e) => e.time)).toEqual([1, 2, 4]);
    expect(b.droppedEvents).toBe(3);
  });

  it('keeps all tabs within the total cap; a flooding tab cannot push out a quiet tab’s events', async () => {
    const w = world(new MemoryStore(), { maxTotalBytes: MIB });
    const quiet = w.relayPort(2);
    const flood = w.relayPort(1);
    let peak = 0;
    const step = async () => {
      await settle();
      peak = Math.max(peak, w.router.bufferedBytes());
    };
    for (let i = 1; i <= 5; i++) {
      quiet.port.postMessage(batch('q', i, [ev(i)]));
      await step();
    }
    for (let i = 1; i <= 100; i++) {
      flood.port.postMessage(batch('f', i, [ev(i, KIB64)]));
      await step();
    }
    for (let i = 6; i <= 10; i++) {
      quiet.port.postMessage(batch('q', i, [ev(i)]));
      await step();
    }
    expect(peak).toBeLessThanOrEqual(MIB);
    // 64 KiB + 131 bytes per flooding event: 15 fit beside the quiet tab's ten 131-byte events.
    const f = await backlogOf(w, 1);
    expect(f.events.map((e) => e.time)).toEqual(Array.from({ length: 15 }, (_, i) => 86 + i));
    expect(f.droppedEvents).toBe(85);
    const q = await backlogOf(w, 2);
    expect(q.events.map((e) => e.time)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(q.droppedEvents).toBe(0);
    // A restarted worker loads the same, still within the cap.
    const restarted = world(w.store, { maxTotalBytes: MIB });
    expect((await backlogOf(restarted, 1)).events).toHaveLength(15);
    expect(restarted.router.bufferedBytes()).toBeLessThanOrEqual(MIB);
  });

  it('takes the session quota from QUOTA_BYTES, or 10 MiB where the area does not say (Firefox)', () => {
    expect(sessionQuotaBytes({ QUOTA_BYTES: 10485760 })).toBe(10485760);
    expect(sessionQuotaBytes({ QUOTA_BYTES: 4096 })).toBe(4096);
    // Firefox enforces 10 MiB on storage.session but its background sees no QUOTA_BYTES.
    for (const area of [{}, { QUOTA_BYTES: undefined }, { QUOTA_BYTES: 0 }, { QUOTA_BYTES: Infinity }])
      expect(sessionQuotaBytes(area)).toBe(SESSION_QUOTA_BYTES);
    expect(SESSION_QUOTA_BYTES).toBe(10 * MIB);
    expect(storageBudget(sessionQuotaBytes({}))).toBe(7 * MIB);
  });

  it('evicts from the tab holding the most first', async () => {
    const w = world(new MemoryStore(), { maxTotalBytes: MIB });
    const a = w.relayPort(1);
    const b = w.relayPort(2);
    for (let i = 1; i <= 20; i++) {
      a.port.postMessage(batch('a', i, [ev(i, KIB64)]));
      await settle();
    }
    for (let i = 1; i <= 5; i++) {
      b.port.postMessage(batch('b', i, [ev(i, KIB64)]));
      await settle();
    }
    const ba = await backlogOf(w, 1);
    const bb = await backlogOf(w, 2);
    expect([ba.events.length, ba.droppedEvents]).toEqual([10, 10]);
    expect([bb.events.length, bb.droppedEvents]).toEqual([5, 0]);
  });

  it('counts every event a failed write could not store (the record is still written)', async () => {
    const store = new MemoryStore(2000); // room for the tab's record, not for a chunk
    const w = world(store);
    const r = w.relayPort(1);
    for (let i = 1; i <= 5; i++) {
      r.port.postMessage(batch('d', i, [ev(i, 'w'.repeat(5000))]));
      await settle();
    }
    expect(r.got.filter((m) => m.kind === 'ack')).toHaveLength(5);
    const live = await backlogOf(w, 1);
    expect(live).toEqual({ events: [], droppedEvents: 5 });
    expect(await backlogOf(world(store), 1)).toEqual({ events: [], droppedEvents: 5 });
  });

  it('stored events plus dropped events always make up everything sent, live and after a restart', async () => {
    const store = new MemoryStore(80 * 1024);
    const w = world(store); // not told the quota: writes fail, drop and retry
    const r = w.relayPort(1);
    const all: CaptureEvent[] = [];
    for (let s = 1; s <= 60; s++) {
      const id = `f:${s}`;
      all.push({
        type: 'create',
        socketId: id,
        time: all.length,
        url: 'ws://h/' + 'u'.repeat(1024),
        protocols: [],
      });
      all.push({
        type: 'open',
        socketId: id,
        time: all.length,
        protocol: 'x-kaazing-handshake',
        extensions: '',
      });
      all.push({ ...ev(all.length, 'f'.repeat(200)), socketId: id });
      if (s % 6 === 0)
        all.push({ type: 'close', socketId: id, time: all.length, code: 1000, reason: '', wasClean: true });
    }
    expect(all).toHaveLength(190);
    for (let i = 0; i < all.length; i += 10) {
      r.port.postMessage(batch('d', i / 10 + 1, all.slice(i, i + 10)));
      await settle();
    }
    const live = await backlogOf(w, 1);
    expect(live.droppedEvents).toBeGreaterThan(0);
    expect(live.events.length + live.droppedEvents).toBe(190);
    expect(live.events.at(-1)!.time).toBe(189);
    const after = await backlogOf(world(store), 1);
    expect(after).toEqual(live);
  });

  it('counts the events of chunks missing from storage when it loads', async () => {
    const store = new MemoryStore();
    const w = world(store);
    const r = w.relayPort(1);
    r.port.postMessage(batch('d', 1, [ev(1), ev(2)]));
    await settle();
    r.port.postMessage(batch('d', 2, [ev(3), ev(4), ev(5)]));
    await settle();
    r.port.postMessage(batch('d', 3, [ev(6)]));
    await settle();
    expect(store.data.delete(chunkKey(1, 2))).toBe(true);
    const b = await backlogOf(world(store), 1);
    expect(b.events.map((e) => e.time)).toEqual([1, 2, 6]);
    expect(b.droppedEvents).toBe(3);
  });
});
