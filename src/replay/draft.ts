/**
 * Building a replay draft from a captured socket, and moving its request between the table and the
 * raw text. Captured credentials are stripped from the draft and kept aside: they are sent only when
 * the user asks for it ("keep captured credentials").
 */
import type { CapturedSocket } from '../protocol/capture';
import { getHeader, parseHttpRequest } from '../protocol/http1';
import type { Connection, Header } from '../protocol/model';
import { isCredentialHeader } from '../protocol/redact';
import { KHP_PROTOCOL } from '../protocol/khp';
import { originTarget } from '../protocol/urls';
import { DEFAULT_OPTIONS, type ReplayDraft, type RequestParts } from './types';

/** Splits headers into those without credentials and the credential ones (redact.ts decides). */
export function stripCredentials(headers: readonly Header[]): { kept: Header[]; removed: Header[] } {
  const kept: Header[] = [];
  const removed: Header[] = [];
  for (const h of headers) (isCredentialHeader(h[0]) ? removed : kept).push([h[0], h[1]]);
  return { kept, removed };
}

/**
 * A request for `url` when none was captured: what real clients send (guide, "Extended handshake
 * request"): origin-form GET, the application protocols in `Sec-WebSocket-Protocol`.
 */
export function defaultParts(url: string, protocols: readonly string[]): RequestParts {
  // Spec: protocols requested other than x-kaazing-handshake MUST be in Sec-WebSocket-Protocol.
  const app = protocols.filter((p) => p !== KHP_PROTOCOL);
  return {
    method: 'GET',
    // Guide, "Opening handshake": `.kl=Y` "does not appear in the extended request's target".
    target: originTarget(url),
    version: 'HTTP/1.1',
    headers: [['Sec-WebSocket-Protocol', app.join(', ')]],
  };
}

/** The draft for replaying `connection` (its first extended request), credentials stripped. */
export function draftFromConnection(connection: Connection, socket?: CapturedSocket): ReplayDraft {
  const url = socket?.url ?? connection.url;
  const protocols = [...(socket?.requestedProtocols ?? connection.requestedProtocols)];
  const first = connection.rounds[0]?.request ?? null;
  const captured: RequestParts = first
    ? { method: first.method, target: first.target, version: first.version, headers: first.headers }
    : defaultParts(url, protocols);
  const { kept, removed } = stripCredentials(captured.headers);
  let capturedAnswer: string | null = null;
  for (const round of connection.rounds.slice(1)) {
    const value = round.request ? getHeader(round.request.headers, 'authorization') : undefined;
    if (value !== undefined) capturedAnswer = value;
  }
  const parts = { ...captured, headers: kept };
  return {
    replayOf: connection.id,
    url,
    protocols,
    mode: 'table',
    parts,
    raw: requestText(parts),
    binary: first?.binary ?? false,
    options: { ...DEFAULT_OPTIONS },
    capturedCredentials: removed,
    capturedAnswer,
    pageUrl: socket?.pageUrl ?? null,
  };
}

/** The request text of `parts`: CRLF line endings, an empty line at the end, no body. */
export function requestText(parts: RequestParts): string {
  const lines = [`${parts.method} ${parts.target} ${parts.version}`];
  for (const [name, value] of parts.headers) lines.push(`${name}: ${value}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** Raw text as typed: bare LF line endings become CRLF, and the final empty line is added if missing. */
export function normaliseRaw(raw: string): string {
  let text = raw.replace(/\r?\n/g, '\r\n');
  text = text.replace(/(\r\n)*$/, '');
  return `${text}\r\n\r\n`;
}

/** Parses raw request text into table parts, or says where it broke (http1.ts parser). */
export function parseRequestText(
  raw: string,
): { ok: true; parts: RequestParts } | { ok: false; message: string; offset: number } {
  const result = parseHttpRequest(normaliseRaw(raw), { tolerant: false });
  if (result.status === 'complete') {
    const m = result.message;
    return {
      ok: true,
      parts: { method: m.method, target: m.target, version: m.version, headers: m.headers },
    };
  }
  if (result.status === 'incomplete')
    return { ok: false, message: `The request is incomplete: ${result.expected}.`, offset: result.offset };
  return { ok: false, message: result.error.message, offset: result.error.offset };
}

/** The draft's request parts, whichever mode it is in (null when the raw text does not parse). */
export function draftParts(draft: ReplayDraft): RequestParts | null {
  if (draft.mode === 'table') return draft.parts;
  const parsed = parseRequestText(draft.raw);
  return parsed.ok ? parsed.parts : null;
}

/** Switches the draft between table and raw; a raw text that does not parse stays raw. */
export function switchMode(draft: ReplayDraft, mode: 'table' | 'raw'): ReplayDraft {
  if (mode === draft.mode) return draft;
  if (mode === 'raw') return { ...draft, mode, raw: requestText(draft.parts) };
  const parsed = parseRequestText(draft.raw);
  return parsed.ok ? { ...draft, mode, parts: parsed.parts } : draft;
}

/** Replaces (or adds) header `name` in `headers`: the first occurrence keeps its place, repeats go. */
export function setHeader(headers: readonly Header[], name: string, value: string): Header[] {
  const lower = name.toLowerCase();
  const out: Header[] = [];
  let done = false;
  for (const h of headers) {
    if (h[0].toLowerCase() !== lower) out.push(h);
    else if (!done) {
      out.push([h[0], value]);
      done = true;
    }
  }
  if (!done) out.push([name, value]);
  return out;
}
