import { describe, expect, it } from 'vitest';
import {
  withNavigations,
  flattenGroups,
  scrollToReveal,
  visibleRange,
} from '../../../src/panel/store/list-rows';
import { groupByChain } from '../../../src/panel/store/summary';
import { ALL_SOCKETS, fixtureCore } from '../../fixtures/panel/decoded';
import { SocketSet } from '../../../src/panel/store/socket-set';

function fixtureGroups() {
  const set = new SocketSet(fixtureCore());
  set.load(ALL_SOCKETS);
  set.refresh();
  const conns = set.connections();
  return groupByChain(conns, set.chains(), new Map(conns.map((c) => [c.id, c])));
}

describe('connection list rows', () => {
  it('flattens a chain into its header and hops, lone sockets into single rows', () => {
    const flat = flattenGroups(fixtureGroups());
    expect(flat.items.map((i) => (i.kind === 'row' ? i.connection.id : i.kind))).toEqual([
      'auth',
      'head',
      'r1',
      'r0',
      'r-end',
      'forbidden',
      'plain',
      'malformed',
    ]);
    expect(flat.rows.map((c) => c.id)).toEqual([
      'auth',
      'r1',
      'r0',
      'r-end',
      'forbidden',
      'plain',
      'malformed',
    ]);
    expect(flat.itemIndex.get('r0')).toBe(3);
    const r0 = flat.items[3]!;
    expect(r0.kind === 'row' && [r0.hop, r0.position]).toEqual([1, 2]);
  });

  it('renders only the viewport plus overscan, clamped to the list', () => {
    expect(visibleRange(1000, 0, 210, 21, 5)).toEqual({ first: 0, last: 15 });
    expect(visibleRange(1000, 2100, 210, 21, 5)).toEqual({ first: 95, last: 115 });
    expect(visibleRange(1000, 21 * 995, 210, 21, 5)).toEqual({ first: 990, last: 1000 });
    expect(visibleRange(0, 0, 210, 21, 5)).toEqual({ first: 0, last: 0 });
  });

  it('scrolls just enough to reveal an item', () => {
    expect(scrollToReveal(5, 0, 210, 21)).toBe(0); // already in view
    expect(scrollToReveal(20, 0, 210, 21)).toBe(21 * 21 - 210); // below: its bottom at the edge
    expect(scrollToReveal(3, 200, 210, 21)).toBe(63); // above: its top at the edge
  });
});

describe('navigation marks (preserve log)', () => {
  it('go before the first group created after the navigation, and last when nothing came after', () => {
    const groups = fixtureGroups();
    const flat = flattenGroups(groups);
    const starts = groups.map((g) => g.connections[0]!.startedAt).sort((a, b) => a - b);
    const between = (starts[0]! + starts[1]!) / 2;
    const marked = withNavigations(flat, [
      { time: between, url: 'http://app.example/next' },
      { time: Number.MAX_SAFE_INTEGER, url: 'http://app.example/last' },
    ]);
    const kinds = marked.items.map((i) => (i.kind === 'row' ? i.connection.id : i.kind));
    expect(kinds[0]).toBe('auth');
    expect(kinds[1]).toBe('nav');
    expect(kinds.at(-1)).toBe('nav');
    expect(marked.items).toHaveLength(flat.items.length + 2);
    // Row indexes point at the rows after the marks moved them.
    for (const [id, index] of marked.itemIndex) {
      const item = marked.items[index]!;
      expect(item.kind === 'row' && item.connection.id).toBe(id);
    }
    expect(withNavigations(flat, [])).toBe(flat);
  });
});
