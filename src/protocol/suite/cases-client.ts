/**
 * Client-role cases: each plays the server side of a k3po script or of a real gateway's behaviour
 * for the client under test (which opens `/case/<id>`), and judges what the client did, as the
 * server saw it: closed, reconnected to a Location, replayed with credentials, sent data after
 * completion. Numbered in the server role's categories.
 */
import { balancerNoticeBytes, balancerRedirectBytes } from '../balancer';
import { MAX_REDIRECTS } from '../chains';
import { utf8Encode } from '../bytes';
import { PING_PONG_EXTENSION, PING_PONG_PREFIX_HEX } from '../control-frames';
import { getHeader } from '../http1';
import type { Connection } from '../model';
import type { CasePeer, ClientCase, Judgement, Observation } from './types';
import { answered, failed, findingsOf, first, nonStrict, ok, unimplemented } from './judge';
import { CODES, EXTENDED, GUIDE, OPENING, byClose } from './kit';
import {
  clientCase,
  closeOf,
  mustClose,
  mustComplete,
  sentAfterResponse,
  socketsAt,
  whyNoRequest,
} from './client-kit';

/** The challenge the 401 cases send (guide, "401": the Application prefix keeps browsers quiet). */
const CHALLENGE: [string, string] = ['WWW-Authenticate', 'Application Basic realm="khp-suite"'];
/** How a client may close a connection it must not use (the k3po scripts: 1011). */
const FAIL_CODES = [1011, 1002];

/** Waits for the request, answers `status`, then waits for the client to close. */
async function answer(peer: CasePeer, response: Parameters<CasePeer['respond']>[0]): Promise<void> {
  if ((await peer.request()) === null) return;
  peer.respond(response);
  await peer.awaitClose();
}

/** 101, as the spec's scripts write it (the case peer adds Upgrade and Connection). */
const completing = { status: 101 };

/** The `.kl=Y` cases need the client to ask for the terminator: UNIMPLEMENTED when it did not. */
function needsKl(conn: Connection | undefined): Judgement | null {
  return conn && !conn.kl ? unimplemented('the client did not put .kl=Y in its opening URL') : null;
}

/** 3.x: the 401 must be answered by a replay with credentials on the same socket (or a close). */
function replayed(obs: Observation, conn: Connection | undefined): Judgement | null {
  const why = whyNoRequest(obs, conn);
  if (why !== null) return failed(why);
  const second = conn!.rounds[1]?.request ?? null;
  if (second === null && answered(conn).length > 0) {
    const sent = sentAfterResponse(obs, conn!);
    if (sent > 0) return failed(`the client sent ${sent} message(s) after the 401 instead of replaying`);
  }
  if (second === null) {
    return closeOf(obs, conn).by === 'client'
      ? nonStrict('the client closed after the 401 instead of replaying (clients SHOULD replay)')
      : failed('the client neither replayed the request nor closed after the 401');
  }
  const auth = getHeader(second.headers, 'authorization');
  if (auth === undefined) return failed(...findingsOf(conn, ['replay-without-credentials']));
  if (!/^Basic\s+\S+/i.test(auth)) return failed(`the replay's Authorization is not Basic: ${auth}`);
  return null;
}

