import { describe, expect, it } from 'vitest';
import { addSite, covers, describeSite, isSitePattern, parseSite } from '../../../src/settings/sites';

const pattern = (input: string) => {
  const r = parseSite(input);
  if (!r.ok) throw new Error(`${input}: ${r.error}`);
  return r.pattern;
};
const error = (input: string) => {
  const r = parseSite(input);
  if (r.ok) throw new Error(`${input} parsed as ${r.pattern}`);
  return r.error;
};

describe('parseSite', () => {
  it.each([
    ['gateway.example.com', '*://gateway.example.com/*'],
    ['  Gateway.Example.COM  ', '*://gateway.example.com/*'],
    ['https://gateway.example.com', 'https://gateway.example.com/*'],
    ['HTTP://gateway.example.com/', 'http://gateway.example.com/*'],
    ['https://gateway.example.com:8443/app/page.html?x=1#top', 'https://gateway.example.com/*'],
    ['gateway.example.com:8000', '*://gateway.example.com/*'],
    ['*.example.com', '*://*.example.com/*'],
    ['https://*.example.com/*', 'https://*.example.com/*'],
    ['*://gateway.example.com/*', '*://gateway.example.com/*'],
    ['localhost', '*://localhost/*'],
    ['127.0.0.1:7681', '*://127.0.0.1/*'],
    ['http://[::1]:8080/', 'http://[::1]/*'],
    ['bücher.example', '*://xn--bcher-kva.example/*'],
  ])('%s -> %s', (input, expected) => {
    expect(pattern(input)).toBe(expected);
  });

  it.each([
    ['', /Enter a site/],
    ['   ', /Enter a site/],
    ['<all_urls>', /All sites/],
    ['*', /All sites/],
    ['wss://gateway.example.com/path', /not the WebSocket's/],
    ['ftp://example.com', /Only http and https/],
    ['file:///home/me/page.html', /Only http and https/],
    ['chrome://extensions', /Only http and https/],
    ['gate way.example.com', /no spaces/],
    ['joe:secret@example.com', /user name/],
    ['gate*.example.com', /may only start/],
    ['*.*.example.com', /may only start/],
    ['*.127.0.0.1', /not an IP address/],
    ['https://', /Enter a host name/],
    ['exa%mple.com', /not a host name/],
    ['example.com:99999', /not a host name/],
    ['x'.repeat(301), /longer than 300/],
  ])('refuses %j', (input, message) => {
    expect(error(input)).toMatch(message);
  });
});

describe('covers', () => {
  it.each([
    ['*://example.com/*', 'https://example.com/*', true],
    ['https://example.com/*', '*://example.com/*', false],
    ['https://example.com/*', 'http://example.com/*', false],
    ['*://*.example.com/*', 'https://gw.example.com/*', true],
    ['*://*.example.com/*', '*://example.com/*', true],
    ['*://*.example.com/*', '*://a.b.example.com/*', true],
    ['*://*.example.com/*', '*://*.b.example.com/*', true],
    ['*://*.b.example.com/*', '*://*.example.com/*', false],
    ['*://*.example.com/*', '*://badexample.com/*', false],
    ['*://gw.example.com/*', '*://*.gw.example.com/*', false],
  ])('%s covers %s: %s', (outer, inner, expected) => {
    expect(covers(outer, inner)).toBe(expected);
  });
});

describe('addSite', () => {
  it('appends a new site', () => {
    expect(addSite(['*://a.test/*'], '*://b.test/*', 10)).toEqual({
      ok: true,
      sites: ['*://a.test/*', '*://b.test/*'],
    });
  });

  it('refuses a site listed already, or covered by one', () => {
    expect(addSite(['*://a.test/*'], '*://a.test/*', 10)).toEqual({
      ok: false,
      error: 'a.test is listed already.',
    });
    expect(addSite(['*://*.a.test/*'], 'https://gw.a.test/*', 10)).toEqual({
      ok: false,
      error: '*.a.test already covers https://gw.a.test.',
    });
  });

  it('keeps a narrower site when a wider one is added (removing one leaves the other)', () => {
    expect(addSite(['https://gw.a.test/*'], '*://*.a.test/*', 10)).toMatchObject({ ok: true });
  });

  it('refuses past the maximum', () => {
    expect(addSite(['*://a.test/*'], '*://b.test/*', 1)).toEqual({
      ok: false,
      error: 'The list holds at most 1 sites.',
    });
  });
});

describe('isSitePattern and describeSite', () => {
  it('accepts only patterns parseSite makes', () => {
    expect(isSitePattern('*://a.test/*')).toBe(true);
    expect(isSitePattern('https://*.a.test/*')).toBe(true);
    expect(isSitePattern('<all_urls>')).toBe(false);
    expect(isSitePattern('*://A.test/*')).toBe(false);
    expect(isSitePattern('*://a.test/path/*')).toBe(false);
    expect(isSitePattern('ftp://a.test/*')).toBe(false);
    expect(isSitePattern(42)).toBe(false);
  });

  it('describes a pattern without its wildcards', () => {
    expect(describeSite('*://a.test/*')).toBe('a.test');
    expect(describeSite('https://*.a.test/*')).toBe('https://*.a.test');
  });
});
