import { describe, expect, it } from 'vitest';
import { balancerRedirectText } from '../../../src/protocol/balancer';
import { utf8Encode } from '../../../src/protocol/bytes';
import { ConnectionDecoder, decodeSocket } from '../../../src/protocol/decoder';
import { decodeCapture } from '../../../src/protocol/index';
import {
  GW_URL,
  KHP,
  PING_PREFIX,
  PLAIN_URL,
  SocketBuilder,
  errorResponse,
  gatewayExchange,
  redirectResponse,
  request,
  response101,
  response401,
} from './decoder-fixtures';

describe('a healthy gateway exchange', () => {
  const conn = decodeSocket(gatewayExchange().close(1000).build());

  it('labels every frame', () => {
    expect(conn.roles).toEqual([
      'balancer',
      'handshake-request',
      'handshake-response',
      'terminator',
      'balancer',
    ]);
    expect(conn.frameCount).toBe(5);
  });

  it('fills the connection', () => {
    expect(conn).toMatchObject({
      khp: true,
      protocol: KHP,
      outcome: 'open',
      kl: true,
      redirectTo: null,
      redirectKind: null,
      findings: [],
      close: { code: 1000, reason: '', wasClean: true },
      startedAt: 1000,
    });
    expect(conn.requestedExtensions.map((e) => e.name)).toEqual([
      'x-kaazing-idle-timeout',
      'x-kaazing-ping-pong',
    ]);
    expect(conn.extensions.map((e) => [e.name, e.params, e.controlPrefix])).toEqual([
      ['x-kaazing-idle-timeout', { timeout: 20000 }, undefined],
      ['x-kaazing-ping-pong', { '01010102': true }, '01010102'],
    ]);
    expect(conn.endedAt).toBeGreaterThan(conn.startedAt);
  });

  it('decodes the round', () => {
    expect(conn.rounds).toHaveLength(1);
    const [round] = conn.rounds;
    expect(round?.action).toBe('completed');
    expect(round?.status).toMatchObject({ code: 101, listed: true, classCode: 100 });
    expect(round?.request).toMatchObject({
      method: 'GET',
      target: '/echo',
      version: 'HTTP/1.1',
      binary: false,
      frames: [1],
    });
    expect(round?.request?.raw).toBe(request());
    expect(round?.response).toMatchObject({
      status: 101,
      statusText: '101',
      reason: 'Web Socket Protocol Handshake',
      binary: true,
      frames: [2],
      terminator: 'empty-frame',
    });
  });

  it('tells the story in the timeline', () => {
    expect(conn.timeline.map((t) => t.kind)).toEqual([
      'create',
      'open',
      'balancer',
      'request',
      'response',
      'completed',
      'balancer',
      'close',
    ]);
    expect(conn.timeline[0]!.at).toBe(0);
    expect(conn.timeline.find((t) => t.kind === 'request')?.label).toBe('GET /echo (text)');
    expect(conn.timeline.every((t, i, all) => i === 0 || t.at >= all[i - 1]!.at)).toBe(true);
  });
});

describe('rounds', () => {
  it('401 → replay with credentials → 101', () => {
    const conn = decodeSocket(
      new SocketBuilder()
        .open()
        .sendBinary(request())
        .recvBinary(response401())
        .terminator()
        .sendBinary(request({ extra: ['Authorization: Application Basic eDp5'] }))
        .recvBinary(response101())
        .terminator()
        .build(),
    );
    expect(conn.outcome).toBe('open');
    expect(conn.rounds.map((r) => r.action)).toEqual(['authenticate', 'completed']);
    expect(conn.rounds[0]!.response?.body).toContain('<h1>401 Unauthorized</h1>');
    expect(conn.roles).toEqual([
      'handshake-request',
      'handshake-response',
      'terminator',
      'handshake-request',
      'handshake-response',
      'terminator',
    ]);
    const labels = conn.timeline.map((t) => t.label);
    expect(labels).toContain('401 Unauthorized — replay with credentials');
    expect(labels).toContain('GET /echo (binary) — replayed with credentials');
  });

  it('3xx redirects: redirectTo in ws form, outcome redirected', () => {
    const conn = decodeSocket(
      new SocketBuilder()
        .open()
        .sendText(request())
        .recvBinary(redirectResponse(302, 'https://gw2.example.com/echo'))
        .terminator()
        .close()
        .build(),
    );
    expect(conn).toMatchObject({
      outcome: 'redirected',
      redirectTo: 'wss://gw2.example.com/echo',
      redirectKind: 'status',
    });
    expect(conn.timeline.map((t) => t.kind)).toContain('redirect');
  });

  it('202 waits for another response on the same request', () => {
    const conn = decodeSocket(
      new SocketBuilder()
        .open()
        .sendText(request())
        .recvBinary(errorResponse(202, 'Accepted'))
        .terminator()
        .recvBinary(response101())
        .terminator()
        .build(),
    );
    expect(conn.rounds.map((r) => r.action)).toEqual(['wait', 'completed']);
    expect(conn.rounds[1]!.request).toBeNull();
    expect(conn.outcome).toBe('open');
  });

  it('a round still waiting has action wait and no status', () => {
    const conn = decodeSocket(new SocketBuilder().open().sendText(request()).build());
    expect(conn.outcome).toBe('pending');
    expect(conn.rounds).toEqual([expect.objectContaining({ action: 'wait', response: null })]);
    expect(conn.rounds[0]!.status).toBeUndefined();
  });
});

