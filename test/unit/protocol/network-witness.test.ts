import { describe, expect, it } from 'vitest';
import { ConnectionDecoder } from '../../../src/protocol/decoder';
import {
  MATCH_WINDOW_MS,
  matchNetwork,
  networkOnlyEvents,
  readNetworkEntry,
  readNetworkFrames,
  type NetworkView,
} from '../../../src/protocol/network-witness';
import { base64Encode, utf8Encode } from '../../../src/protocol/bytes';

const KHP = 'x-kaazing-handshake';
const T0 = Date.parse('2026-01-02T03:04:05.000Z');

/** A Chromium HAR WebSocket entry as `getHAR` gives it (only the fields the witness reads). */
function entry(
  o: {
    url?: string;
    at?: number;
    key?: string;
    protocols?: string;
    status?: number;
    chosen?: string;
    extensions?: string;
    messages?: unknown[];
  } = {},
): Record<string, unknown> {
  const requestHeaders = [
    { name: 'Upgrade', value: 'websocket' },
    { name: 'Sec-WebSocket-Key', value: o.key ?? 'k1' },
    { name: 'Sec-WebSocket-Extensions', value: 'permessage-deflate; client_max_window_bits' },
  ];
  if (o.protocols !== undefined) requestHeaders.push({ name: 'Sec-WebSocket-Protocol', value: o.protocols });
  const responseHeaders = [{ name: 'Upgrade', value: 'websocket' }];
  if (o.chosen !== undefined) responseHeaders.push({ name: 'Sec-WebSocket-Protocol', value: o.chosen });
  if (o.extensions !== undefined)
    responseHeaders.push({ name: 'Sec-WebSocket-Extensions', value: o.extensions });
  return {
    _resourceType: 'websocket',
    startedDateTime: new Date(o.at ?? T0).toISOString(),
    request: {
      method: 'GET',
      url: o.url ?? 'ws://h.test/khp',
      httpVersion: 'HTTP/1.1',
      headers: requestHeaders,
    },
    response: { status: o.status ?? 101, statusText: 'Switching Protocols', headers: responseHeaders },
    timings: { wait: 4 },
    _webSocketMessages: o.messages ?? [],
  };
}

const view = (o: Parameters<typeof entry>[0]): NetworkView => readNetworkEntry(entry(o))!;
const socket = (id: string, createdAt: number, url = 'ws://h.test/khp', requestedProtocols = [KHP]) => ({
  id,
  url,
  createdAt,
  requestedProtocols,
});

describe('readNetworkEntry', () => {
  it('reads the opening request and the 101 as header lines, keyed by Sec-WebSocket-Key', () => {
    const v = view({ protocols: `${KHP}, amqp`, chosen: KHP, key: 'abc==' });
    expect(v.key).toBe('abc==');
    expect(v.url).toBe('ws://h.test/khp');
    expect(v.startedAt).toBe(T0);
    expect(v.answeredAt).toBe(T0 + 4);
    expect(v.opening.status).toBe(101);
    expect(v.opening.requestHeaders).toContainEqual(['Sec-WebSocket-Protocol', `${KHP}, amqp`]);
    expect(v.opening.responseHeaders).toContainEqual(['Sec-WebSocket-Protocol', KHP]);
    expect(v.messageCount).toBe(0);
  });

  it('never puts the 101 after the first message', () => {
    const first = { type: 'send', time: (T0 + 2.5) / 1000, opcode: 1, data: 'GET / HTTP/1.1' };
    expect(view({ messages: [first] }).answeredAt).toBe(T0 + 2.5);
    expect(view({ messages: [{ ...first, time: (T0 + 9) / 1000 }] }).answeredAt).toBe(T0 + 4);
  });

  it('skips what is not a WebSocket, and caps what the page controls', () => {
    expect(readNetworkEntry({ request: { url: 'http://h.test/', headers: [] }, response: {} })).toBeNull();
    expect(readNetworkEntry('nonsense')).toBeNull();
    const big = entry();
    (big.request as { headers: unknown[] }).headers = Array.from({ length: 1000 }, (_, i) => ({
      name: `X-${i}`,
      value: 'v'.repeat(20_000),
    }));
    const v = readNetworkEntry(big)!;
    expect(v.opening.requestHeaders).toHaveLength(128);
    expect(v.opening.requestHeaders[0]![1]).toHaveLength(8 * 1024);
  });

  it("reads Firefox's entries (http: URL, no messages) as ws: with no message count", () => {
    const e = entry({ url: 'http://h.test/khp' });
    delete e._resourceType;
    delete e._webSocketMessages;
    const v = readNetworkEntry(e)!;
    expect(v.url).toBe('ws://h.test/khp');
    expect(v.messageCount).toBeNull();
  });

  it('reads messages from an offset (they only grow while the socket is open), binary as base64', () => {
    const messages = [
      { type: 'send', time: T0 / 1000 + 0.01, opcode: 1, data: 'GET /khp HTTP/1.1\r\n\r\n' },
      {
        type: 'receive',
        time: T0 / 1000 + 0.02,
        opcode: 2,
        data: base64Encode(utf8Encode('HTTP/1.1 101 OK\r\n\r\n')),
      },
      { type: 'receive', time: T0 / 1000 + 0.03, opcode: 2, data: '' },
    ];
    const frames = readNetworkFrames(entry({ messages }), 1);
    expect(frames.map((f) => [f.dir, f.opcode, f.size])).toEqual([
      ['receive', 2, 19],
      ['receive', 2, 0],
    ]);
  });
});

