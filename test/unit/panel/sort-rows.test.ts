import { describe, expect, it } from 'vitest';
import {
  nextSort,
  parseColumnPrefs,
  resizeColumns,
  serializeColumnPrefs,
} from '../../../src/panel/store/columns';
import { connectionStub } from '../../../src/panel/store/connection-stub';
import { flattenGroups } from '../../../src/panel/store/list-rows';
import {
  CONNECTION_COLUMNS,
  FRAME_COLUMNS,
  sortFrameIndexes,
  sortGroups,
} from '../../../src/panel/store/sort-rows';
import { groupByChain, type RowGroup } from '../../../src/panel/store/summary';
import { base64Encode } from '../../../src/protocol/bytes';
import type { CapturedFrame } from '../../../src/protocol/capture';
import type { Chain, Connection, FrameRole, Outcome } from '../../../src/protocol/model';

function conn(
  id: string,
  path: string,
  at: number,
  o: { frames?: number; outcome?: Outcome; ms?: number } = {},
): Connection {
  const c = connectionStub(
    { id, url: `ws://h${path}`, requestedProtocols: [], createdAt: at, frames: [] },
    [],
  );
  return { ...c, frameCount: o.frames ?? 0, outcome: o.outcome ?? 'open', endedAt: at + (o.ms ?? 1) };
}

/** A lone socket `/m` (5 frames), a chain `/a → /z` (1 then 9 frames) and a lone socket `/r/10`, `/r/2`. */
function fixture(): RowGroup[] {
  const list = [
    conn('m', '/m', 1, { frames: 5, outcome: 'failed', ms: 30 }),
    conn('a', '/a', 2, { frames: 1, outcome: 'redirected', ms: 50 }),
    conn('z', '/z', 3, { frames: 9, outcome: 'open', ms: 10 }),
    conn('r10', '/r/10', 4, { frames: 5, outcome: 'pending', ms: 20 }),
    conn('r2', '/r/2', 5, { frames: 0, outcome: 'not-khp', ms: 40 }),
  ];
  const chains: Chain[] = [
    { connections: ['m'], outcome: 'failed', loop: false, findings: [] },
    { connections: ['a', 'z'], outcome: 'open', loop: false, findings: [] },
    { connections: ['r10'], outcome: 'pending', loop: false, findings: [] },
    { connections: ['r2'], outcome: 'not-khp', loop: false, findings: [] },
  ];
  return groupByChain(list, chains, new Map(list.map((c) => [c.id, c])));
}

const ids = (groups: RowGroup[]) => flattenGroups(groups).rows.map((c) => c.id);

