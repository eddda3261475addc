/**
 * Server-role cases, categories 5 (extension negotiation and the extensions' behaviour after
 * completion) and 6 (status codes, read by the spec's table).
 */
import { utf8Decode } from '../bytes';
import {
  IDLE_TIMEOUT_EXTENSION,
  PING_PONG_EXTENSION,
  extendedPing,
  grantedIdleTimeoutMs,
  grantedPrefix,
} from '../control-frames';
import type { Connection, FrameRole } from '../model';
import type { RuleId } from '../rules';
import type { Driver, Judgement, Observation, SuiteCase } from './types';
import {
  answered,
  failed,
  findingsOf,
  first,
  info,
  nonStrict,
  ok,
  statusText,
  statuses,
  unimplemented,
  unlessCompleted,
  whyNoResponse,
} from './judge';
import { CODES, EXTENDED, GUIDE, framesWith, receivedAfter, serverCase } from './kit';

const UNKNOWN_EXTENSION = 'x-khp-suite-unknown';
const DEFLATE = 'permessage-deflate';
/** The longest granted idle timeout case 5.7 waits out. */
const MAX_IDLE_WAIT_MS = 5_000;

/** Opens with permessage-deflate and, when the opening negotiated it, asks for it again. */
async function renegotiate(d: Driver): Promise<void> {
  if (!(await d.open({ key: 'main' }, { deflate: true }))) return;
  if (!d.decoded().openingExtensions.some((e) => e.name === DEFLATE)) return;
  d.request({ extensions: [DEFLATE] });
  await d.response();
}

/** Spec: an extension negotiated in both handshakes is answered in error, then the server closes. */
function renegotiated(obs: Observation, conn: Connection | undefined): Judgement {
  if (!conn?.khp) return failed(whyNoResponse(obs, conn) ?? 'no KHP socket');
  if (!conn.openingExtensions.some((e) => e.name === DEFLATE))
    return unimplemented(`the opening negotiated no extension (${DEFLATE} offered)`);
  if (conn.outcome === 'open')
    return failed(
      `the server completed (${statusText(conn)}) although ${DEFLATE} was negotiated in the opening`,
    );
  if (answered(conn).length === 0) {
    return obs.closedBy[0] === 'server'
      ? nonStrict(
          'the server closed without a response (as the k3po script does; the spec asks for an error response first)',
        )
      : failed('no error response and no close');
  }
  return ok(`answered ${statusText(conn)} in error`);
}

/** Completes asking for `extensions`, and gives the completed socket to `then`. */
async function withExtensions(
  d: Driver,
  extensions: string[],
  then?: (conn: Connection) => Promise<void>,
  key: 'main' | 'idle' = 'main',
): Promise<void> {
  if (!(await d.open({ key }))) return;
  d.request({ extensions });
  const conn = await d.response();
  if (conn?.outcome === 'open' && then) await then(conn);
}

/** Completes with ping-pong and, when it was granted, gives its prefix to `then`. */
function withPingPong(
  d: Driver,
  then: (prefix: Uint8Array, conn: Connection) => Promise<void>,
): Promise<void> {
  return withExtensions(d, [PING_PONG_EXTENSION], async (conn) => {
    const prefix = grantedPrefix(conn.extensions, PING_PONG_EXTENSION);
    if (prefix) await then(prefix, conn);
  });
}

/**
 * The roles of what came back after the first `role` message the suite sent on a socket with
 * ping-pong granted (balancer notices left out), or the verdict when there is nothing to read.
 */
function repliesTo(
  obs: Observation,
  conn: Connection | undefined,
  role: 'ping' | 'escape',
): Judgement | FrameRole[] {
  const incomplete = unlessCompleted(obs, conn, ['ext-not-subset']);
  if (incomplete) return incomplete;
  if (!grantedPrefix(conn!.extensions, PING_PONG_EXTENSION))
    return unimplemented(`${PING_PONG_EXTENSION} was not granted`);
  const sent = framesWith(conn, role, obs, 'send')[0];
  if (sent === undefined) return failed(`the ${role} was not sent`);
  return receivedAfter(conn, obs, sent).filter((r) => r !== 'balancer');
}

