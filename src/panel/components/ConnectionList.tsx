import type { ComponentChildren } from 'preact';
import { useMemo, useRef, useState } from 'preact/hooks';
import {
  CONN_ROW_HEIGHT,
  flattenGroups,
  withNavigations,
  scrollToReveal,
  visibleRange,
  type ListItem,
} from '../store/list-rows';
import { isMenuKey } from '../store/menu-store';
import { CONNECTION_COLUMNS, sortGroups } from '../store/sort-rows';
import { chainPath, endingFailure, type RowGroup } from '../store/summary';
import type { Navigation } from '../store/panel-store';
import { ChainGroupHead } from './ChainGroupHead';
import { ColumnHeader } from './ColumnHeader';
import { ConnectionRow, rowId } from './ConnectionRow';
import { useColumns } from './use-columns';
import { useElementHeight } from './use-element-height';

const OVERSCAN = 12;
/** The window moves in steps of this many items, so a steady scroll re-renders every few frames, not every frame. */
const STEP = 6;
/** Viewport height assumed before layout (and where layout reports none, as in tests). */
const FALLBACK_HEIGHT = 600;

interface Props {
  groups: RowGroup[];
  /** Navigations to mark between the groups (preserve log). */
  navigations?: readonly Navigation[];
  selectedId: string | null;
  onSelect(id: string): void;
  onOpen(id: string): void;
  /** Esc in the list: closes the open detail (when there is one). */
  onEscape?(): void;
  /**
   * Opens a socket's context menu: on a right-click (`event` a mouse event), or from the keyboard
   * (context-menu key, Shift+F10) for the selected row. `row` is the row to anchor it to.
   */
  onMenu?(id: string, event: MouseEvent | KeyboardEvent, row: HTMLElement): void;
}

const NO_NAVIGATIONS: readonly Navigation[] = [];

/**
 * The list of sockets, redirect chains grouped under their path. Virtualized: only the items in
 * (and just around) the viewport are in the DOM. Arrows, Home and End move, Enter opens. The column
 * headers sort (chains stay grouped) and resize; both choices are remembered.
 */
