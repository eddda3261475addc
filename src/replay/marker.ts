/**
 * How the hook learns that a socket was opened by a replay: the page runner passes a third argument
 * to the `WebSocket` constructor, a string `khp-replay-of:<socket id>`. Browsers ignore extra
 * constructor arguments (WebIDL), so the socket itself is unchanged; the hook reads the marker and
 * puts `replayOf` on the socket's `create` event.
 *
 * The page can write the same marker on its own sockets: that only mislabels the page's own socket
 * as a replay, which the panel then shows with a "replay" tag. No replay can be started this way:
 * only the panel starts replays (`devtools.inspectedWindow.eval`).
 */

/** The marker's prefix. */
export const REPLAY_MARKER_PREFIX = 'khp-replay-of:';

/** Longest socket id a marker may carry. */
const MAX_ID = 200;

/** The marker for a replay of socket `id`. */
export function replayMarker(id: string): string {
  return REPLAY_MARKER_PREFIX + id;
}

/**
 * The socket id a constructor argument marks, or undefined. Runs in the hook: only `typeof`, index
 * access and `+`, so a page that patched `String.prototype` cannot break or observe it.
 */
export function readReplayMarker(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const p = REPLAY_MARKER_PREFIX;
  const n = value.length;
  if (n <= p.length || n > p.length + MAX_ID) return undefined;
  for (let i = 0; i < p.length; i++) if (value[i] !== p[i]) return undefined;
  let id = '';
  for (let i = p.length; i < n; i++) id += value[i];
  return id;
}