describe('split responses and terminators', () => {
  const whole = response101();

  it('gathers a response split over messages until the terminator', () => {
    const b = new SocketBuilder().open().sendText(request());
    const parts = [whole.slice(0, 10), whole.slice(10, 60), whole.slice(60)];
    for (const p of parts) b.recvBinary(p);
    const conn = decodeSocket(b.terminator().build());
    expect(conn.roles).toEqual([
      'handshake-request',
      'handshake-response',
      'handshake-response',
      'handshake-response',
      'terminator',
    ]);
    expect(conn.rounds[0]!.response).toMatchObject({
      frames: [1, 2, 3],
      terminator: 'empty-frame',
      raw: whole,
    });
    expect(conn.findings).toEqual([]);
  });

  it('gives the same response for every split point (house style: split at every byte offset)', () => {
    const bytes = utf8Encode(whole);
    const reference = decodeSocket(gatewayExchange().build()).rounds[0]!.response!.headers;
    for (let at = 1; at < bytes.length; at++) {
      const conn = decodeSocket(
        new SocketBuilder()
          .open()
          .sendText(request())
          .recvBinary(bytes.subarray(0, at))
          .recvBinary(bytes.subarray(at))
          .terminator()
          .build(),
      );
      expect(conn.rounds[0]!.response?.headers, `split at ${at}`).toEqual(reference);
      expect(conn.findings).toEqual([]);
    }
  });

  it('accepts a response ending at its message end without .kl=Y (guide: accept both, say which)', () => {
    const conn = decodeSocket(
      new SocketBuilder(PLAIN_URL).open().sendText(request()).recvBinary(whole).recvText('app').build(),
    );
    expect(conn.rounds[0]!.response?.terminator).toBe('message-end');
    expect(conn.roles).toEqual(['handshake-request', 'handshake-response', 'data']);
    expect(conn.findings).toEqual([]);
    expect(conn.outcome).toBe('open');
  });

  it('leaves the terminator pending in a live snapshot, decides it on the next frame or close', () => {
    const d = new ConnectionDecoder({ id: 'live', url: GW_URL, requestedProtocols: [KHP], createdAt: 0 });
    d.open(1, KHP, '');
    d.frame({ dir: 'send', time: 2, opcode: 1, data: request(), size: request().length });
    const bytes = utf8Encode(whole);
    d.frame({ dir: 'receive', time: 3, opcode: 1, data: whole, size: bytes.length });
    const live = d.snapshot();
    expect(live.rounds[0]!.response?.terminator).toBe('none');
    expect(live.outcome).toBe('open');
    d.close({ time: 4, code: 1006, reason: '', wasClean: false });
    const after = d.snapshot();
    expect(after.rounds[0]!.response?.terminator).toBe('message-end');
    expect(after.findings.map((f) => f.rule)).toEqual(['missing-terminator']);
    // .kl=Y and no terminator: the client must close, the handshake never completed.
    expect(after.outcome).toBe('failed');
    expect(after.timeline.map((t) => t.kind)).toContain('failed');
    // The earlier snapshot is not changed behind the caller's back.
    expect(live.rounds[0]!.response?.terminator).toBe('none');
  });

  it('waits for the rest of a split Content-Length body', () => {
    const r = response401();
    const conn = decodeSocket(
      new SocketBuilder()
        .open()
        .sendText(request())
        .recvBinary(r.slice(0, r.length - 20))
        .recvBinary(r.slice(r.length - 20))
        .terminator()
        .build(),
    );
    expect(conn.rounds[0]!.response?.frames).toEqual([1, 2]);
    expect(conn.rounds[0]!.action).toBe('authenticate');
  });

  it('labels the empty message after a malformed response as its terminator', () => {
    const conn = decodeSocket(
      new SocketBuilder()
        .open()
        .sendText(request())
        .recvBinary('HTTP/1.1 abc\r\n\r\n')
        .terminator()
        .close(1011)
        .build(),
    );
    expect(conn.roles).toEqual(['handshake-request', 'handshake-response', 'terminator']);
    expect(conn.findings.map((f) => f.rule)).toEqual(['malformed-response']);
    expect(conn.rounds[0]!.action).toBe('invalid');
  });
});

