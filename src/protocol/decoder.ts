/**
 * The KHP connection decoder: turns one captured socket (live events or a finished record) into a
 * `Connection`: opening → extended request → response → (401 → replayed request → …) → completed,
 * failed or redirected, with a role for every frame, findings tied to spec clauses and a timeline.
 *
 * Spec, "Protocol Handshake Requirements": "An 'extended' handshake MUST be required when KHP is
 * the chosen protocol during the 'opening' handshake", and "The WebSocket is not said to be open
 * until the second message pair has successfully completed".
 *
 * Outcome: `open` once the extended handshake completed, whatever happened to the socket later (a
 * later close does not undo it); `failed` when it failed, broke or the socket closed during it;
 * `redirected` after a 3xx with a usable Location or a balancer redirect; `pending` while still in
 * the handshake on an unclosed socket; `not-khp` when KHP was not negotiated.
 */
import type { CapturedFrame, CapturedSocket, CloseInfo, WorkerOrigin } from './capture';
import { DEFAULT_MAX_HANDSHAKE_BYTES } from './decoder-gather';
import { finishGathering, finishOnClose, khpFrame } from './decoder-handshake';
import { step } from './decoder-state';
import type { DecoderState } from './decoder-state';
import { parseExtensionsHeader } from './extensions';
import type { Connection, OpeningHandshake, Outcome } from './model';
import { networkHeader, networkList } from './network-witness';
import { finding } from './rules';
import { KHP_PROTOCOL } from './khp';
import { hasKl } from './urls';

export { DEFAULT_MAX_HANDSHAKE_BYTES } from './decoder-gather';

/** Decoder settings. */
export interface DecoderOptions {
  /** Cap on the bytes gathered for one HTTP message of the handshake (default 1 MiB). */
  maxHandshakeBytes?: number;
  /**
   * `decodeSocket` only: the socket may still receive events (a live capture). By default the record
   * is taken as finished, and what was still being read ends with it (see `ConnectionDecoder.end`).
   */
  live?: boolean;
}

/** What is known when a socket is created. */
export interface DecoderInit {
  id: string;
  url: string;
  requestedProtocols: string[];
  createdAt: number;
  replayOf?: string;
  /**
   * The opening handshake as the network saw it (network-witness.ts). When present, its headers are
   * what the opening-handshake rules are judged on: the request's `Sec-WebSocket-Protocol` instead of
   * the constructor's protocols, the 101's `Sec-WebSocket-Protocol` and `Sec-WebSocket-Extensions`
   * instead of `WebSocket.protocol` and `.extensions`.
   */
  network?: OpeningHandshake;
  /** The socket was seen by the network only (no page hook record). */
  networkOnly?: boolean;
  /** The worker the socket was opened in. */
  worker?: WorkerOrigin;
}

/**
 * Incremental decoder of one socket. Feed events in order; `snapshot()` at any time. After the
 * handshake each frame costs O(1) (a role is appended; at most a few payload bytes are read).
 */
export class ConnectionDecoder {
  private readonly s: DecoderState;
  private readonly network: OpeningHandshake | undefined;
  private readonly networkOnly: boolean;
  private readonly worker: WorkerOrigin | undefined;