describe('column sort', () => {
  it('cycles ascending → descending → original order, a new column starting ascending', () => {
    expect(nextSort(null, 'url')).toEqual({ column: 'url', direction: 'ascending' });
    expect(nextSort({ column: 'url', direction: 'ascending' }, 'url')).toEqual({
      column: 'url',
      direction: 'descending',
    });
    expect(nextSort({ column: 'url', direction: 'descending' }, 'url')).toBeNull();
    expect(nextSort({ column: 'url', direction: 'descending' }, 'time')).toEqual({
      column: 'time',
      direction: 'ascending',
    });
  });

  it('keeps a redirect chain together, hops in chain order, sorted by its first hop for the URL', () => {
    const groups = fixture();
    expect(ids(groups)).toEqual(['m', 'a', 'z', 'r10', 'r2']);
    expect(sortGroups(groups, null)).toBe(groups);
    // Digits compare as numbers: /r/2 before /r/10.
    expect(ids(sortGroups(groups, { column: 'url', direction: 'ascending' }))).toEqual([
      'a',
      'z',
      'm',
      'r2',
      'r10',
    ]);
    expect(ids(sortGroups(groups, { column: 'url', direction: 'descending' }))).toEqual([
      'r10',
      'r2',
      'm',
      'a',
      'z',
    ]);
  });

  it('sorts a chain by its last hop for the other columns; ties keep the original order both ways', () => {
    const groups = fixture();
    expect(ids(sortGroups(groups, { column: 'frames', direction: 'ascending' }))).toEqual([
      'r2',
      'm',
      'r10',
      'a',
      'z',
    ]);
    expect(ids(sortGroups(groups, { column: 'frames', direction: 'descending' }))).toEqual([
      'a',
      'z',
      'm',
      'r10',
      'r2',
    ]);
    expect(ids(sortGroups(groups, { column: 'time', direction: 'ascending' }))).toEqual([
      'a',
      'z',
      'r10',
      'm',
      'r2',
    ]);
    expect(ids(sortGroups(groups, { column: 'outcome', direction: 'ascending' }))).toEqual([
      'm',
      'r2',
      'a',
      'z',
      'r10',
    ]);
  });

  it('sorts a chain that failed as a whole by its verdict', () => {
    const groups = fixture();
    groups[1] = { ...groups[1]!, chain: { ...groups[1]!.chain!, outcome: 'loop', loop: true } };
    // 'redirect loop' sorts after 'pending'.
    expect(ids(sortGroups(groups, { column: 'outcome', direction: 'ascending' }))).toEqual([
      'm',
      'r2',
      'r10',
      'a',
      'z',
    ]);
  });

  it('sorts frames by size, time, direction, type, role and payload, within the filtered indexes', () => {
    const f = (dir: 'send' | 'receive', time: number, data: string, opcode: 1 | 2 = 1): CapturedFrame => ({
      dir,
      time,
      opcode,
      data: opcode === 1 ? data : base64Encode(Uint8Array.from(data, (ch) => ch.charCodeAt(0))),
      size: data.length,
    });
    const frames = [
      f('send', 5, 'bbb'),
      f('receive', 4, 'A'),
      f('receive', 3, '\u0000\u0001', 2),
      f('send', 2, 'cc'),
      f('send', 1, 'zz'),
    ];
    const roles: FrameRole[] = ['data', 'ping', 'data', 'balancer', 'data'];
    const all = [0, 1, 2, 3, 4];
    expect(sortFrameIndexes(frames, roles, all, null)).toBe(all);
    expect(sortFrameIndexes(frames, roles, all, { column: 'size', direction: 'ascending' })).toEqual([
      1, 2, 3, 4, 0,
    ]);
    expect(sortFrameIndexes(frames, roles, all, { column: 'size', direction: 'descending' })).toEqual([
      0, 2, 3, 4, 1,
    ]);
    expect(sortFrameIndexes(frames, roles, all, { column: 'time', direction: 'ascending' })).toEqual([
      4, 3, 2, 1, 0,
    ]);
    expect(sortFrameIndexes(frames, roles, all, { column: 'dir', direction: 'ascending' })).toEqual([
      0, 3, 4, 1, 2,
    ]);
    expect(sortFrameIndexes(frames, roles, all, { column: 'type', direction: 'ascending' })).toEqual([
      2, 0, 1, 3, 4,
    ]);
    expect(sortFrameIndexes(frames, roles, all, { column: 'role', direction: 'ascending' })).toEqual([
      3, 0, 2, 4, 1,
    ]);
    // Payload as the row shows it, case-insensitive; the binary frame by its hex (00 01).
    expect(sortFrameIndexes(frames, roles, all, { column: 'data', direction: 'ascending' })).toEqual([
      2, 1, 0, 3, 4,
    ]);
    expect(sortFrameIndexes(frames, roles, [4, 0, 1], { column: 'data', direction: 'descending' })).toEqual([
      4, 0, 1,
    ]);
  });

  it('stays quick with 1,000 sockets and 100,000 frames', () => {
    const list = Array.from({ length: 1000 }, (_, i) =>
      conn(`s${i}`, `/p/${(i * 7919) % 1000}`, i, { frames: i % 13 }),
    );
    const groups = groupByChain(list, [], new Map(list.map((c) => [c.id, c])));
    const frames: CapturedFrame[] = Array.from({ length: 100_000 }, (_, i) => ({
      dir: i % 2 ? 'receive' : 'send',
      time: i,
      opcode: 1,
      data: `{"op":"tick","seq":${(i * 7919) % 100_000},"px":${i % 977}}`,
      size: 30 + (i % 97),
    }));
    const roles: FrameRole[] = frames.map(() => 'data');
    const indexes = frames.map((_, i) => i);
    const t0 = performance.now();
    for (const column of CONNECTION_COLUMNS)
      sortGroups(groups, { column: column.id, direction: 'descending' });
    const t1 = performance.now();
    const bySize = sortFrameIndexes(frames, roles, indexes, { column: 'size', direction: 'ascending' });
    const t2 = performance.now();
    const byData = sortFrameIndexes(frames, roles, indexes, { column: 'data', direction: 'ascending' });
    const t3 = performance.now();
    expect(bySize).toHaveLength(100_000);
    expect(frames[byData[0]!]!.data < frames[byData[99_999]!]!.data).toBe(true);
    expect(FRAME_COLUMNS.map((c) => c.id)).toEqual(['dir', 'type', 'role', 'data', 'size', 'time']);
    // Generous bounds for a shared CI machine: this guards against a quadratic sort, not for speed.
    expect(t1 - t0).toBeLessThan(500);
    expect(t2 - t1).toBeLessThan(1500);
    expect(t3 - t2).toBeLessThan(3000);
  });
});

describe('column widths and remembered choices', () => {
  const visible = [
    { id: 'url', width: 300, min: 80 },
    { id: 'proto', width: 100, min: 40 },
    { id: 'status', width: 80, min: 44 },
  ];

  it('moves the border between two columns, the pair keeping its total and its minimums', () => {
    expect(resizeColumns({}, visible, 0, 40)).toEqual({ url: 340, proto: 60, status: 80 });
    expect(resizeColumns({}, visible, 0, 500)).toEqual({ url: 360, proto: 40, status: 80 });
    expect(resizeColumns({}, visible, 1, -500)).toEqual({ url: 300, proto: 40, status: 140 });
    expect(resizeColumns({ url: 1 }, visible, 2, 10)).toEqual({ url: 1 });
  });

  it('reads back what it wrote and drops what it does not know', () => {
    const prefs = {
      sort: { column: 'status', direction: 'descending' as const },
      widths: { url: 340, proto: 60 },
    };
    expect(parseColumnPrefs(serializeColumnPrefs(prefs), CONNECTION_COLUMNS)).toEqual(prefs);
    expect(
      parseColumnPrefs(
        '{"sort":{"column":"nope","direction":"ascending"},"widths":{"url":-5,"x":3,"ext":"9"}}',
        CONNECTION_COLUMNS,
      ),
    ).toEqual({ sort: null, widths: { url: 24 } });
    expect(parseColumnPrefs('not json', CONNECTION_COLUMNS)).toEqual({ sort: null, widths: {} });
    expect(parseColumnPrefs(null, CONNECTION_COLUMNS)).toEqual({ sort: null, widths: {} });
  });
});
