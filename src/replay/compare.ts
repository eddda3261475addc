/**
 * The replay next to its original: hop by hop (a redirect chain is compared socket by socket), round
 * by round (a 401 starts another round), with status, request and response headers (added, removed,
 * changed), granted extensions and outcome.
 */
import type { Connection, Header, Outcome, Round, StatusAction } from '../protocol/model';

export type Change = 'same' | 'added' | 'removed' | 'changed';

/** One header line compared: the k-th `name` of the original against the k-th of the replay. */
export interface HeaderDiff {
  name: string;
  original: string | null;
  replay: string | null;
  change: Change;
  /** A header expected to differ between runs (Date, Sec-WebSocket-Accept...). */
  volatile: boolean;
}

/** One side of a round. */
export interface RoundSide {
  status: number | null;
  reason: string;
  action: StatusAction;
}

export interface RoundDiff {
  index: number;
  original: RoundSide | null;
  replay: RoundSide | null;
  statusChanged: boolean;
  request: HeaderDiff[];
  response: HeaderDiff[];
}

/** One side of a hop (a socket). */
export interface HopSide {
  id: string;
  url: string;
  outcome: Outcome;
  statuses: (number | null)[];
  extensions: string[];
}

export interface HopDiff {
  index: number;
  original: HopSide | null;
  replay: HopSide | null;
  rounds: RoundDiff[];
  extensions: { name: string; change: Change }[];
  outcomeChanged: boolean;
}

export interface Comparison {
  hops: HopDiff[];
  /** Short status path of each side, e.g. `401 → 101`, hops joined with ` ⇒ `. */
  original: string;
  replay: string;
  /** True when statuses, outcomes and granted extensions agree on every hop. */
  same: boolean;
}

const VOLATILE = new Set([
  'date',
  'sec-websocket-accept',
  'expires',
  'last-modified',
  'set-cookie',
  'content-length',
]);

/** Compares two header lists, pairing repeated names in order; the original's order first. */
export function diffHeaders(original: readonly Header[], replay: readonly Header[]): HeaderDiff[] {
  const group = (headers: readonly Header[]) => {
    const map = new Map<string, Header[]>();
    for (const h of headers) {
      const key = h[0].toLowerCase();
      const list = map.get(key) ?? [];
      list.push(h);
      map.set(key, list);
    }
    return map;
  };
  const a = group(original);
  const b = group(replay);
  const names = [...a.keys(), ...[...b.keys()].filter((k) => !a.has(k))];
  const out: HeaderDiff[] = [];
  for (const key of names) {
    const left = a.get(key) ?? [];
    const right = b.get(key) ?? [];
    for (let i = 0; i < Math.max(left.length, right.length); i++) {
      const l = left[i];
      const r = right[i];
      const change: Change = !l ? 'added' : !r ? 'removed' : l[1] === r[1] ? 'same' : 'changed';
      out.push({
        name: (l ?? r)![0],
        original: l?.[1] ?? null,
        replay: r?.[1] ?? null,
        change,
        volatile: VOLATILE.has(key),
      });
    }
  }
  return out;
}

function side(round: Round | undefined): RoundSide | null {
  if (!round) return null;
  return {
    status: round.response ? round.response.status : null,
    reason: round.response?.reason ?? '',
    action: round.action,
  };
}

function hopSide(c: Connection | undefined): HopSide | null {
  if (!c) return null;
  return {
    id: c.id,
    url: c.url,
    outcome: c.outcome,
    statuses: c.rounds.map((r) => (r.response ? r.response.status : null)),
    extensions: c.extensions.map((e) => e.name.toLowerCase()),
  };
}

/** Compares one socket with another, round by round. */
export function compareHop(index: number, original?: Connection, replay?: Connection): HopDiff {
  const n = Math.max(original?.rounds.length ?? 0, replay?.rounds.length ?? 0);
  const rounds: RoundDiff[] = [];
  for (let i = 0; i < n; i++) {
    const o = original?.rounds[i];
    const r = replay?.rounds[i];
    const os = side(o);
    const rs = side(r);
    rounds.push({
      index: i,
      original: os,
      replay: rs,
      statusChanged: os?.status !== rs?.status,
      request: diffHeaders(o?.request?.headers ?? [], r?.request?.headers ?? []),
      response: diffHeaders(o?.response?.headers ?? [], r?.response?.headers ?? []),
    });
  }
  const a = hopSide(original);
  const b = hopSide(replay);
  const before = a?.extensions ?? [];
  const after = b?.extensions ?? [];
  const extensions = [
    ...before.map((name) => ({ name, change: (after.includes(name) ? 'same' : 'removed') as Change })),
    ...after.filter((name) => !before.includes(name)).map((name) => ({ name, change: 'added' as Change })),
  ];
  return { index, original: a, replay: b, rounds, extensions, outcomeChanged: a?.outcome !== b?.outcome };
}

const statusPath = (hops: (HopSide | null)[]) =>
  hops
    .filter((h): h is HopSide => h !== null)
    .map((h) => (h.statuses.length ? h.statuses.map((s) => s ?? '…').join(' → ') : h.outcome))
    .join(' ⇒ ');

/** Compares the original's hops with the replay's, position by position. */
export function compareReplay(original: readonly Connection[], replay: readonly Connection[]): Comparison {
  const hops: HopDiff[] = [];
  for (let i = 0; i < Math.max(original.length, replay.length); i++)
    hops.push(compareHop(i, original[i], replay[i]));
  const same = hops.every(
    (h) =>
      !h.outcomeChanged &&
      h.rounds.every((r) => !r.statusChanged) &&
      h.extensions.every((e) => e.change === 'same'),
  );
  return {
    hops,
    original: statusPath(hops.map((h) => h.original)),
    replay: statusPath(hops.map((h) => h.replay)),
    same,
  };
}
