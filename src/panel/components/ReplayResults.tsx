import type { Connection } from '../../protocol/model';
import type { ReplaySession } from '../store/replay-store';
import { ReplayCompare } from './ReplayCompare';

interface Props {
  session: ReplaySession;
  /** The replay's sockets found in the live capture so far. */
  hops: Connection[];
  onOpen(id: string): void;
  onClose(): void;
}

/** After "Send": whether the page started the replay, its sockets, and the comparison. */
export function ReplayResults({ session, hops, onOpen, onClose }: Props) {
  return (
    <div class="replay-results">
      <p role="status" class={session.status === 'failed' ? 'replay-issue error' : undefined}>
        {session.status === 'starting' && 'Starting the replay in the inspected page…'}
        {session.status === 'started' &&
          (hops.length
            ? `Replay: ${hops.length} socket${hops.length === 1 ? '' : 's'} opened.`
            : 'Replay started; waiting for its socket…')}
        {session.status === 'failed' && `The replay did not start: ${session.error ?? 'unknown error'}`}
      </p>
      {hops.length > 0 && (
        <p>
          {hops.map((h, i) => (
            <button key={h.id} type="button" class="link-button" onClick={() => onOpen(h.id)} title={h.url}>
              Show replay socket {i + 1}
            </button>
          ))}
        </p>
      )}
      <ReplayCompare original={session.originalHops} replay={hops} />
      <div class="replay-buttons">
        <button type="button" class="tool-button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
