/**
 * Server-role cases, categories 1 (opening negotiation) and 2 (the extended request).
 */
import { KHP_PROTOCOL } from '../khp';
import { utf8Encode } from '../bytes';
import { IDLE_TIMEOUT_EXTENSION, PING_PONG_EXTENSION } from '../control-frames';
import type { Connection } from '../model';
import type { Observation, SuiteCase } from './types';
import {
  failed,
  findingsOf,
  first,
  handshake,
  info,
  nonStrict,
  ok,
  statusText,
  unlessCompleted,
  answered,
  whyNoResponse,
} from './judge';
import { EXTENDED, GUIDE, OPENING, serverCase } from './kit';

const OTHER_PROTOCOL = 'x-khp-suite-app';

/** The opening must give KHP: FAILED with the decoder's reason otherwise. */
function negotiated(obs: Observation, conn: Connection | undefined) {
  if (!conn || conn.protocol === null)
    return failed(`the opening handshake failed${obs.error ? `: ${obs.error}` : ''}`);
  if (!conn.khp) return failed(...findingsOf(conn, ['khp-not-negotiated']));
  return ok(`the opening 101 carries Sec-WebSocket-Protocol: ${KHP_PROTOCOL}`);
}

/** What the server sent before the client's first message: balancer notices are a gateway's way. */
function quietBeforeRequest(obs: Observation, conn: Connection | undefined, balancerOk: boolean) {
  if (!conn?.khp) return negotiated(obs, conn);
  const socket = obs.sockets[0]!;
  const firstSend = socket.frames.findIndex((f) => f.dir === 'send');
  const end = firstSend < 0 ? socket.frames.length : firstSend;
  const roles = conn.roles.slice(0, end);
  const other = roles.filter((r) => r !== 'balancer');
  if (other.length > 0) {
    return failed(
      `${other.length} message(s) before the extended request`,
      ...findingsOf(conn, ['message-before-completion']),
    );
  }
  if (roles.length === 0) return ok('nothing was sent before the extended request');
  return balancerOk
    ? nonStrict(
        `${roles.length} balancer notice(s) (U+F0FF N) before the extended request, as gateways send on .kl=Y sessions`,
      )
    : failed(
        `${roles.length} balancer notice(s) on a session without .kl=Y: spec clients close 1011 on any message before the handshake`,
      );
}

/** A request the server must answer without completing: FAILED when it completes or stays silent. */
function refused(
  obs: Observation,
  conn: Connection | undefined,
  silent: 'FAILED' | 'NON-STRICT',
  completes: 'FAILED' | 'NON-STRICT',
) {
  const why = whyNoResponse(obs, conn);
  if (why !== null) {
    if (!conn?.khp) return failed(why);
    const closed = obs.closedBy[0] === 'server';
    if (closed && silent === 'NON-STRICT')
      return nonStrict('the server closed without a response (gateways answer 400 first)');
    return failed(why);
  }
  if (conn!.outcome === 'open') {
    const j = completes === 'FAILED' ? failed : nonStrict;
    return j(`the server completed the handshake (${statusText(conn)})`);
  }
  return ok(`answered ${statusText(conn)}, the handshake did not complete`);
}

