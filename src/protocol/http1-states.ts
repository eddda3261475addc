/**
 * Named states of the HTTP/1.1 head parser (`http1-head.ts`), in the order a message passes them.
 * Numbers keep the hot switch cheap; `STATE_NAMES` gives the names errors report.
 */
export const S_METHOD = 0;
export const S_TARGET = 1;
export const S_VERSION = 2;
export const S_REQ_LINE_END = 3;
export const S_STATUS_CODE = 4;
export const S_STATUS_AFTER_CODE = 5;
export const S_REASON = 6;
export const S_START_LINE_LF = 7;
export const S_LINE_START = 8;
export const S_NAME = 9;
export const S_NAME_WS = 10;
export const S_VALUE_OWS = 11;
export const S_VALUE = 12;
export const S_VALUE_LF = 13;
export const S_HEAD_END_LF = 14;

export const STATE_NAMES = [
  'METHOD',
  'TARGET',
  'VERSION',
  'REQUEST_LINE_END',
  'STATUS_CODE',
  'STATUS_AFTER_CODE',
  'REASON',
  'START_LINE_LF',
  'HEADER_LINE_START',
  'HEADER_NAME',
  'HEADER_NAME_WHITESPACE',
  'HEADER_VALUE_OWS',
  'HEADER_VALUE',
  'HEADER_LINE_LF',
  'HEADERS_END_LF',
] as const;

/** What each state waits for, for `incomplete` results and `TRUNCATED` errors. */
export const STATE_EXPECTED = [
  'a method token followed by SP',
  'the request-target followed by SP',
  'the HTTP version (HTTP/1.x)',
  'CRLF after the request line',
  'a 3-digit status code',
  'SP and a reason phrase, or CRLF',
  'the reason phrase and CRLF',
  'LF after CR',
  'a header field or the empty line that ends the header section',
  'the rest of the field name and a colon',
  'a colon',
  'the field value and CRLF',
  'the field value and CRLF',
  'LF after CR',
  'LF after CR',
] as const;
