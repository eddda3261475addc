import { useRef } from 'preact/hooks';
import '../styles/columns.css';
import { resizeColumns, type ColumnDef, type SortState } from '../store/columns';

interface Props {
  columns: readonly ColumnDef[];
  /** Class of the header row (it shares its grid with the list's rows). */
  rowClass: string;
  /** Class of a column's header cell (`col-url`: the rows' cells share it where CSS hides columns by class). */
  cellClass(id: string): string;
  /** The table's accessible name. */
  label: string;
  sort: SortState;
  onSort(column: string): void;
  widths: Record<string, number>;
  /** New widths while a border moves; `done` when the move is over (then they are remembered). */
  onResize(widths: Record<string, number>, done: boolean): void;
  style?: Record<string, string>;
}

/** Pixels a border moves per arrow key (Shift: five times as far). */
const KEY_STEP = 10;
const ARROW: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1 };

/**
 * A list's column headers, as a one-row table: each header is a button that sorts (ascending,
 * descending, original order; `aria-sort` says which), and the border after it a separator that a
 * pointer drags or ←/→ move.
 */
export function ColumnHeader(p: Props) {
  const row = useRef<HTMLDivElement>(null);

  /** The columns as laid out now: hidden ones (narrow lists) left out, unmeasured ones at their width so far. */
  const visible = () => {
    const cells = Array.from(row.current?.querySelectorAll<HTMLElement>('[role=columnheader]') ?? []);
    const view = row.current?.ownerDocument.defaultView;
    return cells.flatMap((cell) => {
      const id = cell.dataset.column ?? '';
      if (view?.getComputedStyle(cell).display === 'none') return [];
      const def = p.columns.find((c) => c.id === id);
      if (!def) return [];
      const width = cell.getBoundingClientRect().width || p.widths[id] || def.width;
      return [{ id, width, min: def.min }];
    });
  };

  /**
   * Every column's width so far: the remembered one, else its default. A column the narrow list hides
   * gets one too, so when it shows again its weight is on the same scale as the resized ones.
   */
  const known = () => Object.fromEntries(p.columns.map((c) => [c.id, p.widths[c.id] ?? c.width]));

  const startDrag = (e: PointerEvent, id: string) => {
    if (e.button !== 0) return;
    e.preventDefault();
    const handle = e.currentTarget as HTMLElement;
    handle.setPointerCapture?.(e.pointerId);
    const start = visible();
    const index = start.findIndex((c) => c.id === id);
    const x0 = e.clientX;
    const widths = known();
    let last = p.widths;
    const move = (ev: PointerEvent) => {
      last = resizeColumns(widths, start, index, ev.clientX - x0);
      p.onResize(last, false);
    };
    const up = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
      handle.removeEventListener('pointercancel', up);
      p.onResize(last, true);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
    handle.addEventListener('pointercancel', up);
  };

  const onKey = (e: KeyboardEvent, id: string) => {
    const dir = ARROW[e.key];
    if (!dir) return;
    e.preventDefault();
    const now = visible();
    p.onResize(
      resizeColumns(
        known(),
        now,
        now.findIndex((c) => c.id === id),
        dir * KEY_STEP * (e.shiftKey ? 5 : 1),
      ),
      true,
    );
  };

  return (
    <div class="col-table" role="table" aria-label={p.label} style={p.style}>
      <div class={p.rowClass} role="row" ref={row}>
        {p.columns.map((c, i) => {
          const name = c.title ?? c.label;
          const sorted = p.sort?.column === c.id ? p.sort.direction : null;
          return (
            <div
              key={c.id}
              role="columnheader"
              class={`${p.cellClass(c.id)} head-cell${sorted ? ' sorted' : ''}`}
              data-column={c.id}
              // Named by its label alone (its resizer's name would otherwise join it).
              aria-label={name}
              aria-sort={sorted ?? undefined}
            >
              <button
                type="button"
                class="sort-button"
                title={`Sort by ${name}: ascending, descending, original order`}
                aria-label={c.title}
                onClick={() => p.onSort(c.id)}
              >
                <span class="sort-label">{c.label}</span>
                {sorted && (
                  <span class="sort-arrow" aria-hidden="true">
                    {sorted === 'ascending' ? '▲' : '▼'}
                  </span>
                )}
              </button>
              {i < p.columns.length - 1 && (
                <span
                  class="col-resizer"
                  role="separator"
                  aria-orientation="vertical"
                  aria-label={`Resize the ${name} column`}
                  aria-valuemin={c.min}
                  aria-valuemax={2000}
                  aria-valuenow={Math.round(p.widths[c.id] ?? c.width)}
                  tabIndex={0}
                  onPointerDown={(e) => startDrag(e, c.id)}
                  onKeyDown={(e) => onKey(e, c.id)}
                />
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}
