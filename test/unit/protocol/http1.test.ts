import { describe, expect, it } from 'vitest';
import {
  Http1Parser,
  getHeader,
  getHeaders,
  looksLikeHttpRequest,
  looksLikeHttpResponse,
  parseHttpRequest,
  parseHttpResponse,
} from '../../../src/protocol/http1';
import { GATEWAY_101, GATEWAY_401, HTML_401_BODY, JS_CLIENT_REQUEST } from './http1-cases';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('getHeader / getHeaders', () => {
  const r = parseHttpResponse(GATEWAY_101);
  if (r.status !== 'complete') throw new Error('fixture must parse');
  const { headers } = r.message;

  it('finds the first value case-insensitively', () => {
    expect(getHeader(headers, 'sec-websocket-extensions')).toBe('x-kaazing-idle-timeout; timeout=20000');
    expect(getHeader(headers, 'UPGRADE')).toBe('WebSocket');
    expect(getHeader(headers, 'Location')).toBeUndefined();
  });

  it('returns every value in order', () => {
    expect(getHeaders(headers, 'Sec-WebSocket-Extensions')).toEqual([
      'x-kaazing-idle-timeout; timeout=20000',
      'x-kaazing-ping-pong; 01010102',
    ]);
    expect(getHeaders(headers, 'x-missing')).toEqual([]);
  });

  it('keeps an empty value distinct from a missing header', () => {
    const req = parseHttpRequest(JS_CLIENT_REQUEST);
    expect(req.status).toBe('complete');
    if (req.status !== 'complete') return;
    expect(getHeader(req.message.headers, 'websocket-protocol')).toBe('');
    expect(getHeader(req.message.headers, 'authorization')).toBeUndefined();
  });
});

describe('Http1Parser, incremental use', () => {
  it('reports what it waits for, with the offset reached', () => {
    const p = new Http1Parser('response');
    expect(p.push(enc('HTTP/1.1 401 Unauth'))).toEqual({
      status: 'incomplete',
      offset: 19,
      expected: 'the reason phrase and CRLF',
    });
    const head = GATEWAY_401.length - HTML_401_BODY.length;
    const r = p.push(enc(GATEWAY_401.slice(19, head + 10)));
    expect(r).toEqual({
      status: 'incomplete',
      offset: head + 10,
      expected: `${HTML_401_BODY.length - 10} more body bytes (Content-Length: ${HTML_401_BODY.length})`,
    });
    const done = p.push(enc(GATEWAY_401.slice(head + 10)));
    expect(done.status).toBe('complete');
    if (done.status !== 'complete') return;
    expect(new TextDecoder().decode(done.message.body)).toBe(HTML_401_BODY);
  });

  it('ignores pushes after completion and keeps answering the same result', () => {
    const p = new Http1Parser('request');
    const first = p.push(enc(JS_CLIENT_REQUEST));
    expect(first.status).toBe('complete');
    expect(p.push(enc('GET /other HTTP/1.1\r\n\r\n'))).toBe(first);
    expect(p.end()).toBe(first);
  });

  it('does not keep a reference to a chunk the caller reuses', () => {
    const p = new Http1Parser('request');
    const chunk = enc('GET /echo HTT');
    expect(p.push(chunk).status).toBe('incomplete');
    chunk.fill(0x58); // the caller overwrites its buffer
    const r = p.push(enc('P/1.1\r\nA: b\r\n\r\n'));
    expect(r.status).toBe('complete');
    if (r.status === 'complete') expect(r.message.target).toBe('/echo');
  });

  it('ends a response without Content-Length at end(), taking everything as body', () => {
    const p = new Http1Parser('response');
    expect(p.push(enc('HTTP/1.1 403 Forbidden\r\n\r\n<ht')).status).toBe('incomplete');
    expect(p.push(enc('ml/>')).status).toBe('incomplete');
    const r = p.end();
    expect(r.status).toBe('complete');
    if (r.status !== 'complete') return;
    expect(new TextDecoder().decode(r.message.body)).toBe('<html/>');
    expect(r.consumed).toBe(33);
  });

  it('turns an unfinished message into TRUNCATED with the state it stopped in', () => {
    const p = new Http1Parser('request');
    p.push(enc('GET /echo HTTP/1.1\r\nSec-WebSocket-Pro'));
    const r = p.end();
    expect(r).toMatchObject({
      status: 'error',
      error: { code: 'TRUNCATED', offset: 37, state: 'HEADER_NAME' },
    });
  });

  it('holds no more than the header cap plus one chunk while reading headers', () => {
    const p = new Http1Parser('request', { maxHeaderBytes: 1024 });
    const chunk = enc('X-Filler: ' + 'a'.repeat(90) + '\r\n');
    let r = p.push(enc('GET / HTTP/1.1\r\n'));
    let pushes = 0;
    while (r.status === 'incomplete') {
      r = p.push(chunk);
      pushes++;
      expect(p.bufferedBytes).toBeLessThanOrEqual(2 * (1024 + chunk.length));
    }
    expect(pushes).toBeLessThanOrEqual(11);
    expect(r).toMatchObject({ status: 'error', error: { code: 'HEADERS_TOO_LARGE', offset: 1024 } });
    expect(p.bufferedBytes).toBe(0);
  });
});

