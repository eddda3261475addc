import { describe, expect, it } from 'vitest';
import { envelope } from '../../../src/messaging/messages';
import type { CaptureEvent } from '../../../src/protocol/capture';
import { base64Encode, utf8Encode } from '../../../src/protocol/bytes';
import { defaultCore } from '../../../src/panel/core';
import { FEED_TIMING, startNetworkFeed } from '../../../src/panel/network-feed';
import { PanelStore } from '../../../src/panel/store/panel-store';
import { COMPARE_LIMITS, GRACE_MS } from '../../../src/panel/store/witness';
import { MISMATCH_RULE } from '../../../src/protocol/rules';
import { MemoryTransport } from '../../../src/panel/transport';

const KHP = 'x-kaazing-handshake';
const T0 = Date.parse('2026-01-02T03:04:05.000Z');
const URL_ = 'ws://h.test/khp';

/** A Chromium HAR WebSocket entry of a KHP socket on `URL_` whose extended handshake completed. */
function entry(key: string, at: number, messages = khpMessages(at)): Record<string, unknown> {
  return {
    _resourceType: 'websocket',
    startedDateTime: new Date(at).toISOString(),
    request: {
      method: 'GET',
      url: URL_,
      httpVersion: 'HTTP/1.1',
      headers: [
        { name: 'Sec-WebSocket-Key', value: key },
        { name: 'Sec-WebSocket-Protocol', value: KHP },
        { name: 'Sec-WebSocket-Extensions', value: 'permessage-deflate; client_max_window_bits' },
      ],
    },
    response: {
      status: 101,
      statusText: 'Switching Protocols',
      headers: [{ name: 'Sec-WebSocket-Protocol', value: KHP }],
    },
    timings: { wait: 3 },
    _webSocketMessages: messages,
  };
}

function khpMessages(at: number) {
  const s = at / 1000;
  return [
    { type: 'send', time: s + 0.01, opcode: 1, data: 'GET /khp HTTP/1.1\r\n\r\n' },
    { type: 'receive', time: s + 0.02, opcode: 2, data: base64Encode(utf8Encode('HTTP/1.1 101 OK\r\n\r\n')) },
    { type: 'receive', time: s + 0.03, opcode: 2, data: '' },
  ];
}

const create = (id: string, time: number): CaptureEvent => ({
  type: 'create',
  socketId: id,
  time,
  url: URL_,
  protocols: [KHP],
});

function setup() {
  const pending: (() => void)[] = [];
  const clock = { now: T0 };
  const store = new PanelStore(
    defaultCore,
    (flush) => pending.push(flush),
    () => clock.now,
  );
  /** Reads `entries` at wall-clock `now`. */
  const read = (entries: unknown[], finished: boolean, now: number) => {
    clock.now = now;
    return store.network(entries, finished);
  };
  const transport = new MemoryTransport();
  store.attach(transport, 1);
  const tick = () => pending.splice(0).forEach((f) => f());
  const hook = (events: CaptureEvent[], seq: number) =>
    transport.deliver(envelope(seq === 1 ? 'backlog' : 'events', { events, droppedEvents: 0, seq }));
  return { store, transport, tick, hook, read };
}

