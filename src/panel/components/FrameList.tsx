import { useEffect, useRef, useState } from 'preact/hooks';
import type { CapturedFrame } from '../../protocol/capture';
import type { FrameRole } from '../../protocol/model';
import { highlight, type FrameQuery } from '../store/frame-search';
import { framePreview, frameText, ROLE_LABEL } from '../store/payload';
import { formatBytes, formatOffset } from '../store/summary';
import { useElementHeight } from './use-element-height';

/** HTTP messages of the handshake read as text even when sent as binary frames; other frames as captured. */
function rowPreview(f: CapturedFrame, role: FrameRole): string {
  const http = role === 'handshake-request' || role === 'handshake-response';
  return http && f.opcode === 2 ? framePreview({ ...f, opcode: 1, data: frameText(f) }) : framePreview(f);
}

/** Fixed row height in CSS pixels; the virtual list depends on it. */
export const FRAME_ROW_HEIGHT = 18;
const OVERSCAN = 8;
/** Viewport height assumed before layout (and where layout reports none, as in tests). */
const FALLBACK_HEIGHT = 400;

interface Props {
  frames: CapturedFrame[];
  roles: FrameRole[];
  /** Frame indexes to show, in order (the role filter's and the search's result). */
  indexes: number[];
  /** The payload search, whose matches are marked in the previews. */
  query?: FrameQuery | null;
  selected: number | null;
  onSelect(frameIndex: number): void;
  startedAt: number;
}

/**
 * A virtualized frame list: only the rows in (and just around) the viewport exist in the DOM, so
 * 100,000 frames cost what 40 do. Arrows, Page Up/Down, Home and End move the selection.
 */
export function FrameList({ frames, roles, indexes, query = null, selected, onSelect, startedAt }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const height = useElementHeight(box, FALLBACK_HEIGHT);

  const position = selected === null ? -1 : indexes.indexOf(selected);
  useEffect(() => {
    // Keep the selected row in view when the selection moves.
    const el = box.current;
    if (!el || position < 0) return;
    const top = position * FRAME_ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + FRAME_ROW_HEIGHT > el.scrollTop + height) el.scrollTop = top + FRAME_ROW_HEIGHT - height;
    setScrollTop(el.scrollTop);
  }, [position, height]);

  const first = Math.max(0, Math.floor(scrollTop / FRAME_ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(indexes.length, Math.ceil((scrollTop + height) / FRAME_ROW_HEIGHT) + OVERSCAN);
  const page = Math.max(1, Math.floor(height / FRAME_ROW_HEIGHT) - 1);

  const onKeyDown = (e: KeyboardEvent) => {
    let next = position;
    if (e.key === 'ArrowDown') next = position + 1;
    else if (e.key === 'ArrowUp') next = position - 1;
    else if (e.key === 'PageDown') next = position + page;
    else if (e.key === 'PageUp') next = position - page;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = indexes.length - 1;
    else return;
    e.preventDefault();
    next = Math.max(0, Math.min(indexes.length - 1, next));
    const frame = indexes[next];
    if (frame !== undefined) onSelect(frame);
  };

  const rows = [];
  for (let p = first; p < last; p++) {
    const i = indexes[p]!;
    const f = frames[i];
    if (!f) continue;
    const role = roles[i] ?? 'data';
    rows.push(
      <div
        key={i}
        id={`frame-row-${i}`}
        role="option"
        aria-selected={i === selected}
        aria-posinset={p + 1}
        aria-setsize={indexes.length}
        class={`frame-row dir-${f.dir} role-${role}${i === selected ? ' selected' : ''}`}
        style={{ top: `${p * FRAME_ROW_HEIGHT}px`, height: `${FRAME_ROW_HEIGHT}px` }}
        onClick={() => onSelect(i)}
      >
        <span class="fr-dir" title={f.dir === 'send' ? 'sent' : 'received'}>
          {f.dir === 'send' ? '↑' : '↓'}
        </span>
        <span class="fr-type">{f.opcode === 1 ? 'text' : 'bin'}</span>
        <span class={`fr-role role-${role}`}>{ROLE_LABEL[role]}</span>
        <span class="fr-data">
          {query
            ? highlight(rowPreview(f, role), query).map((part, k) =>
                part.hit ? <mark key={k}>{part.text}</mark> : part.text,
              )
            : rowPreview(f, role)}
        </span>
        <span class="fr-size">{formatBytes(f.size)}</span>
        <span class="fr-time">{formatOffset(f.time - startedAt)}</span>
      </div>,
    );
  }

  return (
    <div
      ref={box}
      class="frame-list"
      role="listbox"
      aria-label={`Frames (${indexes.length})`}
      tabIndex={0}
      aria-activedescendant={
        selected !== null && position >= first && position < last ? `frame-row-${selected}` : undefined
      }
      // Strict containment: scrolling or refilling the list never relays out the rest of the panel.
      style={{ contain: 'strict' }}
      onScroll={(e) => setScrollTop((e.currentTarget as HTMLElement).scrollTop)}
      onKeyDown={onKeyDown}
    >
      <div class="frame-spacer" style={{ height: `${indexes.length * FRAME_ROW_HEIGHT}px` }}>
        {rows}
      </div>
    </div>
  );
}
