/**
 * The spec's status-code table as data, and how to read any code with it. Spec, "Kaazing Extended
 * Handshake Response Codes": "This section captures the expected interpretation of the extended
 * response by the client for each of the following embedded extended HTTP response code."
 *
 * `status-codes.spec-file.test.ts` checks this table against the spec file: the same codes, and
 * each action and `specAction` sentence as the spec words them.
 */
import type { StatusAction } from './model';

/** One row of the spec's table. `conditional` rows depend on the request (100: Expect, 307: GET). */
export interface StatusEntry {
  /** Reason phrase as the spec lists it (annotations such as "(WebDAV)" left out). */
  reason: string;
  action: Exclude<StatusAction, 'invalid'> | 'conditional';
  /** The spec's "Extended Handshake Action" sentence, quoted (whitespace normalised). */
  specAction: string;
  /** For `conditional` rows: the action when the condition holds; otherwise the client closes. */
  conditional?: { action: 'continue' | 'redirect'; requires: 'expect' | 'get' };
}

const CLOSE =
  'A Client receiving this response MUST _Close the WebSocket Connection_ following the definition in [WSP]';
const CLOSE_DOT = `${CLOSE}.`;

/** Every code the spec's section "Kaazing Extended Handshake Response Codes" lists. */
export const STATUS_CODES: { readonly [code: number]: StatusEntry } = {
  100: {
    reason: 'Continue',
    action: 'conditional',
    specAction:
      'If the client requests this with an Expect: header, and the WebSocket server supports it, then this is a valid extended handshake response code, actionable on the client which MUST send the request body.',
    conditional: { action: 'continue', requires: 'expect' },
  },
  101: {
    reason: 'Switching Protocols',
    action: 'completed',
    specAction:
      'Clients receiving a valid WebSocket handshake [WSP] 101 extended response that corresponds to their request MUST consider the _extended handshake completed_.',
  },
  102: { reason: 'Processing', action: 'close', specAction: CLOSE_DOT },
  103: { reason: 'Checkpoint', action: 'close', specAction: CLOSE_DOT },
  122: { reason: 'Request-URI too long', action: 'close', specAction: CLOSE_DOT },
  200: {
    reason: 'OK',
    action: 'close',
    specAction: `${CLOSE}. The intention of the extended handshake is to receive a 101 upgrade rather than obtain a successful response.`,
  },
  201: {
    reason: 'Created',
    action: 'completed',
    specAction:
      'A Client receiving 201 extended response that corresponds to their request MUST consider the _extended handshake completed_. The intention of the server using this response code rather than a 101 response code indicates that perhaps an emulated or alternative WebSocket has been established. The content of the response and response headers will determine exactly which.',
  },
  202: {
    reason: 'Accepted',
    action: 'wait',
    specAction:
      'A client receiving this response can choose to wait for up to a maximum amount of time for another response, before _Closing the WebSocket Connection_.',
  },
  203: { reason: 'Non-Authoritative Information', action: 'close', specAction: CLOSE_DOT },
  204: {
    reason: 'No Content',
    action: 'completed',
    specAction:
      'A Client receiving a 204 extended response that corresponds to their request MUST consider the _extended handshake completed_.',
  },
  205: {
    reason: 'Reset Content',
    action: 'completed',
    specAction:
      'A Client receiving 205 extended response that corresponds to their request MUST consider the _extended handshake completed_.',
  },
  206: { reason: 'Partial Content', action: 'close', specAction: CLOSE_DOT },
  207: { reason: 'Multi-Status', action: 'close', specAction: CLOSE_DOT },
  226: { reason: 'IM Used', action: 'close', specAction: CLOSE_DOT },
  300: {
    reason: 'Multiple Choices',
    action: 'redirect',
    specAction: `${CLOSE}, and SHOULD attempt an opening handshake on one of the given URIs in the choices presented.`,
  },
  301: {
    reason: 'Moved Permanently',
    action: 'redirect',
    specAction: `${CLOSE}, and SHOULDattempt an opening handshake on the given URI.`,
  },
  302: {
    reason: 'Found',
    action: 'redirect',
    specAction: `${CLOSE}, and SHOULD attempt an opening handshake on the given URI.`,
  },
  303: {
    reason: 'See Other',
    action: 'redirect',
    specAction: `${CLOSE}, and attempt an opening handshake on the given URI.`,
  },
  304: { reason: 'Not Modified', action: 'close', specAction: CLOSE },
  305: { reason: 'Use Proxy', action: 'close', specAction: CLOSE },
  306: { reason: 'Switch Proxy', action: 'close', specAction: CLOSE },
  307: {
    reason: 'Temporary Redirect',
    action: 'conditional',
    specAction: `${CLOSE}. If and only if the underlying HTTP method was a GET request, the client MUST attempt an opening handshake on the given URI.`,
    conditional: { action: 'redirect', requires: 'get' },
  },
  308: { reason: 'Resume Incomplete', action: 'close', specAction: CLOSE },
  400: { reason: 'Bad Request', action: 'close', specAction: CLOSE },
  401: {
    reason: 'Unauthorized',
    action: 'authenticate',
    specAction:
      "Clients receiving a 401 extended response SHOULD continue the extended handshake, and reply with a replayed extended handshake request containing additional authorization information. If the client fails to reply in a timely manner, it is the server's responsibility to _Close the WebSocket Connection_.",
  },
  402: { reason: 'Payment Required', action: 'close', specAction: CLOSE },
  403: { reason: 'Forbidden', action: 'close', specAction: CLOSE },
  404: { reason: 'Not Found', action: 'close', specAction: CLOSE },
  405: { reason: 'Method Not Allowed', action: 'close', specAction: CLOSE },
  406: { reason: 'Not Acceptable', action: 'close', specAction: CLOSE },
  407: {
    reason: 'Proxy Authentication Required',
    action: 'close',
    specAction: `${CLOSE}, and MAY choose to attempt to authenticate with a proxy.`,
  },
  408: { reason: 'Request Timeout', action: 'close', specAction: CLOSE_DOT },
  409: { reason: 'Conflict', action: 'close', specAction: CLOSE },
  410: { reason: 'Gone', action: 'close', specAction: CLOSE },
  411: { reason: 'Length Required', action: 'close', specAction: CLOSE },
  412: { reason: 'Precondition Failed', action: 'close', specAction: CLOSE },
  413: { reason: 'Request Entity Too Large', action: 'close', specAction: CLOSE },
  414: { reason: 'Request-URI Too Long', action: 'close', specAction: CLOSE },
  415: { reason: 'Unsupported Media Type', action: 'close', specAction: CLOSE },
  416: { reason: 'Requested Range Not Satisfiable', action: 'close', specAction: CLOSE },
  417: { reason: 'Expectation Failed', action: 'close', specAction: CLOSE },
  418: { reason: "I'm a teapot", action: 'close', specAction: CLOSE },
  422: { reason: 'Unprocessable Entity', action: 'close', specAction: CLOSE },
  423: { reason: 'Locked', action: 'close', specAction: CLOSE },
  424: { reason: 'Failed Dependency', action: 'close', specAction: CLOSE },
  425: { reason: 'Unordered Collection', action: 'close', specAction: CLOSE },
  426: {
    reason: 'Upgrade Required',
    action: 'close',
    specAction: `${CLOSE}, and MAY attempt to establish a new opening handshake using an upgraded protocol.`,
  },
  428: { reason: 'Precondition Required', action: 'close', specAction: CLOSE },
  429: { reason: 'Too Many Requests', action: 'close', specAction: CLOSE },
  431: { reason: 'Request Header Fields Too Large', action: 'close', specAction: CLOSE },
  444: { reason: 'No Response', action: 'close', specAction: CLOSE },
  449: { reason: 'Retry With', action: 'close', specAction: CLOSE },
  450: { reason: 'Blocked by Windows Parental Controls', action: 'close', specAction: CLOSE },
  499: { reason: 'Client Closed Request', action: 'close', specAction: CLOSE },
  500: { reason: 'Internal Server Error', action: 'close', specAction: CLOSE_DOT },
  501: { reason: 'Not Implemented', action: 'close', specAction: CLOSE_DOT },
  502: { reason: 'Bad Gateway', action: 'close', specAction: CLOSE_DOT },
  503: { reason: 'Service Unavailable', action: 'close', specAction: CLOSE_DOT },
  504: { reason: 'Gateway Timeout', action: 'close', specAction: CLOSE_DOT },
  505: { reason: 'HTTP Version Not Supported', action: 'close', specAction: CLOSE_DOT },
  506: { reason: 'Variant Also Negotiates', action: 'close', specAction: CLOSE_DOT },
  507: { reason: 'Insufficient Storage', action: 'close', specAction: CLOSE_DOT },
  509: { reason: 'Bandwidth Limit Exceeded', action: 'close', specAction: CLOSE_DOT },
  510: { reason: 'Not Extended', action: 'close', specAction: CLOSE_DOT },
  511: { reason: 'Network Authentication Required', action: 'close', specAction: CLOSE_DOT },
  598: { reason: 'network read timeout error', action: 'close', specAction: CLOSE_DOT },
  599: { reason: 'network connect timeout error', action: 'close', specAction: CLOSE_DOT },
} as const;

