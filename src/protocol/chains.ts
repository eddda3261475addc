/**
 * Redirect chains across sockets. After a 3xx extended response (or a balancer redirect) the client
 * closes and "proceed[s] with a fresh opening handshake to the URL specified in the Location: header";
 * it "should make no more than a fixed maximum number of reconnect attempts" and "is responsible for
 * detecting redirect loops" (spec, "Kaazing Extended Handshake Response Codes", 302 and 3xx).
 */
import type { Chain, ChainOutcome, Connection, Finding } from './model';
import { finding } from './rules';
import { endpointKey } from './urls';

/** "A user agent should not automatically redirect a request more than five times" (spec, 3xx). */
export const MAX_REDIRECTS = 5;

/** Connections in creation order (`startedAt` is the socket's creation time); ties keep input order. */
export function sortByCreation<T extends Pick<Connection, 'startedAt'>>(connections: readonly T[]): T[] {
  return connections
    .map((c, i) => ({ c, i }))
    .sort((a, b) => a.c.startedAt - b.c.startedAt || a.i - b.i)
    .map((x) => x.c);
}

/** What the last hop of a chain means for the whole chain (loops and counts are handled apart). */
function lastHopOutcome(last: Connection): ChainOutcome {
  switch (last.outcome) {
    case 'open':
      return 'open';
    case 'failed':
      return 'failed';
    case 'pending':
      return 'pending';
    case 'redirected':
      // A redirect nobody followed: the client gave up once the socket closed; live, it may still.
      return last.close ? 'failed' : 'pending';
    case 'not-khp':
      // A plain socket, opened or not: the chain ended outside KHP, so it has no KHP outcome.
      return 'not-khp';
  }
}

/** Builds one chain from its hops (in order), with its chain-level findings. */
function makeChain(hops: Connection[]): Chain {
  const findings: Finding[] = [];
  const keys = hops.map((c) => endpointKey(c.url));
  const seen = new Set<string>();
  let loopAt: string | null = null;
  for (const key of keys) {
    if (seen.has(key) && loopAt === null) loopAt = key;
    seen.add(key);
  }
  const last = hops[hops.length - 1]!;
  // The last hop redirecting to an endpoint already visited is a loop the client must not follow.
  if (loopAt === null && last.redirectTo !== null && seen.has(endpointKey(last.redirectTo))) {
    loopAt = endpointKey(last.redirectTo);
  }
  if (loopAt !== null) {
    findings.push(
      finding(
        'redirect-loop',
        `Redirects return to ${loopAt}, already visited in this chain (${hops.length} hops).`,
      ),
    );
  }
  // Spec, 3xx: "The client should make no more than a fixed maximum number of reconnect attempts"
  // (five, the guide quotes). A last hop that redirects again asks for one more: a client that has
  // followed five stops there, so five followed plus a sixth asked for is already too many.
  const followed = hops.length - 1;
  const asked = followed + (last.outcome === 'redirected' && last.redirectTo !== null ? 1 : 0);
  const tooMany = asked > MAX_REDIRECTS;
  if (tooMany) {
    findings.push(
      finding(
        'too-many-redirects',
        followed > MAX_REDIRECTS
          ? `${followed} redirects were followed; the spec asks clients to stop after ${MAX_REDIRECTS}.`
          : `Redirect ${asked} was asked for after ${followed} followed; clients stop after ${MAX_REDIRECTS}.`,
      ),
    );
  }
  const outcome: ChainOutcome =
    loopAt !== null ? 'loop' : tooMany ? 'too-many-redirects' : lastHopOutcome(last);
  return { connections: hops.map((c) => c.id), outcome, loop: loopAt !== null, findings };
}

/**
 * Links redirecting sockets into chains: a socket whose `redirectTo` is U links to the next socket
 * (in creation order, created after it, not already linked) whose URL is the same endpoint as U
 * (ignoring `.kl=Y`, default ports, fragment). Every connection ends up in exactly one chain;
 * sockets outside any redirect are single-hop chains. Chains are ordered by their first hop.
 */
export function buildChains(connections: Connection[]): Chain[] {
  const ordered = sortByCreation(connections);
  // Sockets by endpoint, each list in creation order, consumed from the front: linking is O(n)
  // after the sort instead of a scan of every later socket per redirect.
  const byKey = new Map<string, { at: number; list: number[] }>();
  for (let i = 0; i < ordered.length; i++) {
    const key = endpointKey(ordered[i]!.url);
    const entry = byKey.get(key);
    if (entry) entry.list.push(i);
    else byKey.set(key, { at: 0, list: [i] });
  }
  const next = new Map<number, number>();
  const linked = new Set<number>();
  for (let i = 0; i < ordered.length; i++) {
    const from = ordered[i]!;
    if (from.redirectTo === null) continue;
    const entry = byKey.get(endpointKey(from.redirectTo));
    if (!entry) continue;
    // Entries before `at` were created no later than an earlier redirect's socket or are already
    // linked; the next candidate must come after this socket in creation order.
    while (entry.at < entry.list.length && (entry.list[entry.at]! <= i || linked.has(entry.list[entry.at]!)))
      entry.at++;
    const j = entry.list[entry.at];
    if (j === undefined) continue;
    next.set(i, j);
    linked.add(j);
    entry.at++;
  }
  const chains: Chain[] = [];
  for (let i = 0; i < ordered.length; i++) {
    if (linked.has(i)) continue;
    const hops: Connection[] = [];
    for (let k: number | undefined = i; k !== undefined; k = next.get(k)) hops.push(ordered[k]!);
    chains.push(makeChain(hops));
  }
  return chains;
}
