/**
 * Server-role cases, categories 3 (401 rounds) and 4 (3xx and balancer redirects).
 */
import { readChallenge } from '../challenge';
import { getHeader } from '../http1';
import type { Connection } from '../model';
import type { Driver, Judgement, Observation, PathKey, SuiteCase } from './types';
import { Unavailable } from './types';
import {
  answered,
  failed,
  findingsOf,
  first,
  handshake,
  info,
  nonStrict,
  ok,
  statusText,
  statuses,
  unimplemented,
  whyNoResponse,
} from './judge';
import { CODES, EXTENDED, GUIDE, follow, serverCase } from './kit';

/** The challenge scheme of a 401 (`Application Basic realm=...` → `Basic`), and whether it had the prefix. */
function challengeOf(
  conn: Connection | undefined,
  round: number,
): { scheme: string; application: boolean } | null {
  const header = getHeader(answered(conn)[round]?.response.headers ?? [], 'www-authenticate');
  if (header === undefined) return null;
  return { scheme: readChallenge(header).scheme, application: /^\s*Application\s/i.test(header) };
}

/** Spec, 401: the first answer on an auth path is a challenge naming `scheme`. */
function challenged(obs: Observation, conn: Connection | undefined, scheme: string): Judgement {
  const why = whyNoResponse(obs, conn);
  if (why !== null) return failed(why);
  const status = statuses(conn)[0];
  if (status !== 401) {
    return conn!.outcome === 'open'
      ? unimplemented(`the path completed without asking for credentials (${statusText(conn)})`)
      : failed(`expected 401, got ${statusText(conn)}`);
  }
  const c = challengeOf(conn, 0);
  if (c === null) return failed(...findingsOf(conn, ['challenge-missing']));
  if (c.scheme.toLowerCase() !== scheme.toLowerCase())
    return info(`the challenge names ${c.scheme}, not ${scheme}`);
  if (!c.application)
    return nonStrict(
      `WWW-Authenticate: ${c.scheme} without the Application prefix (browsers then show their own login box)`,
    );
  return ok(`401 with WWW-Authenticate: Application ${c.scheme}`);
}

/** Replays on the same socket while it is answered 401, with `auth` per round; stops at `rounds`. */
async function replay(
  d: Driver,
  key: PathKey,
  auths: ('basic' | 'token' | 'wrong-basic' | 'wrong-token')[],
): Promise<void> {
  let conn = await handshake(d, key);
  for (const auth of auths) {
    if (conn === null || statuses(conn).at(-1) !== 401) return;
    d.request({ auth });
    conn = await d.response();
  }
}

function needs(d: Driver, what: 'user' | 'token'): void {
  if (what === 'user' && d.config.user === null)
    throw new Unavailable('no Basic credentials given (--user or "user" in the config)');
  if (what === 'token' && d.config.token === null)
    throw new Unavailable('no token given (--token or "token" in the config)');
}

/** A replay with right credentials completes on the same socket. */
function replayCompletes(obs: Observation, conn: Connection | undefined, scheme: string): Judgement {
  const challenge = challenged(obs, conn, scheme);
  if (challenge.verdict === 'FAILED' || challenge.verdict === 'UNIMPLEMENTED') return challenge;
  if (conn!.outcome === 'open') return ok(statusText(conn), ...challenge.notes);
  return failed(
    `the replay with right credentials did not complete: ${statusText(conn)}`,
    ...findingsOf(conn, ['replay-without-credentials']),
  );
}

