/**
 * What the reference server answers to one extended handshake request, per scenario. Pure: the
 * session turns an `Answer` into frames, timers and closes.
 */
import { getHeader } from '../protocol/http1';
import type { HttpRequestMessage } from '../protocol/http1-types';
import { readStatus } from '../protocol/status-codes';
import { checkAuthorization, type Scenario } from './scenarios';

/** Wrong credentials tolerated: the third wrong answer gets 403 (guide, "401": 401 several times, then 403). */
export const MAX_AUTH_FAILURES = 3;
export const REALM = 'KHP Inspector demo';

export type Answer =
  | {
      type: 'complete';
      status: number;
      delayMs?: number;
      split?: boolean;
      /** Path of a balancer redirect sent right after completion. */
      balancerTo?: string;
      idleTimeoutMs?: number;
    }
  | { type: 'challenge'; header: string; text: string; wrong: boolean }
  | { type: 'redirect'; status: number; location: string }
  | { type: 'continue' }
  | { type: 'wait'; status: number }
  | { type: 'fail'; status: number; text: string; closeCode: number; graceful?: boolean };

/** Per-socket counters the answers depend on. */
export interface AnswerContext {
  authFailures: number;
  challenges: number;
}

function challengeOrForbid(scheme: 'Basic' | 'Token', wrong: boolean, ctx: AnswerContext): Answer {
  if (wrong && ctx.authFailures + 1 >= MAX_AUTH_FAILURES) {
    return { type: 'fail', status: 403, text: 'too many wrong credentials', closeCode: 1011 };
  }
  return {
    type: 'challenge',
    header: `Application ${scheme} realm="${REALM}"`,
    text: wrong ? 'wrong credentials' : 'credentials required',
    wrong,
  };
}

/** The answer of `scenario` to `req`. */
export function answerScenario(scenario: Scenario, req: HttpRequestMessage, ctx: AnswerContext): Answer {
  switch (scenario.kind) {
    case 'echo':
      return scenario.idleTimeoutMs
        ? { type: 'complete', status: 101, idleTimeoutMs: scenario.idleTimeoutMs }
        : { type: 'complete', status: 101 };
    case 'split':
      return { type: 'complete', status: 101, split: true };
    case 'slow':
      return { type: 'complete', status: 101, delayMs: scenario.ms };
    case 'balancer':
      return { type: 'complete', status: 101, balancerTo: '/echo' };
    case 'redirect':
      return { type: 'redirect', status: 302, location: scenario.location };
    case 'not-found':
      return { type: 'fail', status: 404, text: `no scenario at ${req.target}`, closeCode: 1011 };
    case 'auth': {
      const check = checkAuthorization(scenario.scheme, getHeader(req.headers, 'authorization'));
      if (check === 'ok') return { type: 'complete', status: 101 };
      // The first request carries no credentials: that is the normal start, not a wrong answer.
      return challengeOrForbid(scenario.scheme, check === 'wrong' || ctx.challenges > 0, ctx);
    }
    case 'status':
      return answerStatus(scenario.code, req, ctx);
  }
}

/** `/status/<code>`: the code, then what the spec's table says happens next (status-codes.ts). */
function answerStatus(code: number, req: HttpRequestMessage, ctx: AnswerContext): Answer {
  const expect = /100-continue/i.test(getHeader(req.headers, 'expect') ?? '');
  const { action } = readStatus(code, { method: req.method, expect });
  switch (action) {
    case 'completed':
      return { type: 'complete', status: code };
    case 'authenticate':
      return challengeOrForbid('Basic', ctx.challenges > 0, ctx);
    case 'redirect':
      return { type: 'redirect', status: code, location: '/echo' };
    case 'continue':
      return { type: 'continue' };
    case 'wait':
      return { type: 'wait', status: code };
    default:
      return {
        type: 'fail',
        status: code,
        text: `status ${code} requested`,
        closeCode: 1011,
        graceful: true,
      };
  }
}