/** The spec's class headings ("1xx Informational" ... "5xx Server Error"). */
export const STATUS_CLASSES: { readonly [classCode: number]: string } = {
  100: 'Informational',
  200: 'Success',
  300: 'Redirection',
  400: 'Client Error',
  500: 'Server Error',
};

/** How one status code reads in an extended-handshake response. */
export interface StatusReading {
  /** The code as a number; null when the input was not numeric. */
  code: number | null;
  action: StatusAction;
  /** False when the code is not in the spec's table and was read by its class. */
  listed: boolean;
  /** The class's x00 (e.g. 400 for 418); null for invalid codes. */
  classCode: number | null;
  /** Reason phrase from the table ('' when unlisted or invalid). */
  reason: string;
  /** One short plain sentence for humans. */
  meaning: string;
  /** The spec's action sentence for the entry used ('' when invalid). */
  specAction: string;
  /** Why the reading differs from the plain table entry (conditions, class reading). */
  note?: string;
}

/** Context from the request: its method (307) and whether it carried `Expect` (100). */
export interface StatusContext {
  method?: string;
  expect?: boolean;
}

const MEANINGS: Record<StatusAction, string> = {
  completed: 'The server accepted the extended handshake: the WebSocket is open.',
  authenticate: 'The server asks for credentials: the client replays the request with authorization added.',
  redirect: 'The server sends the client elsewhere: it closes and opens a new connection to the Location.',
  continue: 'The server accepts the request headers: the client goes on and sends the request body.',
  wait: 'The server accepted the request but is not done: the client may wait for another response.',
  close: 'The extended handshake failed: the client closes the WebSocket.',
  invalid: 'This is not an HTTP status code, so the response cannot be read.',
};

