import type { Connection } from '../../protocol/model';
import { formatDuration, shortPath, statusPath } from '../store/summary';
import { OutcomeBadge } from './OutcomeBadge';

interface Props {
  connection: Connection;
  selected: boolean;
  /** The 0-based hop within its redirect chain, when in one. */
  hop?: number;
  onClick(): void;
}

/** The URL's host (with port), hidden by the narrow list so the path stays readable. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

/** The DOM id of a connection's row (for aria-activedescendant). */
export function rowId(id: string): string {
  return `conn-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

function extensionText(c: Connection): string {
  const names = (c.extensions.length > 0 ? c.extensions : c.openingExtensions).map((e) => e.name);
  return names.join(', ');
}

/** One socket: URL, protocol, round statuses, outcome, granted extensions, duration, frames. */
export function ConnectionRow({ connection: c, selected, hop, onClick }: Props) {
  const statuses = statusPath(c);
  const errors = c.findings.filter((f) => f.severity === 'error').length;
  return (
    <div
      id={rowId(c.id)}
      role="option"
      aria-selected={selected}
      class={`conn-row${selected ? ' selected' : ''}${hop !== undefined ? ' in-chain' : ''}`}
      data-id={c.id}
      onClick={onClick}
    >
      <span class="col-url" title={c.url}>
        {hop !== undefined && <span class="hop">{hop + 1}</span>}
        <span class="url-host">{hostOf(c.url)}</span>
        {shortPath(c.url)}
        {c.replayOf && <span class="tag">replay</span>}
      </span>
      <span class="col-proto" title="Negotiated sub-protocol">
        {c.protocol === null ? '—' : c.protocol === '' ? '(none)' : c.protocol}
      </span>
      <span class="col-status" title="Extended handshake statuses, round by round">
        {statuses || '—'}
      </span>
      <span class="col-outcome">
        <OutcomeBadge outcome={c.outcome} />
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
}
