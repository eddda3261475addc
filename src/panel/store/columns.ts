/**
 * Sortable, resizable list columns: the three-step sort of DevTools' tables (ascending, descending,
 * back to the original order), column widths as weights that always fill the list, and both kept as
 * one remembered preference per list.
 */

/** A column of a sortable list. */
export interface ColumnDef {
  /** Stable id: in the CSS classes of its cells (`col-url`) and custom property (`--col-url`), and in preferences. */
  id: string;
  label: string;
  /** Accessible name when the label is a symbol, and the header's tooltip. */
  title?: string;
  /** The width assumed for keyboard resizing before layout measured one (CSS pixels). */
  width: number;
  /** The narrowest the user can make it (CSS pixels): its content stays readable in every layout. */
  min: number;
}

export type SortDirection = 'ascending' | 'descending';

/** The sorted column and its direction; null is the original order. */
export type SortState = { column: string; direction: SortDirection } | null;

/** What a list remembers: its sort and the widths the user gave its columns (CSS pixels, as weights). */
export interface ColumnPrefs {
  sort: SortState;
  widths: Record<string, number>;
}

/** No remembered width is read as narrower than this. */
export const MIN_COLUMN_WIDTH = 24;
const MAX_COLUMN_WIDTH = 4000;

/** A click on a header: a new column sorts ascending, then descending, then the original order. */
export function nextSort(current: SortState, column: string): SortState {
  if (!current || current.column !== column) return { column, direction: 'ascending' };
  return current.direction === 'ascending' ? { column, direction: 'descending' } : null;
}

/** Reads remembered preferences; anything unknown or malformed is dropped. */
export function parseColumnPrefs(text: string | null, columns: readonly ColumnDef[]): ColumnPrefs {
  const prefs: ColumnPrefs = { sort: null, widths: {} };
  if (!text) return prefs;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return prefs;
  }
  if (typeof json !== 'object' || json === null) return prefs;
  const ids = new Set(columns.map((c) => c.id));
  const { sort, widths } = json as { sort?: unknown; widths?: unknown };
  if (typeof sort === 'object' && sort !== null) {
    const { column, direction } = sort as { column?: unknown; direction?: unknown };
    if (
      typeof column === 'string' &&
      ids.has(column) &&
      (direction === 'ascending' || direction === 'descending')
    )
      prefs.sort = { column, direction };
  }
  if (typeof widths === 'object' && widths !== null) {
    for (const [id, w] of Object.entries(widths as Record<string, unknown>)) {
      if (ids.has(id) && typeof w === 'number' && Number.isFinite(w))
        prefs.widths[id] = Math.round(Math.min(MAX_COLUMN_WIDTH, Math.max(MIN_COLUMN_WIDTH, w)));
    }
  }
  return prefs;
}

/** The text `parseColumnPrefs` reads. */
export function serializeColumnPrefs(prefs: ColumnPrefs): string {
  return JSON.stringify({ sort: prefs.sort, widths: prefs.widths });
}

/**
 * Moves the border between visible column `index` and the next visible one by `delta` pixels: one
 * grows as the other shrinks (neither below its minimum), so the columns still fill the list.
 * `visible` holds the columns as laid out now (id, width, minimum); every visible width is kept, so
 * the layout does not jump when the first column is resized.
 */
export function resizeColumns(
  widths: Record<string, number>,
  visible: readonly { id: string; width: number; min: number }[],
  index: number,
  delta: number,
): Record<string, number> {
  const left = visible[index];
  const right = visible[index + 1];
  if (!left || !right) return widths;
  const d = Math.max(
    Math.min(0, left.min - left.width),
    Math.min(Math.max(0, right.width - right.min), delta),
  );
  const out = { ...widths };
  for (const c of visible) out[c.id] = Math.round(Math.max(MIN_COLUMN_WIDTH, c.width));
  out[left.id] = Math.round(left.width + d);
  out[right.id] = Math.round(right.width - d);
  return out;
}

/**
 * CSS custom properties carrying the resized widths (`--col-url: minmax(80px, 312fr)`); the list's
 * stylesheet falls back to its own layout for any column without one. Weights in `fr` keep the
 * columns filling the list when it (or the panel) is resized; each column keeps its minimum.
 */
export function columnStyle(
  prefix: string,
  columns: readonly ColumnDef[],
  widths: Record<string, number>,
): Record<string, string> {
  const style: Record<string, string> = {};
  for (const c of columns) {
    const w = widths[c.id];
    if (w !== undefined) style[`--${prefix}-${c.id}`] = `minmax(${c.min}px, ${w}fr)`;
  }
  return style;
}
