import { describe, expect, it } from 'vitest';
import { toReport } from '../../../src/protocol/report';
import type { Connection, DecodeResult, Round } from '../../../src/protocol/model';

function round(partial: Partial<Round> = {}): Round {
  return {
    request: {
      method: 'GET',
      target: '/echo?access_token=abc',
      version: 'HTTP/1.1',
      headers: [
        ['Sec-WebSocket-Extensions', 'x-kaazing-ping-pong'],
        ['Authorization', 'Basic am9lOndlbGNvbWU='],
      ],
      body: '',
      raw: 'GET /echo?access_token=abc HTTP/1.1\r\nAuthorization: Basic am9lOndlbGNvbWU=\r\n\r\n',
      frames: [1],
      binary: false,
      time: 1010,
    },
    response: {
      status: 101,
      statusText: '101',
      reason: 'Web Socket Protocol Handshake',
      version: 'HTTP/1.1',
      headers: [
        ['Sec-WebSocket-Extensions', 'x-kaazing-ping-pong; 01010102'],
        ['Set-Cookie', 'sid=1'],
      ],
      body: '',
      raw: 'HTTP/1.1 101 ...',
      frames: [2],
      binary: true,
      time: 1020,
      terminator: 'empty-frame',
    },
    action: 'completed',
    status: {
      code: 101,
      listed: true,
      classCode: 100,
      meaning: 'Switching Protocols',
      specAction: 'completed',
    },
    ...partial,
  };
}

function connection(id: string, startedAt: number, partial: Partial<Connection> = {}): Connection {
  return {
    id,
    url: 'ws://joe:pw@gw.example/echo?.kl=Y&token=zz',
    requestedProtocols: ['x-kaazing-handshake'],
    protocol: 'x-kaazing-handshake',
    khp: true,
    openingExtensions: [],
    requestedExtensions: [{ name: 'x-kaazing-ping-pong', params: {}, raw: 'x-kaazing-ping-pong' }],
    extensions: [
      {
        name: 'x-kaazing-ping-pong',
        params: { '01010102': true },
        controlPrefix: '01010102',
        raw: 'x-kaazing-ping-pong; 01010102',
      },
    ],
    extendedProtocols: [],
    rounds: [round()],
    outcome: 'open',
    redirectTo: null,
    redirectKind: null,
    findings: [
      {
        severity: 'warning',
        rule: 'some-rule',
        message: 'Seen at ws://gw.example/echo?token=zz',
        spec: 'Section: sentence',
        frame: 2,
        round: 0,
      },
    ],
    roles: ['balancer', 'handshake-request', 'handshake-response', 'terminator'],
    timeline: [{ kind: 'request', at: 10, label: 'GET /echo?access_token=abc', round: 0, frame: 1 }],
    startedAt,
    endedAt: startedAt + 100,
    frameCount: 4,
    close: null,
    kl: true,
    ...partial,
  };
}

const result: DecodeResult = {
  connections: [
    connection('b', 2000, {
      outcome: 'redirected',
      redirectTo: 'ws://x/?password=p',
      redirectKind: 'status',
    }),
    connection('a', 1000, { rounds: [round({ response: null, action: 'wait' })] }),
  ],
  chains: [{ connections: ['a', 'b'], outcome: 'pending', loop: false, findings: [] }],
};

describe('toReport', () => {
  it('writes the v1 shape, connections in the order the sockets opened', () => {
    const report = toReport(result);
    expect(report.version).toBe(1);
    expect(report.connections.map((c) => c.id)).toEqual(['a', 'b']);
    const b = report.connections[1]!;
    expect(b).toMatchObject({
      id: 'b',
      requestedProtocols: ['x-kaazing-handshake'],
      protocol: 'x-kaazing-handshake',
      khp: true,
      outcome: 'redirected',
      extensions: [{ name: 'x-kaazing-ping-pong', params: { '01010102': true }, controlPrefix: '01010102' }],
      startedAt: 2000,
      frameCount: 4,
      kl: true,
    });
    expect(b.rounds[0]!.request).toMatchObject({ method: 'GET', target: '/echo?access_token=[redacted]' });
    expect(b.rounds[0]!.response).toMatchObject({ status: 101, reason: 'Web Socket Protocol Handshake' });
    expect(b.rounds[0]!.action).toBe('completed');
    expect(b.findings).toEqual([
      {
        severity: 'warning',
        rule: 'some-rule',
        message: 'Seen at ws://gw.example/echo?token=[redacted]',
        spec: 'Section: sentence',
        frame: 2,
        round: 0,
      },
    ]);
    expect(report.connections[0]!.rounds[0]).toMatchObject({ response: null, action: 'wait' });
    expect(report.chains).toEqual([
      { connections: ['a', 'b'], outcome: 'pending', loop: false, findings: [] },
    ]);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('redacts credentials by default', () => {
    const report = toReport(result);
    const text = JSON.stringify(report);
    expect(report.redacted).toBe(true);
    expect(text).not.toMatch(/am9lOndlbGNvbWU=|sid=1|:pw@|token=zz|password=p|access_token=abc/);
    const b = report.connections[1]!;
    expect(b.url).toBe('ws://joe:[redacted]@gw.example/echo?.kl=Y&token=[redacted]');
    expect(b.redirectTo).toBe('ws://x/?password=[redacted]');
    expect(b.rounds[0]!.request!.headers).toContainEqual(['Authorization', 'Basic [redacted]']);
    expect(b.rounds[0]!.response!.headers).toContainEqual(['Set-Cookie', '[redacted]']);
    expect(b.timeline[0]!.label).toBe('GET /echo?access_token=[redacted]');
  });

  it('keeps credentials with showCredentials', () => {
    const report = toReport(result, { showCredentials: true });
    expect(report.redacted).toBe(false);
    expect(report.connections[1]!.url).toBe(result.connections[0]!.url);
    expect(report.connections[1]!.rounds[0]!.request!.headers).toContainEqual([
      'Authorization',
      'Basic am9lOndlbGNvbWU=',
    ]);
  });

  it('does not carry raw payloads, and copies rather than shares', () => {
    const report = toReport(result, { showCredentials: true });
    expect(JSON.stringify(report)).not.toContain('"raw"');
    report.connections[0]!.rounds[0]!.request!.headers.push(['X', 'y']);
    expect(result.connections[1]!.rounds[0]!.request!.headers).toHaveLength(2);
  });
});
