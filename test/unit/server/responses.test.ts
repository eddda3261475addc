import { describe, expect, it } from 'vitest';
import { buildResponse, reasonPhrase, splitBytes } from '../../../src/server/responses';
import { checkAuthorization, routeScenario } from '../../../src/server/scenarios';

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const DATE = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));

describe('buildResponse', () => {
  it('writes a gateway 101 with one extensions line each, Date and Server', () => {
    const out = text(buildResponse({ status: 101, extensions: ['a; x=1', 'b'] }, 'gateway', DATE));
    expect(out).toBe(
      'HTTP/1.1 101 Web Socket Protocol Handshake\r\n' +
        'Sec-WebSocket-Extensions: a; x=1\r\nSec-WebSocket-Extensions: b\r\n' +
        'Date: Tue, 02 Jan 2024 03:04:05 GMT\r\nServer: KHP Inspector reference server\r\n\r\n',
    );
  });

  it('writes a spec 101 with one comma-separated extensions line and nothing else', () => {
    expect(text(buildResponse({ status: 101, extensions: ['a', 'b'] }, 'spec'))).toBe(
      'HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Extensions: a, b\r\n\r\n',
    );
  });

  it('gives error responses an escaped HTML body with its byte length', () => {
    const out = text(buildResponse({ status: 400, errorText: 'bad <x> é' }, 'spec'));
    const [head, body = ''] = out.split('\r\n\r\n');
    expect(head).toContain('Content-Type: text/html');
    expect(head).toContain(`Content-Length: ${new TextEncoder().encode(body).length}`);
    expect(body).toContain('bad &lt;x&gt; é');
  });

  it('has reason phrases per mode and splits without empty pieces', () => {
    expect(reasonPhrase(101, 'spec')).toBe('Switching Protocols');
    expect(reasonPhrase(599, 'gateway')).toBe('Status');
    const parts = splitBytes(new Uint8Array(10), 3);
    expect(parts.map((p) => p.length)).toEqual([4, 4, 2]);
  });
});

describe('routeScenario', () => {
  const route = (u: string) => routeScenario(new URL(u, 'ws://h'), { maxSlowMs: 30_000 });
  it('maps paths to scenarios, ignoring .kl=Y', () => {
    expect(route('/echo?.kl=Y')).toEqual({ kind: 'echo' });
    expect(route('/echo?timeout=50')).toEqual({ kind: 'echo', idleTimeoutMs: 200 });
    expect(route('/redirect/3')).toEqual({ kind: 'redirect', location: '/redirect/2' });
    expect(route('/redirect/0')).toEqual({ kind: 'redirect', location: '/echo' });
    expect(route('/redirect/101')).toEqual({ kind: 'not-found' });
    expect(route('/loop/a')).toEqual({ kind: 'redirect', location: '/loop/b' });
    expect(route('/status/418')).toEqual({ kind: 'status', code: 418 });
    expect(route('/status/600')).toEqual({ kind: 'not-found' });
    expect(route('/slow?ms=99999999')).toEqual({ kind: 'slow', ms: 30_000 });
    expect(route('/slow?ms=abc')).toEqual({ kind: 'slow', ms: 0 });
    expect(route('/')).toEqual({ kind: 'not-found' });
  });
});

describe('checkAuthorization', () => {
  it('accepts joe:welcome only', () => {
    expect(checkAuthorization('Basic', undefined)).toBe('missing');
    expect(checkAuthorization('Basic', 'Basic am9lOndlbGNvbWU=')).toBe('ok');
    expect(checkAuthorization('Basic', 'Basic am9lOndyb25n')).toBe('wrong');
    expect(checkAuthorization('Basic', 'Basic !!!')).toBe('wrong');
    expect(checkAuthorization('Token', 'Token joe:welcome')).toBe('ok');
    expect(checkAuthorization('Token', 'joe:welcome')).toBe('ok');
    expect(checkAuthorization('Token', 'Bearer other')).toBe('wrong');
  });
});