export const EXTENSION_CASES: SuiteCase[] = [
  serverCase({
    id: '5.1',
    title: 'Granted extensions are a subset of those requested',
    description: `Asks for ${IDLE_TIMEOUT_EXTENSION} and ${PING_PONG_EXTENSION}.`,
    expectation: 'A 101 granting some of them and no others; granting none means the server offers neither.',
    spec: `${EXTENDED}: Sec-WebSocket-Extensions chosen from the requested extensions by the client and no others`,
    rules: ['ext-not-subset', 'ext-list-empty'],
    run: (d) => withExtensions(d, [IDLE_TIMEOUT_EXTENSION, PING_PONG_EXTENSION]),
    judge(obs, decoded) {
      const conn = first(decoded);
      const incomplete = unlessCompleted(obs, conn, this.rules);
      if (incomplete) return incomplete;
      if (conn!.extensions.length === 0) return unimplemented('no extension granted');
      return ok(`granted ${conn!.extensions.map((e) => e.raw).join(', ')}`);
    },
  }),
  serverCase({
    id: '5.2',
    title: 'An unknown extension is not granted',
    description: `Asks for ${UNKNOWN_EXTENSION} only.`,
    expectation: 'The handshake completes without granting it.',
    spec: `${EXTENDED}: if Sec-WebSocket-Extensions is not present, no extensions were negotiated`,
    rules: ['ext-not-subset', 'ext-list-empty'],
    run: (d) => withExtensions(d, [UNKNOWN_EXTENSION]),
    judge(obs, decoded) {
      const conn = first(decoded);
      const granted = findingsOf(conn, this.rules);
      if (granted.length > 0) return failed(...granted);
      const why = whyNoResponse(obs, conn);
      if (why !== null) return failed(why);
      if (conn!.outcome !== 'open') return info(`the server refused: ${statusText(conn)}`);
      return conn!.extensions.length === 0
        ? ok('nothing granted')
        : failed(`granted ${conn!.extensions.map((e) => e.name).join(', ')}`);
    },
  }),
  serverCase({
    id: '5.3',
    title: 'An extension asked for twice is granted once',
    description: `Asks for ${PING_PONG_EXTENSION} twice in one header.`,
    expectation: 'Granted at most once.',
    spec: `${EXTENDED}: the same semantics for the header as [WSP]`,
    rules: ['ext-not-subset'],
    run: (d) => withExtensions(d, [PING_PONG_EXTENSION, PING_PONG_EXTENSION]),
    judge(obs, decoded) {
      const conn = first(decoded);
      const incomplete = unlessCompleted(obs, conn, this.rules);
      if (incomplete) return incomplete;
      const times = conn!.extensions.filter((e) => e.name === PING_PONG_EXTENSION).length;
      if (times > 1) return nonStrict(`granted ${times} times`);
      return times === 1 ? ok('granted once') : unimplemented('not granted');
    },
  }),
  serverCase({
    id: '5.4',
    title: 'An extension in both handshakes is answered in error',
    description: `Offers ${DEFLATE} in the opening; when the server negotiates it, asks for it again in the extended request.`,
    expectation: 'An error response, then the server closes; completing fails.',
    spec: `${EXTENDED}: the server MUST detect that condition and respond in error before Closing the WebSocket Connection`,
    rules: ['ext-renegotiated'],
    run: renegotiate,
    judge: (obs, decoded) => renegotiated(obs, first(decoded)),
  }),
  serverCase({
    id: '5.5',
    title: 'An extended ping is answered with a pong',
    description: `With ${PING_PONG_EXTENSION} granted, sends an extended ping (prefix + 09 00) as text.`,
    expectation: 'An extended pong (prefix + 0A 00) comes back.',
    spec: `${GUIDE}, application-class extensions: x-kaazing-ping-pong`,
    rules: [],
    run: (d) =>
      withPingPong(d, async (prefix, conn) => {
        const sent = conn.roles.length;
        d.send(utf8Decode(extendedPing(prefix)));
        await d.until((c) => c.roles.slice(sent + 1).includes('pong'), d.config.quietMs * 4);
      }),
    judge(obs, decoded) {
      const replies = repliesTo(obs, first(decoded), 'ping');
      if (!Array.isArray(replies)) return replies;
      return replies.includes('pong') ? ok('pong received') : failed('no pong came back');
    },
  }),
  serverCase({
    id: '5.6',
    title: 'An escaped ping is data, not a ping',
    description:
      'With ping-pong granted, sends the escape (the prefix alone), then the bytes of a ping as data.',
    expectation: 'No pong answers it; an echo, if any, is escaped again.',
    spec: `${GUIDE}: a message of exactly the 4 prefix bytes is an escape: the next message is application data`,
    rules: [],
    run: (d) =>
      withPingPong(d, async (prefix) => {
        d.send(utf8Decode(prefix));
        d.send(utf8Decode(extendedPing(prefix)));
        await d.listen();
      }),
    judge(obs, decoded) {
      const after = repliesTo(obs, first(decoded), 'escape');
      if (!Array.isArray(after)) return after;
      if (after.includes('pong')) return failed('the escaped data was answered as a ping');
      if (after.includes('ping')) return failed('the echo came back unescaped: it reads as a ping');
      if (after.includes('escape')) return ok('echoed, escaped again');
      return info('nothing came back (the endpoint does not echo)');
    },
  }),
  serverCase({
    id: '5.7',
    title: 'The idle timeout is kept alive',
    description: `On the idle path, asks for ${IDLE_TIMEOUT_EXTENSION} and ${PING_PONG_EXTENSION}, then stays silent for the granted timeout.`,
    expectation: 'Something (an extended or a standard ping) arrives within the granted timeout.',
    spec: `${GUIDE}: x-kaazing-idle-timeout; the server keeps the link alive with (extended or standard) ping/pong`,
    rules: [],
    run: (d) =>
      withExtensions(
        d,
        [IDLE_TIMEOUT_EXTENSION, PING_PONG_EXTENSION],
        async (conn) => {
          const ms = grantedIdleTimeoutMs(conn.extensions);
          if (ms <= 0 || ms > MAX_IDLE_WAIT_MS) return;
          const done = conn.roles.length;
          await d.until((c) => c.roles.slice(done).some((r) => r === 'ping' || r === 'data'), ms);
        },
        'idle',
      ),
    judge(obs, decoded) {
      const conn = first(decoded);
      const incomplete = unlessCompleted(obs, conn, ['ext-not-subset']);
      if (incomplete) return incomplete;
      const ms = grantedIdleTimeoutMs(conn!.extensions);
      if (ms <= 0) return unimplemented(`${IDLE_TIMEOUT_EXTENSION} was not granted`);
      if (ms > MAX_IDLE_WAIT_MS)
        return info(`timeout=${ms} is longer than the ${MAX_IDLE_WAIT_MS} ms the case waits`);
      const response = answered(conn).at(-1)!.response;
      const kept = receivedAfter(conn, obs, Math.max(...response.frames)).some(
        (r) => r === 'ping' || r === 'data',
      );
      if (kept || (obs.pings[0] ?? 0) > 0) return ok(`kept alive within timeout=${ms}`);
      return failed(`nothing arrived within timeout=${ms}`);
    },
  }),
];

