/**
 * The network as a second witness: the browser's own record of a WebSocket (DevTools' Network log,
 * read as HAR entries through `devtools.network`), turned into a view of the socket and matched to the
 * sockets the page hook captured.
 *
 * Chromium's entries (`_resourceType: "websocket"`) hold the opening request's and the 101's headers as
 * the network stack sent and received them, and `_webSocketMessages` (`{type, time: epoch seconds,
 * opcode, data}`, binary in base64) for what the Network log holds since DevTools opened. Firefox's give
 * the headers and no messages. Everything in an entry is page data: the page chose the URL, and the
 * server the headers and messages. It is checked for shape and capped here, and shown as text only.
 */
import type { CaptureEvent, CapturedFrame } from './capture';
import { CAPTURE_LIMITS, readWorkerOrigin } from './capture-bounds';
import { readHarHeaders, readHarMessages, readOpening, socketUrl } from './har';
import type { Header, OpeningHandshake, WorkerOrigin } from './model';

type Json = Record<string, unknown>;

/** Caps on what one entry may bring (its headers' caps: `readHarHeaders`, har.ts). */
export const NETWORK_LIMITS = {
  /** Characters of the URL (as the capture path). */
  urlChars: CAPTURE_LIMITS.urlChars,
  /** Characters of one message's data (as the capture path); longer data is cut and marked truncated. */
  dataChars: CAPTURE_LIMITS.dataChars,
} as const;

/** The network's view of one WebSocket. */
export interface NetworkView {
  /** Stable for the socket across reads: its `Sec-WebSocket-Key` (unique per handshake), else URL and start. */
  key: string;
  /** The URL in ws/wss form. */
  url: string;
  /** Epoch ms the network started the opening request. */
  startedAt: number;
  /** Epoch ms the opening handshake was answered, when it was. */
  answeredAt?: number;
  opening: OpeningHandshake;
  /** Raw messages the entry holds (data and control), or null when the source gives none (Firefox). */
  messageCount: number | null;
  /**
   * The worker that opened the socket, where the source knows it (a shared worker's sockets, read
   * through the debugger: cdp-sockets.ts). The hook records no such socket: it is never paired.
   */
  worker?: WorkerOrigin;
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function finite(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function cut(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) : text;
}

/** All values of header `name` (case-insensitive), joined with ', ' as HTTP allows; undefined if absent. */
export function networkHeader(headers: readonly Header[], name: string): string | undefined {
  const lower = name.toLowerCase();
  const values = headers.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v);
  return values.length > 0 ? values.join(', ') : undefined;
}

