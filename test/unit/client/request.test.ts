import { describe, expect, it } from 'vitest';
import { authorizationFor, buildExtendedRequest, readChallenge } from '../../../src/client/request';
import { describeEvent } from '../../../src/client/describe';

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
