/**
 * Result and option types of the HTTP/1.1 message parser (`http1.ts`). The extended handshake's
 * payloads "take the form of HTTP Requests ... and HTTP Responses ... following the HTTP 1.1
 * protocol" (spec, "Handshake Requirements for the Extended WebSocket Handshake").
 */
import type { Header } from './model';

/** Where and why a message broke. Never thrown: returned inside an `error` result. */
export interface HttpParseError {
  /** Stable UPPER_SNAKE identifier, e.g. `INVALID_METHOD`, `MISSING_COLON`, `TRUNCATED`. */
  code: string;
  /** Byte offset in the whole message (across all pushed chunks) where the input broke. */
  offset: number;
  /** Parser state at that point, e.g. `HEADER_NAME`. */
  state: string;
  /** What the grammar expected there, human readable. */
  expected: string;
  message: string;
}

/** A tolerated deviation from RFC 9112 (e.g. `BARE_LF`, `MISSING_REASON`, `OBS_FOLD`). */
export interface HttpWarning {
  code: string;
  offset: number;
  message: string;
}

interface HttpMessageBase {
  /** `HTTP/1.x` as written. */
  version: string;
  /** Header lines in order, repeats kept, names as sent, values trimmed of OWS. */
  headers: Header[];
  body: Uint8Array;
  warnings: HttpWarning[];
  /** Bytes up to and including the blank line that ends the header section. */
  headerBytes: number;
}

/** How a request line's target is written (RFC 9112, section 3.2). */
export type TargetForm = 'origin' | 'absolute' | 'authority' | 'asterisk';

export interface HttpRequestMessage extends HttpMessageBase {
  type: 'request';
  method: string;
  target: string;
  /** `origin` for `/path?query`, the form KHP clients send. */
  targetForm: TargetForm;
}

export interface HttpResponseMessage extends HttpMessageBase {
  type: 'response';
  status: number;
  /** The three status-code characters as written. */
  statusText: string;
  reason: string;
}

export type HttpMessage = HttpRequestMessage | HttpResponseMessage;

export type HttpParseResult<T extends HttpMessage = HttpMessage> =
  /** `consumed` = bytes that belong to the message (anything after it is not part of it). */
  | { status: 'complete'; message: T; consumed: number }
  /** More bytes are needed; `offset` = bytes seen so far. */
  | { status: 'incomplete'; offset: number; expected: string }
  | { status: 'error'; error: HttpParseError };

export interface Http1Options {
  /**
   * Default true: bare LF line endings, a missing reason phrase and obsolete line folding are
   * accepted and reported as warnings. False: they are errors.
   */
  tolerant?: boolean;
  /** Cap on the header section (start line to blank line), default 64 KiB. */
  maxHeaderBytes?: number;
  /** Cap on the body, default 1 MiB. */
  maxBodyBytes?: number;
}

/** The message type a parser of kind `K` produces. */
export type MessageOf<K extends 'request' | 'response'> = K extends 'request'
  ? HttpRequestMessage
  : HttpResponseMessage;
