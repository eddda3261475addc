import { describe, expect, it } from 'vitest';
import { fitTabs, paneLayout, splitUrl } from '../../../src/panel/store/layout';

describe('fitTabs', () => {
  const five = [90, 80, 85, 75, 70]; // 400 in all

  it('shows every tab, and no overflow button, when they all fit', () => {
    expect(fitTabs(five, 400, 0, 24)).toEqual({ shown: [0, 1, 2, 3, 4], hidden: [] });
    expect(fitTabs(five, 2000, 4, 24)).toEqual({ shown: [0, 1, 2, 3, 4], hidden: [] });
  });

  it('keeps room for the overflow button once one tab does not fit', () => {
    // 399 px: not all five; with the 24 px button, 90+80+85+75 = 330 fit in 375.
    expect(fitTabs(five, 399, 0, 24)).toEqual({ shown: [0, 1, 2, 3], hidden: [4] });
    // 300 px: 276 for tabs, 90+80+85 = 255 fit.
    expect(fitTabs(five, 300, 1, 24)).toEqual({ shown: [0, 1, 2], hidden: [3, 4] });
  });

  it('always shows the active tab, in place of the last ones that fit', () => {
    expect(fitTabs(five, 300, 4, 24)).toEqual({ shown: [0, 1, 4], hidden: [2, 3] });
    expect(fitTabs(five, 200, 3, 24)).toEqual({ shown: [0, 3], hidden: [1, 2, 4] });
  });

  it('shows the active tab alone when nothing else fits, however narrow', () => {
    expect(fitTabs(five, 60, 2, 24)).toEqual({ shown: [2], hidden: [0, 1, 3, 4] });
    expect(fitTabs(five, 0, 0, 24)).toEqual({ shown: [0], hidden: [1, 2, 3, 4] });
  });

  it('never loses a tab: shown and hidden are a partition in order', () => {
    for (let available = 0; available <= 420; available += 7)
      for (let active = 0; active < five.length; active++) {
        const { shown, hidden } = fitTabs(five, available, active, 24);
        expect([...shown, ...hidden].sort()).toEqual([0, 1, 2, 3, 4]);
        expect(shown).toContain(active);
        expect(shown).toEqual([...shown].sort((a, b) => a - b));
        const used = shown.reduce((sum, i) => sum + five[i]!, 0) + (hidden.length ? 24 : 0);
        if (shown.length > 1) expect(used).toBeLessThanOrEqual(available);
      }
  });
});

describe('paneLayout', () => {
  it('puts list and detail side by side when wide, stacked when narrow, the detail alone when also short', () => {
    expect(paneLayout(2000, 300)).toBe('side');
    expect(paneLayout(800, 500)).toBe('side');
    expect(paneLayout(640, 200)).toBe('side');
    expect(paneLayout(639, 500)).toBe('stacked');
    expect(paneLayout(360, 900)).toBe('stacked');
    expect(paneLayout(360, 250)).toBe('detail');
  });

  it('keeps the wide layout before anything is laid out', () => {
    expect(paneLayout(0, 0)).toBe('side');
  });
});

describe('splitUrl', () => {
  it('keeps the last path segment and the query as the tail', () => {
    expect(splitUrl('ws://127.0.0.1:8090/auth/basic?.kl=Y')).toEqual([
      'ws://127.0.0.1:8090/auth',
      '/basic?.kl=Y',
    ]);
    expect(splitUrl('wss://gw.example.com/echo')).toEqual(['wss://gw.example.com', '/echo']);
  });

  it('cuts a long last segment to a bounded tail, and never takes more than half', () => {
    const long = `ws://h/${'a'.repeat(40)}?token=${'b'.repeat(30)}`;
    const [head, tail] = splitUrl(long);
    expect(head + tail).toBe(long);
    expect(tail.length).toBe(24);
    const [h2, t2] = splitUrl('ws://h/x');
    expect(h2 + t2).toBe('ws://h/x');
    expect(t2.length).toBeLessThanOrEqual(4);
  });

  it('keeps every character of short and empty URLs', () => {
    expect(splitUrl('ws://a').join('')).toBe('ws://a');
    expect(splitUrl('')).toEqual(['', '']);
  });
});
