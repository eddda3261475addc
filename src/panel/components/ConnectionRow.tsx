import { memo } from './memo';
import type { Connection } from '../../protocol/model';
import { MISMATCH_RULE } from '../../protocol/rules';
import { CONN_ROW_HEIGHT } from '../store/list-rows';
import {
  CHAIN_FAILURE_LABEL,
  extensionText,
  formatDuration,
  hostOf,
  protocolText,
  shortPath,
  statusPath,
} from '../store/summary';
import { OutcomeBadge } from './OutcomeBadge';

interface Props {
  connection: Connection;
  selected: boolean;
  /** The 0-based hop within its redirect chain, when in one. */
  hop?: number | undefined;
  /** Set on the last hop of a chain that failed as a whole. */
  chainFailure?: 'loop' | 'too-many-redirects' | null | undefined;
  /** Opens the row's socket (called with its id). */
  onOpen(id: string): void;
  /** Offset of the row inside the virtual list, in CSS pixels. */
  top: number;
  /** 0-based position among all rows, and their number (aria-posinset / aria-setsize). */
  position: number;
  setSize: number;
}

/** The DOM id of a connection's row (for aria-activedescendant). */
export function rowId(id: string): string {
  return `conn-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/**
 * One socket: URL, protocol, round statuses, outcome, granted extensions, duration, frames.
 * Memoized: a row re-renders only when its connection (re-snapshotted on change), selection or
 * place changes.
 */
export const ConnectionRow = memo(function ConnectionRow({
  connection: c,
  selected,
  hop,
  chainFailure,
  onOpen,
  top,
  position,
  setSize,
}: Props) {
  const statuses = statusPath(c);
  const errors = c.findings.filter((f) => f.severity === 'error').length;
  const mismatch = c.findings.find((f) => f.rule === MISMATCH_RULE);
  return (
    <div
      id={rowId(c.id)}
      role="option"
      aria-selected={selected}
      aria-posinset={position + 1}
      aria-setsize={setSize}
      class={`conn-row${position % 2 ? ' alt' : ''}${selected ? ' selected' : ''}${hop !== undefined ? ' in-chain' : ''}`}
      data-id={c.id}
      style={{ top: `${top}px`, height: `${CONN_ROW_HEIGHT}px` }}
      onClick={() => onOpen(c.id)}
    >
      <span class="col-url" title={c.url}>
        {hop !== undefined && <span class="hop">{hop + 1}</span>}
        <span class="url-text">
          <span class="url-host">{hostOf(c.url)}</span>
          {shortPath(c.url)}
        </span>
        {c.replayOf && <span class="tag">replay</span>}
        {c.worker && (
          <span class="tag worker" title={`Opened in a ${c.worker.kind} worker: ${c.worker.url}`}>
            worker
          </span>
        )}
        {c.networkOnly && (
          <span class="tag network-only" title="Seen by the browser's network log only, not by the page hook">
            network only
          </span>
        )}
        {mismatch && (
          <span class="tag mismatch" title={mismatch.message}>
            network disagrees
          </span>
        )}
      </span>
      <span class="col-proto" title="Negotiated sub-protocol">
        {protocolText(c)}
      </span>
      <span class="col-status" title="Extended handshake statuses, round by round">
        {statuses || '—'}
      </span>
      <span class="col-outcome">
        {chainFailure ? (
          // The chain's verdict stands in for the hop's own (it was redirected, and the client stops).
          <span
            class="badge outcome-failed"
            title={`This socket was redirected; its redirect chain ends here: ${CHAIN_FAILURE_LABEL[chainFailure]}`}
          >
            {CHAIN_FAILURE_LABEL[chainFailure]}
          </span>
        ) : (
          <OutcomeBadge outcome={c.outcome} />
        )}
        {errors > 0 && (
          <span class="err-count" title={`${errors} error finding(s)`}>
            ⚠ {errors}
          </span>
        )}
      </span>
      <span class="col-ext" title="Granted extensions">
        {extensionText(c) || '—'}
      </span>
      <span class="col-time">{formatDuration(c.endedAt - c.startedAt)}</span>
      <span class="col-frames">{c.frameCount}</span>
    </div>
  );
});
