interface Props {
  stats: { sockets: number; khp: number; failed: number; frames: number; dropped: number };
  shown: number;
  connected: boolean;
  live: boolean;
}

/** Counts along the bottom edge, like DevTools' Network summary. */
export function StatusBar({ stats, shown, connected, live }: Props) {
  return (
    <div class="status-bar" role="status" aria-live="polite">
      <span>
        {shown === stats.sockets ? `${stats.sockets} sockets` : `${shown} / ${stats.sockets} sockets`}
      </span>
      <span>{stats.khp} KHP</span>
      <span class={stats.failed > 0 ? 'bad' : undefined}>{stats.failed} failed</span>
      <span>{stats.frames} frames</span>
      <span class={stats.dropped > 0 ? 'warn' : undefined}>{stats.dropped} dropped</span>
      {live && <span class="conn-state">{connected ? 'live' : 'disconnected'}</span>}
    </div>
  );
}
