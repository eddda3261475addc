/**
 * Bounds on live capture events: the shape check, the string caps and the size estimate that every
 * hop after the page applies (the relay to what the hook sends, the background to what a relay
 * sends). The page shares the hook's thread and can feed it anything a WebSocket accepts (a 2 MiB
 * URL, a thousand protocols), so nothing past the hook trusts an event's size or shape.
 *
 * - `boundEvent` rebuilds an event from its known fields only, checked for type: anything else makes
 *   the event malformed (dropped, and counted by the caller). Strings past their cap are cut, and the
 *   cut is marked: `truncatedFields` names the fields; frame data keeps its own `truncated` flag.
 * - `eventBytes` / `approxBytes` estimate what an event costs to carry and keep: every string's length
 *   plus a per-event overhead (about the JSON of the keys and numbers). One event is at most
 *   ~1.5 MiB after the caps, so splitting at `batchBytes` always works.
 * - `splitBatches` cuts a run of events into batches within `batchBytes` and `batchEvents`. A batch of
 *   8 MiB estimate is at most ~48 MiB of JSON even if every character needed a six-byte escape,
 *   under Chrome's 64 MiB limit on one port message.
 */
import {
  TRUNCATABLE_FIELDS,
  isUnrecordedReason,
  type CaptureEvent,
  type CaptureEventOf,
  type TruncatedField,
  type UnrecordedSpan,
  type WorkerOrigin,
} from './capture';

/** Every cap and limit of the live capture path, in characters (strings) or estimated bytes. */
export const CAPTURE_LIMITS = {
  /** A socket id (live ids are `<frameToken>:<n>`); longer makes the event malformed. */
  socketIdChars: 256,
  /** `create.replayOf` is a socket id: the same bound, longer is malformed. */
  replayOfChars: 256,
  /** The constructor's URL; cut past this (marked `url`). */
  urlChars: 64 * 1024,
  /** The page's URL; cut past this (marked `pageUrl`). */
  pageUrlChars: 64 * 1024,
  /** Requested protocols kept; more are dropped (marked `protocols`). */
  protocolCount: 64,
  /** One requested protocol; cut past this (marked `protocols`). */
  protocolChars: 1024,
  /** The negotiated protocol (`open.protocol`); cut past this (marked `protocol`). */
  negotiatedProtocolChars: 1024,
  /** The negotiated extensions (`open.extensions`); cut past this (marked `extensions`). */
  extensionsChars: 4 * 1024,
  /** A close reason (a real one is at most 123 bytes, RFC 6455 section 5.5); marked `reason`. */
  reasonChars: 1024,
  /** An error message; marked `message`. */
  messageChars: 1024,
  /**
   * Frame data: the hook keeps at most 1 MiB of payload (1 MiB of text, or ~1.4 MiB of base64), so
   * only forged frames reach this; cut (on a base64 quantum for binary) and marked `truncated`.
   */
  dataChars: 1.5 * 1024 * 1024,
  /** Header lines kept per message of an opening handshake read from the network or a file. */
  headerLines: 128,
  /** Characters of one such header's name. */
  headerNameChars: 256,
  /** Characters of one such header's value. */
  headerValueChars: 8 * 1024,
  /** The estimate's fixed cost of one event (keys, numbers, punctuation of its JSON). */
  eventOverheadBytes: 128,
  /** Largest batch (estimate) the relay posts, and the background accepts. */
  batchBytes: 8 * 1024 * 1024,
  /** Most events in one batch the relay posts, and the background accepts. */
  batchEvents: 4096,
} as const;

const L = CAPTURE_LIMITS;
const KINDS = new Set(['create', 'open', 'frame', 'close', 'error', 'dropped', 'paused', 'resumed']);
const KNOWN_FIELDS = new Set<string>(TRUNCATABLE_FIELDS);

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** `s` cut to at most `max` characters, never leaving half a surrogate pair. */
export function cutString(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = max;
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return s.slice(0, end);
}

/**
 * Header lines from untrusted input (a HAR entry, a capture file): `[name, value]` pairs of strings
 * (`pair` reads one raw item), at most `headerLines` of them, names and values capped.
 */
export function readHeaderLines(
  raw: unknown,
  pair: (item: unknown) => [unknown, unknown] | null,
): [string, string][] {
  if (!Array.isArray(raw)) return [];
  const out: [string, string][] = [];
  for (const item of raw) {
    if (out.length >= L.headerLines) break;
    const p = pair(item);
    if (!p || typeof p[0] !== 'string' || typeof p[1] !== 'string') continue;
    out.push([cutString(p[0], L.headerNameChars), cutString(p[1].trim(), L.headerValueChars)]);
  }
  return out;
}

/** The known field names of a `truncatedFields` list read from a file, once each; undefined if none. */
export function readTruncatedFields(raw: unknown): TruncatedField[] | undefined {
  const marks = new Marks(raw);
  return marks.list.length > 0 ? marks.list : undefined;
}

