/**
 * The decoded model: what the KHP decoder makes of captured sockets. `toJson` in `report.ts`
 * serialises it as the public JSON format, version 1 (README, "JSON format"); fields listed there are
 * never renamed, new ones may be added.
 */

/** What the spec tells the client to do with an extended-handshake response code. */
export type StatusAction =
  'completed' | 'authenticate' | 'redirect' | 'continue' | 'wait' | 'close' | 'invalid';

export type Severity = 'error' | 'warning' | 'info';

/** The worker a socket was opened in: its kind and its script's URL. */
export interface WorkerOrigin {
  kind: 'dedicated' | 'shared';
  url: string;
}

/** One thing the decoder noticed, tied to the spec clause it enforces. */
export interface Finding {
  severity: Severity;
  /** Stable identifier, documented in the README (e.g. `ext-renegotiated`). */
  rule: string;
  message: string;
  /** The spec section (and sentence, shortened) the rule comes from. */
  spec: string;
  /** Index into the socket's frames, when the finding is about one frame. */
  frame?: number;
  /** Index into `rounds`, when it is about one round. */
  round?: number;
}

/** One header line, name as sent, value with surrounding whitespace trimmed. */
export type Header = [name: string, value: string];

export interface DecodedRequest {
  method: string;
  target: string;
  version: string;
  headers: Header[];
  /** Body as text (UTF-8, lossy); empty when none. */
  body: string;
  /** The whole payload as received, text (UTF-8, lossy). */
  raw: string;
  /** Frame indexes the request came from. */
  frames: number[];
  binary: boolean;
  time: number;
}

export interface DecodedResponse {
  status: number;
  /** The status code exactly as written (may be malformed: then `status` is NaN-free 0). */
  statusText: string;
  reason: string;
  version: string;
  headers: Header[];
  body: string;
  raw: string;
  frames: number[];
  binary: boolean;
  time: number;
  /** How the end of the response was found. */
  terminator: 'empty-frame' | 'message-end' | 'none';
}

/** One request/response exchange of the extended handshake (a 401 starts another round). */
export interface Round {
  request: DecodedRequest | null;
  response: DecodedResponse | null;
  action: StatusAction;
  /** Status-table entry used; `listed` false when read by class (see status-codes.ts). */
  status?: { code: number; listed: boolean; classCode: number | null; meaning: string; specAction: string };
}

/** An application-class extension with its parameters parsed. */
export interface Extension {
  name: string;
  /** `timeout` → number for idle-timeout; raw strings otherwise. */
  params: Record<string, string | number | true>;
  /** 4-byte control prefix (hex, 8 digits) for control-prefix extensions. */
  controlPrefix?: string;
  /** The header element as written. */
  raw: string;
}

/** What a frame is, in KHP terms. */
export type FrameRole =
  | 'handshake-request'
  | 'handshake-response'
  | 'terminator'
  | 'balancer'
  | 'balancer-redirect'
  | 'ping'
  | 'pong'
  | 'escape'
  | 'control'
  | 'data'
  | 'unexpected';

export type Outcome = 'open' | 'failed' | 'redirected' | 'pending' | 'not-khp';

/** A step of the handshake timeline, times relative to the socket's creation. */
export interface TimelineStep {
  kind:
    | 'create'
    | 'open'
    | 'balancer'
    | 'request'
    | 'response'
    | 'completed'
    | 'redirect'
    | 'failed'
    | 'close'
    | 'error';
  /** Milliseconds since the socket was created. */
  at: number;
  label: string;
  round?: number;
  frame?: number;
}

/**
 * The opening handshake as the browser's network stack sent and received it (DevTools' Network log,
 * see network-witness.ts). Page data: shown as text only.
 */
export interface OpeningHandshake {
  source: 'network';
  method: string;
  url: string;
  httpVersion: string;
  /** The request's header lines as sent, `Sec-WebSocket-Protocol` and `-Extensions` included. */
  requestHeaders: Header[];
  /** The answer's status: 101 when the socket opened, 0 when no answer came. */
  status: number;
  statusText: string;
  responseHeaders: Header[];
  /** Why no answer came (the browser's network error), when it says. */
  error?: string;
}

export interface Connection {
  id: string;
  url: string;
  requestedProtocols: string[];
  /** Negotiated in the opening handshake ('' if none, null if never opened). */
  protocol: string | null;
  /** True when x-kaazing-handshake was negotiated. */
  khp: boolean;
  /** Opening-handshake extensions (WebSocket.extensions), parsed. */
  openingExtensions: Extension[];
  /** Requested in the (first) extended request's Sec-WebSocket-Extensions. */
  requestedExtensions: Extension[];
  /** Granted in the completing extended response (what JSON v1 calls `extensions`). */
  extensions: Extension[];
  /** Application protocols requested in the extended request. */
  extendedProtocols: string[];
  rounds: Round[];
  outcome: Outcome;
  /** Where a 3xx or balancer redirect sent the client (ws/wss URL), else null. */
  redirectTo: string | null;
  redirectKind: 'status' | 'balancer' | null;
  findings: Finding[];
  roles: FrameRole[];
  timeline: TimelineStep[];
  startedAt: number;
  /** Epoch ms of the last event seen (close, or last frame). */
  endedAt: number;
  frameCount: number;
  close: { code: number; reason: string; wasClean: boolean } | null;
  /** True when the `.kl=Y` query parameter was in the opening URL. */
  kl: boolean;
  replayOf?: string;
  /**
   * The network's view of the opening handshake, when it saw the socket. Its headers take precedence
   * over what the page could see (`WebSocket.protocol`, `.extensions`, the constructor's protocols).
   */
  opening?: OpeningHandshake;
  /** True for a socket only the network saw (a worker's, or one opened before the hook could see it). */
  networkOnly?: boolean;
  /** The worker the socket was opened in (its hook's record). */
  worker?: WorkerOrigin;
}

/** How a redirect chain ended; `not-khp` when its last socket did not speak KHP (as that socket's outcome). */
export type ChainOutcome = 'open' | 'failed' | 'pending' | 'loop' | 'too-many-redirects' | 'not-khp';

export interface Chain {
  /** Connection ids in hop order. */
  connections: string[];
  outcome: ChainOutcome;
  loop: boolean;
  findings: Finding[];
}

export interface DecodeResult {
  connections: Connection[];
  chains: Chain[];
}
