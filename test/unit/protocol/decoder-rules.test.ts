import { describe, expect, it } from 'vitest';
import { decodeSocket } from '../../../src/protocol/decoder';
import type { Connection, Severity } from '../../../src/protocol/model';
import type { RuleId } from '../../../src/protocol/rules';
import {
  GW_URL,
  KHP,
  PLAIN_URL,
  SocketBuilder,
  errorResponse,
  gatewayExchange,
  redirectResponse,
  request,
  response101,
  response401,
} from './decoder-fixtures';

const ids = (c: Connection) => c.findings.map((f) => f.rule);

/** Healthy real-gateway traffic: no finding above info, ever. */
const healthy: { name: string; socket: () => SocketBuilder; outcome: Connection['outcome'] }[] = [
  {
    name: 'JavaScript client: text request, binary 101, terminator, balancers',
    socket: () => gatewayExchange().close(),
    outcome: 'open',
  },
  {
    name: 'Java client: binary request',
    socket: () => gatewayExchange({ binaryRequest: true }),
    outcome: 'open',
  },
  {
    name: 'text-encoded session: text 101 and empty text terminator',
    socket: () =>
      new SocketBuilder()
        .open()
        .balancer()
        .sendText(request())
        .recvText(response101())
        .terminator(1)
        .balancer(),
    outcome: 'open',
  },
  {
    name: '401 with HTML body, replay with Authorization, 101',
    socket: () =>
      new SocketBuilder()
        .open()
        .balancer()
        .sendText(request())
        .recvBinary(response401())
        .terminator()
        .sendText(request({ extra: ['Authorization: Application Basic dXNlcjpwYXNz'] }))
        .recvBinary(response101())
        .terminator()
        .balancer(),
    outcome: 'open',
  },
  {
    name: '401 twice, then 403 with HTML body and close 1011',
    socket: () =>
      new SocketBuilder()
        .open()
        .sendText(request())
        .recvBinary(response401('Application Token'))
        .terminator()
        .sendText(request({ extra: ['Authorization: Application Token abc'] }))
        .recvBinary(response401('Application Token'))
        .terminator()
        .sendText(request({ extra: ['Authorization: Application Token def'] }))
        .recvBinary(errorResponse(403, 'Forbidden'))
        .terminator()
        .close(1011, '', true),
    outcome: 'failed',
  },
  {
    name: '302 with an absolute http Location, then close 1000',
    socket: () =>
      new SocketBuilder()
        .open()
        .balancer()
        .sendText(request())
        .recvBinary(redirectResponse(302, 'http://gw2.example.com:8001/echo'))
        .terminator()
        .close(1000),
    outcome: 'redirected',
  },
  {
    name: 'application protocols carried in Sec-WebSocket-Protocol',
    socket: () =>
      new SocketBuilder(GW_URL, [KHP, 'amqp', 'stomp'])
        .open()
        .sendText(request({ protocols: 'amqp,stomp' }))
        .recvBinary(response101())
        .terminator(),
    outcome: 'open',
  },
  {
    name: 'no extensions asked, none granted',
    socket: () =>
      new SocketBuilder()
        .open()
        .sendText(request({ extensions: null }))
        .recvBinary(response101([]))
        .terminator(),
    outcome: 'open',
  },
  {
    name: 'request target with a query (no .kl=Y) on a .kl=Y socket',
    socket: () =>
      new SocketBuilder('ws://gw.example.com/echo?x=1&.kl=Y')
        .open()
        .sendText(request({ path: '/echo?x=1' }))
        .recvBinary(response101())
        .terminator(),
    outcome: 'open',
  },
  {
    name: 'different reason phrase on 101',
    socket: () =>
      new SocketBuilder()
        .open()
        .sendText(request())
        .recvBinary(response101().replace('Web Socket Protocol Handshake', 'Switching Protocols'))
        .terminator(),
    outcome: 'open',
  },
];

describe('healthy gateway traffic', () => {
  for (const c of healthy) {
    it(c.name, () => {
      const conn = decodeSocket(c.socket().build());
      expect(conn.findings.filter((f) => f.severity !== 'info')).toEqual([]);
      expect(conn.outcome).toBe(c.outcome);
      expect(conn.roles).not.toContain('unexpected');
    });
  }
});

interface RuleCase {
  rule: RuleId;
  name: string;
  socket: () => SocketBuilder;
  severity?: Severity;
  message?: string | RegExp;
  outcome?: Connection['outcome'];
}

const s = () => new SocketBuilder();

