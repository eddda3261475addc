/**
 * Server-role cases, categories 7 (real-gateway framing) and 8 (close behaviour).
 */
import { utf8Encode } from '../bytes';
import type { Connection } from '../model';
import type { Judgement, Observation, SuiteCase } from './types';
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
  unlessCompleted,
  whyNoResponse,
} from './judge';
import { CODES, EXTENDED, GUIDE, byClose, framesWith, serverCase } from './kit';

/**
 * The terminator after the first response of a `.kl=Y` socket. Spec: the client must close if "the
 * extended handshake response does not end with an empty WebSocket binary frame"; guide: an empty
 * text message in a text-encoded session.
 */
function terminated(obs: Observation, conn: Connection): Judgement {
  const response = answered(conn)[0]!.response;
  const status = response.status;
  if (response.terminator !== 'empty-frame') {
    return failed(`no empty message after the ${status}`, ...findingsOf(conn, ['missing-terminator']));
  }
  const frame = framesWith(conn, 'terminator', obs, 'receive').find((i) => i > Math.max(...response.frames));
  const opcode = frame === undefined ? 2 : obs.sockets[0]!.frames[frame]!.opcode;
  return opcode === 2
    ? ok(`an empty binary message ends the ${status}`)
    : nonStrict(`an empty text message ends the ${status} (a text-encoded session)`);
}

export const FRAMING_CASES: SuiteCase[] = [
  serverCase({
    id: '7.1',
    title: 'With .kl=Y an empty binary message ends the 101',
    description: 'Completes the handshake with .kl=Y in the opening URL.',
    expectation:
      'The 101 is followed by an empty binary message; an empty text message is non-strict; none fails.',
    spec: `${EXTENDED}: the client must close if the response does not end with an empty WebSocket binary frame; ${GUIDE}, the empty-frame terminator`,
    rules: ['missing-terminator'],
    run: async (d) => void (await handshake(d, 'main')),
    judge(obs, decoded) {
      const conn = first(decoded);
      const why = whyNoResponse(obs, conn);
      return why !== null ? failed(why) : terminated(obs, conn!);
    },
  }),
  serverCase({
    id: '7.2',
    title: 'With .kl=Y the 401 ends with an empty message too',
    description: 'Sends the request without credentials on the basic path, with .kl=Y.',
    expectation: 'The 401 is followed by an empty message, as every extended response is.',
    spec: `${GUIDE}: the gateway follows every extended response (each 401 included) with an empty message`,
    rules: ['missing-terminator'],
    run: async (d) => void (await handshake(d, 'basic')),
    judge(obs, decoded) {
      const conn = first(decoded);
      const why = whyNoResponse(obs, conn);
      if (why !== null) return failed(why);
      if (statuses(conn)[0] !== 401)
        return unimplemented(`the basic path answered ${statusText(conn)}, not 401`);
      return terminated(obs, conn!);
    },
  }),
  serverCase({
    id: '7.3',
    title: 'Without .kl=Y the response stands on its own',
    description: 'Completes the handshake without .kl=Y, as the spec scripts do.',
    expectation:
      'A complete HTTP response in its message(s); an empty message after it is allowed (the spec asks for one).',
    spec: `${EXTENDED}; ${GUIDE}: servers without .kl=Y send no terminator; accept both`,
    rules: ['malformed-response', 'response-trailing-bytes'],
    run: async (d) => void (await handshake(d, 'main', { kl: false })),
    judge(obs, decoded) {
      const conn = first(decoded);
      const incomplete = unlessCompleted(obs, conn, this.rules);
      if (incomplete) return incomplete;
      const trailing = findingsOf(conn, ['response-trailing-bytes']);
      if (trailing.length > 0) return failed(...trailing);
      return ok(`the response ends: ${answered(conn)[0]!.response.terminator}`);
    },
  }),
  serverCase({
    id: '7.4',
    title: 'Balancer notices around the handshake (.kl=Y)',
    description: 'Completes the handshake with .kl=Y and listens afterwards.',
    expectation:
      'Balancer notices (U+F0FF N) after the opening and after completion are how gateways work (non-strict); no other message before completion.',
    spec: `${GUIDE}, balancer messages; ${EXTENDED}: no other messages should be sent until the extended handshake is completed`,
    rules: ['message-before-completion'],
    run: async (d) => {
      if ((await handshake(d, 'main'))?.outcome === 'open') await d.listen();
    },
    judge(obs, decoded) {
      const conn = first(decoded);
      const incomplete = unlessCompleted(obs, conn, this.rules);
      if (incomplete) return incomplete;
      const unexpected = findingsOf(conn, this.rules);
      if (unexpected.length > 0) return failed(...unexpected);
      const n = framesWith(conn, 'balancer', obs, 'receive').length;
      return n === 0
        ? ok('no balancer message (a spec-only server)')
        : nonStrict(`${n} balancer notice(s), as real gateways send`);
    },
  }),
  serverCase({
    id: '7.5',
    title: 'A response split over several messages',
    description: 'Completes the handshake on the split path, with .kl=Y.',
    expectation: 'The messages gathered up to the empty one make one complete response.',
    spec: `${GUIDE}: usually one binary message; the spec also allows it split across several messages`,
    rules: ['malformed-response'],
    run: async (d) => void (await handshake(d, 'split')),
    judge(obs, decoded) {
      const conn = first(decoded);
      const incomplete = unlessCompleted(obs, conn, this.rules);
      if (incomplete) return incomplete;
      const parts = answered(conn)[0]!.response.frames.length;
      return parts > 1 ? ok(`gathered from ${parts} messages`) : info('the response came in one message');
    },
  }),
];

