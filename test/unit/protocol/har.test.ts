import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exportHar, importHar } from '../../../src/protocol/har';
import { ImportError } from '../../../src/protocol/capture-file';
import type { CapturedSocket } from '../../../src/protocol/capture';
import { base64Decode, base64Encode, utf8Decode, utf8Encode } from '../../../src/protocol/bytes';

const chromeHar = (): unknown =>
  JSON.parse(readFileSync(new URL('../../fixtures/chrome/khp-gateway-chrome.har', import.meta.url), 'utf8'));

function entry(extra: Record<string, unknown> = {}, messages: unknown = []): Record<string, unknown> {
  return {
    _resourceType: 'websocket',
    startedDateTime: '2024-01-02T03:04:05.006Z',
    request: {
      method: 'GET',
      url: 'wss://h.example/x',
      headers: [{ name: 'Sec-WebSocket-Protocol', value: 'x-kaazing-handshake, amqp' }],
    },
    response: { status: 101, headers: [{ name: 'Sec-WebSocket-Protocol', value: 'x-kaazing-handshake' }] },
    _webSocketMessages: messages,
    ...extra,
  };
}

const har = (...entries: unknown[]) => ({ log: { version: '1.2', entries } });

describe('importHar: a Chrome export', () => {
  it('keeps only the WebSocket entry, with its URL, protocols, page and messages', () => {
    const { sockets, warnings } = importHar(chromeHar());
    expect(warnings).toEqual([]);
    expect(sockets).toHaveLength(1);
    const s = sockets[0]!;
    expect(s.url).toBe('ws://gateway.example.com:8001/echo?.kl=Y');
    expect(s.requestedProtocols).toEqual(['x-kaazing-handshake']);
    expect(s.protocol).toBe('x-kaazing-handshake');
    expect(s.extensions).toBe('');
    expect(s.createdAt).toBe(Date.parse('2024-05-14T09:12:03.120Z'));
    expect(s.openedAt).toBeCloseTo(s.createdAt + 8.431, 6);
    expect(s.pageUrl).toBe('http://gateway.example.com:8001/demo/index.html');
    expect(s.close).toBeUndefined();
    expect(s.frames).toHaveLength(12);
  });

  it('converts message times from epoch seconds to milliseconds and decodes binary sizes', () => {
    const s = importHar(chromeHar()).sockets[0]!;
    const [balancer, request] = s.frames;
    expect(balancer).toMatchObject({ dir: 'receive', opcode: 2, size: 4, time: 1715677923129.512 });
    expect([...base64Decode(balancer!.data)!]).toEqual([0xef, 0x83, 0xbf, 0x4e]);
    expect(request!.dir).toBe('send');
    expect(request!.opcode).toBe(1);
    expect(request!.data.startsWith('GET /echo HTTP/1.1\r\n')).toBe(true);
    expect(request!.size).toBe(utf8Encode(request!.data).length);
    expect(s.frames[3]).toMatchObject({ opcode: 2, data: '', size: 0 });
    expect(s.frames[10]!.data).toBe('\u0001\u0001\u0001\u0002\t\u0000');
  });
});

