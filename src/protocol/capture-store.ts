/**
 * Folds live `CaptureEvent`s into `CapturedSocket` records.
 *
 * The state is mutable on purpose: a busy socket emits tens of thousands of frames, and copying a
 * record per event would make the panel quadratic. Each event costs O(1): a map lookup and an array
 * push. Callers that need change detection use the returned socket (or `null` when ignored).
 */
import {
  TRUNCATABLE_FIELDS,
  isUnrecordedReason,
  type CaptureEvent,
  type CapturedSocket,
  type TruncatedField,
} from './capture';

/** All sockets of one capture, in creation order. */
export interface CaptureState {
  byId: Map<string, CapturedSocket>;
  /** Sockets in the order their first event arrived. */
  order: CapturedSocket[];
}

/** An empty capture. */
export function createCaptureState(): CaptureState {
  return { byId: new Map(), order: [] };
}

/** A capture pre-filled with complete records (an imported file). */
export function captureStateFrom(sockets: CapturedSocket[]): CaptureState {
  const state = createCaptureState();
  for (const socket of sockets) {
    if (state.byId.has(socket.id)) continue;
    state.byId.set(socket.id, socket);
    state.order.push(socket);
  }
  return state;
}

/**
 * The socket an event is about. An event whose `create` never arrived (the background's buffer
 * overflowed before the panel connected) gets a placeholder record, so its frames are not lost.
 */
function socketFor(state: CaptureState, event: CaptureEvent): CapturedSocket {
  const existing = state.byId.get(event.socketId);
  if (existing) return existing;
  const socket: CapturedSocket = {
    id: event.socketId,
    url: '',
    requestedProtocols: [],
    createdAt: event.time,
    frames: [],
  };
  state.byId.set(socket.id, socket);
  state.order.push(socket);
  return socket;
}

/**
 * Applies one event in place and returns the socket it changed, or `null` for an event that
 * carries nothing usable (a second `create` for a known id, an unknown type).
 */
export function applyEvent(state: CaptureState, event: CaptureEvent): CapturedSocket | null {
  if (typeof event !== 'object' || event === null || typeof event.socketId !== 'string') return null;
  switch (event.type) {
    case 'create': {
      const known = state.byId.get(event.socketId);
      if (known && known.url !== '') return null;
      const socket = known ?? socketFor(state, event);
      socket.url = event.url;
      socket.requestedProtocols = Array.isArray(event.protocols) ? [...event.protocols] : [];
      socket.createdAt = event.time;
      if (event.pageUrl !== undefined) socket.pageUrl = event.pageUrl;
      if (event.replayOf !== undefined) socket.replayOf = event.replayOf;
      if (event.worker !== undefined) socket.worker = { ...event.worker };
      markTruncated(socket, event.truncatedFields);
      return socket;
    }
    case 'open': {
      const socket = socketFor(state, event);
      socket.openedAt = event.time;
      socket.protocol = event.protocol;
      socket.extensions = event.extensions;
      markTruncated(socket, event.truncatedFields);
      return socket;
    }
    case 'frame': {
      const socket = socketFor(state, event);
      socket.frames.push(frameOf(event));
      return socket;
    }
    case 'close': {
      const socket = socketFor(state, event);
      socket.close = { time: event.time, code: event.code, reason: event.reason, wasClean: event.wasClean };
      markTruncated(socket, event.truncatedFields);
      return socket;
    }
    case 'error': {
      const socket = socketFor(state, event);
      socket.error =
        event.message === undefined ? { time: event.time } : { time: event.time, message: event.message };
      markTruncated(socket, event.truncatedFields);
      return socket;
    }
    case 'dropped': {
      // Counts are running totals for the socket: a later event supersedes an earlier one, so a
      // lost batch never makes the numbers wrong for long.
      const socket = socketFor(state, event);
      const prev = socket.dropped ?? { frames: 0, bytes: 0 };
      socket.dropped = {
        frames: Math.max(prev.frames, event.frames),
        bytes: Math.max(prev.bytes, event.bytes),
      };
      return socket;
    }
    case 'paused': {
      const socket = socketFor(state, event);
      const reason = isUnrecordedReason(event.reason) ? event.reason : 'no-devtools';
      (socket.unrecorded ??= []).push({ from: event.time, reason, sent: 0 });
      return socket;
    }
    case 'resumed': {
      const socket = socketFor(state, event);
      const span = socket.unrecorded?.at(-1);
      if (!span || span.to !== undefined) return null;
      span.to = event.time;
      span.sent = Number.isFinite(event.sent) ? event.sent : 0;
      if (event.received !== undefined && Number.isFinite(event.received)) span.received = event.received;
      return socket;
    }
    default:
      return null;
  }
}

