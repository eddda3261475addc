/**
 * Sorting the connection list and the frame list by a column. Redirect chains stay together: a
 * chain sorts as one group by its first hop for the URL (where the page pointed) and by its last hop
 * for every other column (where it ended), its hops kept in chain order. Ties keep the original
 * order, in both directions. Keys are computed once per sort, so a sort of 100,000 frames is one
 * pass over the frames plus the sort itself.
 */
import { base64Decode } from '../../protocol/bytes';
import type { CapturedFrame } from '../../protocol/capture';
import type { FrameRole } from '../../protocol/model';
import type { ColumnDef, SortState } from './columns';
import { frameText, ROLE_LABEL } from './payload';
import {
  CHAIN_FAILURE_LABEL,
  chainFailure,
  extensionText,
  OUTCOME_LABEL,
  protocolText,
  shortPath,
  statusPath,
  type RowGroup,
} from './summary';

/** The connection list's columns, in display order. */
export const CONNECTION_COLUMNS: readonly ColumnDef[] = [
  { id: 'url', label: 'URL', width: 320, min: 80 },
  { id: 'proto', label: 'Protocol', width: 110, min: 40 },
  { id: 'status', label: 'Status', width: 90, min: 44 },
  { id: 'outcome', label: 'Outcome', width: 100, min: 92 },
  { id: 'ext', label: 'Extensions', width: 220, min: 40 },
  { id: 'time', label: 'Time', width: 60, min: 44 },
  { id: 'frames', label: 'Frames', width: 50, min: 44 },
];

/** The frame list's columns, in display order. */
export const FRAME_COLUMNS: readonly ColumnDef[] = [
  { id: 'dir', label: '↕', title: 'Direction', width: 14, min: 14 },
  { id: 'type', label: 'Type', width: 30, min: 28 },
  { id: 'role', label: 'Role', width: 90, min: 40 },
  { id: 'data', label: 'Data', width: 400, min: 80 },
  { id: 'size', label: 'Size', width: 60, min: 40 },
  { id: 'time', label: 'Time', width: 80, min: 56 },
];

type Key = string | number;

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function compareKeys(a: Key, b: Key): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(String(a), String(b));
}

/** Code-unit order: for the frame list's many long keys (already lower-cased), far cheaper than collation. */
function comparePlain(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The indexes 0..n-1 ordered by `keys` in `direction`, ties in index order. Numbers compare as
 * numbers; strings by the locale with digits as numbers (`/r/2` before `/r/10`), or by code unit.
 */
function orderBy(
  keys: readonly Key[] | Float64Array,
  direction: 'ascending' | 'descending',
  strings: 'collate' | 'plain' = 'collate',
): number[] {
  const sign = direction === 'ascending' ? 1 : -1;
  const order = Array.from({ length: keys.length }, (_, i) => i);
  if (keys instanceof Float64Array) order.sort((a, b) => sign * (keys[a]! - keys[b]!) || a - b);
  else if (strings === 'plain')
    order.sort((a, b) => sign * comparePlain(keys[a] as string, keys[b] as string) || a - b);
  else order.sort((a, b) => sign * compareKeys(keys[a]!, keys[b]!) || a - b);
  return order;
}

/** What a group shows in `column`, as a sort key (the chain's first hop for the URL, else its last). */
export function groupSortKey(group: RowGroup, column: string): Key {
  const first = group.connections[0]!;
  const last = group.connections[group.connections.length - 1]!;
  switch (column) {
    case 'url':
      return shortPath(first.url, true);
    case 'proto':
      return protocolText(last);
    case 'status':
      return statusPath(last);
    case 'outcome': {
      const failure = chainFailure(group.chain);
      return failure ? CHAIN_FAILURE_LABEL[failure] : OUTCOME_LABEL[last.outcome];
    }
    case 'ext':
      return extensionText(last);
    case 'time': {
      const d = last.endedAt - last.startedAt;
      return Number.isFinite(d) ? d : -1;
    }
    case 'frames':
      return last.frameCount;
    default:
      return 0;
  }
}

/** The groups in `sort`'s order (the same array when there is no sort). */
export function sortGroups(groups: RowGroup[], sort: SortState): RowGroup[] {
  if (!sort) return groups;
  const keys = groups.map((g) => groupSortKey(g, sort.column));
  return orderBy(keys, sort.direction).map((i) => groups[i]!);
}

/** Base64 characters of the 24 bytes a binary frame's preview shows. */
const HEX_PREVIEW_CHARS = 32;
/** Characters of a text payload that take part in sorting (enough to order what the list shows). */
const DATA_KEY_CHARS = 256;

/** A frame's payload as its list row shows it, lower-cased, for sorting (binary: hex of its first bytes). */
function dataKey(f: CapturedFrame, role: FrameRole): string {
  const http = role === 'handshake-request' || role === 'handshake-response';
  if (f.opcode === 1 || http) return frameText(f).slice(0, DATA_KEY_CHARS).toLowerCase();
  const bytes = base64Decode(f.data.slice(0, HEX_PREVIEW_CHARS)) ?? new Uint8Array(0);
  let hex = '';
  for (const b of bytes) hex += (hex ? ' ' : '') + (b < 16 ? '0' : '') + b.toString(16);
  return hex;
}

/**
 * `indexes` (frame numbers, as the role filter and search left them) in `sort`'s order; the same
 * array when there is no sort.
 */
export function sortFrameIndexes(
  frames: readonly CapturedFrame[],
  roles: readonly FrameRole[],
  indexes: number[],
  sort: SortState,
): number[] {
  if (!sort) return indexes;
  const n = indexes.length;
  const role = (i: number): FrameRole => roles[i] ?? 'data';
  let keys: Float64Array | Key[];
  if (sort.column === 'size' || sort.column === 'time' || sort.column === 'dir') {
    const numeric = new Float64Array(n);
    for (let p = 0; p < n; p++) {
      const f = frames[indexes[p]!]!;
      numeric[p] =
        sort.column === 'size' ? f.size : sort.column === 'time' ? f.time : f.dir === 'send' ? 0 : 1;
    }
    keys = numeric;
  } else {
    keys = new Array<Key>(n);
    for (let p = 0; p < n; p++) {
      const i = indexes[p]!;
      const f = frames[i]!;
      keys[p] =
        sort.column === 'type'
          ? f.opcode === 1
            ? 'text'
            : 'bin'
          : sort.column === 'role'
            ? ROLE_LABEL[role(i)]
            : dataKey(f, role(i));
    }
  }
  return orderBy(keys, sort.direction, 'plain').map((p) => indexes[p]!);
}
