/**
 * The extended handshake, frame by frame: request → response → (401 → replayed request → …) →
 * completed / failed / redirected. Spec, "Handshake Requirements for the Extended WebSocket
 * Handshake", read together with the guide's account of real gateways (balancer messages, the empty
 * terminator frame, text or binary requests).
 */
import { readBalancer } from './balancer';
import type { BalancerMessage } from './balancer';
import { frameBytes, utf8Decode } from './bytes';
import type { CapturedFrame } from './capture';
import { MessageGatherer } from './decoder-gather';
import { step } from './decoder-state';
import type { DecoderState } from './decoder-state';
import { decideTerminator, onRequest, onResponse, unexpected } from './decoder-rounds';
import { looksLikeHttpRequest } from './http1';
import type { FrameRole } from './model';
import { finding } from './rules';

const MAX_BALANCER_STEPS = 10;

function isEmpty(frame: CapturedFrame): boolean {
  return frame.data.length === 0;
}

/** Gathered-bytes bookkeeping for the cap check. */
function track(s: DecoderState, gathered: number): void {
  if (gathered > s.peakGathered) s.peakGathered = gathered;
}

/** The role of a frame while the socket speaks KHP (any phase after open). */
export function khpFrame(s: DecoderState, frame: CapturedFrame, index: number): FrameRole {
  return frame.dir === 'receive' ? receive(s, frame, index) : send(s, frame, index);
}

function receive(s: DecoderState, frame: CapturedFrame, index: number): FrameRole {
  const empty = isEmpty(frame);
  // Guide: with `.kl=Y` the gateway follows every extended response with an empty message.
  if (s.pendingTerminator !== null) {
    if (empty) {
      decideTerminator(s, 'empty-frame', frame.time);
      return 'terminator';
    }
    decideTerminator(s, 'message-end', frame.time);
  }
  if (s.looseTerminator) {
    s.looseTerminator = false;
    if (empty) return 'terminator';
  }
  if (!empty) {
    const balancer = readBalancer(frame);
    if (balancer) return onBalancer(s, frame, index, balancer);
  }
  return receiveInPhase(s, frame, index, empty);
}

function receiveInPhase(s: DecoderState, frame: CapturedFrame, index: number, empty: boolean): FrameRole {
  switch (s.phase) {
    case 'completed':
      return s.classifier ? s.classifier.classify(frame) : 'data';
    case 'ended':
      if (s.overflow === 'receive' && !empty) return 'handshake-response';
      return unexpected(s, frame, index);
    case 'await-request':
      if (s.request && !s.request.finished) {
        // The server answered: the request ended with the client's last message (before its
        // body, when it carried Expect and waits for 100 Continue).
        onRequest(s, s.request.end({ beforeBody: true }), frame.time, index);
        return receiveInPhase(s, frame, index, empty);
      }
      return unexpected(s, frame, index);
    case 'await-response':
      return responseFrame(s, frame, index, empty);
    default:
      return 'data';
  }
}

function responseFrame(s: DecoderState, frame: CapturedFrame, index: number, empty: boolean): FrameRole {
  if (empty) {
    if (s.response && s.response.gathered > 0) {
      // Real clients gather non-empty messages until the empty one, then parse (guide).
      onResponse(s, s.response.end(), frame.time, index, 'empty-frame');
      return 'terminator';
    }
    return unexpected(s, frame, index);
  }
  s.response ??= new MessageGatherer('response', s.cap);
  const result = s.response.push(frameBytes(frame), index, frame.time, frame.opcode === 2);
  track(s, s.response.gathered);
  if (result.status !== 'incomplete') onResponse(s, result, frame.time, index, null);
  else if (s.response.readsToEnd && !s.kl) {
    // A response without Content-Length has a body "until the end" (RFC 9112 6.3 (8)). Without
    // `.kl=Y` no terminator follows (guide, "Extended handshake response": the response "ends where
    // the HTTP message ends"), so that end is this WebSocket message's end: the spec's own 302
    // (60 bytes, no Content-Length, then close 1000) ends here. On `.kl=Y` sockets the body runs
    // until the empty message, as real clients gather.
    onResponse(s, s.response.end(), frame.time, index, null);
  }
  return 'handshake-response';
}

