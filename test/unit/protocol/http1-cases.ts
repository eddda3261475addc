/**
 * HTTP/1.1 parser cases as data: input, then either the message expected or the error code and
 * byte offset. `http1-cases.test.ts` runs each whole, split at every offset, and one byte per push.
 */
import type { Http1Options } from '../../../src/protocol/http1';
import type { Header } from '../../../src/protocol/model';

export interface CompleteExpectation {
  status: 'complete';
  /** Bytes of the message; defaults to the whole input. */
  consumed?: number;
  /** Message fields checked with toMatchObject (method, target, status, reason, headerBytes ...). */
  fields: Record<string, unknown>;
  headers?: Header[];
  /** Defaults to empty. */
  body?: string | Uint8Array;
  /** [code, offset] pairs; defaults to none. */
  warnings?: Array<[string, number]>;
}

export interface ErrorExpectation {
  status: 'error';
  code: string;
  offset: number;
  state?: string;
}

export interface Http1Case {
  name: string;
  kind: 'request' | 'response';
  input: string | Uint8Array;
  options?: Http1Options;
  expect: CompleteExpectation | ErrorExpectation;
}

/** Bytes from strings (UTF-8) and byte lists. */
export function bytes(...parts: Array<string | number[]>): Uint8Array {
  const chunks = parts.map((p) => (typeof p === 'string' ? new TextEncoder().encode(p) : Uint8Array.from(p)));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

const STRICT: Http1Options = { tolerant: false };
type ErrorArgs = [
  name: string,
  input: string | Uint8Array,
  code: string,
  offset: number,
  options?: Http1Options,
];

function req(...[name, input, code, offset, options]: ErrorArgs): Http1Case {
  return { name, kind: 'request', input, options, expect: { status: 'error', code, offset } };
}

function res(...[name, input, code, offset, options]: ErrorArgs): Http1Case {
  return { name, kind: 'response', input, options, expect: { status: 'error', code, offset } };
}

export const JS_CLIENT_REQUEST =
  'GET /echo HTTP/1.1\r\nWebSocket-Protocol: \r\nSec-WebSocket-Protocol: \r\n' +
  'Sec-WebSocket-Extensions: x-kaazing-idle-timeout,x-kaazing-ping-pong\r\n\r\n';

export const GATEWAY_101 =
  'HTTP/1.1 101 Web Socket Protocol Handshake\r\n' +
  'Connection: Upgrade\r\n' +
  'Date: Tue, 04 Mar 2014 19:28:15 GMT\r\n' +
  'Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n' +
  'Sec-WebSocket-Extensions: x-kaazing-idle-timeout; timeout=20000\r\n' +
  'Sec-WebSocket-Extensions: x-kaazing-ping-pong; 01010102\r\n' +
  'Server: Kaazing Gateway\r\n' +
  'Upgrade: WebSocket\r\n' +
  'Access-Control-Allow-Origin: http://localhost:8000\r\n' +
  'Access-Control-Allow-Credentials: true\r\n\r\n';

export const HTML_401_BODY = '<html><head></head><body><h1>401 Unauthorized</h1></body></html>';

export const GATEWAY_401 =
  'HTTP/1.1 401 Unauthorized\r\n' +
  'Content-Type: text/html\r\n' +
  'Date: Tue, 04 Mar 2014 19:28:15 GMT\r\n' +
  'Server: Kaazing Gateway\r\n' +
  'WWW-Authenticate: Application Basic realm="Kaazing Gateway Demo"\r\n' +
  `Content-Length: ${HTML_401_BODY.length}\r\n\r\n` +
  HTML_401_BODY;

export const REDIRECT_302 =
  'HTTP/1.1 302 Found\r\nLocation: http://gateway.example.com:8001/echo\r\nServer: Kaazing Gateway\r\n' +
  'Content-Length: 0\r\n\r\n';

const JAVA_CLIENT_REQUEST = bytes(
  'GET /echo?x=1 HTTP/1.1\r\nWebSocket-Protocol: \r\nSec-WebSocket-Protocol: amqp, stomp\r\n',
  'Sec-WebSocket-Extensions: x-kaazing-idle-timeout,x-kaazing-ping-pong\r\n',
  'Authorization: Basic am9lOndlbGNvbWU=\r\n\r\n',
);

/** More header lines than a first scan buffer is likely to hold, values with inner SP and HTAB. */
const MANY_HEADERS: Array<[string, string]> = Array.from({ length: 150 }, (_v, k) => [
  `X-Attr-${k}`,
  `v ${k}\tof many`,
]);

const BINARY_BODY = [0x00, 0x01, 0xff, 0x0d, 0x0a, 0x80];

type Fields = CompleteExpectation['fields'];
type Extra = Omit<CompleteExpectation, 'status' | 'fields'> & { options?: Http1Options };

function okReq(name: string, input: string | Uint8Array, fields: Fields, extra: Extra = {}): Http1Case {
  const { options, ...rest } = extra;
  return { name, kind: 'request', input, options, expect: { status: 'complete', fields, ...rest } };
}

function okRes(name: string, input: string | Uint8Array, fields: Fields, extra: Extra = {}): Http1Case {
  const { options, ...rest } = extra;
  return { name, kind: 'response', input, options, expect: { status: 'complete', fields, ...rest } };
}

export const VALID_CASES: Http1Case[] = [
  okReq(
    'JS client text request',
    JS_CLIENT_REQUEST,
    {
      method: 'GET',
      target: '/echo',
      targetForm: 'origin',
      version: 'HTTP/1.1',
      headerBytes: JS_CLIENT_REQUEST.length,
    },
    {
      headers: [
        ['WebSocket-Protocol', ''],
        ['Sec-WebSocket-Protocol', ''],
        ['Sec-WebSocket-Extensions', 'x-kaazing-idle-timeout,x-kaazing-ping-pong'],
      ],
    },
  ),
  okReq(
    'Java client binary replay request with Authorization and a query',
    JAVA_CLIENT_REQUEST,
    { method: 'GET', target: '/echo?x=1', version: 'HTTP/1.1' },
    {
      headers: [
        ['WebSocket-Protocol', ''],
        ['Sec-WebSocket-Protocol', 'amqp, stomp'],
        ['Sec-WebSocket-Extensions', 'x-kaazing-idle-timeout,x-kaazing-ping-pong'],
        ['Authorization', 'Basic am9lOndlbGNvbWU='],
      ],
    },
  ),
  okReq(
    'binary request with a Content-Length body of arbitrary bytes',
    bytes('POST /upload HTTP/1.1\r\nContent-Length: 6\r\n\r\n', BINARY_BODY),
    { method: 'POST', target: '/upload', headerBytes: 44 },
    { headers: [['Content-Length', '6']], body: Uint8Array.from(BINARY_BODY) },
  ),
  okReq(
    'request followed by unrelated bytes: consumed stops at the message end',
    'GET /a HTTP/1.1\r\nContent-Length: 2\r\n\r\nokEXTRA',
    { target: '/a' },
    { consumed: 40, body: 'ok' },
  ),
  okReq(
    'request without Content-Length has an empty body even when bytes follow',
    'GET / HTTP/1.1\r\n\r\nleftover',
    { target: '/', headerBytes: 18 },
    { consumed: 18, headers: [] },
  ),
  okReq('absolute-form target', 'GET http://example.com/echo HTTP/1.1\r\n\r\n', {
    target: 'http://example.com/echo',
    targetForm: 'absolute',
  }),
  okReq('asterisk-form target with OPTIONS', 'OPTIONS * HTTP/1.1\r\n\r\n', {
    method: 'OPTIONS',
    target: '*',
    targetForm: 'asterisk',
  }),
  okReq('authority-form target with CONNECT', 'CONNECT example.com:443 HTTP/1.1\r\n\r\n', {
    target: 'example.com:443',
    targetForm: 'authority',
  }),
  okReq('HTTP/1.0 request and an unusual token method', 'M-SEARCH! /x HTTP/1.0\r\n\r\n', {
    method: 'M-SEARCH!',
    version: 'HTTP/1.0',
  }),
  okReq(
    'repeated headers kept in order, names as sent, values trimmed of OWS',
    'GET / HTTP/1.1\r\nX-A: 1\r\nx-a:2\r\nFoo: \t bar  baz \t \r\nX-A:\t3\r\nEmpty:\r\n\r\n',
    {},
    {
      headers: [
        ['X-A', '1'],
        ['x-a', '2'],
        ['Foo', 'bar  baz'],
        ['X-A', '3'],
        ['Empty', ''],
      ],
    },
  ),
  okReq(
    'obs-text in a header value is read as UTF-8',
    bytes('GET / HTTP/1.1\r\nX-Name: caf', [0xc3, 0xa9], '\r\n\r\n'),
    {},
    { headers: [['X-Name', 'café']] },
  ),
  okReq(
    'bare LF line endings are tolerated with one warning at the first',
    'GET /echo HTTP/1.1\nSec-WebSocket-Protocol: amqp\n\n',
    { target: '/echo', headerBytes: 49 },
    { headers: [['Sec-WebSocket-Protocol', 'amqp']], warnings: [['BARE_LF', 18]] },
  ),
  okReq(
    'mixed CRLF and bare LF',
    'GET / HTTP/1.1\r\nA: 1\nB: 2\r\n\n',
    { headerBytes: 28 },
    {
      headers: [
        ['A', '1'],
        ['B', '2'],
      ],
      warnings: [['BARE_LF', 20]],
    },
  ),
  okReq(
    'obsolete line folding is joined with one SP and warned',
    'GET / HTTP/1.1\r\nX-Long: first\r\n \t second\r\nNext: n\r\n\r\n',
    {},
    {
      headers: [
        ['X-Long', 'first second'],
        ['Next', 'n'],
      ],
      warnings: [['OBS_FOLD', 31]],
    },
  ),
  okReq(
    'identical repeated Content-Length is accepted',
    'POST / HTTP/1.1\r\nContent-Length: 3\r\ncontent-length: 3\r\n\r\nabc',
    {},
    { body: 'abc' },
  ),
  okReq(
    'header section exactly at the limit',
    'GET / HTTP/1.1\r\nA: 12345\r\n\r\n',
    { headerBytes: 28 },
    { options: { maxHeaderBytes: 28 } },
  ),
  okReq(
    '150 header lines, with tabs and trailing OWS, keep their order and offsets',
    `GET /many HTTP/1.1\r\n${MANY_HEADERS.map(([n, v]) => `${n}:\t${v} \t\r\n`).join('')}\r\n`,
    { method: 'GET', target: '/many' },
    { headers: MANY_HEADERS },
  ),
  okRes(
    'gateway 101 with one Sec-WebSocket-Extensions line per extension',
    GATEWAY_101,
    {
      status: 101,
      statusText: '101',
      reason: 'Web Socket Protocol Handshake',
      version: 'HTTP/1.1',
      headerBytes: GATEWAY_101.length,
    },
    {
      headers: [
        ['Connection', 'Upgrade'],
        ['Date', 'Tue, 04 Mar 2014 19:28:15 GMT'],
        ['Sec-WebSocket-Accept', 's3pPLMBiTxaQ9kYGzzhZRbK+xOo='],
        ['Sec-WebSocket-Extensions', 'x-kaazing-idle-timeout; timeout=20000'],
        ['Sec-WebSocket-Extensions', 'x-kaazing-ping-pong; 01010102'],
        ['Server', 'Kaazing Gateway'],
        ['Upgrade', 'WebSocket'],
        ['Access-Control-Allow-Origin', 'http://localhost:8000'],
        ['Access-Control-Allow-Credentials', 'true'],
      ],
    },
  ),
  okRes(
    '401 with WWW-Authenticate and an HTML body',
    GATEWAY_401,
    { status: 401, reason: 'Unauthorized', headerBytes: GATEWAY_401.length - HTML_401_BODY.length },
    {
      headers: [
        ['Content-Type', 'text/html'],
        ['Date', 'Tue, 04 Mar 2014 19:28:15 GMT'],
        ['Server', 'Kaazing Gateway'],
        ['WWW-Authenticate', 'Application Basic realm="Kaazing Gateway Demo"'],
        ['Content-Length', String(HTML_401_BODY.length)],
      ],
      body: HTML_401_BODY,
    },
  ),
  okRes(
    '302 with Location',
    REDIRECT_302,
    { status: 302, reason: 'Found' },
    {
      headers: [
        ['Location', 'http://gateway.example.com:8001/echo'],
        ['Server', 'Kaazing Gateway'],
        ['Content-Length', '0'],
      ],
    },
  ),
  okRes(
    '307 without Content-Length: the body runs to the end of input',
    'HTTP/1.1 307 Temporary Redirect\r\nLocation: ws://b.example/echo\r\n\r\nmoved',
    { status: 307, headerBytes: 66 },
    { body: 'moved' },
  ),
  okRes(
    'missing reason phrase and its SP',
    'HTTP/1.1 101\r\nUpgrade: websocket\r\n\r\n',
    { status: 101, statusText: '101', reason: '' },
    { warnings: [['MISSING_REASON', 12]] },
  ),
  okRes(
    'empty reason phrase after the SP: a warning even when strict',
    'HTTP/1.1 101 \r\n\r\n',
    { status: 101, reason: '' },
    { warnings: [['MISSING_REASON', 13]], options: STRICT },
  ),
  okRes(
    'missing reason with bare LF',
    'HTTP/1.1 204\n\n',
    { status: 204, headerBytes: 14 },
    {
      warnings: [
        ['MISSING_REASON', 12],
        ['BARE_LF', 12],
      ],
    },
  ),
  okRes(
    '101 with a Content-Length: no body, a warning',
    'HTTP/1.1 101 Switching Protocols\r\nContent-Length: 5\r\n\r\nhello',
    { status: 101 },
    { consumed: 55, warnings: [['CONTENT_LENGTH_IGNORED', 50]] },
  ),
  okRes('100 Continue ends at the blank line', 'HTTP/1.1 100 Continue\r\n\r\n', {
    status: 100,
    reason: 'Continue',
  }),
  okRes(
    '304 ends at the blank line even with bytes after it',
    'HTTP/1.1 304 Not Modified\r\n\r\nxyz',
    { status: 304 },
    { consumed: 29 },
  ),
  okRes(
    '200 without Content-Length and a UTF-8 reason phrase',
    'HTTP/1.0 200 Très bien\r\n\r\nhello',
    { status: 200, version: 'HTTP/1.0', reason: 'Très bien' },
    { body: 'hello' },
  ),
  okRes(
    'status codes outside 100-599 are grammatical (three digits); readStatus judges them',
    'HTTP/1.1 099 Odd\r\nContent-Length: 0\r\n\r\n',
    { status: 99, statusText: '099' },
  ),
];

export const ERROR_CASES: Http1Case[] = [
  req('empty input', '', 'TRUNCATED', 0),
  req('bad method character', 'G(T / HTTP/1.1\r\n\r\n', 'INVALID_METHOD', 1),
  req('empty method', ' / HTTP/1.1\r\n\r\n', 'INVALID_METHOD', 0),
  req('request line ends after the method', 'GET\r\n\r\n', 'EXPECTED_SP', 3),
  req('missing version', 'GET /echo\r\n\r\n', 'MISSING_VERSION', 9),
  req('lower-case version', 'GET / http/1.1\r\n\r\n', 'INVALID_VERSION', 6),
  req('HTTP/2.0 request', 'GET / HTTP/2.0\r\n\r\n', 'INVALID_VERSION', 11),
  req('version with a letter for the minor digit', 'GET / HTTP/1.x\r\n\r\n', 'INVALID_VERSION', 13),
  req('two-digit minor version', 'GET / HTTP/1.10\r\n\r\n', 'INVALID_VERSION', 14),
  req('text after the version', 'GET / HTTP/1.1 x\r\n\r\n', 'EXPECTED_CRLF', 14),
  req('CR not followed by LF after the request line', 'GET / HTTP/1.1\rX: y\r\n\r\n', 'EXPECTED_CRLF', 15),
  req('two spaces before the target', 'GET  / HTTP/1.1\r\n\r\n', 'INVALID_TARGET', 4),
  req('target that is not origin-form', 'GET echo HTTP/1.1\r\n\r\n', 'INVALID_TARGET', 4),
  req('asterisk target without OPTIONS', 'GET * HTTP/1.1\r\n\r\n', 'INVALID_TARGET', 4),
  req('control character in the target', 'GET /a\x01b HTTP/1.1\r\n\r\n', 'INVALID_TARGET', 6),
  req(
    'non-ASCII byte in the target',
    bytes('GET /caf', [0xc3, 0xa9], ' HTTP/1.1\r\n\r\n'),
    'INVALID_TARGET',
    8,
  ),
  req('header line without colon', 'GET / HTTP/1.1\r\nFoo\r\n\r\n', 'MISSING_COLON', 19),
  req('header line without colon, trailing space', 'GET / HTTP/1.1\r\nFoo \r\n\r\n', 'MISSING_COLON', 20),
  req('space before colon', 'GET / HTTP/1.1\r\nFoo : bar\r\n\r\n', 'WHITESPACE_BEFORE_COLON', 19),
  res('tab before colon', 'HTTP/1.1 200 OK\r\nFoo\t: bar\r\n\r\n', 'WHITESPACE_BEFORE_COLON', 20),
  req('space inside a field name', 'GET / HTTP/1.1\r\nFoo bar: x\r\n\r\n', 'INVALID_HEADER_NAME', 19),
  req(
    'non-token character in a field name',
    'GET / HTTP/1.1\r\nFo(o: bar\r\n\r\n',
    'INVALID_HEADER_NAME',
    18,
  ),
  req('empty field name', 'GET / HTTP/1.1\r\n: bar\r\n\r\n', 'INVALID_HEADER_NAME', 16),
  req('non-ASCII field name', bytes('GET / HTTP/1.1\r\nX', [0xe9], ': 1\r\n\r\n'), 'INVALID_HEADER_NAME', 17),
  req('control character in a value', 'GET / HTTP/1.1\r\nFoo: a\x01b\r\n\r\n', 'INVALID_HEADER_VALUE', 22),
  res('NUL in a value', 'HTTP/1.1 200 OK\r\nFoo: \x00\r\n\r\n', 'INVALID_HEADER_VALUE', 22),
  req('DEL in a value', 'GET / HTTP/1.1\r\nFoo: a\x7f\r\n\r\n', 'INVALID_HEADER_VALUE', 22),
  req('CR inside a value', 'GET / HTTP/1.1\r\nFoo: a\rb\r\n\r\n', 'EXPECTED_CRLF', 23),
  req('CR not followed by LF at the blank line', 'GET / HTTP/1.1\r\n\rX', 'EXPECTED_CRLF', 17),
  req(
    'whitespace before the first header',
    'GET / HTTP/1.1\r\n Foo: bar\r\n\r\n',
    'UNEXPECTED_WHITESPACE',
    16,
  ),
  res('status abc', 'HTTP/1.1 abc OK\r\n\r\n', 'INVALID_STATUS', 9),
  res('status 99', 'HTTP/1.1 99 OK\r\n\r\n', 'INVALID_STATUS', 11),
  res('status 1000', 'HTTP/1.1 1000 OK\r\n\r\n', 'INVALID_STATUS', 12),
  res('status 20x', 'HTTP/1.1 20x OK\r\n\r\n', 'INVALID_STATUS', 11),
  res('status code followed by a letter', 'HTTP/1.1 200OK\r\n\r\n', 'INVALID_STATUS', 12),
  res('status line without a code', 'HTTP/1.1\r\n\r\n', 'EXPECTED_SP', 8),
  res('HTTP/2 status line', 'HTTP/2 200 OK\r\n\r\n', 'INVALID_VERSION', 5),
  res('not a status line', 'hello world', 'INVALID_VERSION', 0),
  res('request given to the response parser', JS_CLIENT_REQUEST, 'INVALID_VERSION', 0),
  res('control character in the reason', 'HTTP/1.1 200 O\x02K\r\n\r\n', 'INVALID_REASON', 14),
  res(
    'Content-Length not a number',
    'HTTP/1.1 401 Unauthorized\r\nContent-Length: abc\r\n\r\n',
    'INVALID_CONTENT_LENGTH',
    43,
  ),
  req(
    'negative Content-Length',
    'POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n',
    'INVALID_CONTENT_LENGTH',
    33,
  ),
  req(
    'Content-Length list',
    'POST / HTTP/1.1\r\nContent-Length: 2, 2\r\n\r\nab',
    'INVALID_CONTENT_LENGTH',
    33,
  ),
  req('empty Content-Length', 'POST / HTTP/1.1\r\nContent-Length:\r\n\r\n', 'INVALID_CONTENT_LENGTH', 32),
  req(
    'differing Content-Length headers',
    'POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc',
    'INVALID_CONTENT_LENGTH',
    52,
  ),
  res(
    'Content-Length above the body limit',
    'HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n',
    'BODY_TOO_LARGE',
    33,
  ),
  res(
    'Transfer-Encoding',
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    'UNSUPPORTED_TRANSFER_ENCODING',
    36,
  ),
  res('truncated body', 'HTTP/1.1 401 Unauthorized\r\nContent-Length: 10\r\n\r\nabcd', 'TRUNCATED', 53),
  req('truncated header section', 'GET / HTTP/1.1\r\nFoo: bar\r\n', 'TRUNCATED', 26),
  req('truncated inside the request line', 'GET /ec', 'TRUNCATED', 7),
  req('header section over the limit', 'GET / HTTP/1.1\r\nA: 123456\r\n\r\n', 'HEADERS_TOO_LARGE', 28, {
    maxHeaderBytes: 28,
  }),
  req(
    'endless header line over the default limit',
    `GET / HTTP/1.1\r\nX: ${'a'.repeat(70_000)}`,
    'HEADERS_TOO_LARGE',
    65_536,
  ),
  res('body to end over the limit', 'HTTP/1.1 200 OK\r\n\r\nhello', 'BODY_TOO_LARGE', 23, {
    maxBodyBytes: 4,
  }),
  req('bare LF when strict', 'GET / HTTP/1.1\n\n', 'BARE_LF', 14, STRICT),
  res('missing reason when strict', 'HTTP/1.1 101\r\n\r\n', 'MISSING_REASON', 12, STRICT),
  req('obsolete line folding when strict', 'GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n', 'OBS_FOLD', 22, STRICT),
];
