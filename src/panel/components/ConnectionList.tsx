import type { Connection } from '../../protocol/model';
import { chainPath, type RowGroup } from '../store/summary';
import { ConnectionRow, rowId } from './ConnectionRow';

interface Props {
  groups: RowGroup[];
  selectedId: string | null;
  onSelect(id: string): void;
  onOpen(id: string): void;
  /** Esc in the list: closes the open detail (when there is one). */
  onEscape?(): void;
}

/** The list of sockets, redirect chains grouped under their path. Arrows move, Enter opens. */
export function ConnectionList({ groups, selectedId, onSelect, onOpen, onEscape }: Props) {
  const flat: Connection[] = groups.flatMap((g) => g.connections);
  const onKeyDown = (e: KeyboardEvent) => {
    const i = flat.findIndex((c) => c.id === selectedId);
    let next = -1;
    if (e.key === 'ArrowDown') next = Math.min(flat.length - 1, i + 1);
    else if (e.key === 'ArrowUp') next = i < 0 ? 0 : Math.max(0, i - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = flat.length - 1;
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
    const c = flat[next];
    if (!c) return;
    onSelect(c.id);
    const el = (e.currentTarget as HTMLElement).querySelector(`#${rowId(c.id)}`);
    (el as HTMLElement | null)?.scrollIntoView?.({ block: 'nearest' });
  };
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
        class="conn-list"
        role="listbox"
        aria-label="WebSocket connections"
        tabIndex={0}
        aria-activedescendant={selectedId ? rowId(selectedId) : undefined}
        onKeyDown={onKeyDown}
      >
        {groups.map((g) =>
          g.chain ? (
            <div
              role="group"
              class="chain-group"
              key={g.key}
              aria-label={`Redirect chain ${chainPath(g.connections)}`}
            >
              <div class="chain-head" role="presentation">
                <span class="chain-icon" aria-hidden="true">
                  ↪
                </span>
                <span class="chain-path">{chainPath(g.connections)}</span>
                {g.chain.loop && <span class="badge outcome-failed">loop</span>}
                {(g.chain.outcome === 'too-many-redirects' || g.connections.length > 6) && (
                  <span class="badge outcome-failed">more than 5 redirects</span>
                )}
                <span class="chain-count">{g.connections.length} hops</span>
              </div>
              {g.connections.map((c, hop) => (
                <ConnectionRow
                  key={c.id}
                  connection={c}
                  hop={hop}
                  selected={c.id === selectedId}
                  onClick={() => onOpen(c.id)}
                />
              ))}
            </div>
          ) : (
            g.connections.map((c) => (
              <ConnectionRow
                key={c.id}
                connection={c}
                selected={c.id === selectedId}
                onClick={() => onOpen(c.id)}
              />
            ))
          ),
        )}
      </div>
    </div>
  );
}
