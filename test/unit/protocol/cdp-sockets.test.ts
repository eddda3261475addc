import { describe, expect, it } from 'vitest';
import { CDP_LIMITS, CdpSockets } from '../../../src/protocol/cdp-sockets';
import {
  networkOnlyEvents,
  readNetworkEntry,
  readNetworkFrames,
} from '../../../src/protocol/network-witness';

const WORKER = { kind: 'shared', url: 'https://a.test/shared.js' } as const;

/** A socket's life as Chromium's Network domain reports it (times: monotonic s; wallTime: epoch s). */
function opened(s: CdpSockets, id = '1.1'): void {
  s.event('Network.webSocketCreated', { requestId: id, url: 'wss://a.test/khp' });
  s.event('Network.webSocketWillSendHandshakeRequest', {
    requestId: id,
    timestamp: 100,
    wallTime: 1_700_000_000,
    request: {
      headers: { 'Sec-WebSocket-Key': `key-${id}`, 'Sec-WebSocket-Protocol': 'x-kaazing-handshake' },
    },
  });
  s.event('Network.webSocketHandshakeResponseReceived', {
    requestId: id,
    timestamp: 100.25,
    response: {
      status: 101,
      statusText: 'Switching Protocols',
      headers: { 'Sec-WebSocket-Protocol': 'x-kaazing-handshake', 'Set-Cookie': 'a=1\nb=2' },
    },
  });
}

describe('CdpSockets', () => {
  it('keeps a socket as a HAR entry the network witness reads, with its worker', () => {
    const s = new CdpSockets(WORKER);
    opened(s);
    s.event('Network.webSocketFrameSent', {
      requestId: '1.1',
      timestamp: 100.5,
      response: { opcode: 1, mask: true, payloadData: 'GET /khp HTTP/1.1\r\n\r\n' },
    });
    s.event('Network.webSocketFrameReceived', {
      requestId: '1.1',
      timestamp: 101,
      response: { opcode: 2, mask: false, payloadData: 'AAE=' },
    });
    const [entry] = s.entries();
    const view = readNetworkEntry(entry)!;
    expect(view).toMatchObject({
      key: 'key-1.1',
      url: 'wss://a.test/khp',
      startedAt: 1_700_000_000_000,
      answeredAt: 1_700_000_000_250,
      worker: WORKER,
    });
    expect(view.opening.status).toBe(101);
    expect(view.opening.responseHeaders).toEqual([
      ['Sec-WebSocket-Protocol', 'x-kaazing-handshake'],
      ['Set-Cookie', 'a=1'],
      ['Set-Cookie', 'b=2'],
    ]);
    const frames = readNetworkFrames(entry);
    expect(frames.map((f) => [f.dir, f.time, f.opcode, f.data])).toEqual([
      ['send', 1_700_000_000_500, 1, 'GET /khp HTTP/1.1\r\n\r\n'],
      ['receive', 1_700_000_001_000, 2, 'AAE='],
    ]);
    expect(networkOnlyEvents(view, 'net:1')[0]).toMatchObject({ type: 'create', worker: WORKER });
  });

  it('lists a socket only from its opening request on, and says when it closed', () => {
    const s = new CdpSockets(WORKER);
    expect(s.event('Network.webSocketCreated', { requestId: '2.1', url: 'wss://a.test/' })).toBe(true);
    expect(s.entries()).toEqual([]);
    opened(s, '2.2');
    expect(s.entries()).toHaveLength(1);
    expect(s.event('Network.webSocketClosed', { requestId: '2.2', timestamp: 105 })).toBe('closed');
    expect(s.event('Network.webSocketClosed', { requestId: '2.2', timestamp: 105 })).toBe(false);
  });

  it('ignores events of unknown sockets and events of the wrong shape', () => {
    const s = new CdpSockets(WORKER);
    expect(s.event('Network.webSocketFrameSent', { requestId: 'x', timestamp: 1 })).toBe(false);
    expect(s.event('Network.webSocketCreated', null)).toBe(false);
    expect(s.event('Network.webSocketCreated', { requestId: 7, url: 'wss://a.test/' })).toBe(false);
    opened(s);
    expect(s.event('Network.webSocketFrameSent', { requestId: '1.1', timestamp: 'soon', response: {} })).toBe(
      false,
    );
    expect(
      s.event('Network.webSocketFrameSent', {
        requestId: '1.1',
        timestamp: 2,
        response: { opcode: 1, payloadData: 42 },
      }),
    ).toBe(false);
    expect(s.entries()[0]!._webSocketMessages).toEqual([]);
  });

  it('records a failed opening as an error of the network', () => {
    const s = new CdpSockets(WORKER);
    s.event('Network.webSocketCreated', { requestId: '3', url: 'wss://a.test/' });
    s.event('Network.webSocketWillSendHandshakeRequest', {
      requestId: '3',
      timestamp: 1,
      wallTime: 1_700_000_000,
      request: { headers: {} },
    });
    s.event('Network.webSocketFrameError', { requestId: '3', timestamp: 2, errorMessage: 'refused' });
    const view = readNetworkEntry(s.entries()[0])!;
    expect(networkOnlyEvents(view, 'net:3')[1]).toMatchObject({ type: 'error', message: 'refused' });
  });

  it("bounds its sockets (the oldest closed goes first) and each socket's messages", () => {
    const s = new CdpSockets(WORKER);
    for (let i = 0; i < CDP_LIMITS.sockets; i++) opened(s, `s${i}`);
    s.event('Network.webSocketClosed', { requestId: 's7' });
    opened(s, 'new');
    const keys = s.entries().map((e) => readNetworkEntry(e)!.key);
    expect(keys).toHaveLength(CDP_LIMITS.sockets);
    expect(keys).not.toContain('key-s7');
    expect(keys.at(-1)).toBe('key-new');
    const entry = s.entry('new')!;
    for (let i = 0; i < CDP_LIMITS.messages + 3; i++)
      s.event('Network.webSocketFrameReceived', {
        requestId: 'new',
        timestamp: 200,
        response: { opcode: 1, payloadData: 'x' },
      });
    expect(entry._webSocketMessages).toHaveLength(CDP_LIMITS.messages);
    expect(entry._khpDroppedMessages).toBe(3);
  });
});
