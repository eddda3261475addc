/**
 * HAR in and out (docs/capture-format.md, "HAR").
 *
 * Chrome's DevTools export (since Chrome 76) writes one entry per WebSocket, marked
 * `_resourceType: "websocket"`, with the opening handshake as request/response and the messages in
 * `_webSocketMessages`: `{ type: "send"|"receive", time: <epoch seconds>, opcode, data }`, binary data
 * in base64. Firefox's export (checked against Firefox ESR's har-builder) writes the opening handshake
 * of a WebSocket but neither `_resourceType` nor any messages: such entries are recognised by their
 * ws/wss URL or their 101 + `Upgrade: websocket`, and import with no frames and a warning.
 * HAR has no close event: imported sockets have no `close` unless the file came from `exportHar`,
 * which keeps what HAR cannot hold in a private `_khp` field.
 */
import type { CapturedFrame, CapturedSocket, CloseInfo } from './capture';
import type { Header, OpeningHandshake } from './model';
import { base64Decode, utf8Length } from './bytes';
import { readHeaderLines, readTruncatedFields, readUnrecorded } from './capture-bounds';
import { ImportError, type ImportResult } from './capture-file';
import { redactSocket } from './redact';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function finite(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** HAR `{name, value}` header lists to a lookup that joins repeated headers with ', '. */
function headerValue(headers: unknown, name: string): string | undefined {
  if (!Array.isArray(headers)) return undefined;
  const values = headers
    .filter((h): h is Json => isObject(h) && typeof h.name === 'string' && h.name.toLowerCase() === name)
    .map((h) => (typeof h.value === 'string' ? h.value.trim() : ''));
  return values.length > 0 ? values.join(', ') : undefined;
}

function splitList(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/** Rounds epoch milliseconds to the microsecond, so seconds→ms conversions round-trip exactly. */
function ms(seconds: number): number {
  return Math.round(seconds * 1e6) / 1e3;
}

/** ws/wss form of an entry URL (Chrome already writes ws://; other writers may use http://). */
export function socketUrl(url: string): string {
  return url.replace(/^http(s?):/i, (_m, s: string) => `ws${s.toLowerCase()}:`);
}

function isWebSocketEntry(entry: Json): boolean {
  if (entry._resourceType === 'websocket' || Array.isArray(entry._webSocketMessages)) return true;
  const request = isObject(entry.request) ? entry.request : {};
  const response = isObject(entry.response) ? entry.response : {};
  if (typeof request.url === 'string' && /^wss?:/i.test(request.url)) return true;
  return response.status === 101 && headerValue(request.headers, 'upgrade')?.toLowerCase() === 'websocket';
}

/**
 * Reads Chrome's `_webSocketMessages` (`{type, time: epoch seconds, opcode, data}`) into data frames;
 * control messages are counted in one warning, damaged ones skipped with a warning each. Also used for
 * the live network view (network-witness.ts).
 */
export function readHarMessages(raw: unknown[], where: string, warnings: string[]): CapturedFrame[] {
  const frames: CapturedFrame[] = [];
  const control = new Map<number, number>();
  raw.forEach((m, i) => {
    const at = `${where}, message ${i + 1}`;
    if (!isObject(m)) return void warnings.push(`${at}: not an object, skipped`);
    const opcode = m.opcode;
    if (opcode === 8 || opcode === 9 || opcode === 10) {
      control.set(opcode, (control.get(opcode) ?? 0) + 1);
      return;
    }
    if (m.type !== 'send' && m.type !== 'receive') {
      return void warnings.push(`${at}: type '${String(m.type)}' is neither send nor receive, skipped`);
    }
    if (opcode !== 1 && opcode !== 2) return void warnings.push(`${at}: opcode ${String(opcode)}, skipped`);
    const time = finite(m.time);
    if (time === undefined) return void warnings.push(`${at}: no time, skipped`);
    const data = typeof m.data === 'string' ? m.data : '';
    if (typeof m.data !== 'string') warnings.push(`${at}: no data, read as empty`);
    let size = utf8Length(data);
    if (opcode === 2) {
      const bytes = base64Decode(data);
      if (!bytes) return void warnings.push(`${at}: binary data is not base64, skipped`);
      size = bytes.length;
    }
    const frame: CapturedFrame = { dir: m.type, time: ms(time), opcode, data, size };
    if (m._truncated === true) frame.truncated = true;
    frames.push(frame);
  });
  const names: Record<number, string> = { 8: 'close', 9: 'ping', 10: 'pong' };
  for (const [op, n] of control) {
    warnings.push(`${where}: ${n} ${names[op]} control message(s) (opcode ${op}) ignored`);
  }
  return frames;
}

const cut = (text: string, max: number): string => (text.length > max ? text.slice(0, max) : text);

/** A HAR `{name, value}` list as header lines, capped (the page, and any server, control them). */
export function readHarHeaders(raw: unknown): Header[] {
  return readHeaderLines(raw, (h) => (isObject(h) ? [h.name, h.value] : null));
}

/**
 * A WebSocket entry's opening handshake as the network recorded it (`url` in ws/wss form, already
 * capped by the caller): the request line and headers, the answer's status line and headers.
 */
export function readOpening(entry: Json, url: string): OpeningHandshake {
  const request = isObject(entry.request) ? entry.request : {};
  const response = isObject(entry.response) ? entry.response : {};
  const opening: OpeningHandshake = {
    source: 'network',
    method: typeof request.method === 'string' ? cut(request.method, 32) : 'GET',
    url,
    httpVersion: typeof request.httpVersion === 'string' ? cut(request.httpVersion, 32) : '',
    requestHeaders: readHarHeaders(request.headers),
    status: finite(response.status) ?? 0,
    statusText: typeof response.statusText === 'string' ? cut(response.statusText, 1024) : '',
    responseHeaders: readHarHeaders(response.headers),
  };
  if (typeof response._error === 'string' && response._error !== '')
    opening.error = cut(response._error, 1024);
  return opening;
}

/** Restores what `exportHar` kept in `_khp` (fields HAR has no place for). */
function applyPrivate(socket: CapturedSocket, raw: unknown): void {
  if (!isObject(raw)) return;
  if (typeof raw.id === 'string' && raw.id !== '') socket.id = raw.id;
  const close = raw.close;
  if (isObject(close) && finite(close.time) !== undefined && finite(close.code) !== undefined) {
    socket.close = {
      time: close.time as number,
      code: close.code as number,
      reason: typeof close.reason === 'string' ? close.reason : '',
      wasClean: close.wasClean === true,
    };
  }
  delete socket.error;
  if (isObject(raw.error) && finite(raw.error.time) !== undefined) {
    socket.error = { time: raw.error.time as number };
    if (typeof raw.error.message === 'string') socket.error.message = raw.error.message;
  }
  if (isObject(raw.dropped)) {
    socket.dropped = { frames: finite(raw.dropped.frames) ?? 0, bytes: finite(raw.dropped.bytes) ?? 0 };
  }
  if (typeof raw.replayOf === 'string') socket.replayOf = raw.replayOf;
  const truncatedFields = readTruncatedFields(raw.truncatedFields);
  if (truncatedFields) socket.truncatedFields = truncatedFields;
  const unrecorded = readUnrecorded(raw.unrecorded);
  if (unrecorded.length > 0) socket.unrecorded = unrecorded;
  const openedAt = finite(raw.openedAt);
  if (openedAt !== undefined && socket.openedAt !== undefined) socket.openedAt = openedAt;
}

function readEntry(
  entry: Json,
  n: number,
  pages: Map<string, string>,
  warnings: string[],
): CapturedSocket | null {
  const where = `WebSocket entry ${n}`;
  const request = isObject(entry.request) ? entry.request : null;
  const response = isObject(entry.response) ? entry.response : null;
  if (!request || typeof request.url !== 'string' || request.url === '') {
    warnings.push(`${where}: no request URL, skipped`);
    return null;
  }
  const started = typeof entry.startedDateTime === 'string' ? Date.parse(entry.startedDateTime) : NaN;
  const rawMessages = Array.isArray(entry._webSocketMessages) ? entry._webSocketMessages : null;
  if (!rawMessages)
    warnings.push(`${where} (${request.url}): no WebSocket messages in the HAR (Firefox exports none)`);
  const frames = readHarMessages(rawMessages ?? [], where, warnings);
  let createdAt = started;
  if (Number.isNaN(createdAt)) {
    createdAt = frames[0]?.time ?? 0;
    warnings.push(`${where}: no valid startedDateTime, using ${frames[0] ? 'the first message time' : '0'}`);
  }
  const socket: CapturedSocket = {
    id: `har-${n}`,
    url: socketUrl(request.url),
    requestedProtocols: splitList(headerValue(request.headers, 'sec-websocket-protocol')),
    createdAt,
    frames,
  };
  const status = response ? finite(response.status) : undefined;
  if (status === undefined) warnings.push(`${where}: no response status`);
  if (status === 101) {
    const timings = isObject(entry.timings) ? entry.timings : {};
    const spent = ['blocked', 'dns', 'connect', 'send', 'wait', 'receive']
      .map((k) => finite(timings[k]) ?? 0)
      .reduce((a, b) => a + Math.max(0, b), 0);
    socket.openedAt = Math.min(createdAt + spent, frames[0]?.time ?? Infinity);
    socket.protocol = headerValue(response?.headers, 'sec-websocket-protocol') ?? '';
    socket.extensions = headerValue(response?.headers, 'sec-websocket-extensions') ?? '';
  } else if (status !== undefined) {
    // Status 0 means no response at all; Chrome then names the network error in `_error`.
    const why = isObject(response) && typeof response._error === 'string' ? response._error : '';
    if (status !== 0) socket.error = { time: createdAt, message: `opening handshake answered ${status}` };
    else if (why !== '') socket.error = { time: createdAt, message: why };
  }
  const page = typeof entry.pageref === 'string' ? pages.get(entry.pageref) : undefined;
  if (page !== undefined) socket.pageUrl = page;
  // A browser's HAR holds the headers its network exchanged; one `exportHar` wrote says whether its
  // headers were (`_khp.network`) or were made up from what the page saw.
  const priv = isObject(entry._khp) ? entry._khp : null;
  if (priv === null || priv.network === true) socket.network = readOpening(entry, socket.url);
  if (priv?.networkOnly === true) socket.networkOnly = true;
  applyPrivate(socket, entry._khp);
  return socket;
}

/**
 * Reads the WebSockets of a HAR file (Chrome's export, or Firefox's handshakes without messages).
 * Non-WebSocket entries are skipped; damaged entries and messages are skipped or repaired with a
 * warning. Throws `ImportError` when `json` is not a HAR log at all.
 */
export function importHar(json: unknown): ImportResult {
  if (!isObject(json) || !isObject(json.log)) throw new ImportError('not a HAR file (no "log" object)');
  const log = json.log;
  if (!Array.isArray(log.entries)) throw new ImportError('not a HAR file (no "log.entries" array)');
  const pages = new Map<string, string>();
  if (Array.isArray(log.pages)) {
    for (const p of log.pages) {
      if (
        isObject(p) &&
        typeof p.id === 'string' &&
        typeof p.title === 'string' &&
        /^https?:/i.test(p.title)
      ) {
        pages.set(p.id, p.title);
      }
    }
  }
  const warnings: string[] = [];
  const sockets: CapturedSocket[] = [];
  let n = 0;
  log.entries.forEach((entry) => {
    if (!isObject(entry) || !isWebSocketEntry(entry)) return;
    n++;
    const socket = readEntry(entry, n, pages, warnings);
    if (socket) sockets.push(socket);
  });
  if (n === 0) warnings.push('the HAR holds no WebSocket entries');
  sockets.sort((a, b) => a.createdAt - b.createdAt);
  return { sockets, warnings };
}

/** Options of `exportHar`. */
export interface ExportHarOptions {
  /** Replace credentials by `[redacted]` (default true). */
  redact?: boolean;
  /** `log.creator.name` (default "KHP Inspector"). */
  creator?: string;
  /** `log.creator.version` (default "1"). */
  creatorVersion?: string;
}

type HarHeader = { name: string; value: string };

/** A WebSocket entry as `exportHar` writes it (Chrome's layout). */
export interface HarWebSocketEntry {
  startedDateTime: string;
  time: number;
  pageref?: string;
  request: {
    method: 'GET';
    url: string;
    httpVersion: string;
    headers: HarHeader[];
    queryString: HarHeader[];
    cookies: never[];
    headersSize: number;
    bodySize: number;
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    headers: HarHeader[];
    cookies: never[];
    content: { size: number; mimeType: string };
    redirectURL: string;
    headersSize: number;
    bodySize: number;
  };
  cache: Record<string, never>;
  timings: Record<'blocked' | 'dns' | 'ssl' | 'connect' | 'send' | 'wait' | 'receive', number>;
  _resourceType: 'websocket';
  _webSocketMessages: Array<{
    type: 'send' | 'receive';
    time: number;
    opcode: 1 | 2;
    data: string;
    _truncated?: true;
  }>;
  /** What HAR has no field for (socket id, exact open time, close, error, drops, replay origin). */
  _khp: Json;
}

/** A HAR 1.2 file as `exportHar` writes it. */
export interface HarFile {
  log: {
    version: '1.2';
    creator: { name: string; version: string };
    pages: Array<{ startedDateTime: string; id: string; title: string; pageTimings: Record<string, number> }>;
    entries: HarWebSocketEntry[];
  };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

function queryOf(url: string): HarHeader[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

function exportEntry(s: CapturedSocket, pageref: string | undefined): HarWebSocketEntry {
  const opened = s.openedAt !== undefined;
  const wait = opened ? Math.max(0, s.openedAt! - s.createdAt) : 0;
  const reqHeaders: HarHeader[] = [
    { name: 'Host', value: hostOf(s.url) },
    { name: 'Connection', value: 'Upgrade' },
    { name: 'Upgrade', value: 'websocket' },
    { name: 'Sec-WebSocket-Version', value: '13' },
  ];
  if (s.requestedProtocols.length > 0) {
    reqHeaders.push({ name: 'Sec-WebSocket-Protocol', value: s.requestedProtocols.join(', ') });
  }
  const resHeaders: HarHeader[] = opened
    ? [
        { name: 'Upgrade', value: 'websocket' },
        { name: 'Connection', value: 'Upgrade' },
      ]
    : [];
  if (s.protocol) resHeaders.push({ name: 'Sec-WebSocket-Protocol', value: s.protocol });
  if (s.extensions) resHeaders.push({ name: 'Sec-WebSocket-Extensions', value: s.extensions });
  // The network's record, when there is one, is what a HAR holds: the headers really exchanged.
  const net = s.network;
  const asHar = (headers: readonly Header[]): HarHeader[] =>
    headers.map(([name, value]) => ({ name, value }));
  if (net) {
    reqHeaders.splice(0, reqHeaders.length, ...asHar(net.requestHeaders));
    resHeaders.splice(0, resHeaders.length, ...asHar(net.responseHeaders));
  }
  const priv: Json = { id: s.id };
  if (net) priv.network = true;
  if (s.networkOnly) priv.networkOnly = true;
  if (s.openedAt !== undefined) priv.openedAt = s.openedAt;
  if (s.close) priv.close = { ...s.close } satisfies CloseInfo;
  if (s.error) priv.error = { ...s.error };
  if (s.dropped) priv.dropped = { ...s.dropped };
  if (s.replayOf !== undefined) priv.replayOf = s.replayOf;
  if (s.truncatedFields?.length) priv.truncatedFields = [...s.truncatedFields];
  if (s.unrecorded?.length) priv.unrecorded = s.unrecorded.map((span) => ({ ...span }));
  const entry: HarWebSocketEntry = {
    startedDateTime: new Date(s.createdAt).toISOString(),
    time: wait,
    request: {
      method: 'GET',
      url: s.url,
      httpVersion: 'HTTP/1.1',
      headers: reqHeaders,
      queryString: queryOf(s.url),
      cookies: [],
      headersSize: -1,
      bodySize: 0,
    },
    response: {
      status: net ? net.status : opened ? 101 : 0,
      statusText: net ? net.statusText : opened ? 'Switching Protocols' : '',
      httpVersion: net ? net.httpVersion || 'HTTP/1.1' : opened ? 'HTTP/1.1' : '',
      headers: resHeaders,
      cookies: [],
      content: { size: 0, mimeType: 'x-unknown' },
      redirectURL: '',
      headersSize: -1,
      bodySize: 0,
    },
    cache: {},
    timings: { blocked: -1, dns: -1, ssl: -1, connect: -1, send: 0, wait, receive: 0 },
    _resourceType: 'websocket',
    _webSocketMessages: s.frames.map((f) => ({
      type: f.dir,
      time: f.time / 1000,
      opcode: f.opcode,
      data: f.data,
      ...(f.truncated ? { _truncated: true } : {}),
    })),
    _khp: priv,
  };
  if (pageref !== undefined) entry.pageref = pageref;
  return entry;
}

/**
 * Writes sockets as a HAR 1.2 log in Chrome's WebSocket layout (readable by Chrome's importer and
 * by `importHar`). Credentials are redacted unless `redact: false`.
 */
export function exportHar(sockets: CapturedSocket[], options: ExportHarOptions = {}): HarFile {
  const list = (options.redact ?? true) ? sockets.map(redactSocket) : sockets;
  const pageIds = new Map<string, string>();
  const pages: HarFile['log']['pages'] = [];
  for (const s of list) {
    if (s.pageUrl === undefined || pageIds.has(s.pageUrl)) continue;
    const id = `page_${pages.length + 1}`;
    pageIds.set(s.pageUrl, id);
    pages.push({
      startedDateTime: new Date(s.createdAt).toISOString(),
      id,
      title: s.pageUrl,
      pageTimings: { onContentLoad: -1, onLoad: -1 },
    });
  }
  const sorted = [...list].sort((a, b) => a.createdAt - b.createdAt);
  return {
    log: {
      version: '1.2',
      creator: { name: options.creator ?? 'KHP Inspector', version: options.creatorVersion ?? '1' },
      pages,
      entries: sorted.map((s) =>
        exportEntry(s, s.pageUrl === undefined ? undefined : pageIds.get(s.pageUrl)),
      ),
    },
  };
}
