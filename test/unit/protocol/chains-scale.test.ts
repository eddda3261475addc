/**
 * buildChains at scale: the endpoint-indexed linking gives the same chains as a direct scan of
 * every later socket (the rule as written in its doc comment), including for many sockets.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildChains, sortByCreation } from '../../../src/protocol/chains';
import type { Connection } from '../../../src/protocol/model';
import { endpointKey } from '../../../src/protocol/urls';
import { khpConnection, redirectedTo } from './connection-fixtures';

function conn(id: string, url: string, startedAt: number, redirectTo: string | null): Connection {
  return khpConnection(id, url, startedAt, {
    ...(redirectTo === null ? {} : redirectedTo(redirectTo)),
    kl: false,
  });
}

/** The linking rule by direct scan: each redirect links to the first later unlinked socket at its target. */
function referenceLinks(connections: Connection[]): string[][] {
  const ordered = sortByCreation(connections);
  const next = new Map<number, number>();
  const linked = new Set<number>();
  ordered.forEach((from, i) => {
    if (from.redirectTo === null) return;
    const target = endpointKey(from.redirectTo);
    for (let j = i + 1; j < ordered.length; j++) {
      if (linked.has(j) || endpointKey(ordered[j]!.url) !== target) continue;
      next.set(i, j);
      linked.add(j);
      return;
    }
  });
  const out: string[][] = [];
  ordered.forEach((_, i) => {
    if (linked.has(i)) return;
    const ids: string[] = [];
    for (let k: number | undefined = i; k !== undefined; k = next.get(k)) ids.push(ordered[k]!.id);
    out.push(ids);
  });
  return out;
}

const URLS = [
  'ws://a/x',
  'ws://a/x?.kl=Y',
  'ws://a:80/x',
  'ws://b/y',
  'wss://b/y',
  'ws://c/z#f',
  'http://a/x',
];

describe('buildChains, indexed by endpoint', () => {
  it('links exactly like a scan of every later socket', () => {
    const socket = fc.record({
      url: fc.constantFrom(...URLS),
      at: fc.integer({ min: 0, max: 20 }),
      to: fc.option(fc.constantFrom(...URLS), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(socket, { maxLength: 40 }), (specs) => {
        const conns = specs.map((s, i) => conn(`s${i}`, s.url, s.at, s.to));
        expect(buildChains(conns).map((c) => c.connections)).toEqual(referenceLinks(conns));
      }),
      { numRuns: 300 },
    );
  });

  it('chains 20,000 sockets, half of them redirecting, hop to its own target', () => {
    const conns: Connection[] = [];
    for (let i = 0; i < 10_000; i++) {
      conns.push(conn(`r${i}`, `ws://gw.test/hop?n=${i % 50}`, 2 * i, `ws://gw.test/end?n=${i % 50}`));
      conns.push(conn(`e${i}`, `ws://gw.test/end?n=${i % 50}`, 2 * i + 1, null));
    }
    const chains = buildChains(conns);
    expect(chains).toHaveLength(10_000);
    expect(chains.every((c) => c.connections.length === 2)).toBe(true);
    expect(chains[123]!.connections).toEqual(['r123', 'e123']);
  });
});
