/**
 * Rounds of the extended handshake: what a finished request or response does to the socket, the
 * terminator decision, and the status code's action (spec, "Kaazing Extended Handshake Response
 * Codes": 101 completes, 401 asks for a replay, 3xx redirects, most others close).
 */
import type { CapturedFrame } from './capture';
import { checkRequest, checkResponse } from './decoder-checks';
import type { ResponseCheck } from './decoder-checks';
import { ControlClassifier } from './decoder-frames';
import type { GatherResult } from './decoder-gather';
import { step } from './decoder-state';
import type { DecoderState } from './decoder-state';
import { controlPrefixes } from './extensions';
import type { HttpParseError } from './http1';
import type { FrameRole } from './model';
import { finding } from './rules';

/** Reports a message outside the handshake once per socket; the role says the rest. */
export function unexpected(s: DecoderState, frame: CapturedFrame, index: number): FrameRole {
  if (!s.unexpectedReported) {
    s.unexpectedReported = true;
    const who = frame.dir === 'send' ? 'The client sent' : 'The server sent';
    const kind = frame.opcode === 1 ? 'text' : 'binary';
    const when =
      s.ended === 'failed'
        ? 'after the extended handshake failed (the client must close)'
        : s.ended === 'redirected'
          ? 'after a redirect (the client must close)'
          : s.requests === 0 && frame.dir === 'receive'
            ? 'before the extended request'
            : 'before the extended handshake completed';
    // Spec: "No other messages should be sent by client or server until the extended handshake
    // is completed" (balancer messages are the gateway's one accepted exception).
    s.findings.push(
      finding('message-before-completion', `${who} a ${kind} message ${when}.`, { frame: index }),
    );
  }
  return 'unexpected';
}

/**
 * Decides the terminator of the round whose response ended at a message end: an empty message
 * follows it, or (`message-end`) something else came first or the socket closed. Spec: the client
 * must close if "the extended handshake response does not end with an empty WebSocket binary frame".
 */
export function decideTerminator(s: DecoderState, how: 'empty-frame' | 'message-end', time: number): void {
  const index = s.pendingTerminator;
  if (index === null) return;
  s.pendingTerminator = null;
  const round = s.rounds[index];
  if (!round?.response) return;
  round.response = { ...round.response, terminator: how };
  // Guide: servers reached without `.kl=Y` send no terminator and the response ends where the
  // HTTP message ends; real clients accept that, so only `.kl=Y` sockets are judged.
  if (how !== 'message-end' || !s.kl) return;
  const last = round.response.frames[round.response.frames.length - 1];
  const completing = round.action === 'completed' && s.phase === 'completed' && s.ended === null;
  s.findings.push(
    finding(
      'missing-terminator',
      `No empty message followed the extended response although the opening URL carried .kl=Y${completing ? '; the client must close, so the handshake did not complete' : ''}.`,
      { round: index, ...(last !== undefined ? { frame: last } : {}) },
    ),
  );
  // Spec: the client must close if "the extended handshake response does not end with an empty
  // WebSocket binary frame"; only then "if the WebSocket is not closed" is the handshake completed.
  if (completing) {
    s.classifier = null;
    fail(s, time, 'No empty terminator after the 101 — close', index);
  }
}

function describe(error: HttpParseError): string {
  const why = error.message.replace(/\.+$/, '');
  return `${error.code} at byte ${error.offset} (state ${error.state}, expected ${error.expected}): ${why}`;
}

function fail(s: DecoderState, time: number, label: string, round?: number): void {
  s.phase = 'ended';
  s.ended = 'failed';
  step(s, 'failed', time, label, round !== undefined ? { round } : undefined);
}

/** Decoder limit, not a spec rule: one handshake message may not grow past `cap` bytes in memory. */
function tooLarge(
  s: DecoderState,
  what: 'request' | 'response',
  attempted: number,
  at: { round: number; frame: number },
  time: number,
): void {
  s.findings.push(
    finding(
      'handshake-too-large',
      `The extended ${what} reached ${attempted} bytes, over the ${s.cap}-byte cap; gathering stopped.`,
      at,
    ),
  );
  s.overflow = what === 'request' ? 'send' : 'receive';
  fail(s, time, `Extended ${what} over the size cap`, at.round);
}

/** A gathered request is finished (complete, broken or over the cap). */
export function onRequest(
  s: DecoderState,
  result: GatherResult<'request'>,
  time: number,
  index: number,
): void {
  const g = s.request!;
  s.request = null;
  const round = s.rounds.length;
  s.rounds.push({ request: null, response: null, action: 'wait' });
  const replay = s.replayNext;
  s.replayNext = false;
  s.requests++;
  s.phase = 'await-response';
  s.bodyAllowed = false;
  s.lastRequest = null;
  const at = { round, frame: g.frames[0] ?? index };
  if (result.status === 'too-large') return tooLarge(s, 'request', result.attempted, at, time);
  // Spec: extended handshake requests take "the form of HTTP Requests ... following the HTTP 1.1
  // protocol"; a broken one is reported with where and why the parser stopped.
  if (result.status !== 'complete') {
    const detail = result.status === 'error' ? describe(result.error) : 'the message is incomplete';
    s.findings.push(
      finding('malformed-request', `The extended request is not valid HTTP/1.1: ${detail}.`, at),
    );
    step(s, 'request', g.time, 'Malformed extended request', at);
    return;
  }
  const ctx = {
    socketUrl: s.url,
    requestedProtocols: s.requestedProtocols,
    openingExtensions: s.openingExtensions,
    replay,
  };
  const checked = checkRequest(result.message, g.rawText(), g.frames, g.binary, g.time, ctx, at);
  s.rounds[round]!.request = checked.request;
  if (!s.haveRequest) {
    s.haveRequest = true;
    s.requestedExtensions = checked.extensions;
    s.extendedProtocols = checked.protocols;
  }
  s.lastRequest = checked.request;
  s.lastRequested = checked.extensions;
  s.findings.push(...checked.findings);
  const how = g.binary ? 'binary' : 'text';
  const label = `${checked.request.method} ${checked.request.target} (${how})${replay ? ' — replayed with credentials' : ''}`;
  step(s, 'request', g.time, label, at);
}

