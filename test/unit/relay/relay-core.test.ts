import { describe, expect, it } from 'vitest';
import { Relay, type RelayDeps } from '../../../src/relay/relay-core';
import { TestRelay } from '../../../src/relay/test-relay';
import { envelope, isEnvelope, type Envelope } from '../../../src/messaging/messages';
import { memoryPortPair, type PortLike } from '../../../src/messaging/ports';
import type { CaptureEvent } from '../../../src/protocol/capture';
import { settle } from '../background/memory-store';

/** The relay's end of a hook channel: `emit` plays the hook, `got` is what the relay sent it. */
function fakeHookPort() {
  const got: unknown[] = [];
  let listener: (m: unknown) => void = () => {};
  return {
    got,
    emit: (m: unknown) => listener(m),
    port: {
      postMessage: (m: unknown) => void got.push(m),
      onMessage: (fn: (m: unknown) => void) => void (listener = fn),
    },
  };
}

const ev = (n: number): CaptureEvent => ({ type: 'error', socketId: 'f:1', time: n });

/**
 * A relay wired to fake ports; `backend` is the background's side of the current port. `testBuild`:
 * the test build's relay (test-relay.ts), which also answers test queries.
 */
function setup(top = false, testBuild = false, maxInFlightBytes?: number, maxUnackedBytes?: number) {
  const received: Envelope[] = [];
  const toPage: unknown[] = [];
  const backends: PortLike[] = [];
  const deps: RelayDeps = {
    connect: (name) => {
      const [mine, theirs] = memoryPortPair(name, { tab: { id: 1 }, frameId: 0 });
      theirs.onMessage.addListener((m) => isEnvelope(m) && received.push(m));
      backends.push(theirs);
      return mine;
    },
    docId: 'doc-1',
    frameUrl: 'https://p.test/',
    top,
    ...(maxInFlightBytes !== undefined ? { maxInFlightBytes } : {}),
    ...(maxUnackedBytes !== undefined ? { maxUnackedBytes } : {}),
  };
  const relay = testBuild ? new TestRelay(deps, (m) => toPage.push(m)) : new Relay(deps);
  return { relay, received, toPage, backends };
}

/** The test build's relay, wired like `setup`'s. */
function testSetup(top = false) {
  const s = setup(top, true);
  return { ...s, relay: s.relay as TestRelay };
}

