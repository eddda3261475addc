/**
 * The mutable state of one socket's decoder, shared by the decoder's modules. Everything the
 * snapshot exposes lives here; `roles` is appended in place so a snapshot never copies it.
 */
import type { CapturedFrame } from './capture';
import type { ControlClassifier } from './decoder-frames';
import type { MessageGatherer } from './decoder-gather';
import type { DecodedRequest, Extension, Finding, FrameRole, Round, TimelineStep } from './model';

/**
 * Where the socket is:
 * - `opening`: before the WebSocket opening handshake completed;
 * - `plain`: open without KHP (every frame is data);
 * - `await-request`: KHP negotiated, waiting for the (first or replayed) extended request;
 * - `await-response`: a request was sent, waiting for the response (or a further one, after 100/202);
 * - `completed`: the extended handshake completed (101/201/204/205);
 * - `ended`: failed or redirected; the client must close.
 */
export type Phase = 'opening' | 'plain' | 'await-request' | 'await-response' | 'completed' | 'ended';

/** Everything one socket's decoder keeps; owned by `ConnectionDecoder`, mutated by its helpers. */
export interface DecoderState {
  id: string;
  url: string;
  requestedProtocols: string[];
  createdAt: number;
  replayOf?: string;
  cap: number;
  kl: boolean;

  phase: Phase;
  ended: 'failed' | 'redirected' | null;
  protocol: string | null;
  openingExtensions: Extension[];
  requestedExtensions: Extension[];
  extensions: Extension[];
  extendedProtocols: string[];
  rounds: Round[];
  redirectTo: string | null;
  redirectKind: 'status' | 'balancer' | null;
  findings: Finding[];
  roles: FrameRole[];
  timeline: TimelineStep[];
  endedAt: number;
  close: { code: number; reason: string; wasClean: boolean } | null;
  errored: boolean;
  dropped: { frames: number; bytes: number };

  /** Requests seen so far (a replay after 401 is not the first). */
  requests: number;
  /** The request the current round answers (kept across 100/202 rounds). */
  lastRequest: DecodedRequest | null;
  /** Extensions that request asked for (the subset check of a completing response uses them). */
  lastRequested: Extension[];
  /** A request was decoded (the first one sets `requestedExtensions` and `extendedProtocols`). */
  haveRequest: boolean;
  /** After a malformed response: the next empty message is its terminator, not judged. */
  looseTerminator: boolean;
  /** After 100 Continue: client messages are the request body. */
  bodyAllowed: boolean;
  /** The next request replays one answered by 401. */
  replayNext: boolean;
  request: MessageGatherer<'request'> | null;
  response: MessageGatherer<'response'> | null;
  /** Round whose terminator is not decided yet (its response ended at a message end). */
  pendingTerminator: number | null;
  /** A handshake message went over the cap: later frames in that direction are its remains. */
  overflow: CapturedFrame['dir'] | null;
  classifier: ControlClassifier | null;
  /** A `message-before-completion` finding was already reported (reported once per socket). */
  unexpectedReported: boolean;
  openingFailedReported: boolean;
  /** Largest number of bytes gathered for one HTTP message. */
  peakGathered: number;
  /** Balancer steps added to the timeline (capped so a chatty server cannot grow it). */
  balancerSteps: number;
  /** The capture ended (`ConnectionDecoder.end`): nothing more will be fed. */
  captureEnded: boolean;
}

/** Adds a timeline step at absolute time `time`. */
export function step(
  s: DecoderState,
  kind: TimelineStep['kind'],
  time: number,
  label: string,
  extra?: { round?: number; frame?: number },
): void {
  const at = Math.max(0, time - s.createdAt);
  const st: TimelineStep = { kind, at, label };
  if (extra?.round !== undefined) st.round = extra.round;
  if (extra?.frame !== undefined) st.frame = extra.frame;
  s.timeline.push(st);
}
