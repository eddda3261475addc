/**
 * The checks the spec asks of one extended request or one extended response, as pure functions from
 * a parsed HTTP message (plus what the socket already knows) to a decoded record and findings.
 */
import { extensionNames, parseExtensionsHeader } from './extensions';
import { getHeader, getHeaders } from './http1';
import type { HttpRequestMessage, HttpResponseMessage, HttpWarning } from './http1';
import type { DecodedRequest, DecodedResponse, Extension, Finding, Round, Severity } from './model';
import { finding } from './rules';
import { readStatus } from './status-codes';
import type { StatusReading } from './status-codes';
import { redirectTarget, targetPath, urlPath } from './urls';
import { utf8Decode } from './bytes';
import { KHP_PROTOCOL } from './khp';

/** Tolerated deviations that change how a message is read; the rest are informational. */
const WARNING_CODES = new Set(['BARE_LF', 'OBS_FOLD']);

/** Where a message sits in the socket, for findings. */
export interface Place {
  round: number;
  frame: number;
}

/**
 * One `lenient-http` finding for a message's parser warnings (none when it parsed strictly). Spec:
 * the payloads take the form of HTTP messages "following the HTTP 1.1 protocol".
 */
function lenient(what: string, warnings: HttpWarning[], at: Place): Finding[] {
  if (warnings.length === 0) return [];
  const severity: Severity = warnings.some((w) => WARNING_CODES.has(w.code)) ? 'warning' : 'info';
  const list = warnings.map((w) => `${w.code} at byte ${w.offset}`).join(', ');
  return [finding('lenient-http', `The ${what} parsed leniently: ${list}.`, { ...at, severity })];
}

/** Extensions listed by the Sec-WebSocket-Extensions lines of a message, and a finding if the list is empty. */
function extensionsOf(
  headers: HttpRequestMessage['headers'],
  what: string,
  at: Place,
  out: Finding[],
): Extension[] {
  const values = getHeaders(headers, 'Sec-WebSocket-Extensions');
  const list = parseExtensionsHeader(values);
  // Spec, extended handshake: the header "MUST contain a non-empty list of extension names".
  if (values.length > 0 && values.some((v) => parseExtensionsHeader(v).length === 0)) {
    out.push(
      finding(
        'ext-list-empty',
        `The ${what} has a Sec-WebSocket-Extensions header with no extension in it.`,
        at,
      ),
    );
  }
  return list;
}