export const OPENING_CASES: SuiteCase[] = [
  serverCase({
    id: '1.1',
    title: 'KHP offered alone is negotiated',
    description: `Opens the main path offering only ${KHP_PROTOCOL}.`,
    expectation: `The opening 101 carries Sec-WebSocket-Protocol: ${KHP_PROTOCOL}.`,
    spec: `${OPENING}: the server MUST send back a Sec-WebSocket-Protocol header containing x-kaazing-handshake`,
    rules: ['khp-not-negotiated', 'opening-failed'],
    run: async (d) => void (await d.open({ key: 'main' })),
    judge: (obs, decoded) => negotiated(obs, first(decoded)),
  }),
  serverCase({
    id: '1.2',
    title: 'KHP offered after an application protocol',
    description: `Offers ${OTHER_PROTOCOL} first and ${KHP_PROTOCOL} second.`,
    expectation: `The server still chooses ${KHP_PROTOCOL}: the order of the offer does not hide it.`,
    spec: `${OPENING}: Sec-WebSocket-Protocol: x-kaazing-handshake, amqp, ...`,
    rules: ['khp-not-negotiated'],
    run: async (d) => void (await d.open({ key: 'main' }, { protocols: [OTHER_PROTOCOL, KHP_PROTOCOL] })),
    judge: (obs, decoded) => negotiated(obs, first(decoded)),
  }),
  serverCase({
    id: '1.3',
    title: 'A plain WebSocket client is not given KHP',
    description: 'Opens the main path offering no sub-protocol at all.',
    expectation:
      'The server opens a plain WebSocket (no protocol) or refuses; it never answers with a protocol not offered.',
    spec: `${OPENING}: the rules defined in [WSP] apply (RFC 6455 4.2.2: a subprotocol the client offered, or none)`,
    rules: ['opening-failed'],
    run: async (d) => void (await d.open({ key: 'main' }, { protocols: [] })),
    judge: (obs, decoded) => {
      const conn = first(decoded);
      if (conn?.protocol === '') return ok('opened as a plain WebSocket');
      if (conn?.protocol) return failed(`the server chose ${conn.protocol}, which was not offered`);
      // RFC 6455 4.1: a client fails the connection when the server names a protocol it did not offer.
      if (/subprotocol/i.test(obs.error ?? ''))
        return failed(`the server named a protocol not offered (${obs.error})`);
      return info(`the server refused a plain client${obs.error ? ` (${obs.error})` : ''}`);
    },
  }),
  serverCase({
    id: '1.4',
    title: 'Nothing but balancer notices before the extended request (.kl=Y)',
    description: 'Opens with .kl=Y and listens before sending anything, then completes the handshake.',
    expectation:
      'No message before the request, or only balancer notices (U+F0FF N), which real gateways send.',
    spec: `${EXTENDED}: no other messages should be sent by client or server until the extended handshake is completed; ${GUIDE}, balancer messages`,
    rules: ['message-before-completion'],
    run: async (d) => {
      if (!(await d.open({ key: 'main' }))) return;
      await d.listen();
      d.request();
      await d.response();
    },
    judge: (obs, decoded) => quietBeforeRequest(obs, first(decoded), true),
  }),
  serverCase({
    id: '1.5',
    title: 'Nothing before the extended request without .kl=Y',
    description: 'Opens without .kl=Y (as the k3po scripts do) and listens before sending anything.',
    expectation: 'No message at all before the request: balancer notices belong to .kl=Y sessions.',
    spec: `${EXTENDED}: no other messages until the extended handshake is completed (k3po server.sends.message.between.opening.and.extended.handshake: the client closes 1011)`,
    rules: ['message-before-completion'],
    run: async (d) => {
      if (!(await d.open({ key: 'main' }, { kl: false }))) return;
      await d.listen();
      d.request();
      await d.response();
    },
    judge: (obs, decoded) => quietBeforeRequest(obs, first(decoded), false),
  }),
];