describe('Http1Parser.endBeforeBody (Expect: 100-continue)', () => {
  const head = 'GET /echo HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n';

  it('completes a request with Expect at its head, the body still to come', () => {
    const p = new Http1Parser('request');
    expect(p.push(enc(head)).status).toBe('incomplete');
    const r = p.endBeforeBody();
    expect(r.status).toBe('complete');
    if (r.status === 'complete') {
      expect(r.message.body.length).toBe(0);
      expect(r.consumed).toBe(enc(head).length);
    }
  });

  it('is end() without Expect, or while the header section is unfinished', () => {
    const p = new Http1Parser('request');
    p.push(enc(head.replace('Expect: 100-continue\r\n', '')));
    const r = p.endBeforeBody();
    expect(r.status === 'error' && r.error.code).toBe('TRUNCATED');
    const q = new Http1Parser('request');
    q.push(enc('GET /echo HTTP/1.1\r\nExpect: 100-continue\r\n'));
    const t = q.endBeforeBody();
    expect(t.status === 'error' && t.error.code).toBe('TRUNCATED');
  });
});

describe('tolerant and strict modes', () => {
  const input = 'HTTP/1.1 101\nUpgrade: websocket\n\n';

  it('accepts deviations as warnings by default', () => {
    const r = parseHttpResponse(input);
    expect(r.status).toBe('complete');
    if (r.status !== 'complete') return;
    expect(r.message.warnings.map((w) => w.code)).toEqual(['MISSING_REASON', 'BARE_LF']);
    expect(r.message.warnings.every((w) => w.message.length > 0)).toBe(true);
  });

  it('rejects the first deviation when strict', () => {
    expect(parseHttpResponse(input, { tolerant: false })).toMatchObject({
      status: 'error',
      error: { code: 'MISSING_REASON', offset: 12, state: 'STATUS_AFTER_CODE' },
    });
  });
});

describe('looksLikeHttpRequest / looksLikeHttpResponse', () => {
  it.each([
    ['GET /echo HTTP/1.1\r\n', true],
    [JS_CLIENT_REQUEST, true],
    ['GET /echo?x=1 HTTP/1.1', true],
    ['GET /ec', true],
    ['GET', true],
    ['OPTIONS * HTTP/1.1\r\n', true],
    ['GET /\u00e9cho HTTP/1.1\r\n', true],
    ['hello world', false],
    ['{"type":"hello"}', false],
    ['', false],
    ['GET /echo\r\n', false],
    ['GET /echo XYZ/1.1\r\n', false],
    ['HTTP/1.1 200 OK\r\n', false],
    [' GET / HTTP/1.1', false],
  ])('%j → %s', (text, expected) => {
    expect(looksLikeHttpRequest(enc(text))).toBe(expected);
  });

  it('rejects balancer messages (U+F0FF N)', () => {
    expect(looksLikeHttpRequest(Uint8Array.of(0xef, 0x83, 0xbf, 0x4e))).toBe(false);
  });

  it('recognises status lines', () => {
    expect(looksLikeHttpResponse(enc(GATEWAY_101))).toBe(true);
    expect(looksLikeHttpResponse(enc('HTTP/'))).toBe(true);
    expect(looksLikeHttpResponse(enc('HTTP'))).toBe(false);
    expect(looksLikeHttpResponse(enc('http/1.1 200 OK'))).toBe(false);
    expect(looksLikeHttpResponse(enc(JS_CLIENT_REQUEST))).toBe(false);
  });
});