describe('control frames after completion', () => {
  const base = () => gatewayExchange();

  it('labels ping, pong, escape, control and data', () => {
    const conn = decodeSocket(
      base()
        .recvText(`${PING_PREFIX}\x09\x00`)
        .sendText(`${PING_PREFIX}\x0a\x00`)
        .recvText(PING_PREFIX)
        .recvText(`${PING_PREFIX}\x09\x00`)
        .recvText(`${PING_PREFIX}\x09\x00`)
        .recvText(`${PING_PREFIX}\x7f`)
        .recvText('hello')
        .recvBinary(`${PING_PREFIX}\x09\x00`)
        .build(),
    );
    expect(conn.roles.slice(5)).toEqual([
      'ping',
      'pong',
      'escape',
      'data',
      'ping',
      'control',
      'data',
      'data',
    ]);
    expect(conn.findings).toEqual([]);
  });

  it('keeps the escape per direction', () => {
    const conn = decodeSocket(
      base()
        .sendText(PING_PREFIX)
        .recvText(`${PING_PREFIX}\x09\x00`)
        .sendText(`${PING_PREFIX}\x0a\x00`)
        .build(),
    );
    expect(conn.roles.slice(5)).toEqual(['escape', 'ping', 'data']);
  });

  it('treats everything as data when no control-prefix extension was granted', () => {
    const conn = decodeSocket(
      new SocketBuilder()
        .open()
        .sendText(request({ extensions: 'x-kaazing-idle-timeout' }))
        .recvBinary(response101(['x-kaazing-idle-timeout; timeout=20000']))
        .terminator()
        .recvText(`${PING_PREFIX}\x09\x00`)
        .build(),
    );
    expect(conn.roles.at(-1)).toBe('data');
  });
});

describe('balancer messages', () => {
  it('a balancer redirect before the request redirects the socket', () => {
    const conn = decodeSocket(
      new SocketBuilder()
        .open()
        .recvBinary(balancerRedirectText('ws://gw2.example.com:8001/echo'))
        .close(1000)
        .build(),
    );
    expect(conn).toMatchObject({
      outcome: 'redirected',
      redirectKind: 'balancer',
      redirectTo: 'ws://gw2.example.com:8001/echo',
      findings: [],
    });
    expect(conn.roles).toEqual(['balancer-redirect']);
  });

  it('a balancer redirect after completion also redirects', () => {
    const conn = decodeSocket(
      gatewayExchange().recvText(balancerRedirectText('wss://gw3.example.com/echo')).close().build(),
    );
    expect(conn.outcome).toBe('redirected');
    expect(conn.roles.at(-1)).toBe('balancer-redirect');
    expect(conn.findings).toEqual([]);
  });
});

describe('socket life', () => {
  it('opening failure', () => {
    const d = new ConnectionDecoder({ id: 'x', url: GW_URL, requestedProtocols: [KHP], createdAt: 5 });
    expect(d.snapshot().outcome).toBe('pending');
    d.error(6);
    d.close({ time: 7, code: 1006, reason: '', wasClean: false });
    const c = d.snapshot();
    expect(c.outcome).toBe('failed');
    expect(c.protocol).toBeNull();
    expect(c.findings.map((f) => f.rule)).toEqual(['opening-failed']);
    expect(c.timeline.map((t) => t.kind)).toEqual(['create', 'error', 'close']);
  });

  it('reuses the roles array across snapshots and keeps replayOf', () => {
    const d = new ConnectionDecoder({
      id: 'r',
      url: GW_URL,
      requestedProtocols: [KHP],
      createdAt: 0,
      replayOf: 'orig',
    });
    d.open(1, KHP, '');
    const a = d.snapshot();
    d.frame({ dir: 'send', time: 2, opcode: 1, data: request(), size: 10 });
    const b = d.snapshot();
    expect(b.roles).toBe(a.roles);
    expect(b.roles).toEqual(['handshake-request']);
    expect(b.replayOf).toBe('orig');
  });

  it('frames without an open event imply an open socket', () => {
    const socket = gatewayExchange().build();
    delete socket.openedAt;
    delete socket.protocol;
    expect(decodeSocket(socket).outcome).toBe('open');
  });
});

describe('decodeCapture', () => {
  it('sorts connections by creation and links a redirect chain', () => {
    const first = new SocketBuilder(GW_URL, [KHP], 100)
      .open()
      .balancer()
      .sendText(request())
      .recvBinary(redirectResponse(302, 'http://gw2.example.com:8001/echo'))
      .terminator()
      .close();
    const second = new SocketBuilder('ws://gw2.example.com:8001/echo?.kl=Y', [KHP], 200)
      .open()
      .balancer()
      .sendText(request())
      .recvBinary(response101())
      .terminator();
    const unrelated = new SocketBuilder(PLAIN_URL, [], 150).open('');
    const result = decodeCapture([second.build(), unrelated.build(), first.build()]);
    expect(result.connections.map((c) => c.startedAt)).toEqual([100, 150, 200]);
    expect(result.chains.map((c) => [c.connections, c.outcome])).toEqual([
      [['s100', 's200'], 'open'],
      [['s150'], 'not-khp'],
    ]);
  });
});