/** The comma-separated list of header `name` (empty when absent). */
export function networkList(headers: readonly Header[], name: string): string[] {
  return (networkHeader(headers, name) ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/** True for a HAR entry that records a WebSocket. */
export function isNetworkSocket(entry: unknown): boolean {
  if (!isObject(entry) || !isObject(entry.request)) return false;
  if (entry._resourceType === 'websocket') return true;
  const url = entry.request.url;
  if (typeof url === 'string' && /^wss?:/i.test(url)) return true;
  const upgrade = networkHeader(readHarHeaders(entry.request.headers), 'upgrade');
  return upgrade?.toLowerCase() === 'websocket';
}

/** Reads a HAR entry as the network's view of a WebSocket; null for any other entry. */
export function readNetworkEntry(entry: unknown): NetworkView | null {
  if (!isNetworkSocket(entry)) return null;
  const e = entry as Json;
  const request = e.request as Json;
  if (typeof request.url !== 'string' || request.url === '') return null;
  const startedAt = typeof e.startedDateTime === 'string' ? Date.parse(e.startedDateTime) : NaN;
  if (Number.isNaN(startedAt)) return null;
  const url = socketUrl(cut(request.url, NETWORK_LIMITS.urlChars));
  const opening = readOpening(e, url);
  const status = opening.status;
  const key = networkHeader(opening.requestHeaders, 'sec-websocket-key');
  const view: NetworkView = {
    key: key ? cut(key, 64) : `${url} ${startedAt}`,
    url,
    startedAt,
    opening,
    messageCount: Array.isArray(e._webSocketMessages) ? e._webSocketMessages.length : null,
  };
  const worker = readWorker(e._khpWorker);
  if (worker) view.worker = worker;
  // Chromium: `wait` runs from the request to the 101 (its `time` also counts the open socket's life).
  const wait = isObject(e.timings) ? finite(e.timings.wait) : undefined;
  if (status === 101) {
    view.answeredAt = startedAt + Math.max(0, wait ?? 0);
    // No message comes before the 101: `wait` can run past the first one (seen in Chromium 156, by
    // about 15 ms), which would draw the opening after the extended request.
    const first = Array.isArray(e._webSocketMessages) ? (e._webSocketMessages[0] as unknown) : undefined;
    const firstAt = isObject(first) ? finite(first.time) : undefined;
    if (firstAt !== undefined && firstAt * 1000 < view.answeredAt)
      view.answeredAt = Math.max(startedAt, firstAt * 1000);
  }
  return view;
}

/** An entry's `_khpWorker` (a shared worker only), checked and capped; undefined otherwise. */
function readWorker(raw: unknown): WorkerOrigin | undefined {
  const worker = readWorkerOrigin(raw);
  if (worker?.kind !== 'shared') return undefined;
  return { kind: 'shared', url: cut(worker.url, NETWORK_LIMITS.urlChars) };
}

/**
 * The data messages of an entry from raw message `from` on (messages only grow while a socket is open,
 * so a reader keeps how many it has read). Data past the cap is cut and marked truncated.
 */
export function readNetworkFrames(entry: unknown, from = 0): CapturedFrame[] {
  if (!isObject(entry) || !Array.isArray(entry._webSocketMessages)) return [];
  const raw = entry._webSocketMessages.slice(from);
  const frames = readHarMessages(raw, 'network', []);
  for (const f of frames) cutNetworkFrame(f, NETWORK_LIMITS.dataChars);
  return frames;
}

/** Cuts a frame's data to `maxChars` (marked truncated, `size` still the whole payload's). */
export function cutNetworkFrame(f: CapturedFrame, maxChars: number): void {
  if (f.data.length <= maxChars) return;
  // Binary data is base64: cut on a 4-character quantum so what is kept still decodes.
  let keep = f.opcode === 2 ? maxChars - (maxChars % 4) : maxChars;
  const last = f.data.charCodeAt(keep - 1);
  if (f.opcode === 1 && last >= 0xd800 && last <= 0xdbff) keep--; // never half a surrogate pair
  f.data = f.data.slice(0, keep);
  f.truncated = true;
}

/** What matching needs of a captured socket. */
export interface SocketStamp {
  id: string;
  url: string;
  createdAt: number;
  requestedProtocols: readonly string[];
}

/** How long after `new WebSocket()` the network may start the request (Chromium queues sockets per host). */
export const MATCH_WINDOW_MS = 10_000;
/** How much earlier than the constructor the network's start may read (both are wall-clock ms). */
export const MATCH_LEAD_MS = 50;

/** The URL as both witnesses write it: parsed and re-serialised where possible. */
function sameUrlKey(url: string): string {
  try {
    return new URL(socketUrl(url)).href;
  } catch {
    return url;
  }
}

/**
 * Pairs network views with captured sockets, one to one. Returns `[view key, socket id]` pairs.
 *
 * The rule: a view and a socket are candidates when their URLs are the same, the network's request
 * started between `MATCH_LEAD_MS` before and `MATCH_WINDOW_MS` after the constructor call, and the
 * request's `Sec-WebSocket-Protocol` lists exactly the protocols the page passed. Among the candidates of
 * one URL, views are taken in the order the network started them and each takes the earliest-created
 * socket still free: first come, first served. The browser starts the sockets to one host in the order
 * they were created, but may hold one back while another connects (Chromium does, for hundreds of ms), so
 * the nearest socket in time is not always the right one; the order is. A socket the hook saw before
 * DevTools opened has no view (the Network log starts then); the window keeps it from taking a much
 * later view of the same URL. Callers pass only what is still unpaired, so pairs once made stay.
 */
export function matchNetwork(
  sockets: readonly SocketStamp[],
  views: readonly NetworkView[],
): Array<[viewKey: string, socketId: string]> {
  const byUrl = new Map<string, SocketStamp[]>();
  for (const s of sockets) {
    const k = sameUrlKey(s.url);
    const list = byUrl.get(k);
    if (list) list.push(s);
    else byUrl.set(k, [s]);
  }
  for (const list of byUrl.values()) list.sort((a, b) => a.createdAt - b.createdAt);
  const taken = new Set<string>();
  const pairs: Array<[string, string]> = [];
  const ordered = [...views].sort((a, b) => a.startedAt - b.startedAt);
  for (const view of ordered) {
    const list = byUrl.get(sameUrlKey(view.url));
    if (!list) continue;
    const asked = networkList(view.opening.requestHeaders, 'sec-websocket-protocol').join(',');
    const socket = list.find(
      (s) =>
        !taken.has(s.id) &&
        view.startedAt >= s.createdAt - MATCH_LEAD_MS &&
        view.startedAt <= s.createdAt + MATCH_WINDOW_MS &&
        s.requestedProtocols.join(',') === asked,
    );
    if (!socket) continue;
    taken.add(socket.id);
    pairs.push([view.key, socket.id]);
  }
  return pairs;
}

/**
 * Capture events that describe a socket only the network saw (`id` is the panel's): its creation
 * and, when the 101 came, its opening, with what the headers say. Frames follow as `frame` events.
 */
export function networkOnlyEvents(view: NetworkView, id: string): CaptureEvent[] {
  const o = view.opening;
  const events: CaptureEvent[] = [
    {
      type: 'create',
      socketId: id,
      time: view.startedAt,
      url: view.url,
      protocols: networkList(o.requestHeaders, 'sec-websocket-protocol'),
      ...(view.worker ? { worker: view.worker } : {}),
    },
  ];
  if (o.status === 101) {
    events.push({
      type: 'open',
      socketId: id,
      time: view.answeredAt ?? view.startedAt,
      protocol: networkHeader(o.responseHeaders, 'sec-websocket-protocol') ?? '',
      extensions: networkHeader(o.responseHeaders, 'sec-websocket-extensions') ?? '',
    });
  } else if (o.status !== 0 || o.error) {
    const message = o.status !== 0 ? `opening handshake answered ${o.status}` : o.error!;
    events.push({ type: 'error', socketId: id, time: view.startedAt, message });
  }
  return events;
}
