import { describe, expect, it } from 'vitest';
import {
  authorizationOf,
  basicAuthorization,
  credentialIssues,
  parseAuthorization,
  tokenAuthorization,
} from '../../../src/replay/auth';

describe('Authorization helpers', () => {
  it('builds Basic from user and password as base64 of user:password (UTF-8)', () => {
    expect(basicAuthorization('joe', 'welcome')).toBe('Basic am9lOndlbGNvbWU=');
    expect(basicAuthorization('zoë', 'pässword')).toBe(
      `Basic ${Buffer.from('zoë:pässword').toString('base64')}`,
    );
    expect(basicAuthorization('joe', '')).toBe(`Basic ${Buffer.from('joe:').toString('base64')}`);
  });

  it('builds Token from a trimmed token', () => {
    expect(tokenAuthorization('  joe:welcome ')).toBe('Token joe:welcome');
  });

  it('turns helper input into a header value, or null for none', () => {
    expect(authorizationOf({ scheme: 'none' })).toBeNull();
    expect(authorizationOf({ scheme: 'Basic', user: 'a', password: 'b' })).toBe('Basic YTpi');
    expect(authorizationOf({ scheme: 'Token', token: 't0k' })).toBe('Token t0k');
  });

  it('reads Basic and Token values back, and nothing else', () => {
    expect(parseAuthorization('Basic am9lOndlbGNvbWU=')).toEqual({
      scheme: 'Basic',
      user: 'joe',
      password: 'welcome',
    });
    expect(parseAuthorization('token abc')).toEqual({ scheme: 'Token', token: 'abc' });
    expect(parseAuthorization('Bearer abc')).toBeNull();
    expect(parseAuthorization('Basic !!!')).toBeNull();
    expect(parseAuthorization(`Basic ${Buffer.from('nocolon').toString('base64')}`)).toBeNull();
  });

  it('explains bad helper input', () => {
    expect(credentialIssues({ scheme: 'none' })).toEqual([]);
    expect(credentialIssues({ scheme: 'Basic', user: 'joe', password: 'x' })).toEqual([]);
    const colon = credentialIssues({ scheme: 'Basic', user: 'jo:e', password: 'x' });
    expect(colon.map((i) => i.message)).toEqual(['A Basic user name cannot contain ":" (RFC 7617).']);
    expect(credentialIssues({ scheme: 'Basic', user: '', password: 'x' })[0]?.message).toMatch(/user name/);
    expect(credentialIssues({ scheme: 'Token', token: '  ' })[0]?.message).toMatch(/needs a value/);
    expect(credentialIssues({ scheme: 'Token', token: 'a\r\nX-Evil: 1' })[0]?.severity).toBe('error');
  });
});
