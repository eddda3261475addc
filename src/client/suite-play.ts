/**
 * How the project's KHP client plays one case of `khp-inspect suite client` (docs/suite.md, "The
 * client role"), the same in Node and in the suite's browser page: connect to the case URL with the
 * suite's demo credentials, and once the handshake completes send one message, give the server a
 * moment (it may close first), and close with 1000.
 */
import { KhpClient } from './khp-client';
import type { WebSocketConstructor } from './types';

/** The credentials the suite's 401 cases accept (any Basic credentials do; these are the demo's). */
export const SUITE_USER = { user: 'joe', password: 'welcome' };

/** What the client did with a case: `completed`, or the error code it failed with. */
export interface PlayOutcome {
  outcome: string;
  message: string;
}

/** Plays the case at `url` (a `ws://host/case/<id>?agent=NAME` URL) with the project's client. */
export async function playCase(
  url: string,
  WebSocket: WebSocketConstructor,
  options: { timeoutMs?: number; holdMs?: number } = {},
): Promise<PlayOutcome> {
  const client = new KhpClient({
    url,
    WebSocket,
    credentials: () => SUITE_USER,
    timeoutMs: options.timeoutMs ?? 5_000,
  });
  try {
    const conn = await client.connect();
    try {
      conn.send('khp-suite: completed');
    } catch {
      // the server closed first (case 8.2)
    }
    await Promise.race([conn.closed, new Promise((resolve) => setTimeout(resolve, options.holdMs ?? 100))]);
    await conn.close(1000, 'khp-suite: done');
    return { outcome: 'completed', message: `completed at ${conn.url}` };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    return {
      outcome: typeof code === 'string' ? code : 'error',
      message: String((err as Error).message ?? err),
    };
  }
}
