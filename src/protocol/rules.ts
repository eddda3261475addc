/**
 * The findings catalogue: every rule the decoder and the chain builder can report, with its stable
 * id, default severity, the spec clause it comes from and a plain explanation. `docs/rules.md`
 * documents each rule with an example; the ids are public (JSON format) and never renamed.
 */
import type { Finding, Severity } from './model';

const EXT = 'Handshake Requirements for the Extended WebSocket Handshake';
const OPENING = 'Handshake Requirements for the Opening WebSocket Handshake';
const CODES = 'Kaazing Extended Handshake Response Codes';
/** Rules about the capture itself, not the spec: they cite this instead of a spec section. */
export const CAPTURE_CLAUSE = 'Capture integrity (not a spec rule)';

/** One catalogue entry. */
export interface RuleInfo {
  readonly severity: Severity;
  readonly title: string;
  /** Spec section and the key sentence, shortened. */
  readonly spec: string;
  readonly explain: string;
}

/** Every rule, by stable kebab-case id. */
export const RULES = {
  'khp-not-negotiated': {
    severity: 'info',
    title: 'KHP requested but not negotiated',
    spec: `${OPENING}: the server MUST send back Sec-WebSocket-Protocol containing x-kaazing-handshake if it agrees`,
    explain:
      'The page asked for x-kaazing-handshake but the server chose another protocol (or none); the socket is a plain WebSocket.',
  },
  'opening-failed': {
    severity: 'error',
    title: 'Opening handshake failed',
    spec: `${OPENING}: the rules defined in [WSP] apply`,
    explain:
      'The socket closed or failed before the WebSocket opening handshake completed, so no extended handshake could start.',
  },
  'first-message-not-request': {
    severity: 'error',
    title: 'First message is not an HTTP request',
    spec: `${EXT}: the extended handshake payloads take the form of HTTP Requests (RFC 2616)`,
    explain:
      'The first message the client sends after open must carry the extended handshake request; gateways answer 400 otherwise.',
  },
  'malformed-request': {
    severity: 'error',
    title: 'Malformed extended request',
    spec: `${EXT}: extended handshake requests follow the HTTP 1.1 protocol`,
    explain:
      'The extended request could not be parsed as HTTP/1.1; the message says where it broke and what was expected.',
  },
  'malformed-response': {
    severity: 'error',
    title: 'Malformed extended response',
    spec: `${EXT}: extended handshake responses follow the HTTP 1.1 protocol; the client must close if the handshake failed`,
    explain: 'The extended response could not be parsed as HTTP/1.1; the client must close the WebSocket.',
  },
  'lenient-http': {
    severity: 'info',
    title: 'Lenient HTTP syntax',
    spec: `${EXT}: payloads follow the HTTP 1.1 protocol`,
    explain:
      'The message parsed only because the parser tolerates a common deviation (bare LF, missing reason phrase, folded header).',
  },
  'response-trailing-bytes': {
    severity: 'warning',
    title: 'Bytes after the extended response',
    spec: `${EXT}: the extended handshake response is one HTTP response`,
    explain:
      'The message holding the response carried bytes after the end of the HTTP message (headers plus Content-Length body).',
  },
  'message-before-completion': {
    severity: 'error',
    title: 'Message outside the extended handshake',
    spec: `${EXT}: no other messages should be sent by client or server until the extended handshake is completed`,
    explain:
      'A message that is neither part of the extended handshake nor a balancer message was sent before the handshake completed (or after it failed).',
  },
  'handshake-too-large': {
    severity: 'error',
    title: 'Handshake message over the size cap',
    spec: `${EXT}: the handshake is one HTTP request and one HTTP response`,
    explain: 'The bytes gathered for one HTTP message exceeded the decoder cap; gathering stopped there.',
  },
  'ext-renegotiated': {
    severity: 'error',
    title: 'Extension requested again',
    spec: `${EXT}: an extension already negotiated in the opening handshake → the server MUST respond in error`,
    explain: 'The extended request asks for an extension that the opening handshake already negotiated.',
  },
  'ext-not-subset': {
    severity: 'error',
    title: 'Granted extensions not requested',
    spec: `${EXT}: Sec-WebSocket-Extensions chosen from the requested extensions and no others; the client must close if not a subset`,
    explain:
      'The completing response grants an extension the extended request did not ask for; the client must close.',
  },
  'ext-list-empty': {
    severity: 'error',
    title: 'Empty Sec-WebSocket-Extensions',
    spec: `${EXT}: the Sec-WebSocket-Extensions header MUST contain a non-empty list`,
    explain:
      'A Sec-WebSocket-Extensions header was present but listed no extension; omit the header instead.',
  },
  'protocols-not-carried': {
    severity: 'error',
    title: 'Application protocols missing from the extended request',
    spec: `${EXT}: protocols requested other than x-kaazing-handshake MUST be included in Sec-WebSocket-Protocol`,
    explain:
      'The opening handshake requested application protocols that the extended request does not repeat.',
  },
  'target-path-mismatch': {
    severity: 'warning',
    title: 'Request path differs from the socket path',
    spec: `${EXT}: the extended request is for the resource of the opening handshake`,
    explain:
      'Gateways answer 400 when the extended request path differs from the opening URL path (query and .kl=Y may differ).',
  },
  'missing-terminator': {
    severity: 'warning',
    title: 'No empty terminator frame',
    spec: `${EXT}: the client must close if the extended handshake response does not end with an empty WebSocket binary frame`,
    explain:
      'The response was not followed by an empty message although the opening URL carried .kl=Y (servers reached without .kl=Y send none, and that is accepted). After a 101 the handshake does not complete.',
  },
  'status-invalid': {
    severity: 'error',
    title: 'Invalid status code',
    spec: `${CODES}: status codes are three digits, classes 1xx to 5xx`,
    explain: 'The response status is not a code from 100 to 599; the handshake failed.',
  },
  'status-unlisted': {
    severity: 'warning',
    title: 'Status code not in the table',
    spec: `${CODES}: unlisted codes are read by their class (x00)`,
    explain: 'The spec table does not list this code; it is read as the x00 code of its class.',
  },
  'continue-without-expect': {
    severity: 'error',
    title: '100 Continue without Expect',
    spec: `${CODES}, 100 Continue: valid only if the client requests this with an Expect: header`,
    explain: 'The server answered 100 Continue although the request carried no Expect header.',
  },
  'redirect-307-non-get': {
    severity: 'warning',
    title: '307 after a non-GET request',
    spec: `${CODES}, 307: if and only if the underlying method was GET, the client MUST attempt an opening handshake`,
    explain: 'A 307 answered a request whose method is not GET: the client must close and not follow it.',
  },
  'redirect-without-location': {
    severity: 'error',
    title: 'Redirect without Location',
    spec: `${CODES}, 3xx: proceed with a fresh opening handshake to the URL in the Location: header`,
    explain: 'A 3xx response carried no Location header, so the client has nowhere to go.',
  },
  'redirect-location-invalid': {
    severity: 'error',
    title: 'Unusable Location',
    spec: `${CODES}, 3xx: proceed with a fresh opening handshake to the URL in the Location: header`,
    explain: 'The Location header is not a URL that maps to ws:// or wss://.',
  },
  'challenge-missing': {
    severity: 'error',
    title: '401 without WWW-Authenticate',
    spec: `${CODES}, 401: the response must include a WWW-Authenticate header field containing a challenge`,
    explain: 'A 401 response carried no challenge, so the client cannot know how to authenticate.',
  },
  'replay-without-credentials': {
    severity: 'warning',
    title: 'Replay without Authorization',
    spec: `${CODES}, 401: reply with a replayed request containing additional authorization information`,
    explain: 'The request replayed after a 401 carries no Authorization header.',
  },
  'handshake-failed': {
    severity: 'info',
    title: 'Extended handshake failed',
    spec: `${EXT}: a status code that is not actionable means the extended handshake failed; the client must close`,
    explain: 'The server answered with a code that does not complete the handshake; the client must close.',
  },
  'closed-before-completion': {
    severity: 'error',
    title: 'Closed during the extended handshake',
    spec: `${EXT}: a WebSocket server receiving the extended request MUST respond with an extended response`,
    explain: 'The socket closed while the extended handshake was still in progress.',
  },
  'too-many-redirects': {
    severity: 'error',
    title: 'More than five redirects',
    spec: `${CODES}, 3xx: the client should make no more than a fixed maximum number of reconnect attempts ("no more than five")`,
    explain: 'The redirect chain followed more than five redirects.',
  },
  'redirect-loop': {
    severity: 'error',
    title: 'Redirect loop',
    spec: `${CODES}, 3xx: the client is responsible for detecting redirect loops and avoiding reconnection`,
    explain: 'A redirect sent the client back to an endpoint already visited in the same chain.',
  },
  'capture-network-mismatch': {
    severity: 'warning',
    title: "The page hook's record and the network disagree",
    spec: `${CAPTURE_CLAUSE}: where both witnessed a socket, the frames the page hook recorded are the frames the network carried`,
    explain:
      'The network carried frames the hook did not record in a span it says it recorded (capture lost them, or the page sent them past the hook), or the hook holds frames the network never carried (the page fooled it), or payloads differ. Frames before DevTools opened, in unrecorded spans or past the budget do not count.',
  },
} as const satisfies Record<string, RuleInfo>;

/** A rule id. */
export type RuleId = keyof typeof RULES;

/** The rule that says the page hook's and the network's frames of a socket disagree (witness-compare.ts). */
export const MISMATCH_RULE = 'capture-network-mismatch' satisfies RuleId;

/** Builds a finding for `rule`, with its catalogue severity unless `extra.severity` overrides it. */
export function finding(
  rule: RuleId,
  message: string,
  extra?: { frame?: number; round?: number; severity?: Severity },
): Finding {
  const info: RuleInfo = RULES[rule];
  const out: Finding = { severity: extra?.severity ?? info.severity, rule, message, spec: info.spec };
  if (extra?.frame !== undefined) out.frame = extra.frame;
  if (extra?.round !== undefined) out.round = extra.round;
  return out;
}
