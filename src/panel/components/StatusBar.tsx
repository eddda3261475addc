interface Props {
  stats: { sockets: number; khp: number; failed: number; frames: number; dropped: number };
  shown: number;
  connected: boolean;
  live: boolean;
}

/** `1 socket`, `2 sockets`. */
function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Counts along the bottom edge, like DevTools' Network summary. */
export function StatusBar({ stats, shown, connected, live }: Props) {
  return (
    <div class="status-bar" role="status" aria-live="polite">
      <span>
        {shown === stats.sockets
          ? plural(stats.sockets, 'socket')
          : `${shown} / ${plural(stats.sockets, 'socket')}`}
      </span>
      <span>{stats.khp} KHP</span>
      <span class={stats.failed > 0 ? 'bad' : undefined}>{stats.failed} failed</span>
      <span>{plural(stats.frames, 'frame')}</span>
      <span
        class={stats.dropped > 0 ? 'warn' : undefined}
        title="Frames the capture did not keep: past a socket's frame budget, or past the page's store while full capture held them with DevTools closed"
      >
        {stats.dropped} dropped
      </span>
      {live && <span class="conn-state">{connected ? 'live' : 'disconnected'}</span>}
    </div>
  );
}
