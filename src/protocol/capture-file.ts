/**
 * The project's own capture file (docs/capture-format.md): reading with validation, writing with
 * redaction. Also home of `ImportError`, the one error every file reader throws.
 */
import {
  CAPTURE_FORMAT,
  CAPTURE_VERSION,
  type CaptureFile,
  type CapturedFrame,
  type CapturedSocket,
} from './capture';
import { utf8Length } from './bytes';
import {
  CAPTURE_LIMITS,
  cutString,
  readHeaderLines,
  readWorkerOrigin,
  readTruncatedFields,
  readUnrecorded,
} from './capture-bounds';
import { redactSocket } from './redact';
import type { OpeningHandshake } from './model';

/**
 * A file that cannot be read as a whole (not JSON, wrong format, unsupported version...). The
 * message is one line, fit to print after the file name. Problems inside one socket or message are
 * never thrown: they are skipped or repaired, with a warning.
 */
export class ImportError extends Error {
  override name = 'ImportError';
}

/** What a reader returns: the sockets, plus what it had to skip or repair. */
export interface ImportResult {
  sockets: CapturedSocket[];
  warnings: string[];
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function finite(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function readFrame(raw: unknown, where: string, warnings: string[]): CapturedFrame | null {
  if (!isObject(raw)) {
    warnings.push(`${where}: not an object, skipped`);
    return null;
  }
  const dir = raw.dir;
  const opcode = raw.opcode;
  const time = finite(raw.time);
  if ((dir !== 'send' && dir !== 'receive') || (opcode !== 1 && opcode !== 2) || time === undefined) {
    warnings.push(`${where}: needs dir send|receive, opcode 1|2 and a numeric time, skipped`);
    return null;
  }
  if (typeof raw.data !== 'string') {
    warnings.push(`${where}: data is not a string, skipped`);
    return null;
  }
  const frame: CapturedFrame = { dir, time, opcode, data: raw.data, size: 0 };
  const size = finite(raw.size);
  frame.size = size ?? (opcode === 1 ? utf8Length(raw.data) : Math.floor((raw.data.length * 3) / 4));
  if (raw.truncated === true) frame.truncated = true;
  return frame;
}

function readSocket(raw: unknown, index: number, warnings: string[]): CapturedSocket | null {
  const where = `socket ${index + 1}`;
  if (!isObject(raw)) {
    warnings.push(`${where}: not an object, skipped`);
    return null;
  }
  if (typeof raw.url !== 'string' || raw.url === '') {
    warnings.push(`${where}: no url, skipped`);
    return null;
  }
  const createdAt = finite(raw.createdAt);
  if (createdAt === undefined) warnings.push(`${where}: no createdAt, using 0`);
  const protocols = Array.isArray(raw.requestedProtocols)
    ? raw.requestedProtocols.filter((p): p is string => typeof p === 'string')
    : [];
  const frames: CapturedFrame[] = [];
  const rawFrames = Array.isArray(raw.frames) ? raw.frames : [];
  if (!Array.isArray(raw.frames)) warnings.push(`${where}: no frames array`);
  rawFrames.forEach((f, i) => {
    const frame = readFrame(f, `${where}, frame ${i + 1}`, warnings);
    if (frame) frames.push(frame);
  });
  const socket: CapturedSocket = {
    id: typeof raw.id === 'string' && raw.id !== '' ? raw.id : `s${index + 1}`,
    url: raw.url,
    requestedProtocols: protocols,
    createdAt: createdAt ?? 0,
    frames,
  };
  const openedAt = finite(raw.openedAt);
  if (openedAt !== undefined) socket.openedAt = openedAt;
  if (typeof raw.protocol === 'string') socket.protocol = raw.protocol;
  if (typeof raw.extensions === 'string') socket.extensions = raw.extensions;
  if (isObject(raw.close)) {
    const c = raw.close;
    socket.close = {
      time: finite(c.time) ?? 0,
      code: finite(c.code) ?? 1005,
      reason: typeof c.reason === 'string' ? c.reason : '',
      wasClean: c.wasClean === true,
    };
  }
  if (isObject(raw.error)) {
    socket.error = { time: finite(raw.error.time) ?? 0 };
    if (typeof raw.error.message === 'string') socket.error.message = raw.error.message;
  }
  if (isObject(raw.dropped)) {
    socket.dropped = { frames: finite(raw.dropped.frames) ?? 0, bytes: finite(raw.dropped.bytes) ?? 0 };
  }
  if (typeof raw.pageUrl === 'string') socket.pageUrl = raw.pageUrl;
  if (typeof raw.replayOf === 'string') socket.replayOf = raw.replayOf;
  const worker = raw.worker === undefined ? null : readWorkerOrigin(raw.worker);
  if (worker) socket.worker = worker;
  const truncatedFields = readTruncatedFields(raw.truncatedFields);
  if (truncatedFields) socket.truncatedFields = truncatedFields;
  const unrecorded = readUnrecorded(raw.unrecorded);
  if (unrecorded.length > 0) socket.unrecorded = unrecorded;
  const network = readNetwork(raw.network);
  if (network) socket.network = network;
  if (raw.networkOnly === true) socket.networkOnly = true;
  return socket;
}

const text = (v: unknown, max: number): string => (typeof v === 'string' ? cutString(v, max) : '');

/** A socket's `network` (the opening handshake as the network saw it), checked and capped; else undefined. */
function readNetwork(raw: unknown): OpeningHandshake | undefined {
  if (!isObject(raw) || typeof raw.url !== 'string') return undefined;
  const line = (h: unknown) =>
    Array.isArray(h) && h.length === 2 ? ([h[0], h[1]] as [unknown, unknown]) : null;
  const out: OpeningHandshake = {
    source: 'network',
    method: text(raw.method, 32) || 'GET',
    url: cutString(raw.url, CAPTURE_LIMITS.urlChars),
    httpVersion: text(raw.httpVersion, 32),
    requestHeaders: readHeaderLines(raw.requestHeaders, line),
    status: finite(raw.status) ?? 0,
    statusText: text(raw.statusText, 1024),
    responseHeaders: readHeaderLines(raw.responseHeaders, line),
  };
  if (typeof raw.error === 'string' && raw.error !== '') out.error = cutString(raw.error, 1024);
  return out;
}

/** True when `json` claims to be a capture file (any version), so callers can pick a reader. */
export function isCaptureFile(json: unknown): boolean {
  return isObject(json) && json.format === CAPTURE_FORMAT;
}

/**
 * Reads a capture file, with warnings for the sockets and frames it had to skip or repair.
 * Throws `ImportError` when the file as a whole is not a version-1 capture.
 */
export function readCaptureFileWithWarnings(json: unknown): ImportResult {
  if (!isObject(json)) throw new ImportError('not a KHP Inspector capture file (expected a JSON object)');
  if (json.format !== CAPTURE_FORMAT) {
    throw new ImportError(`not a KHP Inspector capture file (format is not '${CAPTURE_FORMAT}')`);
  }
  const version = json.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new ImportError('capture file has no valid version number');
  }
  if (version > CAPTURE_VERSION) {
    throw new ImportError(
      `capture file version ${version} was written by a newer KHP Inspector (this one reads version ${CAPTURE_VERSION})`,
    );
  }
  if (!Array.isArray(json.sockets)) throw new ImportError('capture file has no sockets array');
  const warnings: string[] = [];
  const sockets: CapturedSocket[] = [];
  const seen = new Set<string>();
  json.sockets.forEach((raw, i) => {
    const socket = readSocket(raw, i, warnings);
    if (!socket) return;
    if (seen.has(socket.id)) {
      warnings.push(`socket ${i + 1}: duplicate id '${socket.id}', renamed`);
      socket.id = `${socket.id}#${i + 1}`;
    }
    seen.add(socket.id);
    sockets.push(socket);
  });
  return { sockets, warnings };
}

/** Reads a capture file (see `readCaptureFileWithWarnings`), dropping the warnings. */
export function readCaptureFile(json: unknown): CapturedSocket[] {
  return readCaptureFileWithWarnings(json).sockets;
}

/** Options of `writeCaptureFile`. */
export interface WriteCaptureOptions {
  /** Replace credentials by `[redacted]` (default true). */
  redact?: boolean;
  /** Date written into `createdAt` (default now). */
  now?: Date;
}

/** Builds a capture file from sockets; credentials are redacted unless `redact: false`. */
export function writeCaptureFile(sockets: CapturedSocket[], options: WriteCaptureOptions = {}): CaptureFile {
  const redact = options.redact ?? true;
  return {
    format: CAPTURE_FORMAT,
    version: CAPTURE_VERSION,
    createdAt: (options.now ?? new Date()).toISOString(),
    redacted: redact,
    sockets: redact ? sockets.map(redactSocket) : sockets.map((s) => structuredClone(s)),
  };
}