function send(s: DecoderState, frame: CapturedFrame, index: number): FrameRole {
  switch (s.phase) {
    case 'completed':
      return s.classifier ? s.classifier.classify(frame) : 'data';
    case 'ended':
      return s.overflow === 'send' ? 'handshake-request' : unexpected(s, frame, index);
    case 'await-request':
      return requestFrame(s, frame, index);
    case 'await-response':
      if (s.response && !s.response.finished && s.response.gathered > 0) {
        // The client moved on: the response ended with the server's last message.
        onResponse(s, s.response.end(), frame.time, index, null);
        return send(s, frame, index);
      }
      // Spec, 100 Continue: the client "MUST send the request body".
      return s.bodyAllowed ? 'handshake-request' : unexpected(s, frame, index);
    default:
      return 'data';
  }
}

function requestFrame(s: DecoderState, frame: CapturedFrame, index: number): FrameRole {
  const bytes = frameBytes(frame);
  if (!s.request) {
    if (!looksLikeHttpRequest(bytes)) return notARequest(s, frame, index, bytes);
    s.request = new MessageGatherer('request', s.cap);
  }
  const result = s.request.push(bytes, index, frame.time, frame.opcode === 2);
  track(s, s.request.gathered);
  if (result.status !== 'incomplete') onRequest(s, result, frame.time, index);
  return 'handshake-request';
}

/** Guide: "A gateway answers 400 ... when the first message is not an HTTP request at all". */
function notARequest(s: DecoderState, frame: CapturedFrame, index: number, bytes: Uint8Array): FrameRole {
  const round = s.rounds.length;
  s.rounds.push({ request: null, response: null, action: 'wait' });
  const preview = JSON.stringify(utf8Decode(bytes.subarray(0, 24)));
  const first = s.requests === 0;
  s.requests++;
  s.replayNext = false;
  s.lastRequest = null;
  s.phase = 'await-response';
  // Spec: the extended handshake payloads "take the form of HTTP Requests".
  s.findings.push(
    first
      ? finding(
          'first-message-not-request',
          `The first ${frame.opcode === 1 ? 'text' : 'binary'} message (${preview}) is not an HTTP request.`,
          { frame: index, round },
        )
      : finding('malformed-request', `The message replayed after 401 (${preview}) is not an HTTP request.`, {
          frame: index,
          round,
        }),
  );
  step(s, 'request', frame.time, 'Not an HTTP request', { round, frame: index });
  return 'unexpected';
}

function onBalancer(
  s: DecoderState,
  frame: CapturedFrame,
  index: number,
  message: BalancerMessage,
): FrameRole {
  if (message.kind === 'balancer') {
    if (s.balancerSteps < MAX_BALANCER_STEPS) {
      s.balancerSteps++;
      step(s, 'balancer', frame.time, 'Balancer notice (U+F0FF N)', { frame: index });
    }
    return 'balancer';
  }
  // Guide: U+F0FF 'R' + ws:// URL: "the client closes and opens a new KHP connection to that URL".
  s.redirectTo = message.url;
  s.redirectKind = 'balancer';
  s.ended = 'redirected';
  if (s.phase !== 'completed') s.phase = 'ended';
  step(s, 'redirect', frame.time, `Balancer redirect to ${message.url}`, { frame: index });
  return 'balancer-redirect';
}

/**
 * Nothing more will be read: the socket closed, or the capture ended (a HAR or capture file, whose
 * sockets may have no close event). A request or response still being gathered ends here, and an
 * undecided terminator is decided as missing.
 */
export function finishGathering(s: DecoderState, time: number): void {
  if (s.request && !s.request.finished) onRequest(s, s.request.end(), time, s.roles.length);
  if (s.response && !s.response.finished && s.response.gathered > 0) {
    onResponse(s, s.response.end(), time, s.roles.length, null);
  }
  decideTerminator(s, 'message-end', time);
}

/** End of the socket: finish what was being gathered and say if the handshake was cut short. */
export function finishOnClose(s: DecoderState, time: number): void {
  finishGathering(s, time);
  if (s.phase !== 'await-request' && s.phase !== 'await-response') return;
  // Spec: "A WebSocket server receiving the extended handshake message MUST respond with an
  // extended handshake response message"; until it does, the WebSocket is not open.
  const afterChallenge = s.phase === 'await-request' && s.replayNext;
  const message =
    s.requests === 0
      ? 'The socket closed before the client sent the extended request.'
      : afterChallenge
        ? 'The socket closed after 401 before the client replayed the request (no credentials?).'
        : 'The socket closed before the server answered the extended request.';
  s.findings.push(
    finding('closed-before-completion', message, {
      ...(s.rounds.length > 0 ? { round: s.rounds.length - 1 } : {}),
      ...(afterChallenge ? { severity: 'warning' as const } : {}),
    }),
  );
  s.phase = 'ended';
  s.ended = 'failed';
  step(s, 'failed', time, 'Closed during the extended handshake');
}