describe('importHar: tolerance', () => {
  it('ignores close/ping/pong control messages with a warning', () => {
    const msgs = [
      { type: 'send', time: 1, opcode: 1, data: 'a' },
      { type: 'receive', time: 2, opcode: 9, data: '' },
      { type: 'send', time: 3, opcode: 10, data: '' },
      { type: 'receive', time: 4, opcode: 8, data: '' },
    ];
    const { sockets, warnings } = importHar(har(entry({}, msgs)));
    expect(sockets[0]!.frames.map((f) => f.data)).toEqual(['a']);
    expect(warnings.join('\n')).toMatch(/ping control message.*opcode 9/);
    expect(warnings.join('\n')).toMatch(/close control message.*opcode 8/);
  });

  it('skips damaged messages and repairs what it can, saying so', () => {
    const msgs = [
      'nope',
      { type: 'error', time: 1, opcode: -1, data: 'boom' },
      { type: 'send', opcode: 1, data: 'no time' },
      { type: 'receive', time: 2, opcode: 2, data: '***' },
      { type: 'receive', time: 3, opcode: 1 },
    ];
    const { sockets, warnings } = importHar(har(entry({}, msgs)));
    expect(sockets[0]!.frames).toEqual([{ dir: 'receive', time: 3000, opcode: 1, data: '', size: 0 }]);
    expect(warnings).toHaveLength(5);
  });

  it('reads the negotiated protocol and joins repeated extension headers', () => {
    const e = entry();
    (e.response as Record<string, unknown>).headers = [
      { name: 'sec-websocket-protocol', value: 'x-kaazing-handshake' },
      { name: 'Sec-WebSocket-Extensions', value: 'permessage-deflate' },
      { name: 'Sec-WebSocket-Extensions', value: 'x-foo' },
    ];
    const s = importHar(har(e)).sockets[0]!;
    expect(s.requestedProtocols).toEqual(['x-kaazing-handshake', 'amqp']);
    expect(s.protocol).toBe('x-kaazing-handshake');
    expect(s.extensions).toBe('permessage-deflate, x-foo');
  });

  it('marks a socket whose opening handshake was not answered 101 as never opened', () => {
    const s = importHar(har(entry({ response: { status: 0, _error: 'net::ERR_CONNECTION_REFUSED' } })))
      .sockets[0]!;
    expect(s.openedAt).toBeUndefined();
    expect(s.protocol).toBeUndefined();
    expect(s.error?.message).toContain('ERR_CONNECTION_REFUSED');
  });

  it('recognises a Firefox-style entry (no _resourceType, no messages) and warns', () => {
    const ff = {
      startedDateTime: '2024-01-02T03:04:05.006Z',
      request: {
        method: 'GET',
        url: 'https://h.example/x',
        headers: [{ name: 'Upgrade', value: 'websocket' }],
      },
      response: { status: 101, headers: [] },
    };
    const { sockets, warnings } = importHar(har(ff, { request: { url: 'https://h.example/app.js' } }));
    expect(sockets).toHaveLength(1);
    expect(sockets[0]!.url).toBe('wss://h.example/x');
    expect(sockets[0]!.frames).toEqual([]);
    expect(warnings.join()).toMatch(/no WebSocket messages/);
  });

  it('falls back to the first message time when startedDateTime is missing', () => {
    const { sockets, warnings } = importHar(
      har(entry({ startedDateTime: undefined }, [{ type: 'send', time: 5, opcode: 1, data: 'x' }])),
    );
    expect(sockets[0]!.createdAt).toBe(5000);
    expect(warnings.join()).toMatch(/startedDateTime/);
  });

  it('skips an entry without a URL and warns when no WebSocket is present', () => {
    expect(importHar(har(entry({ request: {} }))).warnings.join()).toMatch(/no request URL/);
    expect(importHar(har()).warnings).toEqual(['the HAR holds no WebSocket entries']);
  });

  it.each([
    [null, /no "log" object/],
    [[], /no "log" object/],
    [{ log: {} }, /no "log.entries"/],
    [{ entries: [] }, /no "log" object/],
  ])('throws ImportError for %j', (input, message) => {
    expect(() => importHar(input)).toThrow(ImportError);
    expect(() => importHar(input)).toThrow(message);
  });
});

