/**
 * Judging a case: the decoder reads the wire log (one home for every protocol rule), the case's own
 * judge turns that reading into a verdict, and the close is judged apart from it. Also the small
 * vocabulary the case judges share.
 */
import { decodeCapture } from '../index';
import type { Connection, DecodeResult, DecodedResponse, Round } from '../model';
import type { RuleId } from '../rules';
import type {
  CloseExpectation,
  CloseVerdict,
  Driver,
  Judgement,
  Observation,
  OpenOptions,
  PathKey,
  RequestOptions,
  SuiteCaseBase,
  Verdict,
} from './types';

/** A verdict with its reasons. */
export const verdict = (v: Verdict, ...notes: string[]): Judgement => ({ verdict: v, notes });
export const ok = (...notes: string[]): Judgement => verdict('OK', ...notes);
export const failed = (...notes: string[]): Judgement => verdict('FAILED', ...notes);
export const nonStrict = (...notes: string[]): Judgement => verdict('NON-STRICT', ...notes);
export const info = (...notes: string[]): Judgement => verdict('INFORMATIONAL', ...notes);
export const unimplemented = (...notes: string[]): Judgement => verdict('UNIMPLEMENTED', ...notes);

/** The rounds of a connection that got a response. */
export function answered(conn: Connection | null | undefined): (Round & { response: DecodedResponse })[] {
  return (conn?.rounds ?? []).filter((r): r is Round & { response: DecodedResponse } => r.response !== null);
}

/** The status codes a connection received, in order (`101`, `401 → 101`). */
export function statuses(conn: Connection | null | undefined): number[] {
  return answered(conn).map((r) => r.response.status);
}

/** `401 → 101`, or `no response`. */
export function statusText(conn: Connection | null | undefined): string {
  const all = statuses(conn);
  return all.length ? all.join(' → ') : 'no response';
}

/** The findings of `conn` under `rules`, as notes (`rule: message`). */
export function findingsOf(conn: Connection | null | undefined, rules: readonly RuleId[]): string[] {
  return (conn?.findings ?? [])
    .filter((f) => rules.includes(f.rule as RuleId))
    .map((f) => `${f.rule}: ${f.message}`);
}

/** The first connection the case opened, decoded. */
export function first(decoded: DecodeResult): Connection | undefined {
  return decoded.connections[0];
}

/** Why a socket never reached a response, or null when it did. */
export function whyNoResponse(obs: Observation, conn: Connection | null | undefined): string | null {
  if (!conn) return obs.error ?? 'no socket was opened';
  if (conn.protocol === null) return `the opening handshake failed${obs.error ? ` (${obs.error})` : ''}`;
  if (!conn.khp) return 'the server did not negotiate x-kaazing-handshake';
  if (answered(conn).length > 0) return null;
  // A response the decoder could not read is no response; say why it could not.
  const broken = findingsOf(conn, ['malformed-response', 'status-invalid', 'handshake-too-large']);
  if (broken.length > 0) return `no readable extended response (${broken.join('; ')})`;
  return obs.timedOut
    ? 'no extended response before the timeout'
    : 'the socket closed without an extended response';
}

/**
 * The verdict of a case that expects the handshake to complete: FAILED with the decoder's reasons
 * when it did not, else null (the case goes on judging).
 */
export function unlessCompleted(
  obs: Observation,
  conn: Connection | null | undefined,
  rules: readonly RuleId[],
): Judgement | null {
  const why = whyNoResponse(obs, conn);
  if (why !== null) return failed(why, ...findingsOf(conn, rules));
  if (conn!.outcome === 'open') return null;
  return failed(
    `the handshake did not complete (${statusText(conn)}, outcome ${conn!.outcome})`,
    ...findingsOf(conn, rules),
  );
}

/** Opens `key`, sends the extended request and waits for the response (null when any step failed). */
export async function handshake(
  d: Driver,
  key: PathKey = 'main',
  open?: OpenOptions,
  request?: RequestOptions,
): Promise<Connection | null> {
  if (!(await d.open({ key }, open))) return null;
  d.request(request);
  return d.response();
}

/**
 * The close verdict of the last socket a case opened. The side that must close did not: FAILED; no
 * complete close handshake: UNCLEAN; a code not expected: WRONG CODE.
 */
export function judgeClose(
  expect: CloseExpectation,
  obs: Observation,
): { verdict: CloseVerdict; note: string } {
  const i = obs.sockets.length - 1;
  const socket = obs.sockets[i];
  const by = obs.closedBy[i] ?? 'none';
  const close = socket?.close;
  if (!socket || socket.openedAt === undefined)
    return { verdict: 'FAILED', note: 'close: the socket never opened' };
  if (!close || by === 'timeout' || by === 'none') {
    return {
      verdict: 'FAILED',
      note: `close: the ${expect.by === 'client' ? 'close' : 'server'} did not close in time`,
    };
  }
  const what = `close ${close.code} started by the ${by}`;
  if (expect.by !== 'either' && by !== expect.by)
    return { verdict: 'FAILED', note: `${what}; the ${expect.by} should close` };
  if (!close.wasClean) return { verdict: 'UNCLEAN', note: `${what}, without a complete close handshake` };
  if (!expect.codes.includes(close.code)) {
    return { verdict: 'WRONG CODE', note: `${what}; expected ${expect.codes.join(' or ')}` };
  }
  return { verdict: 'OK', note: what };
}

/** Judges one case from what it observed: the case's verdict, its close verdict, the reasons. */
export function judgeCase(
  c: SuiteCaseBase,
  obs: Observation,
): { verdict: Verdict; close: CloseVerdict | null; notes: string[]; decoded: DecodeResult } {
  const decoded = decodeCapture(obs.sockets);
  if (obs.unavailable !== undefined) {
    return { verdict: 'UNIMPLEMENTED', close: null, notes: [obs.unavailable], decoded };
  }
  const judged = c.judge(obs, decoded);
  const notes = [...judged.notes];
  let close: CloseVerdict | null = null;
  // A case whose feature the peer lacks did not get as far as its close.
  if (c.close && judged.verdict !== 'UNIMPLEMENTED') {
    const closeJudged = judgeClose(c.close, obs);
    close = closeJudged.verdict;
    notes.push(closeJudged.note);
  }
  if (obs.error !== undefined && !notes.some((n) => n.includes(obs.error!)))
    notes.push(`error: ${obs.error}`);
  return { verdict: judged.verdict, close, notes, decoded };
}

/** True when a result counts as a failure for the exit code: the case or its close FAILED. */
export function isFailure(result: { verdict: Verdict; close: CloseVerdict | null }): boolean {
  return result.verdict === 'FAILED' || result.close === 'FAILED';
}