export const AUTH_CASES: SuiteCase[] = [
  serverCase({
    id: '3.1',
    title: 'A Basic challenge',
    description: 'Sends the extended request without Authorization on the basic path.',
    expectation:
      '401 with WWW-Authenticate: Application Basic realm="..." (the Application prefix keeps browsers quiet).',
    spec: `${CODES}, 401: the response must include a WWW-Authenticate header field containing a challenge`,
    rules: ['challenge-missing'],
    run: async (d) => void (await handshake(d, 'basic')),
    judge: (obs, decoded) => challenged(obs, first(decoded), 'Basic'),
  }),
  serverCase({
    id: '3.2',
    title: 'Replay with Basic credentials on the same socket',
    description: 'Answers the 401 with the configured user and password, on the same socket.',
    expectation: '401 → 101: the replayed request completes the handshake.',
    spec: `${CODES}, 401: clients SHOULD reply with a replayed extended handshake request containing authorization information`,
    rules: ['challenge-missing', 'replay-without-credentials'],
    run: async (d) => {
      needs(d, 'user');
      await replay(d, 'basic', ['basic']);
    },
    judge: (obs, decoded) => replayCompletes(obs, first(decoded), 'Basic'),
  }),
  serverCase({
    id: '3.3',
    title: 'Token challenge and replay',
    description: 'On the token path, answers the 401 with `Authorization: Token <t>`.',
    expectation: '401 with WWW-Authenticate: Application Token, then 101 on the replay.',
    spec: `${CODES}, 401; ${GUIDE}, 401: Application Token`,
    rules: ['challenge-missing', 'replay-without-credentials'],
    run: async (d) => {
      needs(d, 'token');
      await replay(d, 'token', ['token']);
    },
    judge: (obs, decoded) => replayCompletes(obs, first(decoded), 'Token'),
  }),
  serverCase({
    id: '3.4',
    title: 'Several rounds: wrong credentials, then right ones',
    description: 'Answers the first 401 with a wrong password, the second with the right one, on one socket.',
    expectation: '401 → 401 → 101: there is no fixed round limit.',
    spec: `${CODES}, 401; ${GUIDE}, 401: a gateway may answer 401 several times`,
    rules: ['challenge-missing'],
    run: async (d) => {
      needs(d, 'user');
      await replay(d, 'basic', ['wrong-basic', 'basic']);
    },
    judge: (obs, decoded) => {
      const conn = first(decoded);
      const challenge = challenged(obs, conn, 'Basic');
      if (challenge.verdict === 'FAILED' || challenge.verdict === 'UNIMPLEMENTED') return challenge;
      const all = statuses(conn);
      if (all[1] !== undefined && all[1] !== 401 && all[1] < 300)
        return failed(`wrong credentials were accepted: ${statusText(conn)}`);
      if (conn!.outcome === 'open') return ok(statusText(conn));
      return info(`the server ended the rounds early: ${statusText(conn)}`);
    },
  }),
  serverCase({
    id: '3.5',
    title: 'Wrong credentials never complete',
    description: 'Answers every 401 with a wrong password, four times.',
    expectation: 'More 401s, or 403 and a close; never a completing response.',
    spec: `${CODES}, 401; ${GUIDE}: 401 several times and then 403`,
    rules: ['challenge-missing'],
    run: (d) => replay(d, 'basic', ['wrong-basic', 'wrong-basic', 'wrong-basic', 'wrong-basic']),
    judge: (obs, decoded) => {
      const conn = first(decoded);
      const challenge = challenged(obs, conn, 'Basic');
      if (challenge.verdict === 'FAILED' || challenge.verdict === 'UNIMPLEMENTED') return challenge;
      if (conn!.outcome === 'open')
        return failed(`wrong credentials completed the handshake: ${statusText(conn)}`);
      return ok(statusText(conn));
    },
  }),
];

/** The Location of the first response, and how it is written. */
function locationForm(
  conn: Connection | undefined,
): { location: string; form: 'absolute' | 'ws' | 'relative' } | null {
  const location = getHeader(answered(conn)[0]?.response.headers ?? [], 'location');
  if (location === undefined) return null;
  const form = /^https?:\/\//i.test(location) ? 'absolute' : /^wss?:\/\//i.test(location) ? 'ws' : 'relative';
  return { location, form };
}

/** A 3xx with a usable Location on the first socket. */
function redirected(obs: Observation, conn: Connection | undefined): Judgement {
  const why = whyNoResponse(obs, conn);
  if (why !== null) return failed(why);
  const status = statuses(conn)[0]!;
  if (status < 300 || status > 399) return failed(`expected a 3xx, got ${statusText(conn)}`);
  const broken = findingsOf(conn, ['redirect-without-location', 'redirect-location-invalid']);
  if (broken.length > 0) return failed(...broken);
  const loc = locationForm(conn)!;
  if (loc.form === 'relative')
    return nonStrict(`${status} with a relative Location (${loc.location}); gateways write an absolute URL`);
  return ok(`${status} to ${loc.location}`);
}

const chainOf = (obs: Observation, decoded: { chains: { outcome: string; connections: string[] }[] }) =>
  decoded.chains.find((c) => c.connections.includes(obs.sockets[0]?.id ?? ''));

