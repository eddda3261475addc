/**
 * What the client-role cases share: a constructor, and the readings every judge makes of a client
 * from the server's side (did it close after a response it must not accept, did it treat a response
 * as completing, what it sent after). The wire log is kept as the client saw it, so `send` frames
 * are the client's and the decoder's roles apply unchanged.
 */
import type { Connection } from '../model';
import type { RuleId } from '../rules';
import type { ClientCase, Judgement, Observation } from './types';
import { answered, failed, findingsOf, ok } from './judge';

/** A client-role case; the category is the number before the dot of its id. */
export function clientCase(c: Omit<ClientCase, 'role' | 'category'>): ClientCase {
  return { ...c, role: 'client', category: Number(c.id.split('.')[0]) };
}

/** The rules an extended request answers to: a client whose request breaks them fails any case. */
export const REQUEST_RULES: readonly RuleId[] = [
  'malformed-request',
  'target-path-mismatch',
  'protocols-not-carried',
  'ext-list-empty',
];

/** The index of socket `conn` in the observation (-1 when absent). */
function indexOf(obs: Observation, conn: Connection | undefined): number {
  return obs.sockets.findIndex((s) => s.id === conn?.id);
}

/** The last frame of the last response `conn` got (its terminator included), or -1. */
function lastResponseFrame(conn: Connection): number {
  let last = -1;
  conn.roles.forEach((role, i) => {
    if (role === 'handshake-response' || role === 'terminator') last = i;
  });
  return last;
}

/** Messages the client sent on `conn` after the server's last response, other than extended requests. */
export function sentAfterResponse(obs: Observation, conn: Connection): number {
  const frames = obs.sockets[indexOf(obs, conn)]?.frames ?? [];
  const from = lastResponseFrame(conn);
  let n = 0;
  for (let i = from + 1; i < frames.length; i++) {
    if (frames[i]!.dir === 'send' && conn.roles[i] !== 'handshake-request') n++;
  }
  return n;
}

/** How a socket of the case ended: who started the close, and with which code. */
export function closeOf(obs: Observation, conn: Connection | undefined): { by: string; code: number | null } {
  const i = indexOf(obs, conn);
  return { by: obs.closedBy[i] ?? 'none', code: obs.sockets[i]?.close?.code ?? null };
}

/** Why no extended request came on `conn`, or null when one did. */
export function whyNoRequest(obs: Observation, conn: Connection | undefined): string | null {
  if (!conn) return 'the client opened no socket';
  if ((conn.rounds[0]?.request ?? null) !== null) return null;
  return obs.timedOut
    ? 'the client sent no extended request before the timeout'
    : 'the client closed without sending an extended request';
}

/**
 * The client must not take `what` as completing (spec, "Extended Handshake Response": the client
 * must _Close the WebSocket Connection_; the status table: "A Client receiving this response MUST
 * Close the WebSocket Connection"): it closes, and sends nothing after the response.
 */
export function mustClose(obs: Observation, conn: Connection | undefined, what: string): Judgement {
  const why = whyNoRequest(obs, conn);
  if (why !== null) return failed(why);
  if (answered(conn).length === 0) return failed('the case sent no response (the client closed first)');
  const sent = sentAfterResponse(obs, conn!);
  if (sent > 0) return failed(`the client sent ${sent} message(s) after ${what}: it took it as completing`);
  const { by, code } = closeOf(obs, conn);
  if (by !== 'client') return failed(`the client did not close after ${what}`);
  return ok(`the client closed (${code}) after ${what} and sent nothing more`);
}

/**
 * The client must take the response as completing (spec, 101: "MUST consider the extended handshake
 * completed"): a well-formed request, and then data, or a socket kept open, rather than a close in
 * error (a close code other than 1000 or 1001, before sending anything).
 */
export function mustComplete(obs: Observation, conn: Connection | undefined, what: string): Judgement {
  const why = whyNoRequest(obs, conn);
  if (why !== null) return failed(why);
  const broken = findingsOf(conn, REQUEST_RULES);
  if (broken.length > 0) return failed('the extended request breaks the spec', ...broken);
  const sent = sentAfterResponse(obs, conn!);
  if (sent > 0) return ok(`the client sent ${sent} message(s) after ${what}`);
  const { by, code } = closeOf(obs, conn);
  if (by === 'client' && code !== 1000 && code !== 1001) {
    return failed(`the client closed (${code}) after ${what}: it did not take it as completing`);
  }
  return ok(
    by === 'client'
      ? `the client closed ${code} after ${what}`
      : `the client kept the socket open after ${what}`,
  );
}

/** The connections of the case whose opening path ends with `/case/<id>/<step>` (`''`: the case's own path). */
export function socketsAt(connections: readonly Connection[], id: string, step = ''): Connection[] {
  const path = step ? `/case/${id}/${step}` : `/case/${id}`;
  return connections.filter((c) => {
    try {
      return new URL(c.url).pathname.replace(/\/+$/, '') === path;
    } catch {
      return false;
    }
  });
}
