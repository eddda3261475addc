import { describe, expect, it } from 'vitest';
import {
  endpointKey,
  hasKl,
  redirectTarget,
  sameEndpoint,
  targetPath,
  urlPath,
} from '../../../src/protocol/urls';

describe('redirectTarget', () => {
  const socket = 'wss://gw.example.com:9001/echo?.kl=Y';
  const cases: [string, string | null][] = [
    ['http://other.example.com:8001/echo', 'ws://other.example.com:8001/echo'],
    ['https://other.example.com/echo?x=1', 'wss://other.example.com/echo?x=1'],
    ['https://other.example.com:443/echo', 'wss://other.example.com/echo'],
    ['http://other.example.com:80/echo', 'ws://other.example.com/echo'],
    ['ws://b.example.com/x', 'ws://b.example.com/x'],
    ['wss://b.example.com/x', 'wss://b.example.com/x'],
    ['/other', 'wss://gw.example.com:9001/other'],
    ['next', 'wss://gw.example.com:9001/next'],
    ['  http://a.example.com/p  ', 'ws://a.example.com/p'],
    ['', null],
    ['ftp://files.example.com/', null],
    ['mailto:someone@example.com', null],
    ['http://', null],
  ];
  for (const [location, expected] of cases) {
    it(`${JSON.stringify(location)} → ${String(expected)}`, () => {
      expect(redirectTarget(location, socket)).toBe(expected);
    });
  }
  it('returns null for a relative Location when the socket URL is unusable', () => {
    expect(redirectTarget('/x', 'not a url')).toBeNull();
  });
});

describe('sameEndpoint', () => {
  it('ignores .kl=Y, default ports, fragments and http/ws spelling', () => {
    expect(sameEndpoint('ws://a.example.com/echo?.kl=Y', 'ws://a.example.com:80/echo')).toBe(true);
    expect(sameEndpoint('wss://A.example.com:443/echo#frag', 'wss://a.example.com/echo?.kl=Y')).toBe(true);
    expect(sameEndpoint('http://a.example.com/echo', 'ws://a.example.com/echo')).toBe(true);
    expect(sameEndpoint('ws://a.example.com/echo?x=1&.kl=Y', 'ws://a.example.com/echo?x=1')).toBe(true);
  });
  it('tells different endpoints apart', () => {
    expect(sameEndpoint('ws://a.example.com/echo', 'wss://a.example.com/echo')).toBe(false);
    expect(sameEndpoint('ws://a.example.com/echo', 'ws://a.example.com:8000/echo')).toBe(false);
    expect(sameEndpoint('ws://a.example.com/echo', 'ws://a.example.com/other')).toBe(false);
    expect(sameEndpoint('ws://a.example.com/echo?x=1', 'ws://a.example.com/echo?x=2')).toBe(false);
  });
  it('uses unparsable input as its own key', () => {
    expect(endpointKey('::nope')).toBe('::nope');
  });
});

describe('path and .kl helpers', () => {
  it('finds .kl=Y', () => {
    expect(hasKl('ws://a/echo?.kl=Y')).toBe(true);
    expect(hasKl('ws://a/echo?x=1&.kl=Y')).toBe(true);
    expect(hasKl('ws://a/echo?kl=Y')).toBe(false);
    expect(hasKl('ws://a/echo')).toBe(false);
  });
  it('reads paths of URLs and request targets', () => {
    expect(urlPath('ws://a/echo?.kl=Y')).toBe('/echo');
    expect(urlPath('ws://a')).toBe('/');
    expect(targetPath('/echo?x=1')).toBe('/echo');
    expect(targetPath('/echo')).toBe('/echo');
    expect(targetPath('http://a/echo?q')).toBe('/echo');
  });
});