export const REDIRECT_CASES: SuiteCase[] = [
  serverCase({
    id: '4.1',
    title: 'A redirect carries a usable Location',
    description: 'Sends the extended request on the redirect path and reads the 3xx.',
    expectation:
      'A 3xx whose Location maps to a ws:// or wss:// URL (absolute http:// as gateways write it).',
    spec: `${CODES}, 302: proceed with a fresh opening handshake to the URL specified in the Location: header`,
    rules: ['redirect-without-location', 'redirect-location-invalid'],
    run: async (d) => {
      await handshake(d, 'redirect');
      await d.awaitClose();
    },
    judge: (obs, decoded) => redirected(obs, first(decoded)),
  }),
  serverCase({
    id: '4.2',
    title: 'Following the redirects reaches an open socket',
    description: 'Follows every 3xx from the redirect path, closing each socket first, at most five.',
    expectation: 'The chain ends on a socket whose handshake completes.',
    spec: `${CODES}, 302: the client completes the close handshake and proceeds with a fresh opening handshake`,
    rules: ['redirect-without-location', 'redirect-location-invalid', 'too-many-redirects'],
    run: async (d) => void (await follow(d, await handshake(d, 'redirect'))),
    judge: (obs, decoded) => {
      const chain = chainOf(obs, decoded);
      if (chain?.outcome === 'open') return ok(`${chain.connections.length} sockets, the last one open`);
      return failed(
        `the chain ended ${chain?.outcome ?? 'without a socket'}`,
        ...findingsOf(decoded.connections.at(-1), ['redirect-without-location', 'redirect-location-invalid']),
      );
    },
  }),
  serverCase({
    id: '4.3',
    title: 'A redirect loop is seen and not followed',
    description: 'Follows the redirects of the loop path until an endpoint comes back.',
    expectation: 'Every hop is a proper 3xx; the chain returns to a visited endpoint, where clients stop.',
    spec: `${CODES}, 302: the client is responsible for detecting redirect loops and avoiding reconnection attempts`,
    rules: ['redirect-loop'],
    run: async (d) => void (await follow(d, await handshake(d, 'loop'))),
    judge: (obs, decoded) => {
      const hop = redirected(obs, first(decoded));
      if (hop.verdict === 'FAILED') return hop;
      const chain = chainOf(obs, decoded);
      if (chain?.outcome === 'loop') return ok(`a loop after ${chain.connections.length} sockets`);
      if (chain?.outcome === 'open') return info('the loop path does not loop: the chain opened');
      return failed(`the chain ended ${chain?.outcome ?? 'without a socket'}`);
    },
  }),
  serverCase({
    id: '4.4',
    title: 'More than five redirects',
    description: 'Follows the redirects of the many path, five at most.',
    expectation: 'Every hop is a proper 3xx; after five the sixth asks for one more, where clients stop.',
    spec: `${CODES}, 3xx: the client should make no more than a fixed maximum number of reconnect attempts (five)`,
    rules: ['too-many-redirects'],
    run: async (d) => void (await follow(d, await handshake(d, 'many'))),
    judge: (obs, decoded) => {
      const hop = redirected(obs, first(decoded));
      if (hop.verdict === 'FAILED') return hop;
      const chain = chainOf(obs, decoded);
      if (chain?.outcome === 'too-many-redirects')
        return ok(`stopped after ${chain.connections.length} sockets`);
      if (chain?.outcome === 'open')
        return info(`the chain opened after ${chain.connections.length} sockets`);
      return failed(`the chain ended ${chain?.outcome ?? 'without a socket'}`);
    },
  }),
  serverCase({
    id: '4.5',
    title: 'A balancer redirect after completion',
    description:
      'Completes the handshake on the balancer path with .kl=Y, then follows the balancer redirect.',
    expectation:
      'U+F0FF R and an absolute ws:// URL, where a new KHP connection completes. Real-gateway behaviour, outside the spec text: non-strict.',
    spec: `${GUIDE}, balancer messages; ${EXTENDED}: no other messages should be sent`,
    rules: ['message-before-completion'],
    run: async (d) => {
      const conn = await handshake(d, 'balancer');
      if (conn?.outcome === 'open') await d.until((c) => c.redirectKind === 'balancer', d.config.quietMs * 3);
      await follow(d, d.decoded());
    },
    judge: (obs, decoded) => {
      const conn = first(decoded);
      const why = whyNoResponse(obs, conn);
      if (why !== null) return failed(why);
      if (conn!.redirectKind !== 'balancer') {
        return conn!.outcome === 'open'
          ? unimplemented('no balancer redirect after completion')
          : failed(`the handshake did not complete: ${statusText(conn)}`);
      }
      const last = decoded.connections.at(-1);
      if (decoded.connections.length < 2 || last?.outcome !== 'open')
        return failed(`the balancer redirect to ${conn!.redirectTo} did not lead to an open socket`);
      return nonStrict(`balancer redirect to ${conn!.redirectTo}, which completed`);
    },
  }),
];
