import type { Round } from '../../protocol/model';

const ACTION_TEXT: Record<Round['action'], string> = {
  completed: 'handshake completed',
  authenticate: 'replay with credentials',
  redirect: 'close and follow Location',
  continue: 'send the request body',
  wait: 'wait for another response',
  close: 'close the WebSocket',
  invalid: 'not a valid status code',
};

/** The spec marks defined terms as `_term_`: shown in italics instead of with the underscores. */
export function specText(text: string) {
  return text.split(/_([^_]+)_/).map((part, i) => (i % 2 === 1 ? <em key={i}>{part}</em> : part));
}

/** What the spec's status-code table says about a round's response, in the table's own words. */
export function StatusMeaning({ round }: { round: Round }) {
  const s = round.status;
  return (
    <div class={`status-meaning action-${round.action}`} aria-label="Status code meaning">
      <div>
        <strong>{s ? `${s.code} ${s.meaning}` : 'No status'}</strong>
        <span class="badge">{ACTION_TEXT[round.action]}</span>
        {s && !s.listed && (
          <span class="muted">
            {' '}
            · not in the spec's table: read by its class{s.classCode ? ` (${s.classCode})` : ''}
          </span>
        )}
      </div>
      {s?.specAction && (
        <blockquote class="spec-quote">
          <span class="muted">Extended Handshake Action: </span>
          {specText(s.specAction)}
        </blockquote>
      )}
    </div>
  );
}