describe('exportHar', () => {
  const sockets: CapturedSocket[] = [
    {
      id: 'tab:7',
      url: 'ws://user:secret@gw.example/echo?.kl=Y&access_token=abc',
      requestedProtocols: ['x-kaazing-handshake', 'amqp'],
      createdAt: 1_700_000_000_000,
      openedAt: 1_700_000_000_012,
      protocol: 'x-kaazing-handshake',
      extensions: 'permessage-deflate',
      pageUrl: 'https://app.example/',
      frames: [
        {
          dir: 'send',
          time: 1_700_000_000_013.25,
          opcode: 1,
          data: 'GET /echo HTTP/1.1\r\nAuthorization: Basic am9lOndlbGNvbWU=\r\n\r\n',
          size: 61,
        },
        {
          dir: 'receive',
          time: 1_700_000_000_020,
          opcode: 2,
          data: base64Encode(utf8Encode('HTTP/1.1 101 OK\r\n\r\n')),
          size: 19,
        },
        { dir: 'receive', time: 1_700_000_000_021, opcode: 2, data: '', size: 0, truncated: true },
      ],
      close: { time: 1_700_000_001_000, code: 1000, reason: 'bye', wasClean: true },
      replayOf: 'tab:3',
    },
    {
      id: 'tab:8',
      url: 'ws://down.example/',
      requestedProtocols: [],
      createdAt: 1_600_000_000_000,
      frames: [],
    },
  ];

  it('writes a HAR 1.2 log in Chrome’s WebSocket layout', () => {
    const out = exportHar(sockets, { redact: false, creator: 'test' });
    expect(out.log.version).toBe('1.2');
    expect(out.log.creator).toEqual({ name: 'test', version: '1' });
    const entries = out.log.entries;
    expect(entries.map((e) => e.request.url)).toEqual([sockets[1]!.url, sockets[0]!.url]);
    const e = entries[1]!;
    expect(e._resourceType).toBe('websocket');
    expect(e.startedDateTime).toBe('2023-11-14T22:13:20.000Z');
    expect(e.request).toMatchObject({ method: 'GET', httpVersion: 'HTTP/1.1', headersSize: -1, bodySize: 0 });
    expect(e.request.headers).toContainEqual({
      name: 'Sec-WebSocket-Protocol',
      value: 'x-kaazing-handshake, amqp',
    });
    expect(e.request.headers).toContainEqual({ name: 'Upgrade', value: 'websocket' });
    expect(e.request.queryString).toContainEqual({ name: '.kl', value: 'Y' });
    expect(e.response).toMatchObject({ status: 101, statusText: 'Switching Protocols', redirectURL: '' });
    expect(e.response.content).toEqual({ size: 0, mimeType: 'x-unknown' });
    expect(e.response.headers).toContainEqual({
      name: 'Sec-WebSocket-Extensions',
      value: 'permessage-deflate',
    });
    expect(e._webSocketMessages[0]).toEqual({
      type: 'send',
      time: 1_700_000_000.01325,
      opcode: 1,
      data: sockets[0]!.frames[0]!.data,
    });
    expect(entries[0]!.response.status).toBe(0);
  });

  it('round-trips through importHar', () => {
    const back = importHar(exportHar(sockets, { redact: false }));
    expect(back.warnings).toEqual([]);
    expect(back.sockets).toEqual([sockets[1], sockets[0]]);
  });

  it('redacts credentials by default, in URLs and in payloads (text and binary)', () => {
    const bin: CapturedSocket = {
      ...sockets[0]!,
      frames: [
        {
          dir: 'send',
          time: 1,
          opcode: 2,
          data: base64Encode(utf8Encode('GET /e?token=t1 HTTP/1.1\r\nCookie: a=b\r\n\r\n')),
          size: 41,
        },
      ],
    };
    const text = JSON.stringify(exportHar([sockets[0]!, bin]));
    expect(text).not.toContain('secret');
    expect(text).not.toContain('am9lOndlbGNvbWU=');
    expect(text).not.toContain('access_token=abc');
    const back = importHar(JSON.parse(text)).sockets;
    expect(back[0]!.url).toBe('ws://user:[redacted]@gw.example/echo?.kl=Y&access_token=[redacted]');
    expect(back[0]!.frames[0]!.data).toBe('GET /echo HTTP/1.1\r\nAuthorization: Basic [redacted]\r\n\r\n');
    expect(utf8Decode(base64Decode(back[1]!.frames[0]!.data)!)).toBe(
      'GET /e?token=[redacted] HTTP/1.1\r\nCookie: [redacted]\r\n\r\n',
    );
  });
});
