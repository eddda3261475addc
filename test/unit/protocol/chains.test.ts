import { describe, expect, it } from 'vitest';
import { MAX_REDIRECTS, buildChains, sortByCreation } from '../../../src/protocol/chains';
import type { Chain, Connection } from '../../../src/protocol/model';
import { khpConnection, redirectedTo } from './connection-fixtures';

let seq = 0;
/** A decoded connection with only what chains look at filled in meaningfully. */
function conn(url: string, startedAt: number, more: Partial<Connection> = {}): Connection {
  return khpConnection(`c${++seq}`, url, startedAt, more);
}
function redirect(url: string, at: number, to: string, kind: 'status' | 'balancer' = 'status'): Connection {
  return conn(url, at, redirectedTo(to, kind));
}
function everyOnce(chains: Chain[], conns: Connection[]): void {
  const ids = chains.flatMap((c) => c.connections).sort();
  expect(ids).toEqual(conns.map((c) => c.id).sort());
}

describe('buildChains', () => {
  it('makes single-hop chains for sockets outside redirects', () => {
    const conns = [conn('ws://a/x?.kl=Y', 2), conn('ws://b/y', 1, { outcome: 'failed' })];
    const chains = buildChains(conns);
    expect(chains.map((c) => [c.connections, c.outcome])).toEqual([
      [[conns[1]!.id], 'failed'],
      [[conns[0]!.id], 'open'],
    ]);
    expect(chains.every((c) => !c.loop && c.findings.length === 0)).toBe(true);
  });

  it('follows a 3xx to the next socket on the same endpoint, ignoring .kl=Y and default ports', () => {
    const a = redirect('ws://a.example.com/echo?.kl=Y', 10, 'ws://b.example.com:80/echo');
    const other = conn('ws://c.example.com/else', 11);
    const b = conn('ws://b.example.com/echo?.kl=Y', 12);
    const chains = buildChains([b, other, a]);
    expect(chains).toHaveLength(2);
    expect(chains[0]).toEqual({ connections: [a.id, b.id], outcome: 'open', loop: false, findings: [] });
    everyOnce(chains, [a, b, other]);
  });

  it('follows a balancer redirect the same way', () => {
    const a = redirect('ws://a/echo?.kl=Y', 1, 'ws://b/echo', 'balancer');
    const b = conn('ws://b/echo?.kl=Y', 2, { outcome: 'failed' });
    expect(buildChains([a, b])[0]).toMatchObject({ connections: [a.id, b.id], outcome: 'failed' });
  });

  it('never links to a socket created before the redirecting one, nor twice to the same socket', () => {
    const early = conn('ws://b/echo', 1);
    const a1 = redirect('ws://a/echo', 2, 'ws://b/echo');
    const a2 = redirect('ws://a2/echo', 3, 'ws://b/echo');
    const b1 = conn('ws://b/echo', 4);
    const b2 = conn('ws://b/echo', 5, { outcome: 'pending' });
    const chains = buildChains([early, a1, a2, b1, b2]);
    expect(chains.map((c) => c.connections)).toEqual([[early.id], [a1.id, b1.id], [a2.id, b2.id]]);
    expect(chains[2]!.outcome).toBe('pending');
  });

  it('reports a loop when an endpoint repeats in the chain', () => {
    const a = redirect('ws://a/echo?.kl=Y', 1, 'ws://b/echo');
    const b = redirect('ws://b/echo?.kl=Y', 2, 'ws://a/echo');
    const a2 = conn('ws://a/echo?.kl=Y', 3, { outcome: 'failed' });
    const [chain] = buildChains([a, b, a2]);
    expect(chain?.connections).toEqual([a.id, b.id, a2.id]);
    expect(chain?.outcome).toBe('loop');
    expect(chain?.loop).toBe(true);
    expect(chain?.findings.map((f) => [f.rule, f.severity])).toEqual([['redirect-loop', 'error']]);
  });

  it('reports a loop when the last hop redirects to an endpoint already visited (client stopped)', () => {
    const a = redirect('ws://a/echo', 1, 'ws://b/echo');
    const b = redirect('ws://b/echo', 2, 'http://a/echo');
    const [chain] = buildChains([a, b]);
    expect(chain).toMatchObject({ outcome: 'loop', loop: true });
  });

  it('reports a self-redirect as a loop', () => {
    const [chain] = buildChains([redirect('ws://a/echo', 1, 'ws://a/echo?.kl=Y')]);
    expect(chain?.outcome).toBe('loop');
  });

  it(`reports more than ${MAX_REDIRECTS} redirects, not exactly ${MAX_REDIRECTS}`, () => {
    const make = (hops: number): Connection[] => {
      const list: Connection[] = [];
      for (let i = 0; i < hops; i++) {
        const url = `ws://h${i}.example.com/echo`;
        list.push(i < hops - 1 ? redirect(url, i, `ws://h${i + 1}.example.com/echo`) : conn(url, i));
      }
      return list;
    };
    const five = buildChains(make(MAX_REDIRECTS + 1));
    expect(five).toHaveLength(1);
    expect(five[0]).toMatchObject({ outcome: 'open', findings: [] });
    const six = buildChains(make(MAX_REDIRECTS + 2));
    expect(six[0]?.outcome).toBe('too-many-redirects');
    expect(six[0]?.findings.map((f) => f.rule)).toEqual(['too-many-redirects']);
    expect(six[0]?.findings[0]?.message).toContain('6 redirects');
  });

  it(`counts the redirect a last hop asks for: ${MAX_REDIRECTS} followed and one more asked is too many`, () => {
    const hops: Connection[] = [];
    for (let i = 0; i <= MAX_REDIRECTS; i++) {
      hops.push(redirect(`ws://h${i}.example.com/echo`, i, `ws://h${i + 1}.example.com/echo`));
    }
    const [stopped] = buildChains(hops);
    expect(stopped?.connections).toHaveLength(MAX_REDIRECTS + 1);
    expect(stopped?.outcome).toBe('too-many-redirects');
    expect(stopped?.findings.map((f) => f.message)).toEqual([
      `Redirect ${MAX_REDIRECTS + 1} was asked for after ${MAX_REDIRECTS} followed; clients stop after ${MAX_REDIRECTS}.`,
    ]);
    // One hop fewer: the fifth redirect may still be followed.
    expect(buildChains(hops.slice(0, MAX_REDIRECTS))[0]?.outcome).not.toBe('too-many-redirects');
  });

  it('maps an unfollowed redirect to failed once closed, pending while open', () => {
    const closed = redirect('ws://a/echo', 1, 'ws://nowhere/echo');
    expect(buildChains([closed])[0]?.outcome).toBe('failed');
    const live = conn('ws://a/echo', 1, {
      outcome: 'redirected',
      redirectTo: 'ws://nowhere/echo',
      redirectKind: 'status',
    });
    expect(buildChains([live])[0]?.outcome).toBe('pending');
  });

  it('gives a chain that ends on a plain socket the outcome not-khp, opened or not', () => {
    const plain = conn('ws://p/x', 1, { outcome: 'not-khp', khp: false, protocol: '' });
    const never = conn('ws://q/x', 2, {
      outcome: 'not-khp',
      khp: false,
      protocol: null,
      close: { code: 1006, reason: '', wasClean: false },
    });
    expect(buildChains([plain, never]).map((c) => c.outcome)).toEqual(['not-khp', 'not-khp']);
    // A KHP redirect answered by a server that declines KHP: the chain ends outside KHP.
    const hop = redirect('ws://a/echo', 1, 'ws://b/echo');
    const declined = conn('ws://b/echo', 2, { outcome: 'not-khp', khp: false, protocol: '' });
    expect(buildChains([hop, declined]).map((c) => [c.connections.length, c.outcome])).toEqual([
      [2, 'not-khp'],
    ]);
  });

  it('sorts by creation time, stable for ties', () => {
    const x = conn('ws://x', 5);
    const y = conn('ws://y', 5);
    const z = conn('ws://z', 1);
    expect(sortByCreation([x, y, z]).map((c) => c.id)).toEqual([z.id, x.id, y.id]);
  });
});
