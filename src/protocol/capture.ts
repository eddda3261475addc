/**
 * The capture model: what was observed of WebSockets, before any KHP interpretation.
 *
 * Every source of traffic produces this shape: the page hook (live), Chrome's HAR export, the
 * project's own capture file, the Node client used by `khp-inspect probe`. The decoder reads it and
 * nothing else. Pure data, JSON-safe: binary payloads travel as base64 so they survive structured
 * and JSON serialisation alike.
 */

/** Direction of a WebSocket message, as seen from the page (client). */
export type Direction = 'send' | 'receive';

/** WebSocket opcodes of data frames: 1 = text, 2 = binary (RFC 6455 section 5.2). */
export type DataOpcode = 1 | 2;

/** One WebSocket message. `data` is the text itself for opcode 1, base64 of the bytes for opcode 2. */
export interface CapturedFrame {
  dir: Direction;
  /** Epoch milliseconds (fractional allowed). */
  time: number;
  opcode: DataOpcode;
  data: string;
  /** Payload size in bytes (UTF-8 length for text). */
  size: number;
  /** True when `data` holds only the first part of the payload (capture cap). */
  truncated?: boolean;
}

/** How a socket closed, as the page's `close` event reported it. */
export interface CloseInfo {
  time: number;
  code: number;
  reason: string;
  wasClean: boolean;
}

/**
 * Fields of live events the capture path may cut to its limits (`CAPTURE_LIMITS`,
 * capture-bounds.ts). Named as in the events; on a socket, `protocols` is `requestedProtocols`,
 * `reason` is `close.reason` and `message` is `error.message`. Frame data has its own `truncated`.
 */
export const TRUNCATABLE_FIELDS = [
  'url',
  'pageUrl',
  'worker',
  'protocols',
  'protocol',
  'extensions',
  'reason',
  'message',
] as const;
export type TruncatedField = (typeof TRUNCATABLE_FIELDS)[number];

import type { OpeningHandshake, WorkerOrigin } from './model';

export type { WorkerOrigin };

/** Everything observed of one socket. */
export interface CapturedSocket {
  /** Unique within a capture. Live ids are `<frameId>:<n>`; imported ids are assigned on import. */
  id: string;
  /** The URL as the page gave it to the constructor (absolute). */
  url: string;
  /** The `protocols` constructor argument, normalised to an array (empty when none). */
  requestedProtocols: string[];
  /** Epoch ms when the constructor was called. */
  createdAt: number;
  /** Epoch ms of the `open` event; absent if it never opened. */
  openedAt?: number;
  /** `WebSocket.protocol` after open ('' when the server chose none); absent before open. */
  protocol?: string;
  /** `WebSocket.extensions` after open (the opening handshake's negotiated extensions, raw header form). */
  extensions?: string;
  /** Messages in the order they were sent or received. */
  frames: CapturedFrame[];
  close?: CloseInfo;
  /** An `error` event was fired (browsers give no detail). */
  error?: { time: number; message?: string };
  /** Frames that were seen but not kept (per-socket budget), so the UI can say how much is missing. */
  dropped?: { frames: number; bytes: number };
  /** Spans in which the hook did not record this socket's frames (see `UnrecordedSpan`). */
  unrecorded?: UnrecordedSpan[];
  /** Where the socket was opened (page URL), when known. */
  pageUrl?: string;
  /** Set on sockets opened by a replay from the panel: the id of the socket it replays. */
  replayOf?: string;
  /** Set on sockets a worker of the page opened (the hook runs in the worker too: hook/workers.ts). */
  worker?: WorkerOrigin;
  /** Fields the capture cut to its limits (see `TruncatedField`), so the UI can say so. */
  truncatedFields?: TruncatedField[];
  /**
   * The opening handshake as the browser's network log recorded it (the network witness, or a HAR
   * written by a browser): the real request and 101 headers no page script can read.
   */
  network?: OpeningHandshake;
  /** Seen by the network only: no page hook recorded this socket (a worker's, say). */
  networkOnly?: boolean;
}

/**
 * A span in which the page hook did not record a socket's frames. The hook records every socket's
 * life and its whole KHP handshake; after the handshake it records frames only while DevTools is open
 * on the tab (`no-devtools` otherwise), up to the per-socket frame budget (`budget`), or always with
 * full capture. Outside those, it stops listening to the socket's messages, so they cost the page
 * nothing; it still counts the messages the page sends.
 */
export interface UnrecordedSpan {
  /** Epoch ms the span began. */
  from: number;
  /** Epoch ms it ended (recording resumed, or the socket closed); absent while it lasts. */
  to?: number;
  reason: UnrecordedReason;
  /** Messages the page sent during the span (received ones are not observed). */
  sent: number;
  /** Messages received during the span, where they were counted (`held-full`: dropped ones). */
  received?: number;
}

/**
 * Why a span went unrecorded: DevTools was closed (default capture), the frame budget was used up,
 * or full capture held the frames in the page while DevTools was closed and its store was full (the
 * oldest held frames were dropped; src/hook/held.ts).
 */
export type UnrecordedReason = 'no-devtools' | 'budget' | 'held-full';

/** True when `value` names an `UnrecordedReason` (for what crosses from the page, or a file). */
export function isUnrecordedReason(value: unknown): value is UnrecordedReason {
  return value === 'no-devtools' || value === 'budget' || value === 'held-full';
}

/**
 * Incremental events, as the live hook emits them. `applyEvent` in `capture-store.ts` folds them into
 * `CapturedSocket` records; the HAR importer produces records directly.
 */
/**
 * `truncatedFields`, where present, names the event's fields that were cut to the capture limits.
 */
export type CaptureEvent =
  | {
      type: 'create';
      socketId: string;
      time: number;
      url: string;
      protocols: string[];
      pageUrl?: string;
      replayOf?: string;
      worker?: WorkerOrigin;
      truncatedFields?: TruncatedField[];
    }
  | {
      type: 'open';
      socketId: string;
      time: number;
      protocol: string;
      extensions: string;
      truncatedFields?: TruncatedField[];
    }
  | ({ type: 'frame'; socketId: string } & CapturedFrame)
  | {
      type: 'close';
      socketId: string;
      time: number;
      code: number;
      reason: string;
      wasClean: boolean;
      truncatedFields?: TruncatedField[];
    }
  | { type: 'error'; socketId: string; time: number; message?: string; truncatedFields?: TruncatedField[] }
  | { type: 'dropped'; socketId: string; time: number; frames: number; bytes: number }
  | { type: 'paused'; socketId: string; time: number; reason: UnrecordedSpan['reason'] }
  | { type: 'resumed'; socketId: string; time: number; sent: number; received?: number };

/** The `CaptureEvent` of one type. */
export type CaptureEventOf<T extends CaptureEvent['type']> = Extract<CaptureEvent, { type: T }>;

/** The project's own capture file (`khp-inspect decode` and the panel read and write it). */
export interface CaptureFile {
  format: 'khp-inspector-capture';
  version: 1;
  /** ISO date the file was written. */
  createdAt: string;
  /** True when credential headers were replaced by `[redacted]`. */
  redacted: boolean;
  sockets: CapturedSocket[];
}

export const CAPTURE_FORMAT = 'khp-inspector-capture';
export const CAPTURE_VERSION = 1;