export const CLOSE_CASES: SuiteCase[] = [
  serverCase({
    id: '8.1',
    title: 'The server answers the client’s 1000 after completion',
    description: 'Completes the handshake, then closes with 1000.',
    expectation: 'The server completes the close handshake with 1000.',
    spec: `${EXTENDED}; [WSP] 5.5.1: the endpoint answers a Close frame with a Close frame (k3po connection.established.data.exchanged.close)`,
    rules: [],
    close: { by: 'client', codes: [1000] },
    run: async (d) => {
      if ((await handshake(d, 'main'))?.outcome === 'open') await d.close(1000, 'khp-suite done');
    },
    judge(obs, decoded) {
      return unlessCompleted(obs, first(decoded), []) ?? byClose(this, obs);
    },
  }),
  serverCase({
    id: '8.2',
    title: 'The server closes 1000 after a redirect',
    description: 'Sends the request on the redirect path, then waits for the server to close.',
    expectation: 'The server closes, with 1000, right after the 3xx.',
    spec: `${CODES}, 302: the server MUST Close the WebSocket Connection after sending a 302 or 307 (k3po: close 1000)`,
    rules: [],
    close: { by: 'server', codes: [1000] },
    run: async (d) => {
      await handshake(d, 'redirect');
      await d.awaitClose();
    },
    judge(obs, decoded) {
      const why = whyNoResponse(obs, first(decoded));
      if (why !== null) return failed(why);
      const status = statuses(first(decoded))[0]!;
      if (status < 300 || status > 399) return failed(`expected a 3xx, got ${statusText(first(decoded))}`);
      return byClose(this, obs);
    },
  }),
  serverCase({
    id: '8.3',
    title: 'The server closes after a first message that is not HTTP',
    description: 'Sends `Hello` instead of the request, then waits for the server to close.',
    expectation: 'The server closes after its 400 (k3po: 1000; 1002, a protocol error, is accepted).',
    spec: `${EXTENDED} (k3po client.sends.message.between.opening.and.extended.handshake: 400, close 1000)`,
    rules: ['first-message-not-request'],
    close: { by: 'server', codes: [1000, 1002] },
    run: async (d) => {
      if (!(await d.open({ key: 'main' }))) return;
      d.send(utf8Encode('Hello'));
      await d.response();
      await d.awaitClose();
    },
    judge(obs) {
      return byClose(this, obs);
    },
  }),
  serverCase({
    id: '8.4',
    title: 'The server closes 1011 after an extension in both handshakes',
    description:
      'Offers permessage-deflate in the opening and asks for it again in the extended request, then waits.',
    expectation: 'The server closes with 1011 (the k3po script and gateways).',
    spec: `${EXTENDED}: respond in error before Closing the WebSocket Connection (k3po extension.in.opening.and.extended.handshake: close 1011)`,
    rules: ['ext-renegotiated'],
    close: { by: 'server', codes: [1011] },
    run: async (d) => {
      if (!(await d.open({ key: 'main' }, { deflate: true }))) return;
      if (!d.decoded().openingExtensions.some((e) => e.name === 'permessage-deflate')) return;
      d.request({ extensions: ['permessage-deflate'] });
      await d.response();
      await d.awaitClose();
    },
    judge(obs, decoded) {
      const conn = first(decoded);
      if (conn?.khp && conn.openingExtensions.length === 0) {
        return unimplemented('the opening negotiated no extension');
      }
      return byClose(this, obs);
    },
  }),
  serverCase({
    id: '8.5',
    title: 'The server completes the client’s 1011 after a 401 it gives up on',
    description: 'On the basic path, closes with 1011 after the 401 instead of replaying.',
    expectation: 'The server answers the close: a clean close with 1011.',
    spec: `${CODES}, 401: if the client does not reply, the server closes; [WSP] 5.5.1: a Close is answered with a Close`,
    rules: [],
    close: { by: 'client', codes: [1011] },
    run: async (d) => {
      if (statuses(await handshake(d, 'basic')).at(-1) === 401) await d.close(1011, 'no credentials');
    },
    judge(obs, decoded) {
      if (statuses(first(decoded))[0] !== 401)
        return unimplemented(`the basic path answered ${statusText(first(decoded))}`);
      return byClose(this, obs);
    },
  }),
];
