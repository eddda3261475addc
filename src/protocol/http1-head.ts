/**
 * The start line and header section of an HTTP/1.1 message (RFC 9112 sections 2-5) as an explicit
 * state machine over bytes. It is resumable: `run` continues from where the previous call stopped,
 * over a buffer that only grows, so a message split anywhere gives the same result as a whole one.
 *
 * Spec: "The extended handshake WebSocket payloads take the form of HTTP Requests ... and HTTP
 * Responses ... following the HTTP 1.1 protocol" ("Handshake Requirements for the Extended
 * WebSocket Handshake").
 */
import type { Header } from './model';
import type { HttpParseError, HttpWarning, TargetForm } from './http1-types';
import { classifyTarget } from './http1-rules';
import type { ParsedHead } from './http1-fast';
import { E, type ErrorSpec } from './http1-errors';
import * as chars from './http1-chars';
import * as states from './http1-states';

// Local copies of the tables and state numbers: some loaders (CommonJS interop, tsx) turn imported
// bindings into getters, which would cost a call per byte in the hot loop.
const {
  COLON,
  CR,
  FIELD,
  HTAB,
  LF,
  SP,
  TARGET,
  TOKEN,
  VERSION_PREFIX,
  SectionText,
  decodeField,
  describeByte,
  isDigit,
} = chars;
const { STATE_EXPECTED, STATE_NAMES, S_HEAD_END_LF, S_LINE_START, S_METHOD, S_NAME, S_NAME_WS } = states;
const { S_REASON, S_REQ_LINE_END, S_START_LINE_LF, S_STATUS_AFTER_CODE, S_STATUS_CODE, S_TARGET } = states;
const { S_VALUE, S_VALUE_LF, S_VALUE_OWS, S_VERSION } = states;

/** Head state machine for one message; `done` or `error` is set once it stops. */
export class HeadMachine {
  state: number;
  pos = 0;
  done = false;
  error: HttpParseError | null = null;
  /** Bytes up to and including the blank line, once done. */
  headerBytes = 0;

  method = '';
  target = '';
  targetForm: TargetForm = 'origin';
  version = '';
  status = 0;
  statusText = '';
  reason = '';
  headers: Header[] = [];
  /** Byte offset of each header's value (trimmed start), parallel to `headers`. */
  valueOffsets: number[] = [];
  warnings: HttpWarning[] = [];

  private mark = 0;
  /** Set when a value or the reason has obs-text (bytes 0x80-0xFF). */
  private nonAscii = false;
  private targetStart = 0;
  private targetEnd = 0;
  private versionStart = 0;
  private versionEnd = 0;
  private reasonStart = 0;
  private reasonEnd = 0;
  /** Per field: name start (-1 for a folded continuation), name end, value start, value end. */
  private readonly spans: number[] = [];
  private valueEnd = 0;
  private nameStart = 0;
  private nameEnd = 0;
  private wsStart = 0;
  private versionIndex = 0;
  private folding = false;
  private sawBareLf = false;

  constructor(
    readonly isRequest: boolean,
    readonly tolerant: boolean,
  ) {
    this.state = isRequest ? S_METHOD : S_VERSION;
  }

  /** Name of the current state, for errors and `incomplete` results. */
  get stateName(): string {
    return STATE_NAMES[this.state] ?? 'UNKNOWN';
  }

  /** What the current state is waiting for. */
  get expected(): string {
    return STATE_EXPECTED[this.state] ?? 'more bytes';
  }

