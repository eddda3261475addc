/**
 * Checks a replay draft before anything is sent. Errors block the replay (the browser would refuse
 * it, or the request is not HTTP); warnings name what a gateway will likely reject (guide, "Extended
 * handshake request") and are allowed, since replaying a broken request is a legitimate test.
 */
import { getHeader, parseHttpRequest } from '../protocol/http1';
import { TARGET, TOKEN } from '../protocol/http1-chars';
import { credentialIssues } from './auth';
import { draftParts, normaliseRaw, parseRequestText, requestText } from './draft';
import { KHP_PROTOCOL } from '../protocol/khp';
import { targetPath, urlPath } from '../protocol/urls';
import { MAX_REPLAY_REDIRECTS, type Issue, type ReplayDraft, type RequestParts } from './types';

/** True when `s` is a non-empty RFC 9110 token (protocol names and header names must be). */
export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (TOKEN[s.charCodeAt(i)] !== 1) return false;
  return true;
}

/** Problems with the URL: it must parse, be ws: or wss:, and carry no fragment (the constructor refuses one). */
export function urlIssues(url: string): Issue[] {
  const error = (message: string): Issue[] => [{ severity: 'error', field: 'url', message }];
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return error(`"${url}" is not an absolute URL.`);
  }
  if (parsed.protocol === 'http:' || parsed.protocol === 'https:')
    return error(`The URL must be ws:// or wss:// (use ${parsed.protocol === 'https:' ? 'wss' : 'ws'}://).`);
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:')
    return error(`The URL must be ws:// or wss://, not ${parsed.protocol}//.`);
  if (parsed.hash !== '' || url.includes('#')) return error('A WebSocket URL cannot have a #fragment.');
  return [];
}

/** Problems with the requested protocols: tokens, no repeats, and x-kaazing-handshake among them. */
export function protocolIssues(protocols: readonly string[]): Issue[] {
  const issues: Issue[] = [];
  const error = (message: string) => issues.push({ severity: 'error', field: 'protocols', message });
  const seen = new Set<string>();
  for (const p of protocols) {
    if (!isToken(p)) error(`"${p}" is not a valid protocol name (a token: no spaces, commas or quotes).`);
    else if (seen.has(p)) error(`"${p}" is requested twice (the browser refuses repeats).`);
    seen.add(p);
  }
  // Spec, "Opening WebSocket Handshake": the client MUST include x-kaazing-handshake.
  if (!protocols.includes(KHP_PROTOCOL)) error(`The protocols must include ${KHP_PROTOCOL}.`);
  return issues;
}

/** True when `s` is non-empty and every character is marked in `table`. */
function allIn(s: string, table: Uint8Array): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (table[s.charCodeAt(i)] !== 1) return false;
  return true;
}

/** True when `s` holds CR, LF or NUL (which would end or break the header line). */
function hasLineBreak(s: string): boolean {
  return s.includes('\r') || s.includes('\n') || s.includes('\u0000');
}

/** Line (1-based) of a byte offset in ASCII-ish request text. */
function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

/** Row-level problems of the table form. */
function tableIssues(parts: RequestParts): Issue[] {
  const issues: Issue[] = [];
  const error = (message: string) => issues.push({ severity: 'error', field: 'request', message });
  if (!isToken(parts.method)) error(`The method "${parts.method}" is not a token.`);
  if (!allIn(parts.target, TARGET))
    error('The target must be non-empty, without spaces or control characters.');
  if (!/^HTTP\/1\.[01]$/.test(parts.version))
    error(`The version must be HTTP/1.1 (or HTTP/1.0), not "${parts.version}".`);
  parts.headers.forEach(([name, value], i) => {
    if (!isToken(name)) error(`Header ${i + 1}: the name "${name}" is not a token.`);
    if (hasLineBreak(value)) error(`Header ${i + 1} (${name}): the value cannot contain line breaks.`);
  });
  return issues;
}

/** What a gateway is likely to reject in an otherwise valid request (warnings). */
function requestWarnings(parts: RequestParts, url: string, protocols: readonly string[]): Issue[] {
  const issues: Issue[] = [];
  const warn = (message: string) => issues.push({ severity: 'warning', field: 'request', message });
  if (parts.method !== 'GET')
    warn(`Clients send GET; a gateway will likely answer ${parts.method} with 400.`);
  if (!parts.target.startsWith('/')) warn('Clients send the target in origin form (/path?query).');
  // The decoder's path-mismatch check compares the same two paths (decoder-checks.ts).
  const opening = URL.canParse(url) ? urlPath(url) : null; // an unusable URL is reported by urlIssues
  const target = parts.target.startsWith('/') ? targetPath(parts.target) : null;
  if (opening !== null && target !== null && target !== opening)
    warn(`The target path ${target} differs from the URL path ${opening}: a gateway answers 400.`);
  // Spec: protocols other than x-kaazing-handshake MUST be in the extended request's Sec-WebSocket-Protocol.
  const listed = (getHeader(parts.headers, 'sec-websocket-protocol') ?? '').split(',').map((p) => p.trim());
  const missing = protocols.filter((p) => p !== KHP_PROTOCOL && !listed.includes(p));
  if (missing.length > 0)
    warn(`Sec-WebSocket-Protocol should list the other requested protocols: ${missing.join(', ')}.`);
  // Spec: Sec-WebSocket-Extensions "MUST contain a non-empty list of extension names".
  const ext = getHeader(parts.headers, 'sec-websocket-extensions');
  if (ext !== undefined && ext.replace(/[\s,]/g, '') === '')
    warn('Sec-WebSocket-Extensions is empty: remove it or list an extension.');
  return issues;
}

/** Every problem with the draft, errors first. */
export function validateDraft(draft: ReplayDraft): Issue[] {
  const issues: Issue[] = [...urlIssues(draft.url), ...protocolIssues(draft.protocols)];
  if (draft.mode === 'raw') {
    const parsed = parseRequestText(draft.raw);
    if (!parsed.ok)
      issues.push({
        severity: 'error',
        field: 'request',
        message: `Line ${lineOf(normaliseRaw(draft.raw), parsed.offset)}: ${parsed.message}`,
      });
  } else {
    issues.push(...tableIssues(draft.parts));
    if (!issues.some((i) => i.field === 'request')) {
      const result = parseHttpRequest(requestText(draft.parts), { tolerant: false });
      if (result.status !== 'complete')
        issues.push({
          severity: 'error',
          field: 'request',
          message: result.status === 'error' ? result.error.message : 'The request is incomplete.',
        });
    }
  }
  const parts = draftParts(draft);
  if (parts && !issues.some((i) => i.field === 'request'))
    issues.push(...requestWarnings(parts, draft.url.trim(), draft.protocols));
  const o = draft.options;
  if (!Number.isInteger(o.maxRedirects) || o.maxRedirects < 0 || o.maxRedirects > MAX_REPLAY_REDIRECTS)
    issues.push({
      severity: 'error',
      field: 'options',
      message: `Follow at most 0 to ${MAX_REPLAY_REDIRECTS} redirects.`,
    });
  issues.push(...credentialIssues(o.answer401, 'options'));
  return [...issues.filter((i) => i.severity === 'error'), ...issues.filter((i) => i.severity === 'warning')];
}

/** True when no issue is an error. */
export function canSend(issues: readonly Issue[]): boolean {
  return !issues.some((i) => i.severity === 'error');
}