export const CLIENT_CASES: ClientCase[] = [
  clientCase({
    id: '1.1',
    title: 'A plain WebSocket answer: KHP not negotiated',
    description:
      'Answers the opening handshake without Sec-WebSocket-Protocol (a plain WebSocket), then waits.',
    expectation:
      'The client fails the connection and sends nothing: no extended request on a socket without KHP.',
    spec: `${OPENING}: the extended handshake MUST only commence when the client and server successfully negotiate x-kaazing-handshake (k3po opening.protocol.not.negotiated)`,
    rules: ['khp-not-negotiated'],
    opening: 'plain',
    serve: async (peer) => void (await peer.awaitClose()),
    judge(obs) {
      const frames = obs.sockets[0]?.frames ?? [];
      const sent = frames.filter((f) => f.dir === 'send').length;
      if (sent > 0)
        return failed(`the client sent ${sent} message(s) on a socket where KHP was not negotiated`);
      if (obs.closedBy[0] !== 'client') return failed('the client kept the plain socket open');
      return ok(`the client gave the socket up (close ${obs.sockets[0]?.close?.code ?? 'none'})`);
    },
  }),
  clientCase({
    id: '1.2',
    title: 'A message before the extended handshake',
    description:
      'Sends a binary "Hello" right after the opening and answers no request, as the k3po script does.',
    expectation: 'The client closes (the k3po script: 1011); it never takes the socket as open.',
    spec: `${EXTENDED}: no other messages should be sent until the extended handshake is completed (k3po server.sends.message.between.opening.and.extended.handshake: the client closes 1011)`,
    rules: ['message-before-completion'],
    close: { by: 'client', codes: FAIL_CODES },
    serve: async (peer) => {
      peer.send(utf8Encode('Hello'));
      await peer.awaitClose();
    },
    judge(obs, decoded) {
      const conn = first(decoded);
      if (closeOf(obs, conn).by !== 'client') return failed('the client did not close after the message');
      const data = (obs.sockets[0]?.frames ?? []).filter(
        (f, i) => f.dir === 'send' && conn?.roles[i] === 'data',
      );
      if (data.length > 0)
        return failed(`the client sent ${data.length} data message(s): it took the socket as open`);
      return ok('the client closed after a message that is not an extended response');
    },
  }),
  clientCase({
    id: '1.3',
    title: 'Balancer notices around the handshake (.kl=Y)',
    description:
      'Sends a balancer notice (U+F0FF N) after the opening, answers 101 and its terminator, then another notice, as gateways do.',
    expectation:
      'The client sets the notices aside and completes; one that closes follows the spec text but cannot use a real gateway (non-strict).',
    spec: `${GUIDE}, balancer messages; ${EXTENDED}: no other messages should be sent until the extended handshake is completed`,
    rules: ['message-before-completion'],
    serve: async (peer) => {
      if (!peer.decoded().kl) return void (await answer(peer, completing));
      peer.send(balancerNoticeBytes());
      if ((await peer.request()) === null) return;
      peer.respond(completing);
      peer.send(balancerNoticeBytes());
      await peer.awaitClose();
    },
    judge(obs, decoded) {
      const conn = first(decoded);
      const kl = needsKl(conn);
      if (kl) return kl;
      const judged = mustComplete(obs, conn, 'the 101');
      if (judged.verdict !== 'FAILED' || whyNoRequest(obs, conn) !== null) return judged;
      return nonStrict(
        'the client closed on the balancer notices (real gateways send them)',
        ...judged.notes,
      );
    },
  }),
  clientCase({
    id: '2.1',
    title: '101 completes the handshake',
    description: 'Reads the extended request and answers 101.',
    expectation:
      'A well-formed extended request for the opening path; after the 101 the client uses the socket (sends data, or keeps it open).',
    spec: `${EXTENDED}; ${CODES}, 101: MUST consider the extended handshake completed (k3po connection.established, extended.handshake.response.code.101)`,
    rules: ['malformed-request', 'target-path-mismatch', 'protocols-not-carried'],
    serve: (peer) => answer(peer, completing),
    judge: (obs, decoded) => mustComplete(obs, first(decoded), 'the 101'),
  }),
  clientCase({
    id: '3.1',
    title: 'A Basic challenge is answered with credentials',
    description:
      'Answers the first request 401 with WWW-Authenticate: Application Basic, and a replay that carries Authorization 101.',
    expectation:
      'The client replays the request on the same socket with Authorization: Basic, and the handshake completes. Closing instead is non-strict.',
    spec: `${CODES}, 401: clients SHOULD reply with a replayed extended handshake request containing authorization information`,
    rules: ['replay-without-credentials'],
    serve: async (peer) => {
      if ((await peer.request()) === null) return;
      peer.respond({ status: 401, headers: [CHALLENGE] });
      const replay = await peer.request();
      if (replay === null) return;
      const auth = getHeader(replay.rounds.at(-1)?.request?.headers ?? [], 'authorization');
      peer.respond(auth === undefined ? { status: 401, headers: [CHALLENGE] } : completing);
      await peer.awaitClose();
    },
    judge: (obs, decoded) =>
      replayed(obs, first(decoded)) ?? mustComplete(obs, first(decoded), 'the 101 to the replay'),
  }),
  clientCase({
    id: '3.2',
    title: '401, then 403 to the replay',
    description: 'Answers 401 with a Basic challenge, and the replay 403 Forbidden.',
    expectation: 'The client replays once, then closes after the 403 and sends nothing more.',
    spec: `${CODES}, 403: a client receiving this response MUST Close the WebSocket Connection (gateway app.token.three.attempts.failure)`,
    rules: ['replay-without-credentials', 'handshake-failed'],
    close: { by: 'client', codes: FAIL_CODES },
    serve: async (peer) => {
      if ((await peer.request()) === null) return;
      peer.respond({ status: 401, headers: [CHALLENGE] });
      await answer(peer, { status: 403 });
    },
    judge: (obs, decoded) => replayed(obs, first(decoded)) ?? mustClose(obs, first(decoded), 'the 403'),
  }),
  clientCase({
    id: '4.1',
    title: '302: the client reconnects to the Location',
    description:
      'Answers 302 with Location: http://<host>/case/4.1/next (as gateways write it) and closes 1000; there, answers 101.',
    expectation:
      'The client completes the close handshake, opens ws://<host>/case/4.1/next, and completes the handshake there.',
    spec: `${CODES}, 302: clients MUST complete the WebSocket close handshake and proceed with a fresh opening handshake to the URL in Location (k3po extended.handshake.response.code.302)`,
    rules: ['redirect-location-invalid'],
    serve: async (peer) => {
      if ((await peer.request()) === null) return;
      peer.respond({ status: 302, headers: [['Location', peer.url('next', { http: true })]] });
      await peer.close(1000, 'redirect');
      if (await peer.accept()) await answer(peer, completing);
    },
    judge(obs, decoded) {
      const [from] = decoded.connections;
      if (!from || answered(from).length === 0) return failed(whyNoRequest(obs, from) ?? 'no 302 was sent');
      if (!obs.sockets[0]?.close?.wasClean)
        return failed('the client did not complete the close handshake after the 302');
      const [to] = socketsAt(decoded.connections, '4.1', 'next');
      if (!to) return failed('the client did not open the Location');
      return mustComplete(obs, to, 'the 101 at the Location');
    },
  }),
  clientCase({
    id: '4.2',
    title: 'A balancer redirect after the 101 (.kl=Y)',
    description:
      'As a gateway balancer: a notice, 101 and its terminator, then U+F0FF R with ws://<host>/case/4.2/next?.kl=Y; there, 101.',
    expectation:
      'The client closes the first socket and completes the handshake at the URL the balancer named.',
    spec: `${GUIDE}, balancer messages: U+F0FF R and a URL send the client there (gateway httpx.balancer.redirect)`,
    rules: ['message-before-completion'],
    serve: async (peer) => {
      if (peer.decoded().kl) peer.send(balancerNoticeBytes());
      if ((await peer.request()) === null) return;
      peer.respond(completing);
      peer.send(balancerRedirectBytes(peer.url('next', { kl: true })));
      if (await peer.accept()) await answer(peer, completing);
    },
    judge(obs, decoded) {
      const kl = needsKl(first(decoded));
      if (kl) return kl;
      const [to] = socketsAt(decoded.connections, '4.2', 'next');
      if (!to)
        return failed(whyNoRequest(obs, first(decoded)) ?? 'the client did not open the balancer’s URL');
      return mustComplete(obs, to, 'the 101 at the balancer’s URL');
    },
  }),
  clientCase({
    id: '4.3',
    title: 'A redirect loop is not followed',
    description:
      'Answers 302 to /case/4.3/b; there, 302 back to /case/4.3; then waits to see whether the client comes back.',
    expectation:
      'The client follows the first redirect and stops at the second: it does not reopen an endpoint it visited.',
    spec: `${CODES}, 302: the client is responsible for detecting redirect loops to matching resources and avoiding reconnection attempts`,
    rules: ['redirect-loop'],
    serve: async (peer) => {
      for (const to of ['b', '', 'b']) {
        if ((await peer.request()) === null) return;
        peer.respond({ status: 302, headers: [['Location', peer.url(to, { http: true })]] });
        await peer.close(1000, 'redirect');
        if (!(await peer.accept(to === '' ? peer.config.quietMs * 2 : undefined))) return;
      }
    },
    judge(obs, decoded) {
      const n = decoded.connections.length;
      if (n < 2) return failed('the client did not follow the first redirect');
      if (n > 2)
        return failed(`the client opened ${n} sockets: it went back to /case/4.3, which it had visited`);
      return ok('the client stopped at the redirect back to /case/4.3');
    },
  }),
  clientCase({
    id: '4.4',
    title: 'More than five redirects in a row',
    description:
      'Answers 302 to /case/4.4/1, there 302 to /case/4.4/2, and so on, eight times; a ninth socket gets 101.',
    expectation:
      'The client follows five redirects and gives up on the sixth; one that follows more is non-strict (a fixed maximum is a SHOULD).',
    spec: `${CODES}, 3xx: the client should make no more than a fixed maximum number of reconnect attempts (${GUIDE}: five)`,
    rules: ['too-many-redirects'],
    serve: async (peer) => {
      for (let hop = 1; hop <= 8; hop++) {
        if ((await peer.request()) === null) return;
        peer.respond({ status: 302, headers: [['Location', peer.url(String(hop), { http: true })]] });
        await peer.close(1000, 'redirect');
        if (!(await peer.accept(peer.config.quietMs * 2))) return;
      }
      await answer(peer, completing);
    },
    judge(obs, decoded) {
      const followed = decoded.connections.length - 1;
      if (followed === 0)
        return failed(whyNoRequest(obs, first(decoded)) ?? 'the client did not follow the first redirect');
      if (followed > MAX_REDIRECTS) return nonStrict(`the client followed ${followed} redirects in a row`);
      return ok(`the client stopped after ${followed} redirect(s)`);
    },
  }),
  clientCase({
    id: '5.1',
    title: 'An extension granted that was not requested',
    description: `Answers 101 granting ${PING_PONG_EXTENSION} (or, when the client asked for it, a made-up extension).`,
    expectation: 'The client closes (the grant is not a subset of its request) and sends nothing more.',
    spec: `${EXTENDED}: the client must Close the WebSocket Connection if the Sec-WebSocket-Extensions selected by the server are not a subset of those requested`,
    rules: ['ext-not-subset'],
    close: { by: 'client', codes: FAIL_CODES },
    serve: async (peer) => {
      const conn = await peer.request();
      if (conn === null) return;
      const asked = conn.requestedExtensions.some((e) => e.name === PING_PONG_EXTENSION);
      const grant = asked ? 'x-khp-suite-unrequested' : `${PING_PONG_EXTENSION}; ${PING_PONG_PREFIX_HEX}`;
      peer.respond({ status: 101, extensions: [grant] });
      await peer.awaitClose();
    },
    judge: (obs, decoded) => mustClose(obs, first(decoded), 'a 101 granting an extension not requested'),
  }),
  clientCase({
    id: '6.1',
    title: '200 does not complete the handshake',
    description: 'Answers the request 200 OK, as the k3po script does, then waits.',
    expectation: 'The client closes (the k3po script: 1011) and sends nothing more.',
    spec: `${CODES}, 200: a client receiving this response MUST Close the WebSocket Connection (k3po extended.handshake.response.code.200)`,
    rules: ['handshake-failed'],
    close: { by: 'client', codes: FAIL_CODES },
    serve: (peer) => answer(peer, { status: 200 }),
    judge: (obs, decoded) => mustClose(obs, first(decoded), 'the 200'),
  }),
  clientCase({
    id: '6.2',
    title: '201 completes the handshake',
    description: 'Answers the request 201 Created.',
    expectation: 'The client takes the handshake as completed, as the spec’s table says.',
    spec: `${CODES}, 201: a client receiving 201 MUST consider the extended handshake completed`,
    rules: [],
    serve: (peer) => answer(peer, { status: 201 }),
    judge: (obs, decoded) => mustComplete(obs, first(decoded), 'the 201'),
  }),
  clientCase({
    id: '6.3',
    title: '500 does not complete the handshake',
    description: 'Answers the request 500 Internal Server Error, then waits.',
    expectation: 'The client closes and sends nothing more.',
    spec: `${CODES}, 500: a client receiving this response MUST Close the WebSocket Connection`,
    rules: ['handshake-failed'],
    close: { by: 'client', codes: FAIL_CODES },
    serve: (peer) => answer(peer, { status: 500 }),
    judge: (obs, decoded) => mustClose(obs, first(decoded), 'the 500'),
  }),
  clientCase({
    id: '7.1',
    title: '.kl=Y: the 101 ended by an empty binary message',
    description: 'Answers 101 followed by the empty binary message, as gateways do on .kl=Y sockets.',
    expectation: 'The client takes the terminator as the end of the response and completes.',
    spec: `${EXTENDED}: the extended handshake response ends with an empty WebSocket binary frame; ${GUIDE}, the empty-frame terminator`,
    rules: ['missing-terminator'],
    serve: (peer) => answer(peer, { ...completing, terminator: 'binary' }),
    judge: (obs, decoded) =>
      needsKl(first(decoded)) ?? mustComplete(obs, first(decoded), 'the 101 and its terminator'),
  }),
  clientCase({
    id: '7.2',
    title: '.kl=Y: no empty message after the 101',
    description: 'Answers 101 on a .kl=Y socket with no empty message after it.',
    expectation:
      'The spec has the client close; clients that accept the response after a wait, as real ones do, are non-strict.',
    spec: `${EXTENDED}: the client must Close the WebSocket Connection if the response does not end with an empty WebSocket binary frame`,
    rules: ['missing-terminator'],
    serve: (peer) => answer(peer, { ...completing, terminator: 'none' }),
    judge(obs, decoded) {
      const conn = first(decoded);
      const kl = needsKl(conn);
      if (kl) return kl;
      const why = whyNoRequest(obs, conn);
      if (why !== null) return failed(why);
      const { by, code } = closeOf(obs, conn);
      if (sentAfterResponse(obs, conn!) === 0 && by === 'client' && code !== 1000)
        return ok(`the client closed (${code}) on a response without its terminator`);
      return nonStrict('the client accepted a 101 without the empty message (spec: close)');
    },
  }),
  clientCase({
    id: '7.3',
    title: 'A response split over three messages',
    description: 'Sends the 101 in three binary messages, then the terminator on .kl=Y sockets.',
    expectation: 'The client gathers the messages into one response and completes.',
    spec: `${GUIDE}: usually one binary message; the spec allows a response split across several messages`,
    rules: ['malformed-response'],
    serve: (peer) => answer(peer, { ...completing, parts: 3 }),
    judge: (obs, decoded) => mustComplete(obs, first(decoded), 'the split 101'),
  }),
  clientCase({
    id: '7.4',
    title: 'An empty text message as the terminator (.kl=Y)',
    description: 'Answers 101 followed by an empty text message, as a text-encoded gateway session does.',
    expectation:
      'The client completes; closing on it follows the spec’s word “binary” but fails real gateways (non-strict).',
    spec: `${GUIDE}, the empty-frame terminator: an empty text message in a text-encoded session`,
    rules: ['missing-terminator'],
    serve: (peer) => answer(peer, { ...completing, terminator: 'text' }),
    judge(obs, decoded) {
      const conn = first(decoded);
      const judged = needsKl(conn) ?? mustComplete(obs, conn, 'the 101 and its text terminator');
      return judged.verdict === 'FAILED' && whyNoRequest(obs, conn) === null
        ? nonStrict('the client refused a text terminator', ...judged.notes)
        : judged;
    },
  }),
  clientCase({
    id: '8.1',
    title: 'The client closes 1000 when it is done',
    description: 'Answers 101, then waits for the client to finish and close.',
    expectation: 'The client, done with the connection, closes with 1000 and completes the close handshake.',
    spec: `${EXTENDED}; [WSP] 7.4.1: 1000 is a normal closure (k3po connection.established.data.exchanged.close)`,
    rules: [],
    close: { by: 'client', codes: [1000] },
    serve: (peer) => answer(peer, completing),
    judge: (obs, decoded) => mustComplete(obs, first(decoded), 'the 101'),
  }),
  clientCase({
    id: '8.2',
    title: 'The server closes 1000 after completion',
    description: 'Answers 101, then closes with 1000 at once.',
    expectation: 'The client answers the Close: a clean close handshake with 1000.',
    spec: `${EXTENDED}; [WSP] 5.5.1: an endpoint that receives a Close frame sends a Close frame in response`,
    rules: [],
    close: { by: 'server', codes: [1000] },
    serve: async (peer) => {
      if ((await peer.request()) === null) return;
      peer.respond(completing);
      await peer.close(1000, 'khp-suite: server done');
    },
    judge(obs, decoded) {
      const why = whyNoRequest(obs, first(decoded));
      return why !== null ? failed(why) : byClose(this, obs);
    },
  }),
];
