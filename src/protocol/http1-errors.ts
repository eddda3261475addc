/**
 * Every error and warning the HTTP/1.1 head parser reports: a stable code, what the grammar
 * expected at that point, and a message (`%c` stands for the offending byte). Several entries
 * share a code when the same rule breaks in different places.
 */

/** One kind of failure: `code` is the stable identifier callers match on. */
export interface ErrorSpec {
  readonly code: string;
  readonly expected: string;
  readonly message: string;
}

const TARGET_FORMS = 'origin-form (/path?query), absolute-form, authority-form (CONNECT) or * (OPTIONS)';

export const E = {
  METHOD_END: {
    code: 'EXPECTED_SP',
    expected: 'SP after the method',
    message: 'The request line ends after the method.',
  },
  METHOD_CHAR: {
    code: 'INVALID_METHOD',
    expected: 'a token character (RFC 9110 tchar) or SP',
    message: 'The method has %c, which is not a token character.',
  },
  TARGET_FORM: {
    code: 'INVALID_TARGET',
    expected: TARGET_FORMS,
    message: 'The request target is in no form RFC 9112 allows.',
  },
  TARGET_START: {
    code: 'INVALID_TARGET',
    expected: 'the request-target',
    message: 'The request target starts with %c.',
  },
  TARGET_CHAR: {
    code: 'INVALID_TARGET',
    expected: 'a visible ASCII character or SP',
    message: 'The request target has %c.',
  },
  NO_VERSION: {
    code: 'MISSING_VERSION',
    expected: 'SP and the HTTP version',
    message: 'The request line has no HTTP version (HTTP/0.9 style).',
  },
  VERSION_CHAR: {
    code: 'INVALID_VERSION',
    expected: 'HTTP/1.x',
    message: 'The version has %c where "HTTP/1.x" continues.',
  },
  VERSION_MINOR: {
    code: 'INVALID_VERSION',
    expected: 'the minor version digit',
    message: 'The version has %c where a digit belongs.',
  },
  VERSION_LONG: {
    code: 'INVALID_VERSION',
    expected: 'HTTP/1.x then SP or CRLF',
    message: 'The version has more than one minor digit.',
  },
  VERSION_SP: {
    code: 'EXPECTED_SP',
    expected: 'SP and the status code',
    message: 'The status line has %c after the version.',
  },
  REQUEST_LINE_END: {
    code: 'EXPECTED_CRLF',
    expected: 'CRLF after the HTTP version',
    message: 'The request line has %c after the version.',
  },
  STATUS_DIGIT: {
    code: 'INVALID_STATUS',
    expected: 'a 3-digit status code',
    message: 'The status code has %c where a digit belongs.',
  },
  STATUS_LONG: {
    code: 'INVALID_STATUS',
    expected: 'SP after the 3-digit status code',
    message: 'The status code has more than 3 digits.',
  },
  STATUS_END: {
    code: 'INVALID_STATUS',
    expected: 'SP after the 3-digit status code',
    message: 'The status code is followed by %c.',
  },
  REASON_CHAR: {
    code: 'INVALID_REASON',
    expected: 'a visible character, SP, HTAB or CRLF',
    message: 'The reason phrase has %c.',
  },
  CR_WITHOUT_LF: { code: 'EXPECTED_CRLF', expected: 'LF after CR', message: 'CR is followed by %c.' },
  LEADING_WHITESPACE: {
    code: 'UNEXPECTED_WHITESPACE',
    expected: 'a field name',
    message: 'Whitespace between the start line and the first header field.',
  },
  LINE_START: {
    code: 'INVALID_HEADER_NAME',
    expected: 'a field name (token)',
    message: 'A header line starts with %c.',
  },
  NAME_CHAR: {
    code: 'INVALID_HEADER_NAME',
    expected: 'a token character or a colon',
    message: 'The field name has %c.',
  },
  NAME_SPACE: {
    code: 'INVALID_HEADER_NAME',
    expected: 'a token character or a colon',
    message: 'The field name has whitespace.',
  },
  NO_COLON: {
    code: 'MISSING_COLON',
    expected: 'a colon after the field name',
    message: 'A header line has no colon.',
  },
  SPACE_BEFORE_COLON: {
    code: 'WHITESPACE_BEFORE_COLON',
    expected: 'a colon right after the field name',
    message: 'Whitespace between the field name and the colon.',
  },
  VALUE_CHAR: {
    code: 'INVALID_HEADER_VALUE',
    expected: 'a visible character, SP, HTAB or CRLF',
    message: 'A header value has the control character %c.',
  },
  BARE_LF: { code: 'BARE_LF', expected: 'CRLF', message: 'A line ends with a bare LF instead of CRLF.' },
  MISSING_REASON: {
    code: 'MISSING_REASON',
    expected: 'SP and a reason phrase',
    message: 'The status line has no SP and no reason phrase after the code.',
  },
  OBS_FOLD: {
    code: 'OBS_FOLD',
    expected: 'a new field name',
    message: 'A header value continues on a folded line (obsolete line folding).',
  },
} as const satisfies Record<string, ErrorSpec>;
