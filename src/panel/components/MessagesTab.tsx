import { useMemo, useState } from 'preact/hooks';
import type { CapturedSocket } from '../../protocol/capture';
import type { Connection, FrameRole } from '../../protocol/model';
import { MISMATCH_RULE } from '../../protocol/rules';
import { usePanel } from '../store/context';
import { parseFrameQuery, searchFrames } from '../store/frame-search';
import { ROLE_GROUPS } from '../store/payload';
import { formatBytes } from '../store/summary';
import { FrameList } from './FrameList';
import { FrameViewer } from './FrameViewer';
import { RoleChips } from './RoleChips';
import { UnrecordedNote } from './UnrecordedNote';

interface Props {
  connection: Connection;
  socket: CapturedSocket;
  selected: number | null;
  onSelect(frame: number | null): void;
}

/** Every frame of the socket in a virtual list, filterable by role, with the selected frame's payload. */
export function MessagesTab({ connection: c, socket, selected, onSelect }: Props) {
  const { store } = usePanel();
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  const frames = socket.frames;
  const mismatch = c.findings.find((f) => f.rule === MISMATCH_RULE);
  const count = frames.length;
  const counts = useMemo(() => {
    const m = new Map<FrameRole, number>();
    for (let i = 0; i < count; i++) {
      const r = c.roles[i] ?? 'data';
      m.set(r, (m.get(r) ?? 0) + 1);
    }
    return m;
  }, [c.roles, count]);
  const byRole = useMemo(() => {
    const hiddenRoles = new Set<FrameRole>(
      ROLE_GROUPS.filter((g) => hidden.has(g.id)).flatMap((g) => g.roles),
    );
    const out: number[] = [];
    for (let i = 0; i < count; i++) if (!hiddenRoles.has(c.roles[i] ?? 'data')) out.push(i);
    return out;
  }, [c.roles, count, hidden]);
  const [searchText, setSearchText] = useState('');
  const [caseSensitive, setCaseSensitive] = useState(false);
  const parsed = useMemo(() => parseFrameQuery(searchText, caseSensitive), [searchText, caseSensitive]);
  const query = parsed.ok ? parsed.query : null;
  const indexes = useMemo(
    () => (query ? searchFrames(frames, byRole, query) : byRole),
    // `count` changes when frames are appended to the same array.
    [frames, count, byRole, query],
  );
  const toggle = (id: string) => {
    const next = new Set(hidden);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setHidden(next);
  };
  const frame = selected !== null ? frames[selected] : undefined;
  return (
    <div class="messages split-v">
      <div class="messages-top">
        <RoleChips counts={counts} hidden={hidden} onToggle={toggle} />
        <div class="frame-search" role="search" aria-label="Search frames">
          <input
            type="search"
            class={`filter${parsed.ok ? '' : ' invalid'}`}
            placeholder="Filter frames: text, /regex/, hex:0a ff"
            aria-label="Filter frames by payload"
            aria-invalid={!parsed.ok}
            title={parsed.ok ? 'Text (case-insensitive), /regular expression/, or hex:bytes' : parsed.error}
            value={searchText}
            onInput={(e) => setSearchText((e.currentTarget as HTMLInputElement).value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape' && searchText !== '') {
                // Esc empties the box first; the next Esc closes the detail.
                e.preventDefault();
                e.stopPropagation();
                setSearchText('');
              }
            }}
          />
          <button
            type="button"
            class={caseSensitive ? 'chip on' : 'chip'}
            aria-pressed={caseSensitive}
            title="Match case"
            onClick={() => setCaseSensitive(!caseSensitive)}
          >
            Aa
          </button>
          <span class="frame-search-count" aria-live="polite">
            {!parsed.ok ? parsed.error : query ? `${indexes.length} of ${byRole.length} frames match` : ''}
          </span>
        </div>
        {socket.dropped && socket.dropped.frames > 0 && (
          <div class="banner warn" role="status">
            {socket.dropped.frames} later frames ({formatBytes(socket.dropped.bytes)}) were not kept.
          </div>
        )}
        <UnrecordedNote spans={socket.unrecorded ?? []} startedAt={c.startedAt} />
        {mismatch && (
          <div class="banner warn mismatch-note" role="status">
            {mismatch.message}
            {mismatch.frame !== undefined && mismatch.frame < count && (
              <>
                {' '}
                <button type="button" class="link-button" onClick={() => onSelect(mismatch.frame!)}>
                  Show frame #{mismatch.frame}
                </button>
              </>
            )}
          </div>
        )}
        {count === 0 ? (
          <div class="note">No frames.</div>
        ) : (
          <FrameList
            frames={frames}
            roles={c.roles}
            indexes={indexes}
            query={query}
            selected={selected}
            onSelect={onSelect}
            startedAt={c.startedAt}
          />
        )}
      </div>
      <div class="messages-detail">
        {frame && selected !== null ? (
          <FrameViewer
            frame={frame}
            index={selected}
            role={c.roles[selected]}
            startedAt={c.startedAt}
            fromNetwork={frame.truncated ? store.networkPayload(socket.id, selected) : undefined}
          />
        ) : (
          <div class="note">Select a frame to see its payload.</div>
        )}
      </div>
    </div>
  );
}