const firing: RuleCase[] = [
  {
    rule: 'khp-not-negotiated',
    name: 'server chose no protocol',
    socket: () => s().open('').sendText('hello').recvText('hi'),
    outcome: 'not-khp',
  },
  {
    rule: 'opening-failed',
    name: 'never opened',
    socket: () => s().close(1006, '', false),
    outcome: 'failed',
  },
  {
    rule: 'first-message-not-request',
    name: 'JSON first',
    socket: () =>
      s()
        .open()
        .sendText('{"hello":1}')
        .recvBinary(errorResponse(400, 'Bad Request'))
        .terminator()
        .close(1011),
    message: '{\\"hello\\":1}',
    outcome: 'failed',
  },
  {
    rule: 'malformed-request',
    name: 'header without colon',
    socket: () => s().open().sendText('GET /echo HTTP/1.1\r\nBroken header\r\n\r\n'),
    message: /at byte \d+ .*expected/,
  },
  {
    rule: 'malformed-response',
    name: 'letter in status code',
    socket: () => s().open().sendText(request()).recvBinary('HTTP/1.1 1O1 Oops\r\n\r\n').terminator(),
    message: /INVALID_STATUS at byte 10 \(state STATUS_CODE, expected a 3-digit status code\)/,
    outcome: 'failed',
  },
  {
    rule: 'lenient-http',
    name: 'bare LF response',
    socket: () =>
      s().open().sendText(request()).recvBinary(response101().replaceAll('\r\n', '\n')).terminator(),
    severity: 'warning',
    message: 'BARE_LF',
    outcome: 'open',
  },
  {
    rule: 'response-trailing-bytes',
    name: 'garbage after a Content-Length body',
    socket: () =>
      s()
        .open()
        .sendText(request())
        .recvBinary(redirectResponse(302, 'ws://b/echo') + 'junk')
        .terminator(),
    message: '4 bytes',
  },
  {
    rule: 'message-before-completion',
    name: 'client data before the 101',
    socket: () => s().open().sendText(request()).sendText('app data').recvBinary(response101()).terminator(),
    message: 'The client sent a text message before the extended handshake completed',
    outcome: 'open',
  },
  {
    rule: 'message-before-completion',
    name: 'server data before the request',
    socket: () => s().open().recvText('welcome').sendText(request()).recvBinary(response101()).terminator(),
    message: 'before the extended request',
  },
  {
    rule: 'message-before-completion',
    name: 'server data after 403',
    socket: () =>
      s()
        .open()
        .sendText(request())
        .recvBinary(errorResponse(403, 'Forbidden'))
        .terminator()
        .recvText('more'),
    message: 'after the extended handshake failed',
    outcome: 'failed',
  },
  {
    rule: 'handshake-too-large',
    name: 'request over a small cap',
    socket: () =>
      s()
        .open()
        .sendText(request({ extra: [`X-Pad: ${'a'.repeat(5000)}`] })),
    outcome: 'failed',
  },
  {
    rule: 'ext-renegotiated',
    name: 'permessage-deflate in both handshakes',
    socket: () =>
      s()
        .open(KHP, 'permessage-deflate')
        .sendText(request({ extensions: 'permessage-deflate,x-kaazing-ping-pong' }))
        .recvBinary(errorResponse(400, 'Bad Request'))
        .terminator(),
    message: 'permessage-deflate',
  },
  {
    rule: 'ext-not-subset',
    name: 'grants an extension not asked for',
    socket: () =>
      s()
        .open()
        .sendText(request({ extensions: 'x-kaazing-idle-timeout' }))
        .recvBinary(response101())
        .terminator(),
    message: 'x-kaazing-ping-pong',
    outcome: 'failed',
  },
  {
    rule: 'ext-list-empty',
    name: 'empty Sec-WebSocket-Extensions in the request',
    socket: () =>
      s()
        .open()
        .sendText(request({ extensions: '' }))
        .recvBinary(response101([]))
        .terminator(),
    message: 'request',
  },
  {
    rule: 'ext-list-empty',
    name: 'empty Sec-WebSocket-Extensions line in the response',
    socket: () =>
      s()
        .open()
        .sendText(request())
        .recvBinary(response101(['x-kaazing-ping-pong; 01010102', '']))
        .terminator(),
    message: 'response',
  },
  {
    rule: 'protocols-not-carried',
    name: 'amqp requested, extended request carries none',
    socket: () =>
      new SocketBuilder(GW_URL, [KHP, 'amqp'])
        .open()
        .sendText(request())
        .recvBinary(response101())
        .terminator(),
    message: 'amqp',
  },
  {
    rule: 'target-path-mismatch',
    name: 'request for another path',
    socket: () =>
      s()
        .open()
        .sendText(request({ path: '/other' }))
        .recvBinary(errorResponse(400, 'Bad Request'))
        .terminator(),
    message: '/other',
  },
  {
    rule: 'missing-terminator',
    name: '.kl=Y, 101 followed by a balancer notice',
    socket: () => s().open().sendText(request()).recvBinary(response101()).balancer(),
    severity: 'warning',
    message: 'carried .kl=Y; the client must close',
    outcome: 'failed',
  },
  {
    rule: 'missing-terminator',
    name: '.kl=Y, 401 followed directly by the replay answer',
    socket: () =>
      s()
        .open()
        .sendText(request())
        .recvBinary(response401())
        .sendText(request({ extra: ['Authorization: x'] }))
        .recvBinary(response101())
        .terminator(),
    message: /carried \.kl=Y\.$/,
    outcome: 'open',
  },
  {
    rule: 'missing-terminator',
    name: 'closed right after the 302',
    socket: () => s().open().sendText(request()).recvBinary(redirectResponse(302, 'ws://b/echo')).close(1000),
    outcome: 'redirected',
  },
  {
    rule: 'status-invalid',
    name: 'status 600',
    socket: () =>
      s()
        .open()
        .sendText(request())
        .recvBinary('HTTP/1.1 600 Beyond\r\nContent-Length: 0\r\n\r\n')
        .terminator(),
    outcome: 'failed',
  },
  {
    rule: 'status-unlisted',
    name: 'status 420 read as 400',
    socket: () =>
      s().open().sendText(request()).recvBinary(errorResponse(420, 'Enhance Your Calm')).terminator(),
    message: '400',
    outcome: 'failed',
  },
  {
    rule: 'continue-without-expect',
    name: '100 without Expect',
    socket: () => s().open().sendText(request()).recvBinary('HTTP/1.1 100 Continue\r\n\r\n').terminator(),
    outcome: 'failed',
  },
  {
    rule: 'redirect-307-non-get',
    name: '307 after POST',
    socket: () =>
      s()
        .open()
        .sendText(request({ method: 'POST', extra: ['Content-Length: 0'] }))
        .recvBinary(redirectResponse(307, 'ws://b/echo'))
        .terminator(),
    message: 'POST',
    outcome: 'failed',
  },
  {
    rule: 'redirect-without-location',
    name: '302 without Location',
    socket: () => s().open().sendText(request()).recvBinary(redirectResponse(302, null)).terminator(),
    outcome: 'failed',
  },
  {
    rule: 'redirect-location-invalid',
    name: 'Location with ftp',
    socket: () =>
      s().open().sendText(request()).recvBinary(redirectResponse(301, 'ftp://files/echo')).terminator(),
    outcome: 'failed',
  },
  {
    rule: 'challenge-missing',
    name: '401 without WWW-Authenticate',
    socket: () => s().open().sendText(request()).recvBinary(errorResponse(401, 'Unauthorized')).terminator(),
  },
  {
    rule: 'replay-without-credentials',
    name: 'replay without Authorization',
    socket: () =>
      s()
        .open()
        .sendText(request())
        .recvBinary(response401())
        .terminator()
        .sendText(request())
        .recvBinary(response101())
        .terminator(),
    outcome: 'open',
  },
  {
    rule: 'handshake-failed',
    name: '403',
    socket: () => s().open().sendText(request()).recvBinary(errorResponse(403, 'Forbidden')).terminator(),
    severity: 'info',
    message: '403 Forbidden',
    outcome: 'failed',
  },
  {
    rule: 'closed-before-completion',
    name: 'no answer to the request',
    socket: () => s().open().sendText(request()).close(1006, '', false),
    severity: 'error',
    message: 'before the server answered',
    outcome: 'failed',
  },
  {
    rule: 'closed-before-completion',
    name: 'closed before any request',
    socket: () => s().open().balancer().close(1006, '', false),
    message: 'before the client sent',
    outcome: 'failed',
  },
  {
    rule: 'closed-before-completion',
    name: 'client gave up after 401',
    socket: () => s().open().sendText(request()).recvBinary(response401()).terminator().close(1000),
    severity: 'warning',
    message: 'after 401',
    outcome: 'failed',
  },
];