  /** Advances over buf[pos, limit). Stops at the end of the header section or at the first error. */
  run(buf: Uint8Array, limit: number): void {
    let i = this.pos;
    let state = this.state;
    let mark = this.mark;
    while (i < limit) {
      switch (state) {
        case S_METHOD: {
          // RFC 9112 3.1: request-line = method SP request-target SP HTTP-version; method = token.
          while (i < limit && TOKEN[buf[i]!] === 1) i++;
          if (i === limit) break;
          const c = buf[i]!;
          if (c === SP && i > mark) {
            this.method = decodeField(buf, mark, i);
            mark = ++i;
            state = S_TARGET;
          } else if (i > mark && (c === CR || c === LF)) {
            return this.fail(E.METHOD_END, i, state);
          } else {
            return this.fail(E.METHOD_CHAR, i, state, c);
          }
          break;
        }
        case S_TARGET: {
          while (i < limit && TARGET[buf[i]!] === 1) i++;
          if (i === limit) break;
          const c = buf[i]!;
          if (c === SP && i > mark) {
            // RFC 9112 3.2: request-target = origin-form / absolute-form / authority-form / asterisk-form.
            const form = classifyTarget(this.method, buf, mark, i);
            if (form === null) {
              return this.fail(E.TARGET_FORM, mark, state);
            }
            this.targetForm = form;
            this.targetStart = mark;
            this.targetEnd = i;
            mark = ++i;
            this.versionIndex = 0;
            state = S_VERSION;
          } else if (i > mark && (c === CR || c === LF)) {
            return this.fail(E.NO_VERSION, i, state);
          } else if (i === mark) {
            return this.fail(E.TARGET_START, i, state, c);
          } else {
            return this.fail(E.TARGET_CHAR, i, state, c);
          }
          break;
        }
        case S_VERSION: {
          // RFC 9112 2.3: HTTP-version = "HTTP" "/" DIGIT "." DIGIT (case-sensitive); only 1.x here.
          const c = buf[i]!;
          const k = this.versionIndex;
          if (k < VERSION_PREFIX.length) {
            if (c !== VERSION_PREFIX[k]) {
              return this.fail(E.VERSION_CHAR, i, state, c);
            }
            this.versionIndex = k + 1;
            i++;
          } else if (k === VERSION_PREFIX.length) {
            if (!isDigit(c)) {
              return this.fail(E.VERSION_MINOR, i, state, c);
            }
            this.versionStart = mark;
            this.versionEnd = i + 1;
            this.versionIndex = k + 1;
            i++;
            if (this.isRequest) state = S_REQ_LINE_END;
          } else if (c === SP) {
            // RFC 9112 4: status-line = HTTP-version SP status-code SP [ reason-phrase ].
            mark = ++i;
            state = S_STATUS_CODE;
          } else if (isDigit(c)) {
            return this.fail(E.VERSION_LONG, i, state);
          } else {
            return this.fail(E.VERSION_SP, i, state, c);
          }
          break;
        }
        case S_REQ_LINE_END: {
          const c = buf[i]!;
          if (c === CR) state = S_START_LINE_LF;
          else if (c === LF) {
            if (!this.bareLf(i, state)) return;
            state = S_LINE_START;
          } else if (isDigit(c)) {
            return this.fail(E.VERSION_LONG, i, state);
          } else {
            return this.fail(E.REQUEST_LINE_END, i, state, c);
          }
          i++;
          break;
        }
        case S_STATUS_CODE: {
          // RFC 9112 4: status-code = 3DIGIT.
          const c = buf[i]!;
          if (!isDigit(c)) {
            return this.fail(E.STATUS_DIGIT, i, state, c);
          }
          i++;
          if (i - mark === 3) {
            this.statusText = String.fromCharCode(buf[mark]!, buf[mark + 1]!, buf[mark + 2]!);
            this.status = (buf[mark]! - 0x30) * 100 + (buf[mark + 1]! - 0x30) * 10 + (buf[mark + 2]! - 0x30);
            state = S_STATUS_AFTER_CODE;
          }
          break;
        }
        case S_STATUS_AFTER_CODE: {
          const c = buf[i]!;
          if (c === SP) {
            mark = ++i;
            state = S_REASON;
          } else if (c === CR || c === LF) {
            // Tolerated: "HTTP/1.1 200" with neither SP nor reason (RFC 9112 4 requires the SP).
            if (!this.deviation(E.MISSING_REASON, i, state)) return;
            if (c === LF && !this.bareLf(i, state)) return;
            state = c === CR ? S_START_LINE_LF : S_LINE_START;
            i++;
          } else if (isDigit(c)) {
            return this.fail(E.STATUS_LONG, i, state);
          } else {
            return this.fail(E.STATUS_END, i, state, c);
          }
          break;
        }
        case S_REASON: {
          // RFC 9112 4: reason-phrase = 1*( HTAB / SP / VCHAR / obs-text ).
          while (i < limit) {
            const t = FIELD[buf[i]!];
            if (t === 0) break;
            if (t === 3) this.nonAscii = true;
            i++;
          }
          if (i === limit) break;
          const c = buf[i]!;
          if (c !== CR && c !== LF) {
            return this.fail(E.REASON_CHAR, i, state, c);
          }
          this.reasonStart = mark;
          this.reasonEnd = i;
          if (i === mark) {
            // Grammatical (the reason is optional) but worth a note; never an error.
            this.warn('MISSING_REASON', i, 'The status line has an empty reason phrase.');
          }
          if (c === LF && !this.bareLf(i, state)) return;
          state = c === CR ? S_START_LINE_LF : S_LINE_START;
          i++;
          break;
        }
        case S_START_LINE_LF:
        case S_VALUE_LF: {
          if (buf[i] !== LF) return this.fail(E.CR_WITHOUT_LF, i, state, buf[i]!);
          i++;
          state = S_LINE_START;
          break;
        }
        case S_LINE_START: {
          const c = buf[i]!;
          if (TOKEN[c] === 1) {
            mark = i++;
            state = S_NAME;
          } else if (c === CR) {
            i++;
            state = S_HEAD_END_LF;
          } else if (c === LF) {
            if (!this.bareLf(i, state)) return;
            return this.finishHead(buf, i + 1);
          } else if (c === SP || c === HTAB) {
            if (this.spans.length === 0) {
              // RFC 9112 2.2: whitespace between the start-line and the first field: reject.
              return this.fail(E.LEADING_WHITESPACE, i, state);
            }
            // RFC 9112 5.2: obs-fold is deprecated; a recipient either rejects it or replaces it by SP.
            // Tolerant: replaced (joined with one SP) and warned; strict: rejected.
            if (!this.deviation(E.OBS_FOLD, i, state)) return;
            this.folding = true;
            state = S_VALUE_OWS;
          } else {
            return this.fail(E.LINE_START, i, state, c);
          }
          break;
        }
        case S_NAME: {
          // RFC 9112 5: field-line = field-name ":" OWS field-value OWS; field-name = token.
          while (i < limit && TOKEN[buf[i]!] === 1) i++;
          if (i === limit) break;
          const c = buf[i]!;
          if (c === COLON) {
            this.nameStart = mark;
            this.nameEnd = i++;
            state = S_VALUE_OWS;
          } else if (c === SP || c === HTAB) {
            this.wsStart = i++;
            state = S_NAME_WS;
          } else if (c === CR || c === LF) {
            return this.fail(E.NO_COLON, i, state);
          } else {
            return this.fail(E.NAME_CHAR, i, state, c);
          }
          break;
        }
        case S_NAME_WS: {
          while (i < limit && (buf[i] === SP || buf[i] === HTAB)) i++;
          if (i === limit) break;
          const c = buf[i]!;
          if (c === COLON) {
            // RFC 9112 5.1: "No whitespace is allowed between the field name and colon."
            return this.fail(E.SPACE_BEFORE_COLON, this.wsStart, state);
          }
          if (c === CR || c === LF) {
            return this.fail(E.NO_COLON, i, state);
          }
          return this.fail(E.NAME_SPACE, this.wsStart, state);
        }
        case S_VALUE_OWS: {
          while (i < limit && (buf[i] === SP || buf[i] === HTAB)) i++;
          if (i === limit) break;
          mark = i;
          this.valueEnd = i;
          state = S_VALUE;
          break;
        }
        case S_VALUE: {
          // field-value = *field-content: VCHAR / obs-text with SP / HTAB inside; OWS trimmed.
          let end = this.valueEnd;
          while (i < limit) {
            const t = FIELD[buf[i]!];
            if (t === 1) end = ++i;
            else if (t === 2) i++;
            else if (t === 3) {
              this.nonAscii = true;
              end = ++i;
            } else break;
          }
          this.valueEnd = end;
          if (i === limit) break;
          const c = buf[i]!;
          if (c !== CR && c !== LF) {
            return this.fail(E.VALUE_CHAR, i, state, c);
          }
          this.addField(mark, end);
          if (c === LF && !this.bareLf(i, state)) return;
          state = c === CR ? S_VALUE_LF : S_LINE_START;
          i++;
          break;
        }
        case S_HEAD_END_LF: {
          if (buf[i] !== LF) return this.fail(E.CR_WITHOUT_LF, i, state, buf[i]!);
          return this.finishHead(buf, i + 1);
        }
      }
    }
    this.pos = i;
    this.state = state;
    this.mark = mark;
  }

