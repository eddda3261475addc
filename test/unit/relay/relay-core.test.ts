import { describe, expect, it } from 'vitest';
import { Relay } from '../../../src/relay/relay-core';
import { envelope, isEnvelope, type Envelope } from '../../../src/messaging/messages';
import { memoryPortPair, type PortLike } from '../../../src/messaging/ports';
import type { CaptureEvent } from '../../../src/protocol/capture';
import { settle } from '../background/memory-store';

const ev = (n: number): CaptureEvent => ({ type: 'error', socketId: 'f:1', time: n });

/** A relay wired to fake ports; `backend` is the background's side of the current port. */
function setup(top = false, testQueries = false) {
  const received: Envelope[] = [];
  const toPage: unknown[] = [];
  const backends: PortLike[] = [];
  const relay = new Relay({
    connect: (name) => {
      const [mine, theirs] = memoryPortPair(name, { tab: { id: 1 }, frameId: 0 });
      theirs.onMessage.addListener((m) => isEnvelope(m) && received.push(m));
      backends.push(theirs);
      return mine;
    },
    postToPage: (m) => toPage.push(m),
    docId: 'doc-1',
    frameUrl: 'https://p.test/',
    top,
    testQueries,
  });
  return { relay, received, toPage, backends };
}

describe('Relay', () => {
  it('takes only envelopes posted by its own window', async () => {
    const { relay, received } = setup();
    relay.onWindowMessage(envelope('batch', { events: [ev(1)] }), false);
    relay.onWindowMessage({ kind: 'batch', payload: { events: [ev(1)] } }, true);
    await settle();
    expect(received).toEqual([]);
    relay.onWindowMessage(envelope('batch', { events: [ev(1)] }), true);
    await settle();
    expect(received.map((m) => m.kind)).toEqual(['relay-hello', 'batch']);
    expect(received[1]!.payload).toEqual({ docId: 'doc-1', seq: 1, events: [ev(1)] });
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
    relay.onWindowMessage(envelope('batch', { events: [ev(1)] }), true);
    relay.onWindowMessage(envelope('batch', { events: [ev(2)] }), true);
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

  it('passes settings and replays from the background to the page, and nothing else', async () => {
    const { relay, toPage } = setup();
    relay.onRuntimeMessage(envelope('hook-settings', { fullCapture: true, frameBudget: 5 }));
    relay.onRuntimeMessage(envelope('ack', { seq: 1 }));
    relay.onRuntimeMessage({ kind: 'hook-settings' });
    expect(toPage).toEqual([envelope('hook-settings', { fullCapture: true, frameBudget: 5 })]);
  });

  it('ignores test queries unless built for tests', async () => {
    const { relay, received } = setup();
    relay.onWindowMessage(envelope('khp-test-query', { id: 'q', op: 'state' }), true);
    await settle();
    expect(received).toEqual([]);
  });

  it('sends a query that arrives while the port is down on the new port, once', async () => {
    const { relay, received, backends, toPage } = setup(true, true);
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
      postToPage: () => {},
      docId: 'd',
      frameUrl: '',
      top: false,
      maxUnackedBytes: 250,
    });
    for (let i = 0; i < 5; i++) relay.onWindowMessage(envelope('batch', { events: [ev(i)] }), true);
    expect(relay.pendingBatches).toBe(2);
    expect(relay.lostBatches).toBe(3);
  });
});
