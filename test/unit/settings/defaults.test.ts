import { describe, expect, it } from 'vitest';
import {
  DEFAULT_OPTIONS,
  MAX_SITES,
  capturePatterns,
  captureDefaults,
  parseFrameBudget,
  readOptions,
} from '../../../src/settings/defaults';
import { DEFAULT_SETTINGS } from '../../../src/messaging/messages';

describe('parseFrameBudget', () => {
  it.each([
    ['0', 0],
    ['1000', 1000],
    [' 250 ', 250],
    ['007', 7],
    ['100000', 100_000],
  ])('%j -> %d', (text, value) => {
    expect(parseFrameBudget(text)).toEqual({ ok: true, value });
  });

  it.each(['', ' ', '-1', '1.5', '1e3', '1,000', 'abc', '+5', '0x10', 'Infinity'])('refuses %j', (text) => {
    expect(parseFrameBudget(text)).toEqual({ ok: false, error: 'Enter a whole number from 0 to 100,000.' });
  });

  it('says when a number is out of range', () => {
    expect(parseFrameBudget('100001')).toEqual({
      ok: false,
      error: '100,001 is out of range: enter a whole number from 0 to 100,000.',
    });
    expect(parseFrameBudget('99999999999999999999')).toMatchObject({ ok: false });
  });
});

describe('readOptions', () => {
  it('gives the defaults for nothing stored, and today’s capture settings', () => {
    expect(readOptions(undefined)).toEqual(DEFAULT_OPTIONS);
    expect(captureDefaults(DEFAULT_OPTIONS)).toEqual({
      preserveLog: DEFAULT_SETTINGS.preserveLog,
      fullCapture: DEFAULT_SETTINGS.fullCapture,
      frameBudget: DEFAULT_SETTINGS.frameBudget,
    });
    expect(capturePatterns(DEFAULT_OPTIONS)).toEqual(['<all_urls>']);
  });

  it('keeps valid fields and replaces invalid ones by their default', () => {
    const o = readOptions({
      preserveLog: true,
      fullCapture: 'yes',
      frameBudget: 100_001,
      siteMode: 'listed',
      sites: ['*://a.test/*', 'ftp://b.test/*', '*://a.test/*', 7, 'https://*.c.test/*'],
      extra: 1,
    });
    expect(o).toEqual({
      preserveLog: true,
      fullCapture: false,
      frameBudget: 1000,
      siteMode: 'listed',
      sites: ['*://a.test/*', 'https://*.c.test/*'],
    });
    expect(capturePatterns(o)).toEqual(['*://a.test/*', 'https://*.c.test/*']);
    expect(readOptions({ siteMode: 'some', frameBudget: 2.5 })).toEqual(DEFAULT_OPTIONS);
  });

  it('keeps at most MAX_SITES sites; an empty list captures nowhere', () => {
    const sites = Array.from({ length: MAX_SITES + 5 }, (_, i) => `*://s${i}.test/*`);
    expect(readOptions({ sites }).sites).toHaveLength(MAX_SITES);
    expect(capturePatterns(readOptions({ siteMode: 'listed', sites: [] }))).toEqual([]);
  });
});