  /** Takes a head the fast path (`scanHeadFast`) read whole: the machine is then done. */
  adopt(h: ParsedHead): void {
    this.method = h.method;
    this.target = h.target;
    this.targetForm = h.targetForm;
    this.version = h.version;
    this.status = h.status;
    this.statusText = h.statusText;
    this.reason = h.reason;
    this.headers = h.headers;
    this.valueOffsets = h.valueOffsets;
    this.warnings = h.warnings;
    this.pos = h.headerBytes;
    this.headerBytes = h.headerBytes;
    this.done = true;
  }

  /** Records a field's byte spans; strings are made once the header section is complete. */
  private addField(start: number, end: number): void {
    // A folded continuation line (nameStart -1) is joined to the previous field.
    this.spans.push(this.folding ? -1 : this.nameStart, this.nameEnd, start, end);
    this.folding = false;
  }

  /** Ends the header section at `end` and turns the recorded spans into strings. */
  private finishHead(buf: Uint8Array, end: number): void {
    this.pos = end;
    this.headerBytes = end;
    this.done = true;
    const text = new SectionText(buf, end, this.nonAscii);
    this.target = text.slice(this.targetStart, this.targetEnd);
    this.version = text.slice(this.versionStart, this.versionEnd);
    this.reason = text.slice(this.reasonStart, this.reasonEnd);
    text.fields(this.spans, this.headers, this.valueOffsets);
  }