/** The well-formed spans of a socket's `unrecorded` list read from a file (others are left out). */
export function readUnrecorded(raw: unknown): UnrecordedSpan[] {
  if (!Array.isArray(raw)) return [];
  const spans: UnrecordedSpan[] = [];
  for (const r of raw as unknown[]) {
    if (typeof r !== 'object' || r === null) continue;
    const { from, to, reason, sent, received } = r as Record<string, unknown>;
    if (!isFiniteNumber(from) || !isUnrecordedReason(reason)) continue;
    const span: UnrecordedSpan = { from, reason, sent: isFiniteNumber(sent) && sent > 0 ? sent : 0 };
    if (isFiniteNumber(to)) span.to = to;
    if (isFiniteNumber(received) && received >= 0) span.received = received;
    spans.push(span);
  }
  return spans;
}

/** Collects the names of the fields cut while an event is rebuilt. */
class Marks {
  list: TruncatedField[] = [];
  constructor(raw: unknown) {
    // Marks an earlier hop set (the relay's, seen again by the background) are kept.
    if (Array.isArray(raw))
      for (const f of raw) if (typeof f === 'string' && KNOWN_FIELDS.has(f)) this.add(f);
  }
  add(field: string): void {
    if (!this.list.includes(field as TruncatedField)) this.list.push(field as TruncatedField);
  }
  /** `s` within `max`, marked as `field` when cut. */
  cap(s: string, max: number, field: TruncatedField): string {
    if (s.length <= max) return s;
    this.add(field);
    return cutString(s, max);
  }
  /** Sets `truncatedFields` on `event` when anything was cut. */
  onto(
    event: Exclude<CaptureEvent, CaptureEventOf<'frame' | 'dropped' | 'paused' | 'resumed'>>,
  ): CaptureEvent {
    if (this.list.length > 0) event.truncatedFields = this.list;
    return event;
  }
}

/**
 * Checks one event's shape and types and returns a bounded copy holding only its known fields, or
 * `null` when it is malformed (unknown type, wrong field types, an over-long id).
 */
export function boundEvent(raw: unknown): CaptureEvent | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const e = raw as Record<string, unknown>;
  const { type, socketId, time } = e;
  if (typeof type !== 'string' || !KINDS.has(type)) return null;
  if (typeof socketId !== 'string' || socketId === '' || socketId.length > L.socketIdChars) return null;
  if (!isFiniteNumber(time)) return null;
  if (e.truncatedFields !== undefined && !Array.isArray(e.truncatedFields)) return null;
  const marks = new Marks(e.truncatedFields);
  switch (type) {
    case 'create': {
      const { url, protocols, pageUrl, replayOf, worker } = e;
      if (typeof url !== 'string' || !Array.isArray(protocols)) return null;
      if (pageUrl !== undefined && typeof pageUrl !== 'string') return null;
      const origin = worker === undefined ? undefined : readWorkerOrigin(worker);
      if (origin === null) return null;
      if (replayOf !== undefined && (typeof replayOf !== 'string' || replayOf.length > L.replayOfChars))
        return null;
      const kept: string[] = [];
      for (let i = 0; i < protocols.length; i++) {
        const p: unknown = protocols[i];
        if (typeof p !== 'string') return null;
        if (i >= L.protocolCount) {
          marks.add('protocols');
          break;
        }
        kept.push(marks.cap(p, L.protocolChars, 'protocols'));
      }
      const out: CaptureEventOf<'create'> = {
        type,
        socketId,
        time,
        url: marks.cap(url, L.urlChars, 'url'),
        protocols: kept,
      };
      if (pageUrl !== undefined) out.pageUrl = marks.cap(pageUrl, L.pageUrlChars, 'pageUrl');
      if (replayOf !== undefined) out.replayOf = replayOf;
      if (origin !== undefined)
        out.worker = { kind: origin.kind, url: marks.cap(origin.url, L.urlChars, 'worker') };
      return marks.onto(out);
    }
    case 'open': {
      const { protocol, extensions } = e;
      if (typeof protocol !== 'string' || typeof extensions !== 'string') return null;
      return marks.onto({
        type,
        socketId,
        time,
        protocol: marks.cap(protocol, L.negotiatedProtocolChars, 'protocol'),
        extensions: marks.cap(extensions, L.extensionsChars, 'extensions'),
      });
    }
    case 'frame': {
      const { dir, opcode, data, size, truncated } = e;
      if (dir !== 'send' && dir !== 'receive') return null;
      if (opcode !== 1 && opcode !== 2) return null;
      if (typeof data !== 'string' || !isFiniteNumber(size) || size < 0) return null;
      if (truncated !== undefined && typeof truncated !== 'boolean') return null;
      const out: CaptureEventOf<'frame'> = { type, socketId, time, dir, opcode, data, size };
      if (data.length > L.dataChars) {
        // Binary data is base64: keep whole 4-character quanta so the kept part still decodes.
        out.data =
          opcode === 2 ? data.slice(0, L.dataChars - (L.dataChars % 4)) : cutString(data, L.dataChars);
        out.truncated = true;
      } else if (truncated) out.truncated = true;
      return out;
    }
    case 'close': {
      const { code, reason, wasClean } = e;
      if (!isFiniteNumber(code) || typeof reason !== 'string' || typeof wasClean !== 'boolean') return null;
      return marks.onto({
        type,
        socketId,
        time,
        code,
        reason: marks.cap(reason, L.reasonChars, 'reason'),
        wasClean,
      });
    }
    case 'error': {
      const { message } = e;
      if (message !== undefined && typeof message !== 'string') return null;
      const out: CaptureEventOf<'error'> = { type, socketId, time };
      if (message !== undefined) out.message = marks.cap(message, L.messageChars, 'message');
      return marks.onto(out);
    }
    case 'paused': {
      const { reason } = e;
      if (!isUnrecordedReason(reason)) return null;
      return { type, socketId, time, reason };
    }
    case 'resumed': {
      const { sent, received } = e;
      if (!isFiniteNumber(sent) || sent < 0) return null;
      if (received === undefined) return { type, socketId, time, sent };
      if (!isFiniteNumber(received) || received < 0) return null;
      return { type, socketId, time, sent, received };
    }
    default: {
      const { frames, bytes } = e;
      if (!isFiniteNumber(frames) || !isFiniteNumber(bytes)) return null;
      return { type: 'dropped', socketId, time, frames, bytes };
    }
  }
}

