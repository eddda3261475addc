/**
 * Incremental HTTP/1.1 message parser: push chunks (for KHP, one per WebSocket message; the spec
 * allows a response "split across several messages"), get a result after each push.
 *
 * Phases: HEAD (the `HeadMachine` state machine over a buffer of the bytes so far; a first chunk
 * that holds a whole plain head is read by `scanHeadFast` instead), BODY (a known
 * Content-Length, copied straight into the body), BODY_TO_END (a response without Content-Length:
 * everything until `end()`), then DONE. Memory stays bounded: the head buffer never holds more
 * than `maxHeaderBytes` plus the last chunk, the body never more than `maxBodyBytes`.
 */
import { HeadMachine } from './http1-head';
import { buildMessage, scanHeadFast } from './http1-fast';
import { messageFraming } from './http1-rules';
import type { Http1Options, HttpParseError, HttpParseResult, MessageOf } from './http1-types';

const EMPTY = new Uint8Array(0);
const PHASE_HEAD = 0;
const PHASE_BODY = 1;
const PHASE_BODY_TO_END = 2;

/** Defaults of `Http1Options`. */
export const DEFAULT_MAX_HEADER_BYTES = 64 * 1024;
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** Incremental parser for one request or one response. Never throws on any input. */
export class Http1Parser<K extends 'request' | 'response'> {
  readonly kind: K;
  private readonly maxHeaderBytes: number;
  private readonly maxBodyBytes: number;
  private readonly head: HeadMachine;
  private phase = PHASE_HEAD;
  /** Head phase: the bytes so far (possibly the caller's own chunk until more is needed). */
  private buf: Uint8Array = EMPTY;
  private len = 0;
  private owned = false;
  private body: Uint8Array = EMPTY;
  private bodyLen = 0;
  private bodyWant = 0;
  private result: HttpParseResult<MessageOf<K>> | null = null;