function entryOf(code: number): StatusEntry | undefined {
  return STATUS_CODES[code];
}

function numericCode(code: number | string): number | null {
  if (typeof code === 'number') return Number.isInteger(code) ? code : null;
  return /^[0-9]+$/.test(code) ? Number(code) : null;
}

/** Resolves a conditional row (100, 307) against the request; returns the action and a note when it fails. */
function resolve(
  entry: StatusEntry,
  shown: number,
  ctx: StatusContext,
): { action: StatusAction; note?: string } {
  if (entry.action !== 'conditional') return { action: entry.action };
  const cond = entry.conditional!;
  if (cond.requires === 'expect') {
    // Spec, 100 Continue: "If the client requests this with an Expect: header ... this is a valid
    // extended handshake response code"; without Expect it is not actionable, so the client closes.
    if (ctx.expect) return { action: cond.action };
    return {
      action: 'close',
      note: `${shown} continues the handshake only when the request carried an Expect header; it did not, so the client closes.`,
    };
  }
  // Spec, 307: "If and only if the underlying HTTP method was a GET request, the client MUST
  // attempt an opening handshake on the given URI."
  if (ctx.method === 'GET') return { action: cond.action };
  const method = ctx.method === undefined ? 'unknown' : ctx.method;
  return {
    action: 'close',
    note: `${shown} redirects only a GET request; the request method was ${method}, so the client closes.`,
  };
}

/**
 * Reads a status code the way the spec's table says. A listed code takes its entry; an unlisted
 * three-digit code from 100 to 599 is read as its class's x00 (http-status-code-classes: "status
 * code / 100 yields the class"); anything else is `invalid`.
 */
export function readStatus(code: number | string, context: StatusContext = {}): StatusReading {
  const n = numericCode(code);
  const written = typeof code === 'string' ? code : String(code);
  // Spec, "1xx".."5xx": HTTP uses the first digits 1 through 5; a status code is three digits.
  const threeDigits = typeof code === 'number' || /^[0-9]{3}$/.test(code);
  if (n === null || !threeDigits || n < 100 || n > 599) {
    return {
      code: n,
      action: 'invalid',
      listed: false,
      classCode: null,
      reason: '',
      meaning: MEANINGS.invalid,
      specAction: '',
      note: `${JSON.stringify(written)} is not a three-digit status code from 100 to 599.`,
    };
  }
  const classCode = Math.floor(n / 100) * 100;
  const listed = entryOf(n);
  const entry = listed ?? entryOf(classCode)!;
  const { action, note: conditionNote } = resolve(entry, n, context);
  const classNote = listed
    ? undefined
    : `${n} is not in the spec's table; read by its class (${STATUS_CLASSES[classCode]}) as ${classCode} ${entry.reason}.`;
  const note = [classNote, conditionNote].filter((s) => s !== undefined).join(' ');
  return {
    code: n,
    action,
    listed: listed !== undefined,
    classCode,
    reason: listed ? listed.reason : '',
    meaning: MEANINGS[action],
    specAction: entry.specAction,
    ...(note ? { note } : {}),
  };
}
