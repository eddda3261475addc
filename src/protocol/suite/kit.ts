/**
 * What the case catalogue shares: the spec sections cases cite, a constructor for server-role
 * cases, following a redirect chain the way a client must, and reading frames by their decoded role.
 */
import type { Connection, FrameRole } from '../model';
import { endpointKey } from '../urls';
import { MAX_REDIRECTS } from '../chains';
import type { Driver, Judgement, Observation, SuiteCase } from './types';
import { failed, judgeClose, nonStrict, ok } from './judge';

/** Spec sections, as cases name them. */
export const OPENING = 'Handshake Requirements for the Opening WebSocket Handshake';
export const EXTENDED = 'Handshake Requirements for the Extended WebSocket Handshake';
export const CODES = 'Kaazing Extended Handshake Response Codes';
export const GUIDE = 'KHP in the wild (real gateways)';

/** A server-role case; the category is the number before the dot of its id. */
export function serverCase(c: Omit<SuiteCase, 'role' | 'category'>): SuiteCase {
  return { ...c, role: 'server', category: Number(c.id.split('.')[0]) };
}

/**
 * Follows 3xx and balancer redirects from the socket just answered, as a client must (spec, 3xx:
 * "proceed with a fresh opening handshake to the URL specified in the Location: header"; "no more
 * than a fixed maximum number of reconnect attempts"; "detecting redirect loops"): at most five,
 * never back to an endpoint already visited. Returns the last socket's reading.
 */
export async function follow(d: Driver, answered: Connection | null): Promise<Connection | null> {
  let conn = answered;
  const seen = new Set<string>(conn ? [endpointKey(conn.url)] : []);
  for (let hops = 0; conn?.outcome === 'redirected' && conn.redirectTo !== null; hops++) {
    const next = conn.redirectTo;
    if (hops >= MAX_REDIRECTS || seen.has(endpointKey(next))) break;
    seen.add(endpointKey(next));
    // Spec, 302: the client MUST complete the WebSocket close handshake first.
    await d.close(1000, 'redirect');
    if (!(await d.open({ url: next }))) return null;
    d.request();
    conn = await d.response();
    if (conn?.redirectKind === 'balancer' || conn?.outcome === 'open') await d.listen();
    conn = d.decoded();
  }
  return conn;
}

/** Indexes of the frames of `conn` sent (or received) with `role`. */
export function framesWith(
  conn: Connection | null | undefined,
  role: FrameRole,
  obs: Observation,
  dir?: 'send' | 'receive',
): number[] {
  const socket = obs.sockets.find((s) => s.id === conn?.id);
  const out: number[] = [];
  conn?.roles.forEach((r, i) => {
    if (r === role && (dir === undefined || socket?.frames[i]?.dir === dir)) out.push(i);
  });
  return out;
}

/** The received frames of `conn` from index `from` on, with their roles. */
export function receivedAfter(
  conn: Connection | null | undefined,
  obs: Observation,
  from: number,
): FrameRole[] {
  const socket = obs.sockets.find((s) => s.id === conn?.id);
  const out: FrameRole[] = [];
  for (let i = from + 1; i < (conn?.roles.length ?? 0); i++) {
    if (socket?.frames[i]?.dir === 'receive') out.push(conn!.roles[i]!);
  }
  return out;
}

/**
 * A judge made of the close alone (category 8): the case is FAILED when the close is, NON-STRICT
 * for a wrong code (the spec names no code; the k3po scripts and gateways do), FAILED when unclean
 * (spec: "_Close the WebSocket Connection_ following the definition in [WSP]", a close handshake).
 */
export function byClose(c: Pick<SuiteCase, 'close'>, obs: Observation): Judgement {
  // The close verdict's own note follows in the report (judgeCase); this says what it means here.
  const { verdict } = judgeClose(c.close!, obs);
  if (verdict === 'OK') return ok();
  if (verdict === 'WRONG CODE') {
    return nonStrict('the close code is not the one gateways and the k3po scripts use');
  }
  return failed(`close ${verdict}: not the close the spec asks for`);
}
