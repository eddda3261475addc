/**
 * The connection list as one flat sequence of fixed-height items (a redirect chain's header, then
 * its hops; lone sockets as single rows), so the list can render only the items in view.
 */
import type { Connection } from '../../protocol/model';
import type { RowGroup } from './summary';

/** Fixed height of every list item (rows and chain headers) in CSS pixels; the virtual list depends on it. */
export const CONN_ROW_HEIGHT = 21;

/** One line of the connection list. */
export type ListItem =
  | { kind: 'head'; group: RowGroup }
  | { kind: 'nav'; url: string; time: number }
  | {
      kind: 'row';
      connection: Connection;
      /** The chain the row belongs to (null for a lone socket). */
      group: RowGroup | null;
      /** The 0-based hop within its chain, when in one. */
      hop?: number;
      /** The 0-based position among the rows (headers not counted). */
      position: number;
    };

/** The flattened list with the item index of every connection row. */
export interface FlatList {
  items: ListItem[];
  /** The connection rows in order (what the arrow keys walk). */
  rows: Connection[];
  /** Item index of each connection id. */
  itemIndex: Map<string, number>;
}

/** Flattens grouped rows: a chain contributes its header and its hops, a lone socket one row. */
export function flattenGroups(groups: RowGroup[]): FlatList {
  const items: ListItem[] = [];
  const rows: Connection[] = [];
  const itemIndex = new Map<string, number>();
  const add = (connection: Connection, group: RowGroup | null, hop?: number) => {
    itemIndex.set(connection.id, items.length);
    items.push(
      hop === undefined
        ? { kind: 'row', connection, group, position: rows.length }
        : { kind: 'row', connection, group, hop, position: rows.length },
    );
    rows.push(connection);
  };
  for (const g of groups) {
    if (g.chain) {
      items.push({ kind: 'head', group: g });
      g.connections.forEach((c, hop) => add(c, g, hop));
    } else {
      for (const c of g.connections) add(c, null);
    }
  }
  return { items, rows, itemIndex };
}

/** When the group an item starts was created; null for a chain's hops (their head starts it). */
function groupStart(item: ListItem): number | null {
  if (item.kind === 'head') return item.group.connections[0]?.startedAt ?? null;
  if (item.kind === 'row' && item.group === null) return item.connection.startedAt;
  return null;
}

/**
 * Puts a mark for each navigation before the first group created after it (groups are in creation
 * order); marks after the last group come last. Returns `flat` itself when there is none.
 */
export function withNavigations(
  flat: FlatList,
  navigations: readonly { time: number; url: string }[],
): FlatList {
  if (navigations.length === 0) return flat;
  const items: ListItem[] = [];
  const itemIndex = new Map<string, number>();
  let n = 0;
  const markUntil = (time: number) => {
    for (; n < navigations.length && navigations[n]!.time <= time; n++) {
      items.push({ kind: 'nav', url: navigations[n]!.url, time: navigations[n]!.time });
    }
  };
  for (const item of flat.items) {
    const start = groupStart(item);
    if (start !== null) markUntil(start);
    if (item.kind === 'row') itemIndex.set(item.connection.id, items.length);
    items.push(item);
  }
  markUntil(Infinity);
  return { items, rows: flat.rows, itemIndex };
}

/** The item range [first, last) to render for a viewport, with `overscan` items either side. */
export function visibleRange(
  count: number,
  scrollTop: number,
  height: number,
  itemHeight: number,
  overscan: number,
): { first: number; last: number } {
  const first = Math.max(0, Math.floor(scrollTop / itemHeight) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + height) / itemHeight) + overscan);
  return { first, last: Math.max(first, last) };
}

/** The scrollTop that brings item `index` fully into view (unchanged when it already is). */
export function scrollToReveal(index: number, scrollTop: number, height: number, itemHeight: number): number {
  const top = index * itemHeight;
  if (top < scrollTop) return top;
  if (top + itemHeight > scrollTop + height) return Math.max(0, top + itemHeight - height);
  return scrollTop;
}
