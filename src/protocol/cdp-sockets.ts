/**
 * The WebSockets of one debug target (a shared worker), as the Chrome DevTools Protocol's `Network`
 * domain reports them, kept as HAR entries of the shape DevTools' own Network log gives
 * (`_resourceType: "websocket"`, `_webSocketMessages`), so the network witness reads them like the
 * tab's (network-witness.ts). Each entry also names the worker that opened the socket (`_khpWorker`).
 *
 * Events read (CDP, Network domain), each checked for shape; anything else is ignored:
 * - `webSocketCreated` `{requestId, url}`: a new socket;
 * - `webSocketWillSendHandshakeRequest` `{requestId, timestamp, wallTime, request: {headers}}`: the
 *   opening request; `timestamp` is monotonic seconds, `wallTime` epoch seconds of the same moment,
 *   which gives the later events' epoch times;
 * - `webSocketHandshakeResponseReceived` `{requestId, timestamp, response: {status, statusText,
 *   headers, requestHeaders?}}`: the answer (its `requestHeaders`, when present, are the request's as
 *   sent, cookies included);
 * - `webSocketFrameSent`, `webSocketFrameReceived` `{requestId, timestamp, response: {opcode,
 *   payloadData}}` (binary payloads in base64);
 * - `webSocketFrameError` `{requestId, errorMessage}`, `webSocketClosed` `{requestId}`.
 *
 * Everything in them is page or server data, held as text; the witness caps it as it reads.
 * Sockets are bounded: past `CDP_LIMITS.sockets` the oldest closed socket goes, and a socket keeps
 * at most `CDP_LIMITS.messages` messages (later ones are counted, not kept).
 */
import type { WorkerOrigin } from './model';

type Json = Record<string, unknown>;

export const CDP_LIMITS = { sockets: 500, messages: 100_000 } as const;

interface HarMessage {
  type: 'send' | 'receive';
  time: number;
  opcode: number;
  data: string;
}

/** One socket as a HAR entry (what `readNetworkEntry` reads). */
export interface CdpSocketEntry {
  startedDateTime: string;
  request: { method: 'GET'; url: string; httpVersion: string; headers: { name: string; value: string }[] };
  response: {
    status: number;
    statusText: string;
    headers: { name: string; value: string }[];
    _error?: string;
  };
  timings: { wait: number };
  _resourceType: 'websocket';
  _webSocketMessages: HarMessage[];
  _khpWorker: WorkerOrigin;
  /** Messages past `CDP_LIMITS.messages`, not kept. */
  _khpDroppedMessages: number;
}

interface Tracked {
  entry: CdpSocketEntry;
  /** `wallTime - timestamp` (seconds) once the opening request was seen. */
  offset?: number;
  /** The opening request's monotonic time (seconds). */
  sentAt?: number;
  closed: boolean;
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function finite(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** CDP's `Headers` (name to value; repeated headers joined by newlines) as HAR's name/value list. */
function headerList(raw: unknown): { name: string; value: string }[] {
  if (!isObject(raw)) return [];
  const out: { name: string; value: string }[] = [];
  for (const [name, value] of Object.entries(raw)) {
    if (typeof value !== 'string') continue;
    for (const line of value.split('\n')) out.push({ name, value: line });
  }
  return out;
}

/** The sockets of one worker, fed with its `Network` events. */
export class CdpSockets {
  private sockets = new Map<string, Tracked>();

  constructor(private readonly worker: WorkerOrigin) {}

  /** Reads one CDP event; returns true when a socket changed, 'closed' when one ended. */
  event(method: string, params: unknown): boolean | 'closed' {
    if (!isObject(params) || typeof params.requestId !== 'string') return false;
    const id = params.requestId;
    if (method === 'Network.webSocketCreated') {
      if (typeof params.url !== 'string' || this.sockets.has(id)) return false;
      this.make(id, params.url);
      return true;
    }
    const t = this.sockets.get(id);
    if (!t) return false;
    const at = finite(params.timestamp);
    switch (method) {
      case 'Network.webSocketWillSendHandshakeRequest': {
        const wall = finite(params.wallTime);
        if (at === undefined || wall === undefined) return false;
        t.offset = wall - at;
        t.sentAt = at;
        t.entry.startedDateTime = new Date(wall * 1000).toISOString();
        if (isObject(params.request)) t.entry.request.headers = headerList(params.request.headers);
        return true;
      }
      case 'Network.webSocketHandshakeResponseReceived': {
        const r = params.response;
        if (!isObject(r)) return false;
        const status = finite(r.status);
        if (status === undefined) return false;
        t.entry.response.status = status;
        t.entry.response.statusText = typeof r.statusText === 'string' ? r.statusText : '';
        t.entry.response.headers = headerList(r.headers);
        const sent = headerList(r.requestHeaders);
        if (sent.length > 0) t.entry.request.headers = sent;
        if (at !== undefined && t.sentAt !== undefined) t.entry.timings.wait = (at - t.sentAt) * 1000;
        return true;
      }
      case 'Network.webSocketFrameSent':
      case 'Network.webSocketFrameReceived': {
        const r = params.response;
        if (!isObject(r) || at === undefined) return false;
        const opcode = finite(r.opcode);
        if (opcode === undefined || typeof r.payloadData !== 'string') return false;
        const messages = t.entry._webSocketMessages;
        if (messages.length >= CDP_LIMITS.messages) {
          t.entry._khpDroppedMessages++;
          return false;
        }
        messages.push({
          type: method === 'Network.webSocketFrameSent' ? 'send' : 'receive',
          time: at + (t.offset ?? 0),
          opcode,
          data: r.payloadData,
        });
        return true;
      }
      case 'Network.webSocketFrameError':
        if (t.entry.response.status === 0 && typeof params.errorMessage === 'string')
          t.entry.response._error = params.errorMessage;
        return true;
      case 'Network.webSocketClosed':
        if (t.closed) return false;
        t.closed = true;
        return 'closed';
      default:
        return false;
    }
  }

  /**
   * Every socket's entry, oldest first (the same objects, updated as events come), from its opening
   * request on: before it, an entry has neither its start time nor its `Sec-WebSocket-Key`, which the
   * witness knows a socket by.
   */
  entries(): CdpSocketEntry[] {
    const out: CdpSocketEntry[] = [];
    for (const t of this.sockets.values()) if (t.offset !== undefined) out.push(t.entry);
    return out;
  }

  /** The entry of a socket, by the protocol's request id. */
  entry(requestId: string): CdpSocketEntry | undefined {
    return this.sockets.get(requestId)?.entry;
  }

  private make(id: string, url: string): void {
    if (this.sockets.size >= CDP_LIMITS.sockets) {
      // The oldest closed socket goes first; if none has closed, the oldest.
      let drop: string | undefined;
      for (const [key, t] of this.sockets)
        if (t.closed) {
          drop = key;
          break;
        }
      this.sockets.delete(drop ?? this.sockets.keys().next().value!);
    }
    this.sockets.set(id, {
      closed: false,
      entry: {
        startedDateTime: new Date().toISOString(),
        request: { method: 'GET', url, httpVersion: 'HTTP/1.1', headers: [] },
        response: { status: 0, statusText: '', headers: [] },
        timings: { wait: 0 },
        _resourceType: 'websocket',
        _webSocketMessages: [],
        _khpWorker: this.worker,
        _khpDroppedMessages: 0,
      },
    });
  }
}
