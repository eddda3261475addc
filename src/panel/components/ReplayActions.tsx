import { useEffect, useRef } from 'preact/hooks';
import type { CapturedSocket } from '../../protocol/capture';
import { KHP_PROTOCOL } from '../../protocol/khp';
import type { Chain, Connection } from '../../protocol/model';
import { usePanel } from '../store/context';
import { useReplayStore, useReplayView } from '../store/replay-context';
import { hopsFrom } from '../store/replay-store';

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

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
}

/**
 * "Replay" and "Edit and replay" for a KHP socket's detail, with keyboard shortcuts R and E inside the
 * detail; on a replay socket, "Compare" with the replay it belongs to.
 */
export function ReplayActions({ connection: c, socket, chain, byId }: Props) {
  const { store } = usePanel();
  const replay = useReplayStore();
  useReplayView(replay);
  const box = useRef<HTMLSpanElement>(null);
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

  useEffect(() => {
    const detail = box.current?.closest('.detail');
    if (!detail || !enabled) return;
    const onKey = (e: Event) => {
      const k = e as KeyboardEvent;
      if (k.defaultPrevented || k.ctrlKey || k.metaKey || k.altKey || typing(k.target)) return;
      if (k.key !== 'r' && k.key !== 'e') return;
      k.preventDefault();
      open(k.key === 'r' ? 'confirm' : 'edit');
    };
    detail.addEventListener('keydown', onKey);
    return () => detail.removeEventListener('keydown', onKey);
  });

  if (!canReplay(c)) return null;
  const why = replay.available ? '' : ' (needs the panel inside DevTools)';
  return (
    <span class="replay-actions" ref={box}>
      {session && (
        <button
          type="button"
          class="tool-button"
          onClick={() => replay.show(session)}
          title="Compare with the original"
        >
          Compare
        </button>
      )}
      <button
        type="button"
        class="tool-button"
        disabled={!enabled}
        onClick={() => open('confirm')}
        title={`Replay this handshake from the inspected page (R)${why}`}
        aria-keyshortcuts="R"
      >
        ⟳ Replay
      </button>
      <button
        type="button"
        class="tool-button"
        disabled={!enabled}
        onClick={() => open('edit')}
        title={`Edit the request, then replay it (E)${why}`}
        aria-keyshortcuts="E"
      >
        ✎ Edit and replay
      </button>
    </span>
  );
}
