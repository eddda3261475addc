import { describe, expect, it } from 'vitest';
import {
  endpointKey,
  hasKl,
  originTarget,
  redirectTarget,
  sameEndpoint,
  targetPath,
  urlPath,
  withKl,
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
    ['http://a.example.com/p#top', 'ws://a.example.com/p'],
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
  // The client's copy kept the query as written and dropped only `.kl=Y`; the core's re-encoded the
  // query (URLSearchParams) and dropped any `.kl` value. Two resources must not share a key: a false
  // loop stops a working redirect chain, while a missed one still ends at the redirect limit.
  it('compares queries as written, not re-encoded', () => {
    expect(sameEndpoint('ws://a/e?q=a+b', 'ws://a/e?q=a%20b')).toBe(false);
    expect(sameEndpoint('ws://a/e?p=a/b', 'ws://a/e?p=a%2Fb')).toBe(false);
    expect(sameEndpoint('ws://a/e?flag', 'ws://a/e?flag=')).toBe(false);
    expect(endpointKey('ws://a/e?z=1&.kl=Y&y=%7E')).toBe('ws://a/e?z=1&y=%7E');
  });
  it('drops only the .kl=Y marker', () => {
    expect(sameEndpoint('ws://a/e?.kl=N', 'ws://a/e')).toBe(false);
    expect(sameEndpoint('ws://a/e?.kl=y', 'ws://a/e')).toBe(false);
    expect(endpointKey('ws://a/e?.kl=Y&.kl=Y')).toBe('ws://a/e');
  });
  it('uses unparsable input as its own key', () => {
    expect(endpointKey('::nope')).toBe('::nope');
  });
});

describe('path and .kl helpers', () => {
  it('finds .kl=Y', () => {
    expect(hasKl('ws://a/echo?.kl=Y')).toBe(true);
    expect(hasKl('ws://a/echo?x=1&.kl=Y')).toBe(true);
    expect(hasKl('ws://a/echo?.kl=Y#f')).toBe(true);
    expect(hasKl('ws://a/echo?kl=Y')).toBe(false);
    expect(hasKl('ws://a/echo')).toBe(false);
    expect(hasKl('not a url ?.kl=Y')).toBe(true);
  });
  // The copies differed on case: the core read `.kl=y` as the marker, the client did not, the replay
  // runner took `.KL=y` too. Real clients write `.kl=Y` literally; reading a variant as the marker
  // makes the decoder expect a terminator the gateway need not send, and call a good 101 failed.
  it('finds the marker exactly, not a variant of it', () => {
    expect(hasKl('ws://a/echo?.kl=y')).toBe(false);
    expect(hasKl('ws://a/echo?.KL=Y')).toBe(false);
    expect(hasKl('ws://a/echo?%2Ekl=Y')).toBe(false);
    expect(hasKl('ws://a/echo?x.kl=Y')).toBe(false);
    expect(hasKl('ws://a/echo?.kl=Yes')).toBe(false);
    expect(hasKl('ws://a/.kl=Y')).toBe(false);
    expect(hasKl('ws://a/echo#.kl=Y')).toBe(false);
  });
  it('adds .kl=Y once, keeping the query as written', () => {
    expect(withKl('ws://h/echo')).toBe('ws://h/echo?.kl=Y');
    expect(withKl('ws://h/echo?')).toBe('ws://h/echo?.kl=Y');
    expect(withKl('ws://h/echo?a=1')).toBe('ws://h/echo?a=1&.kl=Y');
    expect(withKl('ws://h/echo?a=1&')).toBe('ws://h/echo?a=1&.kl=Y');
    expect(withKl('ws://h/echo?.kl=Y')).toBe('ws://h/echo?.kl=Y');
    expect(withKl('ws://h/echo?q=a+b&p=a%2Fb')).toBe('ws://h/echo?q=a+b&p=a%2Fb&.kl=Y');
    expect(withKl('ws://h/echo?.kl=y')).toBe('ws://h/echo?.kl=y&.kl=Y');
  });
  it('leaves .kl=Y out of the extended request target', () => {
    expect(originTarget('ws://h/echo?a=1&.kl=Y&b=2')).toBe('/echo?a=1&b=2');
    expect(originTarget('ws://h/echo?.kl=Y')).toBe('/echo');
    expect(originTarget('ws://h')).toBe('/');
    expect(originTarget('ws://h/e?q=a+b&.kl=y')).toBe('/e?q=a+b&.kl=y');
    expect(originTarget('not a url')).toBe('/');
  });
  it('reads paths of URLs and request targets', () => {
    expect(urlPath('ws://a/echo?.kl=Y')).toBe('/echo');
    expect(urlPath('ws://a')).toBe('/');
    expect(targetPath('/echo?x=1')).toBe('/echo');
    expect(targetPath('/echo')).toBe('/echo');
    expect(targetPath('http://a/echo?q')).toBe('/echo');
  });
});