/** Asks the status path for `code`, then (unless it completed) closes 1011 as the spec tells clients. */
async function askStatus(
  d: Driver,
  code: number,
  headers: [string, string][] = [],
): Promise<Connection | null> {
  if (!(await d.open({ key: 'status', code }))) return null;
  d.request({ headers });
  const conn = await d.response();
  await d.listen();
  return conn;
}

/**
 * The first answer of the status path, when it is the one asked for: FAILED when there is none or the
 * decoder finds it broken under `rules`, INFORMATIONAL when the path answered another code (`code`
 * null: any code), else null (the case goes on judging).
 */
function statusAnswer(
  obs: Observation,
  conn: Connection | undefined,
  code: number | null,
  rules: readonly RuleId[],
): Judgement | null {
  const why = whyNoResponse(obs, conn);
  if (why !== null) return failed(why);
  const broken = findingsOf(conn, rules);
  if (broken.length > 0) return failed(...broken);
  if (code !== null && statuses(conn)[0] !== code)
    return info(`the status path answered ${statusText(conn)}`);
  return null;
}

/** A failing code: no further message, then the client's 1011 close. */
function statusFails(id: string, code: number): SuiteCase {
  return serverCase({
    id,
    title: `${code} fails the handshake and nothing follows`,
    description: `Asks the status path for ${code}, listens, then closes 1011 as the spec tells clients.`,
    expectation: `${code}, no further message; the close handshake completes.`,
    spec: `${CODES}, ${code}: a client receiving this response MUST Close the WebSocket Connection`,
    rules: ['status-invalid', 'message-before-completion'],
    close: { by: 'either', codes: [1011, 1000] },
    run: async (d) => {
      const conn = await askStatus(d, code);
      if (conn && conn.outcome !== 'open') await d.close(1011, 'extended handshake failed');
    },
    judge(obs, decoded) {
      const conn = first(decoded);
      const answer = statusAnswer(obs, conn, code, this.rules);
      if (answer) return answer;
      return conn!.outcome === 'open'
        ? failed(`${code} completed the handshake`)
        : ok(`${code}, then silence`);
    },
  });
}

