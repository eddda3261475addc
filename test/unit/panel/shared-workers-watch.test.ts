/**
 * The shared-worker watch over a fake `chrome.debugger` (the real one is driven in
 * test/e2e/network-witness.test.ts): which targets it attaches to and keeps, what it reads, how it ends.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { POLL_MS, SharedWorkerSwitch, watchSharedWorkers } from '../../../src/panel/shared-workers';

type Listener = (source: { targetId?: string }, a: string, b?: unknown) => void;

function fakeChrome() {
  const events = new Set<Listener>();
  const detaches = new Set<Listener>();
  const attached = new Set<string>();
  const kinds: Record<string, string> = {
    sw1: 'shared_worker',
    svc: 'service_worker',
    other: 'shared_worker',
  };
  const api = {
    getTargets: vi.fn(async () => [
      { id: 'sw1', type: 'worker', url: 'https://a.test/shared.js' },
      { id: 'svc', type: 'worker', url: 'https://a.test/sw.js' },
      { id: 'other', type: 'worker', url: 'https://b.test/shared.js' },
      { id: 'ext', type: 'worker', url: 'chrome-extension://x/background.js' },
      { id: 'tab', type: 'page', url: 'https://a.test/' },
    ]),
    attach: vi.fn(async (t: { targetId: string }) => void attached.add(t.targetId)),
    detach: vi.fn(async (t: { targetId: string }) => void attached.delete(t.targetId)),
    sendCommand: vi.fn(async (t: { targetId: string }, method: string) =>
      method === 'Target.getTargetInfo' ? { targetInfo: { type: kinds[t.targetId] } } : {},
    ),
    onEvent: {
      addListener: (cb: Listener) => events.add(cb),
      removeListener: (cb: Listener) => events.delete(cb),
    },
    onDetach: {
      addListener: (cb: Listener) => detaches.add(cb),
      removeListener: (cb: Listener) => detaches.delete(cb),
    },
  };
  const permissions = {
    contains: vi.fn(async () => true),
    request: vi.fn(async () => true),
    remove: vi.fn(async () => true),
  };
  const emit = (targetId: string, method: string, params: unknown) => {
    for (const cb of events) cb({ targetId }, method, params);
  };
  const detach = (targetId: string, reason: string) => {
    for (const cb of detaches) cb({ targetId }, reason);
  };
  return { api, permissions, attached, emit, detach, listeners: () => events.size + detaches.size };
}

let fake: ReturnType<typeof fakeChrome>;
beforeEach(() => {
  vi.useFakeTimers();
  fake = fakeChrome();
  (globalThis as { chrome?: unknown }).chrome = { debugger: fake.api, permissions: fake.permissions };
});
afterEach(() => {
  vi.useRealTimers();
  delete (globalThis as { chrome?: unknown }).chrome;
});

/** A socket's life in the Network domain. */
function socket(id: string) {
  fake.emit('sw1', 'Network.webSocketCreated', { requestId: id, url: 'wss://a.test/khp' });
  fake.emit('sw1', 'Network.webSocketWillSendHandshakeRequest', {
    requestId: id,
    timestamp: 1,
    wallTime: 1_700_000_000,
    request: { headers: { 'Sec-WebSocket-Key': id } },
  });
}

describe('watchSharedWorkers', () => {
  it("keeps the inspected origin's shared workers only, and asks the page its origin only for new targets", async () => {
    const origin = vi.fn(async () => 'https://a.test');
    const watch = watchSharedWorkers(origin)!;
    await vi.advanceTimersByTimeAsync(0);
    expect([...fake.attached]).toEqual(['sw1']);
    // The service worker was attached to, looked at and left; the other origin's never attached to.
    expect(fake.api.attach.mock.calls.map(([t]) => t.targetId)).toEqual(['sw1', 'svc']);
    expect(fake.api.sendCommand).toHaveBeenCalledWith({ targetId: 'sw1' }, 'Network.enable');
    expect(origin).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(POLL_MS * 3);
    expect(origin).toHaveBeenCalledTimes(1); // nothing new to look at
    expect(fake.api.attach).toHaveBeenCalledTimes(2);
    await watch.stop();
  });

  it("reads a kept worker's sockets, says when one is new and when one closed, and detaches on stop", async () => {
    const watch = watchSharedWorkers(async () => 'https://a.test')!;
    await vi.advanceTimersByTimeAsync(0);
    const fresh = vi.fn();
    const finished = vi.fn();
    watch.onNewSocket(fresh);
    watch.onFinished(finished);
    socket('r1');
    fake.emit('svc', 'Network.webSocketCreated', { requestId: 'x', url: 'wss://a.test/not-kept' });
    expect(watch.entries().map((e) => e.request.url)).toEqual(['wss://a.test/khp']);
    expect(watch.entries()[0]!._khpWorker).toEqual({ kind: 'shared', url: 'https://a.test/shared.js' });
    expect(fresh).toHaveBeenCalledTimes(1);
    fake.emit('sw1', 'Network.webSocketClosed', { requestId: 'r1', timestamp: 2 });
    expect(finished).toHaveBeenCalledWith(watch.entries()[0]);
    await watch.stop();
    expect(watch.stopped()).toBe(true);
    expect(fake.attached.size).toBe(0);
    expect(fake.listeners()).toBe(0);
    expect(watch.entries()).toHaveLength(1); // what was seen stays listed
  });
});

describe('SharedWorkerSwitch', () => {
  it('starts when the permission is held, and gives it back when the user closes the debugging bar', async () => {
    const sw = new SharedWorkerSwitch(async () => 'https://a.test');
    const states: boolean[] = [];
    sw.subscribe((on) => states.push(on));
    await vi.advanceTimersByTimeAsync(0);
    expect(sw.isOn()).toBe(true);
    fake.detach('sw1', 'canceled_by_user');
    await vi.advanceTimersByTimeAsync(0);
    expect(sw.isOn()).toBe(false);
    expect(states).toEqual([true, false]);
    expect(fake.permissions.remove).toHaveBeenCalledWith({ permissions: ['debugger'] });
  });

  it('turned off, stops and gives the permission back; its source adds the watched sockets to the base', async () => {
    const sw = new SharedWorkerSwitch(async () => 'https://a.test');
    await vi.advanceTimersByTimeAsync(0);
    socket('r2');
    const source = sw.source({ entries: async () => ['tab entry'], onFinished: () => () => {} });
    expect((await source.entries()).length).toBe(2);
    expect(await sw.set(false)).toBe(false);
    expect(fake.permissions.remove).toHaveBeenCalled();
    expect(fake.attached.size).toBe(0);
    expect((await source.entries()).length).toBe(2);
  });
});
