import { describe, expect, it } from 'vitest';
import { envelope, BRIDGE_VERSION, type ToPanel } from '../../../src/messaging/messages';
import { memoryPortPair } from '../../../src/messaging/ports';
import type { CaptureEvent } from '../../../src/protocol/capture';
import { socketsToEvents } from '../../../src/protocol/capture-store';
import { PanelStore } from '../../../src/panel/store/panel-store';
import { MemoryTransport, portTransport } from '../../../src/panel/transport';
import { authSocket, plain } from '../../fixtures/panel/captures';
import { fixtureCore } from '../../fixtures/panel/decoded';
import { defaultCore } from '../../../src/panel/core';
import { SPEC_SCRIPTS, scriptCapture } from '../../fixtures/spec-scripts';
import type { IncrementalDecoder } from '../../../src/panel/store/core-port';

function setup() {
  const pending: (() => void)[] = [];
  const store = new PanelStore(fixtureCore(), (flush) => pending.push(flush));
  const transport = new MemoryTransport();
  let renders = 0;
  store.subscribe(() => renders++);
  store.attach(transport, 42);
  const tick = () => pending.splice(0).forEach((f) => f());
  return { store, transport, tick, renders: () => renders };
}

const frameEvent = (i: number): CaptureEvent => ({
  type: 'frame',
  socketId: 'plain',
  dir: 'receive',
  time: i,
  opcode: 1,
  data: `m${i}`,
  size: 2,
});

const dropped = (time: number, frames: number, bytes: number): CaptureEvent => ({
  type: 'dropped',
  socketId: 'plain',
  time,
  frames,
  bytes,
});

describe('panel store', () => {
  it('asks for the backlog on connect, with the tab and the last sequence seen', () => {
    const { transport } = setup();
    expect(transport.sent[0]).toEqual(envelope('connect', { tabId: 42, lastSeq: 0 }));
  });

  it('coalesces many events into one render per frame', () => {
    const { store, transport, tick, renders } = setup();
    transport.deliver(envelope('backlog', { events: socketsToEvents([plain]), droppedEvents: 0, seq: 1 }));
    for (let i = 0; i < 500; i++)
      transport.deliver(envelope('events', { events: [frameEvent(i)], seq: 2 + i }));
    expect(renders()).toBe(0);
    tick();
    expect(renders()).toBe(1);
    expect(store.getSnapshot().sockets[0]!.frames).toHaveLength(502);
    expect(store.getSnapshot().connections[0]!.frameCount).toBe(502);
  });

  it('skips a batch it has already seen and reconnects from the last sequence', () => {
    const { store, transport, tick } = setup();
    transport.deliver(envelope('backlog', { events: socketsToEvents([plain]), droppedEvents: 0, seq: 5 }));
    transport.deliver(envelope('events', { events: [frameEvent(1)], seq: 6 }));
    transport.deliver(envelope('events', { events: [frameEvent(1)], seq: 6 }));
    tick();
    expect(store.getSnapshot().sockets[0]!.frames).toHaveLength(3);
    transport.disconnect();
    tick();
    expect(store.getSnapshot().connected).toBe(false);
    const next = new MemoryTransport();
    store.attach(next, 42);
    expect(next.sent[0]).toEqual(envelope('connect', { tabId: 42, lastSeq: 6 }));
  });

  it('clears on navigation unless the log is preserved', () => {
    const { store, transport, tick } = setup();
    transport.deliver(envelope('backlog', { events: socketsToEvents([plain]), droppedEvents: 0, seq: 1 }));
    store.updateSettings({ preserveLog: true });
    expect(transport.sent.at(-1)).toEqual(envelope('settings', { preserveLog: true }));
    transport.deliver(envelope('navigated', { url: 'http://x/' }));
    tick();
    expect(store.getSnapshot().sockets).toHaveLength(1);
    // Preserved: the navigation is kept as a mark for the list.
    expect(store.getSnapshot().navigations.map((n) => n.url)).toEqual(['http://x/']);
    store.updateSettings({ preserveLog: false });
    transport.deliver(envelope('navigated', { url: 'http://x/' }));
    tick();
    expect(store.getSnapshot().sockets).toHaveLength(0);
    expect(store.getSnapshot().navigations).toEqual([]);
  });

  it('flags a hook that speaks another bridge version', () => {
    const { store, transport, tick } = setup();
    transport.deliver(envelope('hello', { hookVersion: BRIDGE_VERSION, frameUrl: 'http://x/' }));
    tick();
    expect(store.getSnapshot().versionMismatch).toBe(false);
    transport.deliver(envelope('hello', { hookVersion: BRIDGE_VERSION + 1, frameUrl: 'http://x/' }));
    tick();
    expect(store.getSnapshot().versionMismatch).toBe(true);
  });

  it('ignores forged or malformed messages', () => {
    const { store, transport, tick } = setup();
    transport.deliver({
      kind: 'events',
      payload: { events: socketsToEvents([plain]), seq: 1 },
    } as unknown as ToPanel);
    transport.deliver(envelope('events', { events: 'nope', seq: 2 }) as unknown as ToPanel);
    tick();
    expect(store.getSnapshot().sockets).toHaveLength(0);
  });

  it('sends clear and empties the live capture', () => {
    const { store, transport, tick } = setup();
    transport.deliver(envelope('backlog', { events: socketsToEvents([plain]), droppedEvents: 3, seq: 1 }));
    tick();
    expect(store.getSnapshot().droppedEvents).toBe(3);
    store.clear();
    tick();
    expect(transport.sent.at(-1)).toEqual(envelope('clear', {}));
    expect(store.getSnapshot().sockets).toHaveLength(0);
  });

  it('shows an imported file instead of the live capture, and goes back', () => {
    const { store, transport, tick } = setup();
    transport.deliver(envelope('backlog', { events: socketsToEvents([plain]), droppedEvents: 0, seq: 1 }));
    store.showImported('x.har', [authSocket], ['skipped one entry']);
    tick();
    expect(store.getSnapshot().source).toEqual({
      kind: 'imported',
      name: 'x.har',
      warnings: ['skipped one entry'],
    });
    expect(store.getSnapshot().connections.map((c) => c.id)).toEqual(['auth']);
    transport.deliver(envelope('events', { events: [frameEvent(9)], seq: 2 }));
    store.showLive();
    tick();
    expect(store.getSnapshot().connections.map((c) => c.id)).toEqual(['plain']);
    expect(store.getSnapshot().sockets[0]!.frames).toHaveLength(3);
  });

  it('feeds the decoder running-total drops as increments', () => {
    const calls: [number, number][] = [];
    const core = fixtureCore();
    const store = new PanelStore(
      {
        ...core,
        createDecoder: (meta) => {
          const d = core.createDecoder(meta);
          return { ...wrap(d), dropped: (f: number, b: number) => void calls.push([f, b]) };
        },
      },
      (f) => f(),
    );
    const t = new MemoryTransport();
    store.attach(t, 1);
    t.deliver(envelope('backlog', { events: socketsToEvents([plain]), droppedEvents: 0, seq: 1 }));
    t.deliver(
      envelope('events', {
        events: [dropped(1, 10, 100)],
        seq: 2,
      }),
    );
    t.deliver(
      envelope('events', {
        events: [dropped(2, 15, 160)],
        seq: 3,
      }),
    );
    expect(calls).toEqual([
      [10, 100],
      [5, 60],
    ]);
  });

  it('keeps a socket visible when its decoder throws', () => {
    const core = fixtureCore();
    const store = new PanelStore(
      {
        ...core,
        createDecoder: (m) => ({
          ...wrap(fixtureCore().createDecoder(m)),
          frame: () => {
            throw new Error('boom');
          },
        }),
      },
      (f) => f(),
    );
    const t = new MemoryTransport();
    store.attach(t, 1);
    t.deliver(envelope('backlog', { events: socketsToEvents([plain]), droppedEvents: 0, seq: 1 }));
    const c = store.getSnapshot().connections[0]!;
    expect(c.id).toBe('plain');
    expect(c.findings[0]!.rule).toBe('panel-decoder-failed');
  });

  it('talks over a runtime-like port', async () => {
    const [panelEnd, backgroundEnd] = memoryPortPair('khp-panel');
    const store = new PanelStore(fixtureCore(), (f) => f());
    const received: unknown[] = [];
    backgroundEnd.onMessage.addListener((m) => received.push(m));
    store.attach(portTransport(panelEnd), 3);
    backgroundEnd.postMessage(
      envelope('backlog', { events: socketsToEvents([plain]), droppedEvents: 0, seq: 1 }),
    );
    await new Promise((r) => setTimeout(r, 0));
    expect(received[0]).toEqual(envelope('connect', { tabId: 3, lastSeq: 0 }));
    expect(store.getSnapshot().sockets).toHaveLength(1);
    backgroundEnd.disconnect();
    await new Promise((r) => setTimeout(r, 0));
    expect(store.getSnapshot().connected).toBe(false);
  });
});

