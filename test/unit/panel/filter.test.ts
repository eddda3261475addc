import { describe, expect, it } from 'vitest';
import { matchesFilter, parseFilter } from '../../../src/panel/store/filter';
import { DECODED } from '../../fixtures/panel/decoded';
import { chainByConnection, chainFailure, countStats } from '../../../src/panel/store/summary';
import { buildChains } from '../../../src/protocol/chains';
import { khpConnection, redirectedTo } from '../protocol/connection-fixtures';

const all = Object.values(DECODED);
const ids = (text: string) => all.filter((c) => matchesFilter(c, parseFilter(text))).map((c) => c.id);

describe('filter syntax', () => {
  it('matches plain text against URL, protocol, statuses, outcome and extensions', () => {
    expect(ids('')).toHaveLength(all.length);
    expect(ids('secure')).toEqual(['forbidden']);
    expect(ids('CHAT.example')).toEqual(['plain']);
    expect(ids('ping-pong')).toEqual(['auth']);
  });

  it('supports regular expressions and negation', () => {
    expect(ids('/redirect\\/\\d$/')).toEqual(['r1', 'r0']);
    expect(ids('-/redirect/')).not.toContain('r1');
    expect(ids('-/redirect/')).toContain('auth');
    expect(ids('-gw.example.com')).toEqual(['plain']);
  });

  it('supports keys', () => {
    expect(ids('status:401')).toEqual(['auth']);
    expect(ids('status:3xx')).toEqual(['r1', 'r0']);
    expect(ids('outcome:failed')).toEqual(['forbidden', 'malformed']);
    expect(ids('-outcome:failed outcome:open')).toEqual(['auth', 'r-end']);
    expect(ids('ext:ping-pong')).toEqual(['auth']);
    expect(ids('rule:handshake-failed')).toEqual(['forbidden']);
    expect(ids('protocol:amqp')).toEqual(['auth']);
    expect(ids('khp:no')).toEqual(['plain']);
    expect(ids('url:/echo')).toEqual(['auth', 'r-end']);
  });

  it('ANDs terms and keeps quoted spaces in one term', () => {
    expect(ids('status:302 /redirect\\/0/')).toEqual(['r0']);
    expect(parseFilter('"a b" -"c d"').terms).toEqual([
      { kind: 'text', negate: false, text: 'a b' },
      { kind: 'text', negate: true, text: 'c d' },
    ]);
  });

  it('reports an invalid regex and falls back to text instead of throwing', () => {
    const f = parseFilter('/(unclosed/');
    expect(f.errors).toHaveLength(1);
    expect(f.terms[0]).toEqual({ kind: 'text', negate: false, text: '/(unclosed/' });
    expect(all.filter((c) => matchesFilter(c, f))).toHaveLength(0);
  });

  it('treats an unknown key as text', () => {
    expect(parseFilter('foo:bar').terms[0]).toEqual({ kind: 'text', negate: false, text: 'foo:bar' });
  });
});

describe('chains that fail as a whole', () => {
  // a → b → a: the client stops at the loop; each hop itself only "redirected".
  const a = khpConnection('a', 'ws://a.example.com/echo', 1, redirectedTo('ws://b.example.com/echo'));
  const b = khpConnection('b', 'ws://b.example.com/echo', 2, redirectedTo('ws://a.example.com/echo'));
  const lone = khpConnection('lone', 'ws://c.example.com/echo', 3);
  const connections = [a, b, lone];
  const chains = buildChains(connections);
  const chainOf = chainByConnection(chains);
  const shown = (text: string) =>
    connections
      .filter((c) => matchesFilter(c, parseFilter(text), { chain: chainOf.get(c.id) }))
      .map((c) => c.id);

  it('are matched by rule: and outcome: on every hop', () => {
    expect(chains.find((ch) => ch.connections.length === 2)?.outcome).toBe('loop');
    expect(shown('rule:redirect-loop')).toEqual(['a', 'b']);
    expect(shown('outcome:loop')).toEqual(['a', 'b']);
    expect(shown('outcome:failed')).toEqual(['a', 'b']);
    expect(shown('-outcome:failed')).toEqual(['lone']);
    expect(shown('loop')).toEqual(['a', 'b']);
    // Without the chain a hop is only redirected.
    expect(matchesFilter(b, parseFilter('rule:redirect-loop'))).toBe(false);
  });

  it('count once as failed in the status bar, on the last hop', () => {
    expect(countStats(connections, [], chainOf).failed).toBe(1);
    expect(countStats(connections, []).failed).toBe(0);
    expect(chainFailure(chainOf.get('b'))).toBe('loop');
    expect(chainFailure(chainOf.get('lone'))).toBeNull();
  });
});

describe("the status bar's dropped count", () => {
  it('adds frames past the budget and messages dropped from the held store, not spans left out on purpose', () => {
    const stats = countStats(
      [],
      [
        { dropped: { frames: 3 } },
        {
          unrecorded: [
            { from: 1, to: 2, reason: 'held-full', sent: 202, received: 137 },
            { from: 3, to: 4, reason: 'no-devtools', sent: 50 },
            { from: 5, reason: 'held-full', sent: 1 },
          ],
        },
      ],
    );
    expect(stats.dropped).toBe(3 + 339 + 1);
  });
});

describe('regular expressions and the URL the list shows', () => {
  it('match the displayed URL, where .kl=Y is hidden (the docs example)', () => {
    const hop = khpConnection('r2', 'ws://gw.example.com/redirect/2?.kl=Y', 1);
    expect(matchesFilter(hop, parseFilter('/redirect\\/\\d$/'))).toBe(true);
    expect(matchesFilter(hop, parseFilter('/\\.kl=Y/'))).toBe(true);
    expect(matchesFilter(hop, parseFilter('/redirect\\/3$/'))).toBe(false);
  });
});
