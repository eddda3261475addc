import type { CapturedSocket } from '../../protocol/capture';
import { KHP_PROTOCOL } from '../../protocol/khp';
import type { Chain, Connection } from '../../protocol/model';
import { usePanel } from '../store/context';
import { useReplayStore, useReplayView } from '../store/replay-context';
import { hopsFrom } from '../store/replay-store';
import { controlKeys } from '../store/shortcuts';

interface Props {
  connection: Connection;
  socket: CapturedSocket;
  chain: Chain | undefined;
  byId: Map<string, Connection>;
}

/** True for a socket that asked for or negotiated x-kaazing-handshake: it can be replayed. */
export function canReplay(c: Connection): boolean {
  return c.khp || c.requestedProtocols.includes(KHP_PROTOCOL);
}

/**
 * "Replay" and "Edit and replay" for a KHP socket's detail; on a replay socket, "Compare" with the
 * replay it belongs to. Their keys (R, E, C) are the panel's shortcuts (App clicks these buttons).
 */
export function ReplayActions({ connection: c, socket, chain, byId }: Props) {
  const { store } = usePanel();
  const replay = useReplayStore();
  useReplayView(replay);
  const enabled = canReplay(c) && replay.available;
  const open = (step: 'edit' | 'confirm') => {
    const snap = store.getSnapshot();
    replay.open(
      c,
      socket,
      hopsFrom(c, chain ? [chain] : snap.chains, byId),
      step,
      snap.source.kind === 'imported',
    );
  };
  const session = c.replayOf
    ? [...replay.sessions()]
        .reverse()
        .find((s) => s.originalId === c.replayOf && s.startedAt - 50 <= c.startedAt)
    : undefined;

  if (!canReplay(c)) return null;
  const why = replay.available ? '' : ' (needs the panel inside DevTools)';
  return (
    <span class="replay-actions">
      {session && (
        <button
          type="button"
          class="tool-button"
          onClick={() => replay.show(session)}
          title={`Compare with the original (${controlKeys('compare')})`}
          aria-keyshortcuts={controlKeys('compare')}
        >
          Compare
        </button>
      )}
      <button
        type="button"
        class="tool-button"
        disabled={!enabled}
        onClick={() => open('confirm')}
        title={`Replay this handshake from the inspected page (${controlKeys('replay')})${why}`}
        aria-keyshortcuts={controlKeys('replay')}
      >
        ⟳ Replay
      </button>
      <button
        type="button"
        class="tool-button"
        disabled={!enabled}
        onClick={() => open('edit')}
        title={`Edit the request, then replay it (${controlKeys('edit-replay')})${why}`}
        aria-keyshortcuts={controlKeys('edit-replay')}
      >
        ✎ Edit and replay
      </button>
    </span>
  );
}