/** Comma-separated header elements, trimmed, empty ones dropped. */
export function listValues(values: string[]): string[] {
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** What the socket knows when a request arrives. */
export interface RequestContext {
  socketUrl: string;
  requestedProtocols: string[];
  openingExtensions: Extension[];
  /** True for a request replayed after a 401. */
  replay: boolean;
}

/** The fields a decoded request and a decoded response share, in their declared order. */
function payloadFields(
  msg: Pick<HttpRequestMessage, 'version' | 'headers' | 'body'>,
  raw: string,
  frames: number[],
  binary: boolean,
  time: number,
): Pick<DecodedRequest, 'version' | 'headers' | 'body' | 'raw' | 'frames' | 'binary' | 'time'> {
  return {
    version: msg.version,
    headers: msg.headers,
    body: utf8Decode(msg.body),
    raw,
    frames,
    binary,
    time,
  };
}

/** Decodes an extended request and checks it against the opening handshake. */
export function checkRequest(
  msg: HttpRequestMessage,
  raw: string,
  frames: number[],
  binary: boolean,
  time: number,
  ctx: RequestContext,
  at: Place,
): { request: DecodedRequest; extensions: Extension[]; protocols: string[]; findings: Finding[] } {
  const findings = lenient('extended request', msg.warnings, at);
  const extensions = extensionsOf(msg.headers, 'extended request', at, findings);

  // Spec: "In the case where the extended handshake contains an extension that was already
  // negotiated in the opening handshake, the server MUST detect that condition and respond in error".
  const opening = new Set(extensionNames(ctx.openingExtensions));
  const again = extensions.filter((e) => opening.has(e.name.toLowerCase())).map((e) => e.name);
  if (again.length > 0) {
    findings.push(
      finding(
        'ext-renegotiated',
        `Requested again after the opening handshake negotiated it: ${again.join(', ')}.`,
        at,
      ),
    );
  }

  // Spec: "any protocols requested other than x-kaazing-handshake MUST be included in the extended
  // handshake request as values in the header Sec-WebSocket-Protocol". The empty
  // `WebSocket-Protocol:` line real clients add is a different header and is ignored.
  const protocols = listValues(getHeaders(msg.headers, 'Sec-WebSocket-Protocol'));
  const missing = ctx.requestedProtocols.filter((p) => p !== KHP_PROTOCOL && !protocols.includes(p));
  if (missing.length > 0) {
    findings.push(
      finding(
        'protocols-not-carried',
        `Requested in the opening handshake but missing from Sec-WebSocket-Protocol: ${missing.join(', ')}.`,
        at,
      ),
    );
  }

  // Guide: a gateway answers 400 when the path differs from the opening path (`.kl=Y` and the
  // rest of the query only belong to the opening URL, so only paths are compared).
  const expected = urlPath(ctx.socketUrl);
  const actual = targetPath(msg.target);
  if (actual !== expected) {
    findings.push(
      finding(
        'target-path-mismatch',
        `The request is for ${actual} but the socket was opened on ${expected}.`,
        at,
      ),
    );
  }

  // Spec, 401: the client replies "with a replayed extended handshake request containing
  // additional authorization information".
  if (ctx.replay && getHeader(msg.headers, 'Authorization') === undefined) {
    findings.push(
      finding(
        'replay-without-credentials',
        'The request replayed after 401 has no Authorization header.',
        at,
      ),
    );
  }

  const request: DecodedRequest = {
    method: msg.method,
    target: msg.target,
    ...payloadFields(msg, raw, frames, binary, time),
  };
  return { request, extensions, protocols, findings };
}

/** What a response means for the socket. */
export interface ResponseCheck {
  response: DecodedResponse;
  reading: StatusReading;
  round: Pick<Round, 'action' | 'status'>;
  /** Extensions of the response's Sec-WebSocket-Extensions lines. */
  granted: Extension[];
  /** Where a usable 3xx sends the client. */
  redirectTo: string | null;
  /** False when a completing response grants extensions that were not requested. */
  subset: boolean;
  findings: Finding[];
}

/** Decodes an extended response and reads its status code against the spec table. */
export function checkResponse(
  msg: HttpResponseMessage,
  raw: string,
  frames: number[],
  binary: boolean,
  time: number,
  request: DecodedRequest | null,
  requested: Extension[],
  socketUrl: string,
  at: Place,
): ResponseCheck {
  const findings = lenient('extended response', msg.warnings, at);
  const granted = extensionsOf(msg.headers, 'extended response', at, findings);
  const expect = request !== null && getHeader(request.headers, 'Expect') !== undefined;
  const reading = readStatus(msg.statusText, { ...(request ? { method: request.method } : {}), expect });
  const label = `${msg.statusText} ${msg.reason}`.trim();

  // Spec, "Kaazing Extended Handshake Response Codes": codes are read from the table, unlisted
  // ones by their class ("status code / 100 yields the class"); outside 1xx..5xx nothing applies.
  if (reading.action === 'invalid') {
    findings.push(
      finding(
        'status-invalid',
        `Status ${JSON.stringify(msg.statusText)} is not a code from 100 to 599.`,
        at,
      ),
    );
  } else if (!reading.listed) {
    findings.push(
      finding(
        'status-unlisted',
        `${msg.status} is not in the spec table; read as ${reading.classCode ?? '?'}.`,
        at,
      ),
    );
  }
  // Spec, 100 Continue: valid only "if the client requests this with an Expect: header".
  if (msg.status === 100 && !expect) {
    findings.push(
      finding('continue-without-expect', '100 Continue answered a request without an Expect header.', at),
    );
  }
  // Spec, 307: "If and only if the underlying HTTP method was a GET request, the client MUST
  // attempt an opening handshake on the given URI".
  if (msg.status === 307 && request !== null && request.method !== 'GET') {
    findings.push(
      finding(
        'redirect-307-non-get',
        `307 answered a ${request.method} request: the client must not follow it.`,
        at,
      ),
    );
  }

  // Spec, 302/3xx: the client proceeds "with a fresh opening handshake to the URL specified in
  // the Location: header of the extended handshake response".
  let redirectTo: string | null = null;
  if (reading.action === 'redirect') {
    const location = getHeader(msg.headers, 'Location');
    if (location === undefined || location.trim() === '') {
      findings.push(finding('redirect-without-location', `${label} has no Location header.`, at));
    } else {
      redirectTo = redirectTarget(location, socketUrl);
      if (redirectTo === null) {
        findings.push(
          finding(
            'redirect-location-invalid',
            `Location ${JSON.stringify(location)} is not an http(s) or ws(s) URL.`,
            at,
          ),
        );
      }
    }
  }
  // Spec, 401: "The response must include a WWW-Authenticate header field containing a challenge".
  if (reading.action === 'authenticate' && getHeader(msg.headers, 'WWW-Authenticate') === undefined) {
    findings.push(finding('challenge-missing', '401 without a WWW-Authenticate challenge.', at));
  }
  let subset = true;
  // An unreadable request says nothing of what was asked for: the grant is judged only against
  // a request that was read.
  if (reading.action === 'completed' && request !== null) {
    // Spec: the server's extensions are "chosen from the requested extensions by the client and
    // no others"; the client must close if they "are not a subset of those requested".
    const asked = new Set(extensionNames(requested));
    const extra = granted.filter((e) => !asked.has(e.name.toLowerCase())).map((e) => e.name);
    subset = extra.length === 0;
    if (extra.length > 0) {
      findings.push(finding('ext-not-subset', `Granted but never requested: ${extra.join(', ')}.`, at));
    }
  }
  // Spec: "When the extended handshake response has an HTTP status code that is not actionable,
  // it is said that the extended handshake failed" (info: the server may mean it, e.g. 403).
  if (reading.action === 'close') {
    findings.push(finding('handshake-failed', `${label}: ${reading.specAction}`, at));
  }

  const response: DecodedResponse = {
    status: Number.isFinite(msg.status) ? msg.status : 0,
    statusText: msg.statusText,
    reason: msg.reason,
    ...payloadFields(msg, raw, frames, binary, time),
    terminator: 'none',
  };
  const status =
    reading.code === null
      ? undefined
      : {
          code: reading.code,
          listed: reading.listed,
          classCode: reading.classCode,
          meaning: reading.meaning,
          specAction: reading.specAction,
        };
  return {
    response,
    reading,
    round: { action: reading.action, ...(status ? { status } : {}) },
    granted,
    redirectTo,
    subset,
    findings,
  };
}