describe('matchNetwork: one to one, by URL, start time and protocols', () => {
  it('pairs sockets of one URL in order, although Chromium started them hundreds of ms apart', () => {
    // Measured in Chromium 156: four sockets created within 2 ms started at +3, +170, +188 and +855 ms.
    const sockets = [socket('a', T0), socket('b', T0 + 1), socket('c', T0 + 1), socket('d', T0 + 2)];
    const views = [855, 3, 188, 170].map((d) => view({ at: T0 + d, key: `k${d}`, protocols: KHP }));
    expect(matchNetwork(sockets, views).sort()).toEqual([
      ['k170', 'b'],
      ['k188', 'c'],
      ['k3', 'a'],
      ['k855', 'd'],
    ]);
  });

  it('leaves alone a socket from before DevTools opened, and one whose protocols differ', () => {
    const sockets = [
      socket('old', T0 - MATCH_WINDOW_MS - 1),
      socket('plain', T0, 'ws://h.test/khp', []),
      socket('new', T0 + 5),
    ];
    expect(matchNetwork(sockets, [view({ at: T0 + 10, protocols: KHP })])).toEqual([['k1', 'new']]);
  });

  it('never pairs a view that started before its socket was created, nor across URLs', () => {
    expect(matchNetwork([socket('s', T0 + 500)], [view({ at: T0, protocols: KHP })])).toEqual([]);
    expect(matchNetwork([socket('s', T0, 'ws://h.test/other')], [view({ at: T0, protocols: KHP })])).toEqual(
      [],
    );
  });

  it('writes URLs the same way on both sides (http: of Firefox, default port)', () => {
    const v = view({ url: 'http://h.test:80/khp', protocols: KHP, at: T0 + 1 });
    expect(matchNetwork([socket('s', T0)], [v])).toEqual([['k1', 's']]);
  });
});

describe('networkOnlyEvents', () => {
  it('creates and opens the socket from the headers; a refused handshake is an error', () => {
    const ok = networkOnlyEvents(view({ protocols: KHP, chosen: KHP, extensions: 'x-a' }), 'net:1');
    expect(ok.map((e) => e.type)).toEqual(['create', 'open']);
    expect(ok[1]).toMatchObject({ protocol: KHP, extensions: 'x-a', time: T0 + 4 });
    const refused = networkOnlyEvents(view({ protocols: KHP, status: 404 }), 'net:2');
    expect(refused[1]).toMatchObject({ type: 'error', message: 'opening handshake answered 404' });
  });
});

describe('the decoder judges the opening handshake on the network headers when it has them', () => {
  const decode = (o: Parameters<typeof entry>[0], pageProtocol: string, pageProtocols = [KHP]) => {
    const d = new ConnectionDecoder({
      id: 's',
      url: 'ws://h.test/khp',
      requestedProtocols: pageProtocols,
      createdAt: T0,
      network: view(o).opening,
    });
    d.open(T0 + 5, pageProtocol, '');
    return d.snapshot();
  };

  it("takes the 101's Sec-WebSocket-Protocol over WebSocket.protocol", () => {
    const c = decode({ protocols: KHP, chosen: 'amqp' }, KHP);
    expect(c.protocol).toBe('amqp');
    expect(c.khp).toBe(false);
    expect(c.findings.map((f) => f.rule)).toEqual(['khp-not-negotiated']);
    expect(c.findings[0]!.message).toContain('as the network saw it');
    expect(c.opening?.source).toBe('network');
  });

  it("takes the request's Sec-WebSocket-Protocol over the constructor's protocols", () => {
    const c = decode({ protocols: `${KHP}, amqp`, chosen: KHP }, KHP, [KHP]);
    expect(c.requestedProtocols).toEqual([KHP, 'amqp']);
    expect(c.khp).toBe(true);
  });

  it("judges ext-renegotiated on the 101's Sec-WebSocket-Extensions", () => {
    const d = new ConnectionDecoder({
      id: 's',
      url: 'ws://h.test/khp',
      requestedProtocols: [KHP],
      createdAt: T0,
      network: view({ protocols: KHP, chosen: KHP, extensions: 'x-kaazing-ping-pong' }).opening,
    });
    d.open(T0 + 5, KHP, ''); // the page saw no extensions
    d.frame({
      dir: 'send',
      time: T0 + 6,
      opcode: 1,
      data: 'GET /khp HTTP/1.1\r\nSec-WebSocket-Extensions: x-kaazing-ping-pong\r\n\r\n',
      size: 60,
    });
    const c = d.snapshot();
    expect(c.openingExtensions.map((e) => e.name)).toEqual(['x-kaazing-ping-pong']);
    expect(c.findings.map((f) => f.rule)).toContain('ext-renegotiated');
  });
});
