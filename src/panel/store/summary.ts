/**
 * Small derived views of decoded connections for display: chain groups, paths, durations, sizes.
 */
import type { Chain, Connection, Outcome } from '../../protocol/model';
import type { UnrecordedSpan } from '../../protocol/capture';
import { originTarget } from '../../protocol/urls';

/** Status codes of a connection's rounds, in order (0 when a round has no parsable response). */
export function roundStatuses(c: Connection): number[] {
  return c.rounds.filter((r) => r.response).map((r) => r.response!.status);
}

/** A group of rows: a redirect chain (several hops) or a lone socket. */
export interface RowGroup {
  key: string;
  chain: Chain | null;
  connections: Connection[];
}

/** How a redirect chain failed as a whole (a loop, or more redirects than a client follows), or null. */
export function chainFailure(chain: Chain | null | undefined): 'loop' | 'too-many-redirects' | null {
  if (!chain) return null;
  return chain.outcome === 'loop' || chain.outcome === 'too-many-redirects' ? chain.outcome : null;
}

/** The chain's failure, when `id` is its last hop (where the chain's verdict is shown and counted). */
export function endingFailure(
  chain: Chain | null | undefined,
  id: string,
): 'loop' | 'too-many-redirects' | null {
  return chain && chain.connections[chain.connections.length - 1] === id ? chainFailure(chain) : null;
}

/** Text for a chain failure, as badges and the status bar say it. */
export const CHAIN_FAILURE_LABEL = {
  loop: 'redirect loop',
  'too-many-redirects': 'too many redirects',
} as const;

/** Each connection's chain, by connection id (chains of one socket included). */
export function chainByConnection(chains: Chain[]): Map<string, Chain> {
  const map = new Map<string, Chain>();
  for (const chain of chains) for (const id of chain.connections) map.set(id, chain);
  return map;
}

/** Groups connections by chain, in the order their first hop started; unchained sockets stand alone. */
export function groupByChain(
  connections: Connection[],
  chains: Chain[],
  byId: Map<string, Connection>,
): RowGroup[] {
  const seen = new Set<string>();
  const groups: RowGroup[] = [];
  for (const chain of chains) {
    const members = chain.connections
      .map((id) => byId.get(id))
      .filter((c): c is Connection => c !== undefined);
    if (members.length === 0) continue;
    for (const m of members) seen.add(m.id);
    groups.push({
      key: `chain:${members[0]!.id}`,
      chain: members.length > 1 ? chain : null,
      connections: members,
    });
  }
  for (const c of connections) {
    if (!seen.has(c.id)) groups.push({ key: `one:${c.id}`, chain: null, connections: [c] });
  }
  return groups.sort((a, b) => a.connections[0]!.startedAt - b.connections[0]!.startedAt);
}

/** Path and query of a URL without the `.kl=Y` marker; the whole text when it is not a URL. */
export function shortPath(url: string, withHost = false): string {
  return urlParts(url)[withHost ? 2 : 1];
}

/** The URL's host (with port); '' when it is not a URL. */
export function hostOf(url: string): string {
  return urlParts(url)[0];
}

/** [host, path and query without `.kl=Y`, host + path], memoized per URL (every row shows them). */
function urlParts(url: string): [string, string, string] {
  const cached = partsCache.get(url);
  if (cached) return cached;
  let parts: [string, string, string];
  try {
    const u = new URL(url);
    const path = originTarget(url);
    parts = [u.host, path, `${u.host}${path}`];
  } catch {
    const text = url || '(unknown)';
    parts = ['', text, text];
  }
  // Bounded: a long live capture must not grow the cache without limit.
  if (partsCache.size >= PARTS_CACHE_LIMIT) partsCache.clear();
  partsCache.set(url, parts);
  return parts;
}
const partsCache = new Map<string, [string, string, string]>();
const PARTS_CACHE_LIMIT = 20_000;

/** A chain as a readable path: `/redirect/1 → /redirect/0 → /echo`, hosts shown where they change. */
export function chainPath(connections: Connection[]): string {
  let prevHost = '';
  return connections
    .map((c, i) => {
      const host = hostOf(c.url);
      const text = shortPath(c.url, i > 0 && host !== prevHost);
      prevHost = host;
      return text;
    })
    .join(' → ');
}

/** The statuses of a connection's rounds: `401 → 101`, or '' when none. */
export function statusPath(c: Connection): string {
  return roundStatuses(c)
    .map((s) => (s === 0 ? '???' : String(s)))
    .join(' → ');
}

/** The negotiated sub-protocol as the list shows it: `(none)` for none, `—` when never opened. */
export function protocolText(c: Connection): string {
  return c.protocol === null ? '—' : c.protocol === '' ? '(none)' : c.protocol;
}

/** Names of the extensions granted (in the extended handshake, else the opening one), comma-separated. */
export function extensionText(c: Connection): string {
  const names = (c.extensions.length > 0 ? c.extensions : c.openingExtensions).map((e) => e.name);
  return names.join(', ');
}

/** Display text for an outcome. */
export const OUTCOME_LABEL: Record<Outcome, string> = {
  open: 'open',
  failed: 'failed',
  redirected: 'redirected',
  pending: 'pending',
  'not-khp': 'not KHP',
};

/** Milliseconds as `12 ms`, `1.4 s`, `2.1 min`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

/** Bytes as `512 B`, `1.2 kB`, `3.4 MB`. */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)} kB`;
  return `${(n / 1_000_000).toFixed(1)} MB`;
}

/** A time relative to a start, as `+12.3 ms`. */
export function formatOffset(ms: number): string {
  if (!Number.isFinite(ms)) return '';
  return ms < 1000 ? `+${ms.toFixed(ms < 10 ? 2 : 1)} ms` : `+${(ms / 1000).toFixed(3)} s`;
}

/** Control prefix hex `01010102` as spaced bytes `01 01 01 02`. */
export function spacedHex(hex: string): string {
  return (hex.match(/../g) ?? []).join(' ');
}

/**
 * Counts for the status bar. `failed` counts failed sockets, plus each redirect chain that failed as
 * a whole (a loop, too many redirects) whose last hop did not fail by itself: such a chain is one
 * failure, as `khp-inspect probe` reports it.
 */
export function countStats(
  connections: Connection[],
  sockets: { dropped?: { frames: number }; unrecorded?: readonly UnrecordedSpan[] }[],
  chainOf: Map<string, Chain> = new Map(),
): { sockets: number; khp: number; failed: number; frames: number; dropped: number } {
  let khp = 0;
  let failed = 0;
  let frames = 0;
  for (const c of connections) {
    if (c.khp) khp++;
    if (c.outcome === 'failed') failed++;
    else if (endingFailure(chainOf.get(c.id), c.id)) failed++;
    frames += c.frameCount;
  }
  // Dropped: frames past a socket's frame budget, and messages full capture had to drop
  // from the page's held store (a span that deliberately went unrecorded is not a loss).
  let dropped = 0;
  for (const s of sockets) {
    dropped += s.dropped?.frames ?? 0;
    for (const span of s.unrecorded ?? [])
      if (span.reason === 'held-full') dropped += span.sent + (span.received ?? 0);
  }
  return { sockets: connections.length, khp, failed, frames, dropped };
}