  constructor(init: DecoderInit, options?: DecoderOptions) {
    const cap = Math.max(0, Math.floor(options?.maxHandshakeBytes ?? DEFAULT_MAX_HANDSHAKE_BYTES));
    this.network = init.network;
    this.networkOnly = init.networkOnly === true;
    this.worker = init.worker;
    // Spec, opening handshake: the client "MUST include" x-kaazing-handshake in Sec-WebSocket-Protocol;
    // the header the browser really sent is the better witness of that than the constructor's argument.
    const requested = init.network
      ? networkList(init.network.requestHeaders, 'sec-websocket-protocol')
      : [...init.requestedProtocols];
    this.s = {
      id: init.id,
      url: init.url,
      requestedProtocols: requested,
      createdAt: init.createdAt,
      ...(init.replayOf !== undefined ? { replayOf: init.replayOf } : {}),
      cap,
      kl: hasKl(init.url),
      phase: 'opening',
      ended: null,
      protocol: null,
      openingExtensions: [],
      requestedExtensions: [],
      extensions: [],
      extendedProtocols: [],
      rounds: [],
      redirectTo: null,
      redirectKind: null,
      findings: [],
      roles: [],
      timeline: [],
      endedAt: init.createdAt,
      close: null,
      errored: false,
      dropped: { frames: 0, bytes: 0 },
      requests: 0,
      lastRequest: null,
      lastRequested: [],
      haveRequest: false,
      looseTerminator: false,
      bodyAllowed: false,
      replayNext: false,
      request: null,
      response: null,
      pendingTerminator: null,
      overflow: null,
      classifier: null,
      unexpectedReported: false,
      openingFailedReported: false,
      peakGathered: 0,
      balancerSteps: 0,
      captureEnded: false,
    };
    // A socket only the network saw has no constructor call on record: its first step is the request.
    const first = this.networkOnly
      ? `GET ${init.url} (seen by the network)`
      : init.worker
        ? `new WebSocket(${init.url}) in the ${init.worker.kind} worker ${init.worker.url}`
        : `new WebSocket(${init.url})`;
    step(this.s, 'create', init.createdAt, first);
  }

  /** Largest number of bytes gathered for one handshake message (never above the cap). */
  get peakHandshakeBytes(): number {
    return this.s.peakGathered;
  }

  /**
   * The opening handshake completed with `protocol` and the opening `extensions` header (as the page
   * saw them). When the network's 101 is known, its headers are taken instead.
   */
  open(time: number, pageProtocol: string, pageExtensions: string): void {
    const s = this.s;
    if (s.phase !== 'opening') return;
    const net = this.network?.status === 101 ? this.network : undefined;
    const protocol = net
      ? (networkHeader(net.responseHeaders, 'sec-websocket-protocol') ?? '')
      : pageProtocol;
    const extensions = net
      ? (networkHeader(net.responseHeaders, 'sec-websocket-extensions') ?? '')
      : pageExtensions;
    s.protocol = protocol;
    s.openingExtensions = parseExtensionsHeader(extensions);
    s.endedAt = Math.max(s.endedAt, time);
    step(s, 'open', time, protocol ? `Open (protocol ${protocol})` : 'Open (no protocol)');
    if (protocol === KHP_PROTOCOL) {
      s.phase = 'await-request';
      return;
    }
    s.phase = 'plain';
    if (s.requestedProtocols.includes(KHP_PROTOCOL)) {
      // Spec, opening handshake: a server that agrees "MUST send back a |Sec-WebSocket-Protocol|
      // header field containing x-kaazing-handshake"; it did not, so the socket is plain.
      s.findings.push(
        finding(
          'khp-not-negotiated',
          `x-kaazing-handshake was requested but the server chose ${protocol ? `"${protocol}"` : 'no protocol'}${net ? " (the 101's Sec-WebSocket-Protocol, as the network saw it)" : ''}.`,
        ),
      );
    }
  }

  /** The next frame, in order (its index is the number of frames seen before it). */
  frame(frame: CapturedFrame): void {
    const s = this.s;
    if (s.phase === 'opening') {
      // Frames imply an open socket (some imports lack the open event): assume what was asked.
      const assumed = s.requestedProtocols.includes(KHP_PROTOCOL) ? KHP_PROTOCOL : '';
      this.open(frame.time, assumed, '');
    }
    const index = s.roles.length;
    s.roles.push('data');
    if (frame.time > s.endedAt) s.endedAt = frame.time;
    if (s.phase === 'plain') return;
    s.roles[index] = khpFrame(s, frame, index);
  }

  /** The socket closed. */
  close(info: CloseInfo): void {
    const s = this.s;
    if (s.close) return;
    s.close = { code: info.code, reason: info.reason, wasClean: info.wasClean };
    s.endedAt = Math.max(s.endedAt, info.time);
    if (s.phase === 'opening') this.openingFailed();
    else finishOnClose(s, info.time);
    const reason = info.reason ? ` "${info.reason}"` : '';
    step(s, 'close', info.time, `Closed ${info.code}${reason}${info.wasClean ? '' : ' (not clean)'}`);
  }

  /** The socket fired `error`. */
  error(time: number, message?: string): void {
    const s = this.s;
    s.errored = true;
    s.endedAt = Math.max(s.endedAt, time);
    step(s, 'error', time, message ? `Error: ${message}` : 'Error');
    if (s.phase === 'opening') this.openingFailed();
  }