describe('rules that fire', () => {
  for (const c of firing) {
    it(`${c.rule}: ${c.name}`, () => {
      const conn = decodeSocket(c.socket().build(), { maxHandshakeBytes: 4096 });
      const hit = conn.findings.find((f) => f.rule === c.rule);
      expect(hit, `findings: ${ids(conn).join(', ')}`).toBeDefined();
      if (c.severity) expect(hit!.severity).toBe(c.severity);
      if (c.message !== undefined) expect(hit!.message).toMatch(c.message);
      expect(hit!.spec.length).toBeGreaterThan(10);
      if (c.outcome) expect(conn.outcome).toBe(c.outcome);
    });
  }
});

describe('rules that stay quiet', () => {
  it('no .kl=Y: a response without terminator is accepted, no finding', () => {
    const conn = decodeSocket(
      new SocketBuilder(PLAIN_URL)
        .open()
        .sendText(request())
        .recvBinary(response101())
        .recvText('data')
        .close()
        .build(),
    );
    expect(conn.findings).toEqual([]);
    expect(conn.outcome).toBe('open');
    expect(conn.rounds[0]!.response?.terminator).toBe('message-end');
  });

  it('not requested, not negotiated: not-khp without findings', () => {
    const conn = decodeSocket(new SocketBuilder(PLAIN_URL, []).open('').sendText('x').recvText('y').build());
    expect(conn.outcome).toBe('not-khp');
    expect(conn.findings).toEqual([]);
    expect(conn.roles).toEqual(['data', 'data']);
  });

  it('a plain socket that never opened is not-khp without findings', () => {
    const conn = decodeSocket(new SocketBuilder(PLAIN_URL, ['chat']).close(1006, '', false).build());
    expect(conn).toMatchObject({ outcome: 'not-khp', findings: [], protocol: null, khp: false });
  });

  it('one finding for many unexpected messages', () => {
    const b = s().open().sendText(request()).recvBinary(errorResponse(403, 'Forbidden')).terminator();
    for (let i = 0; i < 50; i++) b.recvText(`m${i}`);
    const conn = decodeSocket(b.build());
    expect(ids(conn).filter((r) => r === 'message-before-completion')).toHaveLength(1);
    expect(conn.roles.filter((r) => r === 'unexpected')).toHaveLength(50);
  });

  it('a 307 after GET redirects without findings', () => {
    const conn = decodeSocket(
      s()
        .open()
        .sendText(request())
        .recvBinary(redirectResponse(307, '/elsewhere'))
        .terminator()
        .close()
        .build(),
    );
    expect(conn.findings).toEqual([]);
    expect(conn.redirectTo).toBe('ws://gw.example.com:8001/elsewhere');
  });

  it('100 with Expect continues, then 101 completes in a second round', () => {
    const conn = decodeSocket(
      s()
        .open()
        .sendText(request({ extra: ['Expect: 100-continue', 'Content-Length: 0'] }))
        .recvBinary('HTTP/1.1 100 Continue\r\n\r\n')
        .terminator()
        .recvBinary(response101())
        .terminator()
        .build(),
    );
    expect(conn.findings).toEqual([]);
    expect(conn.rounds.map((r) => [r.action, r.response?.status])).toEqual([
      ['continue', 100],
      ['completed', 101],
    ]);
    expect(conn.outcome).toBe('open');
  });

  it('100 with Expect: the body the client sends after 100 belongs to the request', () => {
    const conn = decodeSocket(
      s()
        .open()
        .balancer()
        .sendText(request({ extra: ['Expect: 100-continue', 'Content-Length: 5'] }))
        .recvBinary('HTTP/1.1 100 Continue\r\n\r\n')
        .terminator()
        .sendText('hello')
        .recvBinary(response101())
        .terminator()
        .balancer()
        .build(),
    );
    expect(conn.findings).toEqual([]);
    expect(conn.rounds.map((r) => [r.action, r.response?.status])).toEqual([
      ['continue', 100],
      ['completed', 101],
    ]);
    expect(conn.rounds[0]!.request).toMatchObject({ method: 'GET', target: '/echo', body: '' });
    expect(conn.roles).toEqual([
      'balancer',
      'handshake-request',
      'handshake-response',
      'terminator',
      'handshake-request',
      'handshake-response',
      'terminator',
      'balancer',
    ]);
    expect(conn.outcome).toBe('open');
  });

  it('a request whose body never came and no 100 was asked for is still truncated', () => {
    const conn = decodeSocket(
      s()
        .open()
        .sendText(request({ extra: ['Content-Length: 5'] }))
        .recvBinary(response101())
        .terminator()
        .build(),
    );
    expect(conn.findings.map((f) => f.rule)).toContain('malformed-request');
  });

  it('a text request with a raw non-ASCII target is a malformed request, not a non-request', () => {
    const conn = decodeSocket(
      s()
        .open()
        .balancer()
        .sendText(request({ path: '/\u00e9cho' }))
        .recvBinary(response101())
        .terminator()
        .balancer()
        .build(),
    );
    const rules = conn.findings.map((f) => f.rule);
    expect(rules).toContain('malformed-request');
    expect(rules).not.toContain('first-message-not-request');
    // What the unreadable request asked for is unknown: the grant is not judged against it.
    expect(rules).not.toContain('ext-not-subset');
    const malformed = conn.findings.find((f) => f.rule === 'malformed-request')!;
    expect(malformed.message).toMatch(/INVALID_TARGET at byte 5 .*expected/);
  });
});