describe('the network witness in the panel store', () => {
  it("gives the hook's socket the network's opening handshake, and shows nothing twice", () => {
    const { store, tick, hook, read } = setup();
    hook(
      [create('p:1', T0), { type: 'open', socketId: 'p:1', time: T0 + 3, protocol: KHP, extensions: '' }],
      1,
    );
    read([entry('k1', T0 + 1)], false, T0 + 100);
    read([entry('k1', T0 + 1)], false, T0 + 100 + GRACE_MS * 2);
    tick();
    const snap = store.getSnapshot();
    expect(snap.connections).toHaveLength(1);
    expect(snap.connections[0]!.opening?.requestHeaders).toContainEqual([
      'Sec-WebSocket-Extensions',
      'permessage-deflate; client_max_window_bits',
    ]);
    expect(snap.connections[0]!.networkOnly).toBeUndefined();
  });

  it('shows a socket only the network saw after the grace, decoded as KHP from its messages', () => {
    const { store, tick, hook, read } = setup();
    hook([], 1);
    const now = T0 + 100;
    read([entry('k1', T0)], false, now);
    tick();
    expect(store.getSnapshot().connections).toHaveLength(0); // the hook's record may still be on its way
    read([entry('k1', T0)], false, now + GRACE_MS);
    tick();
    const [c] = store.getSnapshot().connections;
    expect(c).toMatchObject({ networkOnly: true, khp: true, outcome: 'open', frameCount: 3 });
    expect(c!.roles).toEqual(['handshake-request', 'handshake-response', 'terminator']);
    expect(c!.timeline[0]!.label).toBe(`GET ${URL_} (seen by the network)`);
    // Later reads bring only the new messages.
    const more = [...khpMessages(T0), { type: 'send', time: T0 / 1000 + 1, opcode: 1, data: 'hello' }];
    read([entry('k1', T0, more)], true, now + GRACE_MS + 10);
    tick();
    expect(store.getSnapshot().connections[0]!.frameCount).toBe(4);
  });

  it("never pairs a shared worker's socket with the hook's socket of the same URL and time", () => {
    const { store, tick, hook, read } = setup();
    hook(
      [create('p:1', T0), { type: 'open', socketId: 'p:1', time: T0 + 3, protocol: KHP, extensions: '' }],
      1,
    );
    const worker = { kind: 'shared', url: 'http://h.test/shared.js' } as const;
    read([{ ...entry('k1', T0 + 1), _khpWorker: worker }], false, T0 + 100);
    read([{ ...entry('k1', T0 + 1), _khpWorker: worker }], false, T0 + 100 + GRACE_MS * 2);
    tick();
    const snap = store.getSnapshot();
    expect(snap.connections).toHaveLength(2);
    const shared = snap.connections.find((c) => c.networkOnly);
    expect(shared).toMatchObject({ worker, khp: true, outcome: 'open' });
    expect(snap.connections.find((c) => !c.networkOnly)?.opening?.source).not.toBe('network');
  });

  it("moves a network-only record to the hook's socket when that turns up late", () => {
    const { store, tick, hook, read } = setup();
    hook([], 1);
    read([entry('k1', T0)], false, T0);
    read([], false, T0 + GRACE_MS);
    tick();
    expect(store.getSnapshot().connections[0]!.networkOnly).toBe(true);
    hook([create('p:1', T0 - 1)], 2);
    tick();
    const snap = store.getSnapshot();
    expect(snap.connections.map((c) => [c.id, c.networkOnly ?? false, !!c.opening])).toEqual([
      ['p:1', false, true],
    ]);
  });

  it('takes the 101 when it comes after the first read (a pending handshake has status 0)', () => {
    const { store, tick, hook, read } = setup();
    hook(
      [create('p:1', T0), { type: 'open', socketId: 'p:1', time: T0 + 3, protocol: KHP, extensions: '' }],
      1,
    );
    const pending = entry('k1', T0 + 1, []);
    pending.response = { status: 0, headers: [] };
    read([pending], false, T0 + 10);
    tick();
    expect(store.getSnapshot().connections[0]!.opening?.status).toBe(0);
    read([entry('k1', T0 + 1)], false, T0 + 1000);
    tick();
    const c = store.getSnapshot().connections[0]!;
    expect(c.opening?.status).toBe(101);
    expect(c.opening?.responseHeaders).toEqual([['Sec-WebSocket-Protocol', KHP]]);
    expect(c.protocol).toBe(KHP);
  });

  it('forgets what it read before a navigation cleared the list', () => {
    const { store, tick, hook, transport, read } = setup();
    hook([], 1);
    read([entry('k1', T0)], false, T0);
    transport.deliver(envelope('navigated', { url: 'http://h.test/next' }));
    read([entry('k1', T0)], false, T0 + GRACE_MS * 2);
    // A socket of the old page never read before, reported finished after the navigation.
    read([entry('k2', T0 - 5000)], true, T0 + GRACE_MS * 3);
    tick();
    expect(store.getSnapshot().connections).toHaveLength(0);
  });
});

/** The hook's events of a KHP socket `id` on `URL_` created at `at` (as `khpMessages(at)` has it), then `sends`. */
function hookedKhp(id: string, at: number, sends: string[] = []): CaptureEvent[] {
  const frame = (dir: 'send' | 'receive', time: number, opcode: 1 | 2, data: string, size: number) =>
    ({ type: 'frame', socketId: id, dir, time, opcode, data, size }) as CaptureEvent;
  const response = utf8Encode('HTTP/1.1 101 OK\r\n\r\n');
  return [
    create(id, at),
    { type: 'open', socketId: id, time: at + 5, protocol: KHP, extensions: '' },
    frame('send', at + 11, 1, 'GET /khp HTTP/1.1\r\n\r\n', 21),
    frame('receive', at + 21, 2, base64Encode(response), response.length),
    frame('receive', at + 31, 2, '', 0),
    ...sends.map((data, i) => frame('send', at + 100 + i, 1, data, data.length)),
  ];
}
const sent = (at: number, data: string) => ({ type: 'send', time: at / 1000, opcode: 1, data });