export const REQUEST_CASES: SuiteCase[] = [
  serverCase({
    id: '2.1',
    title: 'Minimal binary request, as the spec scripts send it',
    description: 'Without .kl=Y, sends `GET <path> HTTP/1.1` and an empty line as one binary message.',
    expectation: 'A completing response (101), ending where the HTTP message ends or with an empty message.',
    spec: `${EXTENDED}: a WebSocket server receiving the extended handshake message MUST respond (k3po connection.established)`,
    rules: ['malformed-response', 'status-invalid', 'closed-before-completion'],
    run: async (d) => void (await handshake(d, 'main', { kl: false }, { binary: true })),
    judge(obs, decoded) {
      const conn = first(decoded);
      return (
        unlessCompleted(obs, conn, this.rules) ??
        ok(`${statusText(conn)}; response ends: ${answered(conn)[0]!.response.terminator}`)
      );
    },
  }),
  serverCase({
    id: '2.2',
    title: 'Text request as the JavaScript client sends it',
    description:
      'With .kl=Y, a text request with an empty WebSocket-Protocol, an empty Sec-WebSocket-Protocol and the idle-timeout and ping-pong extensions.',
    expectation: 'The handshake completes.',
    spec: `${EXTENDED}; ${GUIDE}, extended handshake request`,
    rules: ['malformed-response', 'status-invalid', 'closed-before-completion'],
    run: async (d) =>
      void (await handshake(
        d,
        'main',
        {},
        {
          headers: [
            ['WebSocket-Protocol', ''],
            ['Sec-WebSocket-Protocol', ''],
          ],
          extensions: [`${IDLE_TIMEOUT_EXTENSION},${PING_PONG_EXTENSION}`],
        },
      )),
    judge(obs, decoded) {
      return unlessCompleted(obs, first(decoded), this.rules) ?? ok(statusText(first(decoded)));
    },
  }),
  serverCase({
    id: '2.3',
    title: 'Binary request as the Java client sends it',
    description: 'With .kl=Y, the request as one binary message, asking for the idle-timeout extension.',
    expectation: 'The handshake completes.',
    spec: `${EXTENDED}; ${GUIDE}: the Java client sends the request as binary; both are valid`,
    rules: ['malformed-response', 'status-invalid', 'closed-before-completion'],
    run: async (d) =>
      void (await handshake(d, 'main', {}, { binary: true, extensions: [IDLE_TIMEOUT_EXTENSION] })),
    judge(obs, decoded) {
      return unlessCompleted(obs, first(decoded), this.rules) ?? ok(statusText(first(decoded)));
    },
  }),
  serverCase({
    id: '2.4',
    title: 'Request path differs from the opening path',
    description: 'The extended request names /khp-suite/elsewhere instead of the opening path.',
    expectation:
      'A response that does not complete (gateways answer 400); completing is non-strict; silence fails.',
    spec: `${EXTENDED}: the server MUST respond with an extended handshake response; ${GUIDE}: a gateway answers 400 when the path differs`,
    rules: ['target-path-mismatch', 'closed-before-completion'],
    run: async (d) => void (await handshake(d, 'main', {}, { target: '/khp-suite/elsewhere' })),
    judge: (obs, decoded) => refused(obs, first(decoded), 'FAILED', 'NON-STRICT'),
  }),
  serverCase({
    id: '2.5',
    title: 'First message is not an HTTP request',
    description:
      'Sends the binary message `Hello` instead of a request (k3po client.sends.message.between.opening.and.extended.handshake).',
    expectation: 'A 400 that does not complete the handshake, then a close; completing the handshake fails.',
    spec: `${EXTENDED}: the payloads take the form of HTTP requests (k3po: 400 Bad Request, close 1000)`,
    rules: ['first-message-not-request', 'message-before-completion'],
    run: async (d) => {
      if (!(await d.open({ key: 'main' }))) return;
      d.send(utf8Encode('Hello'));
      await d.response();
    },
    judge: (obs, decoded) => refused(obs, first(decoded), 'NON-STRICT', 'FAILED'),
  }),
  serverCase({
    id: '2.6',
    title: 'Headers real clients leave to the opening (Host, Origin, Cookie)',
    description:
      'The extended request carries Host, Origin and Cookie, which real clients leave out (the server merges them from the opening).',
    expectation: 'The server answers; completing is expected, a refusal is recorded.',
    spec: `${EXTENDED}: a client MAY include other headers; the server MUST respond`,
    rules: ['closed-before-completion'],
    run: async (d) =>
      void (await handshake(
        d,
        'main',
        {},
        {
          headers: [
            ['Host', 'khp-suite.invalid'],
            ['Origin', 'http://khp-suite.invalid'],
            ['Cookie', 'khp-suite=1'],
          ],
        },
      )),
    judge: (obs, decoded) => {
      const conn = first(decoded);
      const why = whyNoResponse(obs, conn);
      if (why !== null) return failed(why);
      return conn!.outcome === 'open' ? ok(statusText(conn)) : info(`refused: ${statusText(conn)}`);
    },
  }),
  serverCase({
    id: '2.7',
    title: 'Malformed request',
    description: 'The request carries a header name with a space in it (not an HTTP token).',
    expectation: 'A response that does not complete (400); a server that completes is lenient (non-strict).',
    spec: `${EXTENDED}: extended handshake requests follow the HTTP 1.1 protocol [RFC 2616]`,
    rules: ['malformed-request', 'closed-before-completion'],
    run: async (d) => void (await handshake(d, 'main', {}, { headers: [['Bad Header', 'khp-suite']] })),
    judge: (obs, decoded) => refused(obs, first(decoded), 'NON-STRICT', 'NON-STRICT'),
  }),
];
