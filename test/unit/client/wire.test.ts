import { describe, expect, it } from 'vitest';
import {
  balancerRedirect,
  endpointKey,
  extensionNameList,
  originTarget,
  readBalancer,
  toWebSocketUrl,
  withKl,
} from '../../../src/client/khp-wire';
import { authorizationFor, buildExtendedRequest, readChallenge } from '../../../src/client/request';
import { describeEvent } from '../../../src/client/describe';

describe('khp-wire', () => {
  it('adds .kl=Y once and removes it from the origin-form target', () => {
    expect(withKl('ws://h/echo')).toBe('ws://h/echo?.kl=Y');
    expect(withKl('ws://h/echo?a=1')).toBe('ws://h/echo?a=1&.kl=Y');
    expect(withKl('ws://h/echo?.kl=Y')).toBe('ws://h/echo?.kl=Y');
    expect(originTarget('ws://h/echo?a=1&.kl=Y&b=2')).toBe('/echo?a=1&b=2');
    expect(originTarget('ws://h')).toBe('/');
    expect(endpointKey('ws://h:1/a?.kl=Y')).toBe(endpointKey('ws://h:1/a'));
  });

  it('maps http Locations to ws and resolves relative ones', () => {
    expect(toWebSocketUrl('http://x:1/a', 'ws://h/b')).toBe('ws://x:1/a');
    expect(toWebSocketUrl('https://x/a', 'ws://h/b')).toBe('wss://x/a');
    expect(toWebSocketUrl('/c?d', 'wss://h/b')).toBe('wss://h/c?d');
  });

  it('reads balancer messages', () => {
    expect(readBalancer(new Uint8Array([0xef, 0x83, 0xbf, 0x4e]))).toEqual({ kind: 'N' });
    expect(readBalancer(balancerRedirect('ws://h/x'))).toEqual({ kind: 'R', url: 'ws://h/x' });
    expect(readBalancer(new Uint8Array([0xef, 0x83, 0xbf]))).toBeNull();
    expect(readBalancer(new TextEncoder().encode('N'))).toBeNull();
  });

  it('lists extension names', () => {
    expect(extensionNameList(['a; x=1, B', 'c'])).toEqual(['a', 'b', 'c']);
  });
});

describe('request helpers', () => {
  it('builds the request with only non-empty headers', () => {
    expect(buildExtendedRequest({ target: '/e', protocols: [], extensions: [] })).toBe(
      'GET /e HTTP/1.1\r\n\r\n',
    );
    expect(
      buildExtendedRequest({
        target: '/e',
        protocols: ['p'],
        extensions: ['x'],
        authorization: 'Token t',
        headers: [['X-A', '1']],
      }),
    ).toBe(
      'GET /e HTTP/1.1\r\nSec-WebSocket-Protocol: p\r\nSec-WebSocket-Extensions: x\r\nX-A: 1\r\nAuthorization: Token t\r\n\r\n',
    );
  });

  it('builds Authorization values and reads challenges', () => {
    expect(authorizationFor({ user: 'joe', password: 'welcome' })).toBe('Basic am9lOndlbGNvbWU=');
    expect(authorizationFor({ token: 't' })).toBe('Token t');
    expect(authorizationFor({ authorization: 'Custom x' })).toBe('Custom x');
    expect(readChallenge('Application Basic realm="R \\"q\\""')).toEqual({
      scheme: 'Basic',
      realm: 'R \\"q\\"',
    });
    expect(readChallenge('Application Token')).toEqual({ scheme: 'Token' });
    expect(readChallenge(undefined)).toEqual({ scheme: '' });
  });

  it('describes events in one line', () => {
    expect(describeEvent('redirect', { from: 'a', to: 'ws://h/b', status: 302 })).toBe(
      'redirect (302) to ws://h/b',
    );
    expect(describeEvent('close', { url: 'u', code: 1006, reason: '', wasClean: false })).toBe(
      'closed 1006, not clean',
    );
  });
});