describe('Relay', () => {
  it('takes nothing by window message, only over the linked hook port; a batch is its first `count` events', async () => {
    // The production relay has no window entry at all; the test build's takes only test queries there.
    expect('onWindowMessage' in setup().relay).toBe(false);
    const { relay, received } = testSetup();
    const hook = fakeHookPort();
    const hello = envelope('hello', { hookVersion: 1, frameUrl: 'https://p.test/' });
    relay.onWindowMessage(hello, true);
    relay.onWindowMessage(envelope('batch', { events: [ev(1)], count: 1 }), true);
    await settle();
    expect(received).toEqual([]);
    relay.attachHook(hook.port);
    relay.attachHook(fakeHookPort().port); // a second link is ignored
    hook.emit(hello);
    hook.emit(envelope('batch', { events: [ev(1), ev(2), null], count: 2 }));
    await settle();
    expect(received.map((m) => m.kind)).toEqual(['relay-hello', 'hello', 'batch']);
    expect(received[2]!.payload).toEqual({ docId: 'doc-1', seq: 1, events: [ev(1), ev(2)] });
  });

  it('holds settings for the hook until its channel exists (latest settings only), then delivers them', () => {
    const { relay } = setup();
    relay.onRuntimeMessage(envelope('hook-settings', { fullCapture: true, frameBudget: 5 }));
    relay.onRuntimeMessage(envelope('hook-settings', { fullCapture: false, frameBudget: 7 }));
    relay.onRuntimeMessage(envelope('ack', { seq: 1 }));
    relay.onRuntimeMessage({ kind: 'hook-settings' });
    const hook = fakeHookPort();
    relay.attachHook(hook.port);
    expect(hook.got).toEqual([envelope('hook-settings', { fullCapture: false, frameBudget: 7 })]);
    // Nothing but settings reaches the hook from the background (replays run through inspectedWindow.eval).
    relay.onRuntimeMessage(envelope('replay', { replayId: 'r' }));
    expect(hook.got).toHaveLength(1);
  });

  it("forwards the background's hook-policy over the port, only its flag, the latest one until the hook is linked", async () => {
    const { relay, backends } = setup(true);
    relay.start();
    await settle();
    const background = backends[0]!;
    background.postMessage(envelope('hook-settings', { fullCapture: true, frameBudget: 5, live: false }));
    background.postMessage(envelope('hook-policy', { blobWorkers: true, extra: 'x' }));
    background.postMessage(envelope('hook-policy', { blobWorkers: 'yes' }));
    background.postMessage(envelope('hook-policy', { blobWorkers: true }));
    await settle();
    const hook = fakeHookPort();
    relay.attachHook(hook.port);
    expect(hook.got).toEqual([
      envelope('hook-settings', { fullCapture: true, frameBudget: 5, live: false }),
      envelope('hook-policy', { blobWorkers: true }),
    ]);
    background.postMessage(envelope('hook-policy', { blobWorkers: 1 }));
    background.postMessage(envelope('hook-policy', null));
    await settle();
    expect(hook.got.slice(2)).toEqual([
      envelope('hook-policy', { blobWorkers: false }),
      envelope('hook-policy', { blobWorkers: false }),
    ]);
    // Not by a one-off message: only the relay's own port carries it.
    relay.onRuntimeMessage(envelope('hook-policy', { blobWorkers: true }));
    expect(hook.got).toHaveLength(4);
  });

  it('keeps a queued hook-policy false when the latest says false', async () => {
    const { relay, backends } = setup(true);
    relay.start();
    await settle();
    backends[0]!.postMessage(envelope('hook-policy', { blobWorkers: true }));
    backends[0]!.postMessage(envelope('hook-policy', { blobWorkers: false }));
    await settle();
    const hook = fakeHookPort();
    relay.attachHook(hook.port);
    expect(hook.got).toEqual([envelope('hook-policy', { blobWorkers: false })]);
  });

  it('answers the `policy` test query with the verdict the hook says it holds, not the one posted to it', async () => {
    const { relay, backends, toPage } = testSetup(true);
    relay.start();
    const hook = fakeHookPort();
    relay.attachHook(hook.port);
    await settle();
    const ask = () => relay.onWindowMessage(envelope('khp-test-query', { id: 'p', op: 'policy' }), true);
    const answers = () => toPage.map((m) => (m as Envelope<string, { result: unknown }>).payload.result);
    ask();
    backends[0]!.postMessage(envelope('hook-policy', { blobWorkers: true }));
    await settle();
    expect(hook.got).toContainEqual(envelope('hook-policy', { blobWorkers: true }));
    ask(); // posted to the hook, not yet held by it
    hook.emit(envelope('test-policy-held', { blobWorkers: true }));
    ask();
    expect(answers()).toEqual([null, null, { blobWorkers: true }]);
  });

  it('connects at start only in the top frame', async () => {
    const a = setup(false);
    a.relay.start();
    const b = setup(true);
    b.relay.start();
    await settle();
    expect(a.backends).toHaveLength(0);
    expect(b.received.map((m) => m.kind)).toEqual(['relay-hello']);
  });

  it('re-sends unacknowledged batches after the port drops, in order, and stops at acks', async () => {
    const { relay, received, backends } = setup();
    relay.onHookMessage(envelope('batch', { events: [ev(1)] }));
    relay.onHookMessage(envelope('batch', { events: [ev(2)] }));
    await settle();
    backends[0]!.postMessage(envelope('ack', { docId: 'doc-1', seq: 1 }));
    await settle();
    expect(relay.pendingBatches).toBe(1);
    received.length = 0;
    backends[0]!.disconnect(); // the service worker stopped
    await settle();
    expect(backends).toHaveLength(2);
    expect(received.map((m) => [m.kind, (m.payload as { seq?: number }).seq])).toEqual([
      ['relay-hello', undefined],
      ['batch', 2],
    ]);
    backends[1]!.postMessage(envelope('ack', { docId: 'doc-1', seq: 2 }));
    await settle();
    expect(relay.pendingBatches).toBe(0);
    backends[1]!.disconnect();
    await settle();
    expect(backends).toHaveLength(2); // nothing pending: no reconnect until the next batch
  });

  it('passes no test reply to the page unless built for tests', async () => {
    const { relay, backends, toPage } = setup(true);
    relay.start();
    await settle();
    backends[0]!.postMessage(envelope('test-reply', { id: 'q', result: 1 }));
    await settle();
    expect(toPage).toEqual([]);
  });

  it('takes injected events as a hook batch only in test builds, checked like the hook’s', async () => {
    const inject = (events: unknown) =>
      envelope('khp-test-query', { id: 'i', op: 'inject', events: events as CaptureEvent[] });
    const url = 'ws://h/?' + 'q'.repeat(100_000);
    const forged = [{ ...ev(1) }, { type: 'create', socketId: 'f:2', time: 2, url, protocols: [] }, 42];

    const { relay, received, toPage } = testSetup();
    relay.onWindowMessage(inject(forged), false); // not posted by this window
    relay.onWindowMessage(inject('not an array'), true);
    relay.onWindowMessage(inject(forged), true);
    await settle();
    const batches = received.filter((m) => m.kind === 'batch');
    expect(batches).toHaveLength(1);
    expect((batches[0]!.payload as { events: CaptureEvent[] }).events).toEqual([
      ev(1),
      {
        type: 'create',
        socketId: 'f:2',
        time: 2,
        url: url.slice(0, 65536),
        protocols: [],
        truncatedFields: ['url'],
      },
    ]);
    expect(relay.malformedEvents).toBe(1);
    expect(received.find((m) => m.kind === 'lost')?.payload).toEqual({ docId: 'doc-1', events: 1 });
    expect(received.some((m) => m.kind === 'test-query')).toBe(false);
    expect(toPage).toEqual([]);
  });

  it('sends a query that arrives while the port is down on the new port, once', async () => {
    const { relay, received, backends, toPage } = testSetup(true);
    relay.start();
    await settle();
    backends[0]!.disconnect();
    await settle();
    relay.onWindowMessage(envelope('khp-test-query', { id: 'q1', op: 'state' }), true);
    await settle();
    expect(received.map((m) => m.kind)).toEqual(['relay-hello', 'relay-hello', 'test-query']);
    backends[1]!.postMessage(envelope('test-reply', { id: 'q1', result: 42 }));
    await settle();
    expect(toPage).toEqual([envelope('khp-test-reply', { id: 'q1', result: 42 })]);
  });

  it('drops the oldest unacknowledged batches past its byte limit', () => {
    const relay = new Relay({
      connect: () => {
        throw new Error('Extension context invalidated');
      },
      docId: 'd',
      frameUrl: '',
      top: false,
      maxUnackedBytes: 300,
    });
    // Each one-event batch is estimated at 131 bytes: 300 bytes hold two.
    for (let i = 0; i < 5; i++) relay.onHookMessage(envelope('batch', { events: [ev(i)] }));
    expect(relay.pendingBatches).toBe(2);
    expect(relay.lostBatches).toBe(3);
    expect(relay.lostEvents).toBe(3);
  });

  it('past its byte limit, drops the oldest batches not yet posted, never one in flight', async () => {
    // 131 bytes a batch: the window holds two on the port, and 700 bytes hold five in all.
    const { relay, received, backends } = setup(false, false, 270, 700);
    for (let i = 1; i <= 8; i++) relay.onHookMessage(envelope('batch', { events: [ev(i)] }));
    await settle();
    // Batches 1 and 2 went out and stay; 3, 4 and 5 were dropped for 6, 7 and 8.
    expect(relay.lostEvents).toBe(3);
    expect(relay.pendingBatches).toBe(5);
    for (const seq of [2, 7, 8]) {
      backends[0]!.postMessage(envelope('ack', { docId: 'doc-1', seq }));
      await settle();
    }
    const batches = received.filter((m) => m.kind === 'batch');
    const times = batches.flatMap((m) => (m.payload as { events: CaptureEvent[] }).events.map((e) => e.time));
    // What reached the background and what was counted lost add up to what the hook sent, once each.
    expect(times).toEqual([1, 2, 6, 7, 8]);
    expect(times.length + relay.lostEvents).toBe(8);
    expect(relay.pendingBatches).toBe(0);
  });

  it('keeps at most its in-flight window of batches on the port and sends the rest as acks come back', async () => {
    // Each one-event batch is estimated at 131 bytes (128 + its socket id): a 270-byte window holds two.
    const { relay, received, backends } = setup(false, false, 270);
    for (let i = 1; i <= 5; i++) relay.onHookMessage(envelope('batch', { events: [ev(i)] }));
    await settle();
    const seqs = () =>
      received.filter((m) => m.kind === 'batch').map((m) => (m.payload as { seq: number }).seq);
    expect(seqs()).toEqual([1, 2]);
    backends[0]!.postMessage(envelope('ack', { docId: 'doc-1', seq: 1 }));
    await settle();
    expect(seqs()).toEqual([1, 2, 3]);
    backends[0]!.postMessage(envelope('ack', { docId: 'doc-1', seq: 3 }));
    await settle();
    expect(seqs()).toEqual([1, 2, 3, 4, 5]);
    // After a reconnect, the window starts over with the oldest unacked batch, alone until an ack
    // comes back (a port lost with several batches on it does not say which one was to blame).
    received.length = 0;
    backends[0]!.disconnect();
    await settle();
    expect(seqs()).toEqual([4]);
    backends[1]!.postMessage(envelope('ack', { docId: 'doc-1', seq: 4 }));
    await settle();
    expect(seqs()).toEqual([4, 5]);
    backends[1]!.postMessage(envelope('ack', { docId: 'doc-1', seq: 5 }));
    await settle();
    expect(relay.pendingBatches).toBe(0);
  });

  it('always posts one batch even when it alone exceeds the window', async () => {
    const { relay, received, backends } = setup(false, false, 10);
    relay.onHookMessage(envelope('batch', { events: [ev(1)] }));
    relay.onHookMessage(envelope('batch', { events: [ev(2)] }));
    await settle();
    expect(received.filter((m) => m.kind === 'batch')).toHaveLength(1);
    backends[0]!.postMessage(envelope('ack', { docId: 'doc-1', seq: 1 }));
    await settle();
    expect(received.filter((m) => m.kind === 'batch')).toHaveLength(2);
  });
});