  /**
   * The capture ended: no more events will come for this socket (an imported HAR or capture file,
   * whose sockets may have no close). A response still being read ends with what was gathered, so
   * a socket is left `pending` only when it was waiting for the peer to say something at all.
   */
  end(): void {
    const s = this.s;
    if (s.close || s.captureEnded) return;
    s.captureEnded = true;
    finishGathering(s, s.endedAt);
  }

  /** Frames seen but not kept by the capture. */
  dropped(frames: number, bytes: number): void {
    this.s.dropped.frames += frames;
    this.s.dropped.bytes += bytes;
  }

  /** Spec, opening handshake: "The rules defined in [WSP] apply"; a socket that never opened had no KHP. */
  private openingFailed(): void {
    const s = this.s;
    if (s.openingFailedReported || !s.requestedProtocols.includes(KHP_PROTOCOL)) return;
    s.openingFailedReported = true;
    s.findings.push(
      finding('opening-failed', 'The socket never opened, so no extended handshake took place.'),
    );
  }

  private outcome(): Outcome {
    const s = this.s;
    if (s.ended === 'redirected') return 'redirected';
    switch (s.phase) {
      case 'opening':
        if (!s.requestedProtocols.includes(KHP_PROTOCOL)) return 'not-khp';
        return s.close || s.errored ? 'failed' : 'pending';
      case 'plain':
        return 'not-khp';
      case 'completed':
        return 'open';
      case 'ended':
        return 'failed';
      default:
        return s.close ? 'failed' : 'pending';
    }
  }

  /**
   * The connection as decoded so far. Cheap: `roles` is the decoder's own array, appended in place
   * (copy it to freeze it); the other lists are shallow copies.
   */
  snapshot(): Connection {
    const s = this.s;
    const conn: Connection = {
      id: s.id,
      url: s.url,
      requestedProtocols: s.requestedProtocols,
      protocol: s.protocol,
      khp: s.protocol === KHP_PROTOCOL,
      openingExtensions: s.openingExtensions,
      requestedExtensions: s.requestedExtensions,
      extensions: s.extensions,
      extendedProtocols: s.extendedProtocols,
      rounds: s.rounds.map((r) => ({ ...r })),
      outcome: this.outcome(),
      redirectTo: s.redirectTo,
      redirectKind: s.redirectKind,
      findings: s.findings.slice(),
      roles: s.roles,
      timeline: s.timeline.slice(),
      startedAt: s.createdAt,
      endedAt: s.endedAt,
      frameCount: s.roles.length,
      close: s.close,
      kl: s.kl,
    };
    if (s.replayOf !== undefined) conn.replayOf = s.replayOf;
    if (this.network) conn.opening = this.network;
    if (this.networkOnly) conn.networkOnly = true;
    if (this.worker) conn.worker = this.worker;
    return conn;
  }
}

/** Decodes a finished captured socket in one go (or, with `live`, one that may still grow). */
export function decodeSocket(socket: CapturedSocket, options?: DecoderOptions): Connection {
  const init: DecoderInit = {
    id: socket.id,
    url: socket.url,
    requestedProtocols: socket.requestedProtocols,
    createdAt: socket.createdAt,
    ...(socket.replayOf !== undefined ? { replayOf: socket.replayOf } : {}),
    ...(socket.network ? { network: socket.network } : {}),
    ...(socket.networkOnly ? { networkOnly: true } : {}),
    ...(socket.worker ? { worker: socket.worker } : {}),
  };
  const decoder = new ConnectionDecoder(init, options);
  if (socket.openedAt !== undefined || socket.protocol !== undefined) {
    decoder.open(socket.openedAt ?? socket.createdAt, socket.protocol ?? '', socket.extensions ?? '');
  }
  for (const frame of socket.frames) decoder.frame(frame);
  if (socket.dropped) decoder.dropped(socket.dropped.frames, socket.dropped.bytes);
  if (socket.error) decoder.error(socket.error.time, socket.error.message);
  if (socket.close) decoder.close(socket.close);
  else if (options?.live !== true) decoder.end();
  return decoder.snapshot();
}
