import { describe, expect, it } from 'vitest';
import { parseTarget, printable, quoted } from '../../../src/server/bad-input';

describe('parseTarget', () => {
  it('reads origin-form and http(s)/ws(s) absolute-form targets', () => {
    expect(parseTarget('/echo?.kl=Y')?.pathname).toBe('/echo');
    expect(parseTarget('/%')?.pathname).toBe('/%');
    expect(parseTarget('ws://host:1/auth/basic')?.pathname).toBe('/auth/basic');
    expect(parseTarget('http://host/echo?x=[1]')?.search).toBe('?x=[1]');
  });

  it('refuses, without throwing, what is neither', () => {
    for (const target of ['//[', 'http://[', '//echo', '//', 'mailto:x', '*', 'echo', '', 'http://[::1']) {
      expect(parseTarget(target)).toBeNull();
    }
  });
});

describe('log text', () => {
  it('escapes what could act on a terminal, as the CLI does (one rule: protocol/terminal-safe.ts)', () => {
    expect(printable('a\x1b[31mb\r\n\x7f\u00e9\u202e\u{1f600}')).toBe(
      'a\\x1b[31mb\\r\\n\\x7f\u00e9\\u202e\u{1f600}',
    );
  });

  it('quotes and cuts what a client sent', () => {
    expect(quoted('say "hi"\\')).toBe('"say \\"hi\\"\\\\"');
    expect(quoted('x'.repeat(100), 5)).toBe('"xxxxx"... (100 characters)');
  });
});
