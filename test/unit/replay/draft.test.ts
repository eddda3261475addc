import { describe, expect, it } from 'vitest';
import { decodeSocket } from '../../../src/protocol/decoder';
import {
  defaultParts,
  draftFromConnection,
  normaliseRaw,
  parseRequestText,
  requestText,
  setHeader,
  stripCredentials,
  switchMode,
} from '../../../src/replay/draft';
import { requestedExtensions, withExtension } from '../../../src/replay/extensions-edit';
import { authSocket, hop1, plain } from '../../fixtures/panel/captures';

describe('draft from a captured socket', () => {
  it('takes URL, protocols and the first extended request, with credentials stripped and kept aside', () => {
    const withCookie = {
      ...authSocket,
      pageUrl: 'http://app.example.com/',
      frames: authSocket.frames.map((f, i) =>
        i === 1
          ? { ...f, data: f.data.replace('\r\n\r\n', '\r\nCookie: sid=42\r\nX-Auth-Key: k\r\n\r\n') }
          : f,
      ),
    };
    const draft = draftFromConnection(decodeSocket(withCookie), withCookie);
    expect(draft.url).toBe('ws://gw.example.com/echo?.kl=Y');
    expect(draft.protocols).toEqual(['x-kaazing-handshake', 'amqp']);
    expect(draft.parts.method).toBe('GET');
    expect(draft.parts.target).toBe('/echo');
    expect(draft.parts.headers.map((h) => h[0])).toEqual([
      'WebSocket-Protocol',
      'Sec-WebSocket-Protocol',
      'Sec-WebSocket-Extensions',
    ]);
    expect(draft.capturedCredentials).toEqual([
      ['Cookie', 'sid=42'],
      ['X-Auth-Key', 'k'],
    ]);
    // The Authorization the original client answered the 401 with is kept aside too.
    expect(draft.capturedAnswer).toBe('Basic am9lOndlbGNvbWU=');
    expect(draft.options.keepCapturedCredentials).toBe(false);
    expect(draft.pageUrl).toBe('http://app.example.com/');
    expect(draft.binary).toBe(false);
    expect(draft.raw).toBe(requestText(draft.parts));
    expect(draft.raw).not.toMatch(/Cookie|Authorization|X-Auth/);
  });

  it('builds a client-like request when none was captured', () => {
    const draft = draftFromConnection(decodeSocket(plain), plain);
    expect(draft.parts).toEqual(defaultParts(plain.url, []));
    expect(draft.parts.target).toBe('/socket');
    const d2 = defaultParts('ws://h/p?a=1&.kl=Y', ['x-kaazing-handshake', 'amqp', 'stomp']);
    expect(requestText(d2)).toBe('GET /p?a=1 HTTP/1.1\r\nSec-WebSocket-Protocol: amqp, stomp\r\n\r\n');
  });

  it('keeps the request of a redirect hop', () => {
    const draft = draftFromConnection(decodeSocket(hop1), hop1);
    expect(draft.parts.target).toBe('/redirect/1');
    expect(draft.capturedAnswer).toBeNull();
  });
});

describe('request text', () => {
  it('strips credential headers by the redaction rules', () => {
    const { kept, removed } = stripCredentials([
      ['Authorization', 'Basic x'],
      ['Proxy-Authorization', 'y'],
      ['X-Api-Token', 'z'],
      ['Sec-WebSocket-Protocol', 'amqp'],
    ]);
    expect(kept).toEqual([['Sec-WebSocket-Protocol', 'amqp']]);
    expect(removed.map((h) => h[0])).toEqual(['Authorization', 'Proxy-Authorization', 'X-Api-Token']);
  });

  it('normalises typed text to CRLF with a final empty line', () => {
    expect(normaliseRaw('GET / HTTP/1.1\nA: b\n')).toBe('GET / HTTP/1.1\r\nA: b\r\n\r\n');
    expect(normaliseRaw('GET / HTTP/1.1\r\n\r\n\r\n')).toBe('GET / HTTP/1.1\r\n\r\n');
  });

  it('parses raw text, or says where it broke', () => {
    const ok = parseRequestText('GET /echo HTTP/1.1\nSec-WebSocket-Extensions: x-kaazing-ping-pong');
    expect(ok).toEqual({
      ok: true,
      parts: {
        method: 'GET',
        target: '/echo',
        version: 'HTTP/1.1',
        headers: [['Sec-WebSocket-Extensions', 'x-kaazing-ping-pong']],
      },
    });
    const bad = parseRequestText('GET /echo HTTP/1.1\nNo colon here');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.offset).toBeGreaterThan(18);
    expect(parseRequestText('').ok).toBe(false);
  });

  it('switches between table and raw, staying raw while the text does not parse', () => {
    const draft = draftFromConnection(decodeSocket(authSocket), authSocket);
    const raw = switchMode(draft, 'raw');
    expect(raw.mode).toBe('raw');
    const edited = { ...raw, raw: raw.raw.replace('GET /echo', 'GET /other') };
    expect(switchMode(edited, 'table').parts.target).toBe('/other');
    const broken = { ...raw, raw: 'not http' };
    expect(switchMode(broken, 'table')).toBe(broken);
  });

  it('sets a header in place, dropping repeats, or appends it', () => {
    const h: [string, string][] = [
      ['A', '1'],
      ['authorization', 'x'],
      ['B', '2'],
      ['Authorization', 'y'],
    ];
    expect(setHeader(h, 'Authorization', 'Basic z')).toEqual([
      ['A', '1'],
      ['authorization', 'Basic z'],
      ['B', '2'],
    ]);
    expect(setHeader([], 'X', '1')).toEqual([['X', '1']]);
  });
});

describe('extensions in the request', () => {
  it('adds and removes known extensions, removing the header when the list becomes empty', () => {
    let h: [string, string][] = [['Sec-WebSocket-Extensions', 'x-kaazing-idle-timeout,x-kaazing-ping-pong']];
    h = withExtension(h, 'x-kaazing-ping-pong', false);
    expect(h).toEqual([['Sec-WebSocket-Extensions', 'x-kaazing-idle-timeout']]);
    expect(withExtension(h, 'x-kaazing-idle-timeout', true)).toEqual(h);
    h = withExtension(h, 'x-kaazing-idle-timeout', false);
    expect(h).toEqual([]);
    h = withExtension(h, 'x-kaazing-ping-pong', true);
    expect(h).toEqual([['Sec-WebSocket-Extensions', 'x-kaazing-ping-pong']]);
    expect(requestedExtensions([...h, ['Sec-WebSocket-Extensions', 'x-foo; a=1, x-bar']])).toEqual([
      'x-kaazing-ping-pong',
      'x-foo',
      'x-bar',
    ]);
  });
});