describe("the hook's and the network's frames of a paired socket", () => {
  const mismatch = (store: PanelStore) =>
    store.getSnapshot().connections.map((c) => c.findings.find((f) => f.rule === MISMATCH_RULE));

  it('marks a socket whose network carried a frame the hook lacks, and not an honest one', () => {
    const { store, tick, hook, read } = setup();
    hook([...hookedKhp('p:1', T0, ['hello']), ...hookedKhp('p:2', T0 + 5000, ['hello'])], 1);
    const honest = [...khpMessages(T0), sent(T0 + 100, 'hello')];
    const fooled = [...khpMessages(T0 + 5000), sent(T0 + 5099, 'secret'), sent(T0 + 5100, 'hello')];
    const entries = [entry('k1', T0 + 1, honest), entry('k2', T0 + 5001, fooled)];
    read(entries, false, T0 + 5200);
    tick();
    // Too recent to judge: either witness may still be on its way.
    expect(mismatch(store)).toEqual([undefined, undefined]);
    read(entries, false, T0 + 9000);
    tick();
    const [none, f] = mismatch(store);
    expect(none).toBeUndefined();
    expect(f).toMatchObject({ severity: 'warning', frame: 3 });
    expect(f!.message).toContain('1 frame(s) only the network saw');
    // The next read of the same log changes nothing.
    expect(read(entries, false, T0 + 9500)).toBe(false);
  });

  it('does not mark frames the hook did not record (a budget span), nor grow past its bounds', () => {
    const { store, tick, hook, read } = setup();
    hook(
      [
        ...hookedKhp('p:1', T0, ['hello']),
        { type: 'paused', socketId: 'p:1', time: T0 + 500, reason: 'budget' },
      ],
      1,
    );
    const flood = Array.from({ length: COMPARE_LIMITS.frames + 10 }, (_, i) => sent(T0 + 1000 + i, `m${i}`));
    const messages = [...khpMessages(T0), sent(T0 + 100, 'hello'), ...flood];
    read([entry('k1', T0 + 1, messages)], false, T0 + 60_000);
    tick();
    expect(store.getSnapshot().connections[0]!.opening?.status).toBe(101);
    expect(mismatch(store)).toEqual([undefined]);
  });
});

describe('startNetworkFeed', () => {
  it('reads the log once at start, then backs off while nothing changes; closed sockets come as they close', async () => {
    const { store, hook, tick } = setup();
    const delays: number[] = [];
    let timer: (() => void) | null = null;
    let finished: ((e: unknown) => void) | null = null;
    let reads = 0;
    const stop = startNetworkFeed(
      store,
      {
        entries: () => (reads++, Promise.resolve([])),
        onFinished: (cb) => ((finished = cb), () => (finished = null)),
      },
      {
        now: () => 0,
        setTimeout: (fn, ms) => ((timer = fn), delays.push(ms)),
        clearTimeout: () => (timer = null),
      },
    );
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 0));
      timer!();
    }
    await new Promise((r) => setTimeout(r, 0));
    expect(reads).toBe(6);
    expect(delays).toEqual([2000, 4000, 8000, 8000, 8000, 8000]);
    // A socket the hook captures brings the next read forward.
    hook([create('p:1', T0)], 1);
    tick();
    expect(delays.at(-1)).toBe(FEED_TIMING.minMs);
    finished!(entry('k1', T0 + 1));
    tick();
    expect(store.getSnapshot().connections[0]!.opening?.status).toBe(101);
    stop();
    expect(finished).toBeNull();
  });

  it('reads again soon when a source says it holds a new socket, and stops listening when stopped', async () => {
    const { store } = setup();
    const delays: number[] = [];
    let fresh: (() => void) | null = null;
    const stop = startNetworkFeed(
      store,
      {
        entries: () => Promise.resolve([]),
        onFinished: () => () => {},
        onNewSocket: (cb) => ((fresh = cb), () => (fresh = null)),
      },
      { now: () => 0, setTimeout: (_fn, ms) => delays.push(ms), clearTimeout: () => {} },
    );
    await new Promise((r) => setTimeout(r, 0));
    expect(delays).toEqual([2000]);
    fresh!();
    expect(delays).toEqual([2000, FEED_TIMING.minMs]);
    stop();
    expect(fresh).toBeNull();
  });
});
