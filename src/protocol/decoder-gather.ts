/**
 * Gathers the WebSocket messages that carry one HTTP message of the extended handshake and feeds
 * them to the incremental HTTP/1.1 parser. The spec allows a response split over several messages;
 * real clients gather non-empty messages until the empty terminator (guide, "Extended handshake
 * response"). Memory is capped: bytes past `cap` are never kept nor parsed.
 */
import { utf8Decode } from './bytes';
import { Http1Parser } from './http1';
import type { HttpParseResult, MessageOf } from './http1';

/** Default cap on the bytes gathered for one HTTP message (1 MiB). */
export const DEFAULT_MAX_HANDSHAKE_BYTES = 1024 * 1024;

/** The state of one gathered message after the last push. */
export type GatherResult<K extends 'request' | 'response'> =
  HttpParseResult<MessageOf<K>> | { status: 'too-large'; gathered: number; attempted: number };

/** One HTTP message being gathered from WebSocket messages. */
export class MessageGatherer<K extends 'request' | 'response'> {
  readonly frames: number[] = [];
  binary = false;
  /** Time of the first message. */
  time = 0;
  private readonly parser: Http1Parser<K>;
  private readonly chunks: Uint8Array[] = [];
  private bytes = 0;
  private last: GatherResult<K> | null = null;

  constructor(
    readonly kind: K,
    private readonly cap: number,
  ) {
    this.parser = new Http1Parser(kind, { tolerant: true, maxHeaderBytes: cap, maxBodyBytes: cap });
  }

  /** Bytes kept so far (never above the cap). */
  get gathered(): number {
    return this.bytes;
  }

  /** The last result, or null before the first push. */
  get result(): GatherResult<K> | null {
    return this.last;
  }

  /** True once the message is complete, broken or over the cap: no more bytes are taken. */
  get finished(): boolean {
    return this.last !== null && this.last.status !== 'incomplete';
  }

  /** The header section is complete and the body has no length of its own (see `Http1Parser.readsToEnd`). */
  get readsToEnd(): boolean {
    return !this.finished && this.parser.readsToEnd;
  }

  /** Adds one WebSocket message's payload. */
  push(payload: Uint8Array, frame: number, time: number, binary: boolean): GatherResult<K> {
    if (this.frames.length === 0) {
      this.time = time;
      this.binary = binary;
    }
    this.frames.push(frame);
    if (this.finished) return this.last!;
    if (this.bytes + payload.length > this.cap) {
      this.last = { status: 'too-large', gathered: this.bytes, attempted: this.bytes + payload.length };
      return this.last;
    }
    this.chunks.push(payload);
    this.bytes += payload.length;
    this.last = this.parser.push(payload);
    return this.last;
  }

  /**
   * End of the message (terminator, the peer's next message, or close): finish parsing. With
   * `beforeBody` (the server answered), a request with `Expect` may end before its body.
   */
  end(options: { beforeBody?: boolean } = {}): GatherResult<K> {
    if (this.last && this.last.status !== 'incomplete') return this.last;
    this.last = options.beforeBody ? this.parser.endBeforeBody() : this.parser.end();
    return this.last;
  }

  /** The gathered payload as text (UTF-8, lossy). */
  rawText(): string {
    if (this.chunks.length === 1) return utf8Decode(this.chunks[0]!);
    const all = new Uint8Array(this.bytes);
    let at = 0;
    for (const c of this.chunks) {
      all.set(c, at);
      at += c.length;
    }
    return utf8Decode(all);
  }
}