  /** A bare LF where CRLF belongs (RFC 9112 2.2 lets a recipient accept it). False when fatal. */
  private bareLf(i: number, state: number): boolean {
    if (!this.tolerant) {
      this.fail(E.BARE_LF, i, state);
      return false;
    }
    if (!this.sawBareLf) {
      this.sawBareLf = true;
      this.warn('BARE_LF', i, 'Lines end with a bare LF instead of CRLF (reported once, at the first).');
    }
    return true;
  }

  /** A tolerated deviation: a warning when tolerant, else an error. False when fatal. */
  private deviation(spec: ErrorSpec, i: number, state: number): boolean {
    if (this.tolerant) {
      this.warn(spec.code, i, spec.message);
      return true;
    }
    this.fail(spec, i, state);
    return false;
  }

  private warn(code: string, offset: number, message: string): void {
    this.warnings.push({ code, offset, message });
  }

  /** Records the error; `byte` fills the message's `%c`. */
  fail(spec: ErrorSpec, offset: number, state: number, byte = -1): void {
    const message = byte < 0 ? spec.message : spec.message.replace('%c', describeByte(byte));
    this.error = {
      code: spec.code,
      offset,
      state: STATE_NAMES[state] ?? 'UNKNOWN',
      expected: spec.expected,
      message,
    };
  }
}