/** Copies a decoder's methods onto a plain object (so tests can override one). */
function wrap(d: IncrementalDecoder): IncrementalDecoder {
  return {
    open: (...a) => d.open(...a),
    frame: (...a) => d.frame(...a),
    close: (...a) => d.close(...a),
    error: (...a) => d.error(...a),
    dropped: (...a) => d.dropped(...a),
    end: () => d.end(),
    snapshot: () => d.snapshot(),
  };
}

describe('an imported file', () => {
  it('is a finished capture: a response still being read ends with the file', () => {
    // The gateway's balancer-redirect script, cut after the 101 (no terminator) and without a close.
    const [first] = scriptCapture(SPEC_SCRIPTS['gateway.httpx.balancer.redirect']!.client);
    const cut = { ...first!, frames: first!.frames.slice(0, 3), close: undefined };
    delete cut.close;
    const store = new PanelStore(defaultCore, (f) => f());
    store.showImported('cut.har', [cut], []);
    store.flush();
    const [conn] = store.getSnapshot().connections;
    expect(conn?.rounds.map((r) => r.response?.status)).toEqual([101]);
    expect(conn?.findings.map((f) => f.rule)).toEqual(['missing-terminator']);
    expect(conn?.outcome).toBe('failed');
  });
});

describe('panel store after the background lost its state', () => {
  it('starts over when a backlog ends before the last sequence seen', () => {
    const { store, transport, tick } = setup();
    const events = socketsToEvents([plain]);
    transport.deliver(envelope('backlog', { events, droppedEvents: 0, seq: 10 }));
    tick();
    const again = new MemoryTransport();
    store.attach(again, 42);
    expect(again.sent[0]).toEqual(envelope('connect', { tabId: 42, lastSeq: 10 }));
    again.deliver(envelope('backlog', { events, droppedEvents: 0, seq: events.length }));
    tick();
    expect(store.getSnapshot().sockets).toHaveLength(1);
    expect(store.getSnapshot().sockets[0]!.frames).toHaveLength(2);
  });
});