  constructor(kind: K, options?: Http1Options) {
    this.kind = kind;
    this.maxHeaderBytes = Math.max(0, options?.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES);
    this.maxBodyBytes = Math.max(0, options?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    this.head = new HeadMachine(kind === 'request', options?.tolerant ?? true);
  }

  /** Bytes currently held (head buffer plus body), for callers that watch memory. */
  get bufferedBytes(): number {
    return this.buf.length + this.body.length;
  }

  /**
   * True while a response without Content-Length (or chunked coding) is reading its body "until the
   * end": the caller decides where that end is (for KHP, the end of a WebSocket message, or the
   * empty terminator message on `.kl=Y` sockets) and calls `end()` there.
   */
  get readsToEnd(): boolean {
    return this.result === null && this.phase === PHASE_BODY_TO_END;
  }

  /** Feeds the next chunk. After `complete` or `error`, further chunks are ignored. */
  push(chunk: Uint8Array): HttpParseResult<MessageOf<K>> {
    if (this.result) return this.result;
    if (this.phase === PHASE_HEAD) {
      this.append(chunk);
      return this.parseHead();
    }
    if (this.phase === PHASE_BODY) {
      const take = Math.min(this.bodyWant - this.bodyLen, chunk.length);
      this.body.set(take === chunk.length ? chunk : chunk.subarray(0, take), this.bodyLen);
      this.bodyLen += take;
      return this.afterBody();
    }
    return this.appendBodyToEnd(chunk);
  }

  /** End of input: a response without Content-Length takes the rest as its body; otherwise an unfinished message is `TRUNCATED`. */
  end(): HttpParseResult<MessageOf<K>> {
    if (this.result) return this.result;
    if (this.phase === PHASE_BODY_TO_END) return this.complete(this.body.slice(0, this.bodyLen));
    if (this.phase === PHASE_HEAD) {
      return this.fail({
        code: 'TRUNCATED',
        offset: this.len,
        state: this.head.stateName,
        expected: this.head.expected,
        message: this.len === 0 ? 'The input is empty.' : 'The input ends inside the header section.',
      });
    }
    return this.fail({
      code: 'TRUNCATED',
      offset: this.head.headerBytes + this.bodyLen,
      state: 'BODY',
      expected: this.bodyExpected(),
      message: `The body ends after ${this.bodyLen} of ${this.bodyWant} bytes (Content-Length).`,
    });
  }

  /**
   * End of what a request sends before `100 Continue`. Spec, 100 Continue: a client that sent an
   * `Expect:` header waits for 100 and then "MUST send the request body". When the header section
   * is complete, carries `Expect` and its Content-Length body has not all come yet, the request
   * completes with the body bytes received so far; otherwise this is `end()`.
   */
  endBeforeBody(): HttpParseResult<MessageOf<K>> {
    if (this.result || this.phase !== PHASE_BODY || !this.head.isRequest) return this.end();
    const expect = this.head.headers.some(([name]) => name.toLowerCase() === 'expect');
    if (!expect) return this.end();
    return this.complete(this.body.slice(0, this.bodyLen));
  }

  private append(chunk: Uint8Array): void {
    if (this.len === 0 && !this.owned) {
      this.buf = chunk; // borrowed until this push returns
      this.len = chunk.length;
      return;
    }
    const need = this.len + chunk.length;
    if (!this.owned || need > this.buf.length) {
      const next = new Uint8Array(Math.max(need, this.buf.length * 2, 256));
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
      this.owned = true;
    }
    this.buf.set(chunk, this.len);
    this.len = need;
  }

  private parseHead(): HttpParseResult<MessageOf<K>> {
    const head = this.head;
    const limit = Math.min(this.len, this.maxHeaderBytes);
    // A first chunk that holds the whole plain head takes the fast path; anything else (split
    // input, deviations, errors) goes through the resumable state machine.
    const fast = head.pos === 0 ? scanHeadFast(head.isRequest, this.buf, limit) : null;
    if (fast) head.adopt(fast);
    else head.run(this.buf, limit);
    if (head.error) return this.fail(head.error);
    if (!head.done) {
      if (this.len > this.maxHeaderBytes) {
        return this.fail({
          code: 'HEADERS_TOO_LARGE',
          offset: this.maxHeaderBytes,
          state: head.stateName,
          expected: `the end of the header section within ${this.maxHeaderBytes} bytes`,
          message: `The header section is longer than ${this.maxHeaderBytes} bytes.`,
        });
      }
      if (!this.owned) {
        // Keep a private copy: the caller may reuse its chunk before the next push.
        this.buf = this.buf.slice(0, this.len);
        this.owned = true;
      }
      return { status: 'incomplete', offset: this.len, expected: head.expected };
    }
    const length = messageFraming(head, this.maxBodyBytes);
    if (typeof length !== 'number') return this.fail(length);
    if (length === 0) return this.complete(EMPTY);
    const rest = this.buf.subarray(head.headerBytes, this.len);
    this.buf = EMPTY;
    this.len = 0;
    if (length === -1) {
      this.phase = PHASE_BODY_TO_END;
      return this.appendBodyToEnd(rest);
    }
    this.phase = PHASE_BODY;
    this.bodyWant = length;
    this.body = new Uint8Array(length);
    this.bodyLen = Math.min(length, rest.length);
    this.body.set(rest.subarray(0, this.bodyLen));
    return this.afterBody();
  }

  private afterBody(): HttpParseResult<MessageOf<K>> {
    if (this.bodyLen === this.bodyWant) return this.complete(this.body);
    return {
      status: 'incomplete',
      offset: this.head.headerBytes + this.bodyLen,
      expected: this.bodyExpected(),
    };
  }

  private bodyExpected(): string {
    return `${this.bodyWant - this.bodyLen} more body bytes (Content-Length: ${this.bodyWant})`;
  }

  private appendBodyToEnd(chunk: Uint8Array): HttpParseResult<MessageOf<K>> {
    const need = this.bodyLen + chunk.length;
    if (need > this.maxBodyBytes) {
      return this.fail({
        code: 'BODY_TOO_LARGE',
        offset: this.head.headerBytes + this.maxBodyBytes,
        state: 'BODY_TO_END',
        expected: `a body of at most ${this.maxBodyBytes} bytes`,
        message: `The body (no Content-Length) is longer than ${this.maxBodyBytes} bytes.`,
      });
    }
    if (need > this.body.length) {
      const next = new Uint8Array(Math.min(Math.max(need, this.body.length * 2, 256), this.maxBodyBytes));
      next.set(this.body.subarray(0, this.bodyLen));
      this.body = next;
    }
    this.body.set(chunk, this.bodyLen);
    this.bodyLen = need;
    return {
      status: 'incomplete',
      offset: this.head.headerBytes + this.bodyLen,
      expected: 'body bytes until the end of the message (no Content-Length)',
    };
  }

  private complete(body: Uint8Array): HttpParseResult<MessageOf<K>> {
    const h = this.head;
    const message = buildMessage(h, body);
    this.release();
    this.result = {
      status: 'complete',
      message: message as MessageOf<K>,
      consumed: h.headerBytes + body.length,
    };
    return this.result;
  }

  private fail(error: HttpParseError): HttpParseResult<MessageOf<K>> {
    this.release();
    this.result = { status: 'error', error };
    return this.result;
  }

  private release(): void {
    this.buf = EMPTY;
    this.len = 0;
    this.body = EMPTY;
  }
}