export const STATUS_CASES: SuiteCase[] = [
  statusFails('6.1', 200),
  statusFails('6.2', 500),
  serverCase({
    id: '6.3',
    title: '201 Created completes the handshake',
    description: 'Asks the status path for 201.',
    expectation: 'The handshake is completed with 201 and the socket stays open.',
    spec: `${CODES}, 201: a client receiving 201 MUST consider the extended handshake completed`,
    rules: ['status-invalid'],
    run: async (d) => void (await askStatus(d, 201)),
    judge(obs, decoded) {
      const conn = first(decoded);
      return unlessCompleted(obs, conn, this.rules) ?? ok(statusText(conn));
    },
  }),
  serverCase({
    id: '6.4',
    title: '100 Continue after Expect, then the body',
    description: 'Asks the status path for 100 with `Expect: 100-continue`, then sends a body message.',
    expectation: '100, then a completing response once the body is sent.',
    spec: `${CODES}, 100: valid when the client requests it with an Expect: header; the client MUST send the request body`,
    rules: ['continue-without-expect', 'status-invalid'],
    run: async (d) => {
      const conn = await askStatus(d, 100, [['Expect', '100-continue']]);
      if (conn && statuses(conn)[0] === 100) {
        d.send('khp-suite body');
        await d.response();
      }
    },
    judge(obs, decoded) {
      const conn = first(decoded);
      const answer = statusAnswer(obs, conn, 100, this.rules);
      if (answer) return answer;
      return conn!.outcome === 'open' ? ok(statusText(conn)) : failed(`after the body: ${statusText(conn)}`);
    },
  }),
  serverCase({
    id: '6.5',
    title: 'An unlisted code is read by its class',
    description: 'Asks the status path for 299, a code the table does not list.',
    expectation: 'A valid three-digit code; clients read it as 200 (close).',
    spec: `${CODES}: unlisted codes are read by their class (x00); status codes are 1xx to 5xx`,
    rules: ['status-invalid', 'status-unlisted'],
    close: { by: 'either', codes: [1011, 1000] },
    run: async (d) => {
      const conn = await askStatus(d, 299);
      if (conn && conn.outcome !== 'open') await d.close(1011, 'extended handshake failed');
    },
    judge(obs, decoded) {
      const conn = first(decoded);
      const answer = statusAnswer(obs, conn, null, ['status-invalid']);
      if (answer) return answer;
      const round = answered(conn)[0]!;
      return info(`${round.response.status} read as ${round.status?.classCode ?? '?'}: ${round.action}`);
    },
  }),
  serverCase({
    id: '6.6',
    title: '307 after a GET redirects, and the server closes',
    description: 'Asks the status path for 307.',
    expectation: '307 with a Location, then the server closes.',
    spec: `${CODES}, 307: if the method was GET the client MUST attempt an opening handshake to the Location; 302/307: the server MUST close`,
    rules: ['redirect-without-location', 'redirect-location-invalid', 'status-invalid'],
    close: { by: 'server', codes: [1000] },
    run: async (d) => {
      await askStatus(d, 307);
      await d.awaitClose();
    },
    judge(obs, decoded) {
      const conn = first(decoded);
      const answer = statusAnswer(obs, conn, 307, this.rules);
      if (answer) return answer;
      return conn!.redirectTo ? ok(`307 to ${conn!.redirectTo}`) : failed('307 without a usable Location');
    },
  }),
];
