/**
 * Judging is a pure function of the observation: the k3po scripts' own exchanges (test/fixtures/
 * spec-scripts.ts), taken as what a case observed, earn the verdicts the spec gives them, and the
 * close verdict reads who closed, how and with which code.
 */
import { describe, expect, it } from 'vitest';
import type { CapturedSocket } from '../../../src/protocol/capture';
import { SERVER_CASES } from '../../../src/protocol/suite/catalogue';
import { judgeCase, judgeClose } from '../../../src/protocol/suite/judge';
import type { ClosedBy, Observation } from '../../../src/protocol/suite/types';
import { SPEC_SCRIPTS, scriptCapture } from '../../fixtures/spec-scripts';

const byId = (id: string) => SERVER_CASES.find((c) => c.id === id)!;

/** The client side of a k3po script as a case's observation. */
function observed(script: string, closedBy: ClosedBy = 'server'): Observation {
  // The first socket: a case judges the sockets it opened (the 302 script's reconnect is not the server's).
  const sockets = scriptCapture(SPEC_SCRIPTS[script]!.client).slice(0, 1);
  return { sockets, closedBy: sockets.map(() => closedBy), pings: sockets.map(() => 0), timedOut: false };
}

const judge = (id: string, obs: Observation) => {
  const { verdict, close, notes } = judgeCase(byId(id), obs);
  return { verdict, close, notes };
};

describe('suite judges on the k3po scripts', () => {
  it('reads a completed handshake, a 401 and a redirect as the spec does', () => {
    expect(judge('2.1', observed('connection.established')).verdict).toBe('OK');
    expect(judge('3.1', observed('extended.handshake.response.code.401')).verdict).toBe('OK');
    const redirect = observed('extended.handshake.response.code.302');
    expect(judge('4.1', redirect).verdict).toBe('OK');
    expect(judge('8.2', redirect)).toMatchObject({ verdict: 'OK', close: 'OK' });
  });

  it('fails a server that speaks before the request, and one that closes without an error response', () => {
    const early = judge(
      '1.5',
      observed('server.sends.message.between.opening.and.extended.handshake', 'client'),
    );
    expect(early.verdict).toBe('FAILED');
    expect(early.notes.join(' ')).toContain('message-before-completion');
    // The script answers the replay by closing 1011 with no response: the spec asks for one first.
    const twice = judge('8.4', observed('extension.in.opening.and.extended.handshake'));
    expect(twice).toMatchObject({ verdict: 'OK', close: 'OK' });
  });

  it('says UNIMPLEMENTED, without a close verdict, when the case could not run', () => {
    const obs: Observation = {
      sockets: [],
      closedBy: [],
      pings: [],
      timedOut: false,
      unavailable: 'no basic path',
    };
    expect(judge('8.5', obs)).toEqual({ verdict: 'UNIMPLEMENTED', close: null, notes: ['no basic path'] });
  });
});

describe('close verdicts', () => {
  const socket = (close: CapturedSocket['close']): CapturedSocket => ({
    id: 's',
    url: 'ws://x/',
    requestedProtocols: [],
    createdAt: 0,
    openedAt: 1,
    frames: [],
    ...(close ? { close } : {}),
  });
  const obs = (close: CapturedSocket['close'], by: ClosedBy): Observation => ({
    sockets: [socket(close)],
    closedBy: [by],
    pings: [0],
    timedOut: by === 'timeout',
  });
  const closed = (code: number, wasClean = true) => ({ time: 2, code, reason: '', wasClean });
  const expect1000 = { by: 'server' as const, codes: [1000] };

  it.each([
    [closed(1000), 'server', 'OK'],
    [closed(1011), 'server', 'WRONG CODE'],
    [closed(1006, false), 'server', 'UNCLEAN'],
    [closed(1000), 'client', 'FAILED'],
    [closed(1006, false), 'timeout', 'FAILED'],
    [undefined, 'none', 'FAILED'],
  ] as const)('%o closed by the %s: %s', (close, by, verdict) => {
    expect(judgeClose(expect1000, obs(close, by)).verdict).toBe(verdict);
  });
});
