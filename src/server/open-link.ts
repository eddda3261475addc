/**
 * The reference server's side of a completed KHP connection: echoes application messages and
 * speaks the granted application-class extensions (guide, "Application-class extensions"):
 * - `x-kaazing-ping-pong; 01010102`: text messages starting with the prefix are control frames
 *   (ping = prefix + 09 00, pong = prefix + 0A 00); a message of exactly the prefix escapes the
 *   next one, which is data even if it starts with the prefix.
 * - `x-kaazing-idle-timeout; timeout=<ms>`: the server keeps the link alive with a ping (extended
 *   when ping-pong was granted, standard otherwise) at half the timeout.
 */
import { utf8Decode } from '../protocol/bytes';
import {
  PING_PONG_PREFIX_HEX,
  controlKind,
  extendedPing,
  extendedPong,
  prefixBytes,
} from '../protocol/control-frames';

/** The prefix the server grants with ping-pong (session.ts). */
const PREFIX = prefixBytes(PING_PONG_PREFIX_HEX)!;

export interface OpenLinkOptions {
  pingPong: boolean;
  /** Granted idle timeout, 0 when not granted. */
  idleTimeoutMs: number;
  /** Sends a standard WebSocket ping. */
  ping: () => void;
}

/** Echo and keep-alive after completion. */
export class OpenLink {
  private escaped = false;
  private stopped = false;

  constructor(
    private readonly send: (data: Uint8Array | string, binary: boolean) => void,
    private readonly later: (ms: number, fn: () => void) => void,
    private readonly options: OpenLinkOptions,
  ) {
    if (options.idleTimeoutMs > 0) this.scheduleKeepAlive();
  }

  private scheduleKeepAlive(): void {
    this.later(Math.max(100, Math.floor(this.options.idleTimeoutMs / 2)), () => {
      if (this.stopped) return;
      if (this.options.pingPong) this.send(utf8Decode(extendedPing(PREFIX)), false);
      else this.options.ping();
      this.scheduleKeepAlive();
    });
  }

  /** Stops the keep-alive. */
  stop(): void {
    this.stopped = true;
  }

  /** Handles one message from the client. */
  receive(bytes: Uint8Array, binary: boolean): void {
    const kind = this.options.pingPong && !binary && !this.escaped ? controlKind(bytes, PREFIX) : null;
    if (kind !== null) {
      if (kind === 'escape') this.escaped = true;
      else if (kind === 'ping') this.send(utf8Decode(extendedPong(PREFIX)), false);
      return; // pongs and unknown control frames are consumed
    }
    this.escaped = false;
    this.echo(bytes, binary);
  }

  private echo(bytes: Uint8Array, binary: boolean): void {
    if (binary) {
      this.send(bytes, true);
      return;
    }
    // Text data that starts with the control prefix must be escaped, or the client reads it as a
    // control frame. Binary frames are never escaped.
    if (this.options.pingPong && controlKind(bytes, PREFIX) !== null) this.send(utf8Decode(PREFIX), false);
    this.send(utf8Decode(bytes), false);
  }
}