export function ConnectionList({
  groups,
  navigations = NO_NAVIGATIONS,
  selectedId,
  onSelect,
  onOpen,
  onEscape,
  onMenu,
}: Props) {
  const box = useRef<HTMLDivElement>(null);
  // The first item in view, not the raw scrollTop: scrolling within a row renders nothing new.
  const [topItem, setTopItem] = useState(0);
  const height = useElementHeight(box, FALLBACK_HEIGHT);
  const columns = useColumns('connections', CONNECTION_COLUMNS, 'col');
  // Sorted once per change of the groups or the sort, not per render (scrolling, selection).
  const sorted = useMemo(() => sortGroups(groups, columns.sort), [groups, columns.sort]);
  // Navigation marks say where in time a page loaded: only the original order has a place for them.
  const flat = useMemo(
    () => (columns.sort ? flattenGroups(sorted) : withNavigations(flattenGroups(sorted), navigations)),
    [sorted, columns.sort, navigations],
  );

  const reveal = (id: string) => {
    const el = box.current;
    const index = flat.itemIndex.get(id);
    if (!el || index === undefined) return;
    const top = scrollToReveal(index, el.scrollTop, height, CONN_ROW_HEIGHT);
    if (top !== el.scrollTop) el.scrollTop = top;
    const item = Math.floor(top / CONN_ROW_HEIGHT);
    setTopItem(item - (item % STEP));
  };

  /** The rendered row of a socket, or the list when the row is outside the rendered window. */
  const rowElement = (id: string) =>
    box.current?.querySelector<HTMLElement>(`#${rowId(id)}`) ?? box.current ?? null;

  const onKeyDown = (e: KeyboardEvent) => {
    if (isMenuKey(e)) {
      e.preventDefault();
      if (!selectedId || !onMenu) return;
      // Anchored to the row when it is rendered, else to the list (no scrolling: it would close the menu).
      const row = rowElement(selectedId);
      if (row) onMenu(selectedId, e, row);
      return;
    }
    const rows = flat.rows;
    const i = selectedId === null ? -1 : (flat.itemIndex.get(selectedId) ?? -1);
    const pos = i < 0 ? -1 : ((flat.items[i] as Extract<ListItem, { kind: 'row' }>).position ?? -1);
    let next = -1;
    if (e.key === 'ArrowDown') next = Math.min(rows.length - 1, pos + 1);
    else if (e.key === 'ArrowUp') next = pos < 0 ? 0 : Math.max(0, pos - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = rows.length - 1;
    else if (e.key === 'Escape' && onEscape) {
      e.preventDefault();
      onEscape();
      return;
    } else if (e.key === 'Enter' && selectedId) {
      e.preventDefault();
      onOpen(selectedId);
      return;
    } else return;
    e.preventDefault();
    const c = rows[next];
    if (!c) return;
    onSelect(c.id);
    reveal(c.id);
  };

  const scrollTop = topItem * CONN_ROW_HEIGHT;
  // The real scrollTop is up to STEP items below `topItem`: cover them below the viewport too.
  const { first, last } = visibleRange(
    flat.items.length,
    scrollTop,
    height + STEP * CONN_ROW_HEIGHT,
    CONN_ROW_HEIGHT,
    OVERSCAN,
  );
  const selectedIndex = selectedId === null ? undefined : flat.itemIndex.get(selectedId);
  const activeShown = selectedIndex !== undefined && selectedIndex >= first && selectedIndex < last;

  return (
    <div class="conn-list-wrap" style={columns.style}>
      <ColumnHeader
        columns={CONNECTION_COLUMNS}
        rowClass="conn-head"
        cellClass={(id) => `col-${id}`}
        label="Connection list columns"
        sort={columns.sort}
        onSort={columns.toggleSort}
        widths={columns.widths}
        onResize={columns.resize}
      />
      <div
        ref={box}
        class="conn-list"
        role="listbox"
        aria-label="WebSocket connections"
        tabIndex={0}
        aria-activedescendant={activeShown && selectedId ? rowId(selectedId) : undefined}
        onScroll={(e) => {
          const top = Math.floor((e.currentTarget as HTMLElement).scrollTop / CONN_ROW_HEIGHT);
          const stepped = top - (top % STEP);
          if (stepped !== topItem) setTopItem(stepped);
        }}
        onKeyDown={onKeyDown}
        onContextMenu={(e) => {
          const row = (e.target as Element).closest<HTMLElement>('.conn-row[data-id]');
          const id = row?.dataset.id ?? selectedId;
          if (!id || !onMenu) return;
          e.preventDefault();
          if (id !== selectedId) onSelect(id);
          onMenu(id, e, row ?? rowElement(id)!);
        }}
      >
        <div class="conn-spacer" style={{ height: `${flat.items.length * CONN_ROW_HEIGHT}px` }}>
          {renderItems(flat.items, first, last, flat.rows.length, selectedId, onOpen)}
        </div>
      </div>
    </div>
  );
}

/** The items in [first, last), a chain's visible items wrapped in its `group` (which has no box). */
function renderItems(
  items: ListItem[],
  first: number,
  last: number,
  setSize: number,
  selectedId: string | null,
  onOpen: (id: string) => void,
): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  let i = first;
  while (i < last) {
    const item = items[i]!;
    const group = item.kind === 'nav' ? null : item.group;
    if (!group) {
      out.push(renderItem(item, i, setSize, selectedId, onOpen));
      i++;
      continue;
    }
    const members: ComponentChildren[] = [];
    for (; i < last; i++) {
      const member = items[i]!;
      const owner = member.kind === 'nav' ? null : member.group;
      if (owner !== group || (member.kind === 'head' && members.length > 0)) break;
      members.push(renderItem(member, i, setSize, selectedId, onOpen));
    }
    out.push(
      <div
        role="group"
        class="chain-group"
        key={group.key}
        aria-label={`Redirect chain ${chainPath(group.connections)}`}
      >
        {members}
      </div>,
    );
  }
  return out;
}

function renderItem(
  item: ListItem,
  index: number,
  setSize: number,
  selectedId: string | null,
  onOpen: (id: string) => void,
): ComponentChildren {
  const top = index * CONN_ROW_HEIGHT;
  if (item.kind === 'head') return <ChainGroupHead key="head" group={item.group} top={top} />;
  if (item.kind === 'nav') {
    return (
      <div
        key={`nav-${item.time}-${index}`}
        class="nav-mark"
        role="presentation"
        style={{ top: `${top}px`, height: `${CONN_ROW_HEIGHT}px` }}
        title={item.url}
      >
        Navigated to {item.url}
      </div>
    );
  }
  const c = item.connection;
  return (
    <ConnectionRow
      key={c.id}
      connection={c}
      hop={item.hop}
      chainFailure={endingFailure(item.group?.chain, c.id)}
      selected={c.id === selectedId}
      onOpen={onOpen}
      top={top}
      position={item.position}
      setSize={setSize}
    />
  );
}