/** A gathered response is finished; `terminator` is set when an empty message ended it. */
export function onResponse(
  s: DecoderState,
  result: GatherResult<'response'>,
  time: number,
  index: number,
  terminator: 'empty-frame' | null,
): void {
  const g = s.response!;
  s.response = null;
  const round = Math.max(0, s.rounds.length - 1);
  const at = { round, frame: g.frames[0] ?? index };
  const entry = s.rounds[round];
  if (!entry) return;
  if (result.status === 'too-large') return tooLarge(s, 'response', result.attempted, at, time);
  // Spec: the client must close if "the extended handshake failed"; an unreadable response is
  // the plainest failure.
  if (result.status !== 'complete') {
    const detail = result.status === 'error' ? describe(result.error) : 'the message is incomplete';
    s.findings.push(
      finding('malformed-response', `The extended response is not valid HTTP/1.1: ${detail}.`, at),
    );
    entry.action = 'invalid';
    // With `.kl=Y` an empty message still follows; label it without judging it.
    if (terminator === null) s.looseTerminator = true;
    return fail(s, time, 'Malformed extended response — close', round);
  }
  // The response is one HTTP message: bytes past its end (headers + Content-Length) belong to nothing.
  if (result.consumed < g.gathered) {
    s.findings.push(
      finding(
        'response-trailing-bytes',
        `${g.gathered - result.consumed} bytes follow the end of the HTTP response.`,
        at,
      ),
    );
  }
  const checked = checkResponse(
    result.message,
    g.rawText(),
    g.frames,
    g.binary,
    g.time,
    s.lastRequest,
    s.lastRequested,
    s.url,
    at,
  );
  entry.response = terminator ? { ...checked.response, terminator } : checked.response;
  entry.action = checked.round.action;
  if (checked.round.status) entry.status = checked.round.status;
  s.findings.push(...checked.findings);
  if (terminator === null) s.pendingTerminator = round;
  step(s, 'response', g.time, responseLabel(checked), at);
  applyAction(s, checked, time, round);
}

function responseLabel(c: ResponseCheck): string {
  const head = `${c.response.statusText} ${c.response.reason}`.trim();
  switch (c.reading.action) {
    case 'completed':
      return head;
    case 'authenticate':
      return `${head} — replay with credentials`;
    case 'redirect':
      return c.redirectTo
        ? `${head} — redirect to ${c.redirectTo}`
        : `${head} — redirect without a usable Location`;
    case 'continue':
      return `${head} — send the request body`;
    case 'wait':
      return `${head} — wait for another response`;
    case 'invalid':
      return `${head} — invalid status, close`;
    default:
      return `${head} — close`;
  }
}

function applyAction(s: DecoderState, c: ResponseCheck, time: number, round: number): void {
  switch (c.reading.action) {
    case 'completed': {
      s.extensions = c.granted;
      // Spec: the client must close if "the Sec-WebSocket-Extensions selected by the server are not
      // a subset of those requested": the handshake does not complete.
      if (!c.subset) return fail(s, time, 'Granted extensions were not requested — close', round);
      s.phase = 'completed';
      s.classifier = new ControlClassifier(controlPrefixes(c.granted));
      const names = c.granted.map((e) => e.name).join(', ');
      step(
        s,
        'completed',
        time,
        names ? `Extended handshake completed (${names})` : 'Extended handshake completed',
        { round },
      );
      return;
    }
    case 'authenticate':
      s.phase = 'await-request';
      s.replayNext = true;
      return;
    case 'redirect':
      if (!c.redirectTo) return fail(s, time, 'Redirect without a usable Location — close', round);
      s.phase = 'ended';
      s.ended = 'redirected';
      s.redirectTo = c.redirectTo;
      s.redirectKind = 'status';
      step(s, 'redirect', time, `Redirect to ${c.redirectTo}`, { round });
      return;
    case 'continue':
    case 'wait':
      // Another response follows for the same request (100: after the body; 202: maybe, later).
      s.rounds.push({ request: null, response: null, action: 'wait' });
      s.phase = 'await-response';
      s.bodyAllowed = c.reading.action === 'continue';
      return;
    default:
      return fail(
        s,
        time,
        `Extended handshake failed: ${c.response.statusText} ${c.response.reason}`.trim(),
        round,
      );
  }
}
