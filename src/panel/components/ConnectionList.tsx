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
import { chainFailure, chainPath, type RowGroup } from '../store/summary';
import type { Navigation } from '../store/panel-store';
import { ChainGroupHead } from './ChainGroupHead';
import { ConnectionRow, rowId } from './ConnectionRow';
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
}

const NO_NAVIGATIONS: readonly Navigation[] = [];

/**
 * The list of sockets, redirect chains grouped under their path. Virtualized: only the items in
 * (and just around) the viewport are in the DOM. Arrows, Home and End move, Enter opens.
 */
export function ConnectionList({
  groups,
  navigations = NO_NAVIGATIONS,
  selectedId,
  onSelect,
  onOpen,
  onEscape,
}: Props) {
  const box = useRef<HTMLDivElement>(null);
  // The first item in view, not the raw scrollTop: scrolling within a row renders nothing new.
  const [topItem, setTopItem] = useState(0);
  const height = useElementHeight(box, FALLBACK_HEIGHT);
  const flat = useMemo(() => withNavigations(flattenGroups(groups), navigations), [groups, navigations]);

  const reveal = (id: string) => {
    const el = box.current;
    const index = flat.itemIndex.get(id);
    if (!el || index === undefined) return;
    const top = scrollToReveal(index, el.scrollTop, height, CONN_ROW_HEIGHT);
    if (top !== el.scrollTop) el.scrollTop = top;
    const item = Math.floor(top / CONN_ROW_HEIGHT);
    setTopItem(item - (item % STEP));
  };

  const onKeyDown = (e: KeyboardEvent) => {
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
    <div class="conn-list-wrap">
      <div class="conn-head" aria-hidden="true">
        <span class="col-url">URL</span>
        <span class="col-proto">Protocol</span>
        <span class="col-status">Status</span>
        <span class="col-outcome">Outcome</span>
        <span class="col-ext">Extensions</span>
        <span class="col-time">Time</span>
        <span class="col-frames">Frames</span>
      </div>
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
  const chain = item.group?.chain;
  const last = chain && chain.connections[chain.connections.length - 1] === c.id;
  return (
    <ConnectionRow
      key={c.id}
      connection={c}
      hop={item.hop}
      chainFailure={last ? chainFailure(chain) : null}
      selected={c.id === selectedId}
      onOpen={onOpen}
      top={top}
      position={item.position}
      setSize={setSize}
    />
  );
}