const KNOWN_MARKS = new Set<unknown>(TRUNCATABLE_FIELDS);

/** Adds an event's truncation marks to its socket's `truncatedFields` (known names, once each). */
function markTruncated(socket: CapturedSocket, fields: unknown): void {
  if (!Array.isArray(fields)) return;
  for (const f of fields) {
    if (!KNOWN_MARKS.has(f)) continue;
    const list = (socket.truncatedFields ??= []);
    if (!list.includes(f as TruncatedField)) list.push(f as TruncatedField);
  }
}

/** The socket's truncation marks that belong to an event of `type` (the fields it carries). */
function marksFor(socket: CapturedSocket, fields: readonly TruncatedField[]): TruncatedField[] | undefined {
  const marks = socket.truncatedFields?.filter((f) => fields.includes(f));
  return marks && marks.length > 0 ? marks : undefined;
}

/** Strips the event envelope fields, keeping the frame record small. */
function frameOf(event: Extract<CaptureEvent, { type: 'frame' }>): CapturedSocket['frames'][number] {
  const frame: CapturedSocket['frames'][number] = {
    dir: event.dir,
    time: event.time,
    opcode: event.opcode,
    data: event.data,
    size: event.size,
  };
  if (event.truncated) frame.truncated = true;
  return frame;
}

/** Applies a batch; returns the distinct sockets it changed, in first-change order. */
export function applyEvents(state: CaptureState, events: readonly CaptureEvent[]): CapturedSocket[] {
  const changed = new Set<CapturedSocket>();
  for (const event of events) {
    const socket = applyEvent(state, event);
    if (socket) changed.add(socket);
  }
  return [...changed];
}

/**
 * Turns complete records back into the events that would have built them, in time order. Used to
 * replay a recorded capture through the live path (fixtures, plain-page mode).
 */
export function socketsToEvents(sockets: readonly CapturedSocket[]): CaptureEvent[] {
  const events: CaptureEvent[] = [];
  for (const s of sockets) {
    const create: CaptureEvent = {
      type: 'create',
      socketId: s.id,
      time: s.createdAt,
      url: s.url,
      protocols: s.requestedProtocols,
    };
    if (s.pageUrl !== undefined) create.pageUrl = s.pageUrl;
    if (s.replayOf !== undefined) create.replayOf = s.replayOf;
    if (s.worker !== undefined) create.worker = { ...s.worker };
    const createMarks = marksFor(s, ['url', 'pageUrl', 'worker', 'protocols']);
    if (createMarks) create.truncatedFields = createMarks;
    events.push(create);
    if (s.openedAt !== undefined) {
      const open: CaptureEvent = {
        type: 'open',
        socketId: s.id,
        time: s.openedAt,
        protocol: s.protocol ?? '',
        extensions: s.extensions ?? '',
      };
      const openMarks = marksFor(s, ['protocol', 'extensions']);
      if (openMarks) open.truncatedFields = openMarks;
      events.push(open);
    }
    for (const f of s.frames) events.push({ type: 'frame', socketId: s.id, ...f });
    if (s.dropped)
      events.push({ type: 'dropped', socketId: s.id, time: s.close?.time ?? s.createdAt, ...s.dropped });
    for (const span of s.unrecorded ?? []) {
      events.push({ type: 'paused', socketId: s.id, time: span.from, reason: span.reason });
      if (span.to !== undefined)
        events.push({
          type: 'resumed',
          socketId: s.id,
          time: span.to,
          sent: span.sent,
          ...(span.received !== undefined && { received: span.received }),
        });
    }
    if (s.error) {
      const errorMarks = marksFor(s, ['message']);
      events.push({
        type: 'error',
        socketId: s.id,
        ...s.error,
        ...(errorMarks && { truncatedFields: errorMarks }),
      });
    }
    if (s.close) {
      const closeMarks = marksFor(s, ['reason']);
      events.push({
        type: 'close',
        socketId: s.id,
        ...s.close,
        ...(closeMarks && { truncatedFields: closeMarks }),
      });
    }
  }
  // Stable sort keeps each socket's own order when times tie.
  return events
    .map((e, i) => [e, i] as const)
    .sort((a, b) => a[0].time - b[0].time || a[1] - b[1])
    .map(([e]) => e);
}