/** Bounds every event of `raw` (see `boundEvent`): the good ones, and how many were malformed. */
export function boundEvents(raw: readonly unknown[]): { events: CaptureEvent[]; malformed: number } {
  const events: CaptureEvent[] = [];
  let malformed = 0;
  for (let i = 0; i < raw.length; i++) {
    const e = boundEvent(raw[i]);
    if (e) events.push(e);
    else malformed++;
  }
  return { events, malformed };
}

const len = (s: unknown) => (typeof s === 'string' ? s.length : 0);

/** The estimated size of one event: its strings' lengths plus a fixed overhead. */
export function eventBytes(e: CaptureEvent): number {
  let n = L.eventOverheadBytes + len(e.socketId);
  switch (e.type) {
    case 'create':
      n += len(e.url) + len(e.pageUrl) + len(e.replayOf);
      if (e.worker !== undefined) n += 48 + len(e.worker.url);
      if (Array.isArray(e.protocols)) for (const p of e.protocols) n += 8 + len(p);
      break;
    case 'open':
      n += len(e.protocol) + len(e.extensions);
      break;
    case 'frame':
      n += len(e.data);
      break;
    case 'close':
      n += len(e.reason);
      break;
    case 'error':
      n += len(e.message);
      break;
  }
  const marks = (e as { truncatedFields?: unknown }).truncatedFields;
  if (Array.isArray(marks)) n += 24 + 16 * marks.length;
  return n;
}

/** The estimated size of a batch: the sum of its events' (`eventBytes`). */
export function approxBytes(events: readonly CaptureEvent[]): number {
  let n = 0;
  for (const e of events) n += eventBytes(e);
  return n;
}

/** A batch and its estimated size. */
export interface SizedBatch {
  events: CaptureEvent[];
  bytes: number;
}

/**
 * Splits bounded events, in order, into batches of at most `maxBytes` (estimate) and `maxEvents`
 * events each; a single event larger than `maxBytes` travels alone.
 */
export function splitBatches(
  events: readonly CaptureEvent[],
  maxBytes: number = L.batchBytes,
  maxEvents: number = L.batchEvents,
): SizedBatch[] {
  const out: SizedBatch[] = [];
  let current: CaptureEvent[] = [];
  let bytes = 0;
  for (const e of events) {
    const b = eventBytes(e);
    if (current.length > 0 && (bytes + b > maxBytes || current.length >= maxEvents)) {
      out.push({ events: current, bytes });
      current = [];
      bytes = 0;
    }
    current.push(e);
    bytes += b;
  }
  if (current.length > 0) out.push({ events: current, bytes });
  return out;
}

/**
 * The receiving end's check of a whole batch (the background's of a relay's): a batch that is not an
 * array, holds more than `batchEvents` events, or weighs more than `batchBytes` is refused whole;
 * otherwise its malformed events are left out. `refused` counts the events not kept.
 */
export function checkBatch(raw: unknown): { events: CaptureEvent[]; refused: number } {
  if (!Array.isArray(raw)) return { events: [], refused: 0 };
  if (raw.length > L.batchEvents) return { events: [], refused: raw.length };
  const { events, malformed } = boundEvents(raw);
  if (approxBytes(events) > L.batchBytes) return { events: [], refused: raw.length };
  return { events, refused: malformed };
}

/** A create event's `worker` field (checked), or null when it is malformed. */
export function readWorkerOrigin(raw: unknown): WorkerOrigin | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { kind, url } = raw as Record<string, unknown>;
  if ((kind !== 'dedicated' && kind !== 'shared') || typeof url !== 'string') return null;
  return { kind, url };
}
