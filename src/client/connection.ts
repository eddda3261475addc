/**
 * A completed KHP connection: application data in both directions, plus the granted
 * application-class extensions (guide, "Application-class extensions"; the rules: control-frames.ts):
 * - `x-kaazing-ping-pong`: text messages starting with the granted 4-byte prefix are control frames; an
 *   extended ping (prefix + 09 00) is answered with a pong (prefix + 0A 00); a message of exactly
 *   the prefix escapes the next one; text data starting with the prefix is escaped when sent.
 * - `x-kaazing-idle-timeout; timeout=<ms>`: the client closes after `<ms>` with nothing received.
 *   Enforced only when ping-pong was granted too: a browser cannot see standard pings, so without
 *   extended pings a quiet but healthy link would look idle.
 */
import { utf8Decode } from '../protocol/bytes';
import {
  PING_PONG_EXTENSION,
  controlKind,
  extendedPong,
  grantedIdleTimeoutMs,
  grantedPrefix,
} from '../protocol/control-frames';
import { parseExtensionsHeader } from '../protocol/extensions';

/** How a socket closed. */
export interface CloseDetails {
  code: number;
  reason: string;
  wasClean: boolean;
}

/** What the connection needs from the socket that carries it. */
export interface ConnectionSocket {
  send(data: string | Uint8Array): void;
  close(code: number, reason: string): void;
  isOpen(): boolean;
}

/** The hooks the connection reports through (the client's events). */
export interface ConnectionHooks {
  message(data: string | Uint8Array, binary: boolean): void;
  ping(answered: boolean): void;
}

/** Summary of the completing response. */
export interface CompletedResponse {
  status: number;
  reason: string;
  headers: [string, string][];
  terminator: 'empty-frame' | 'message-end' | 'none';
}

/** A KHP connection after the extended handshake completed. */
export class KhpConnection {
  /** Resolves when the socket closes. */
  readonly closed: Promise<CloseDetails>;
  private resolveClosed!: (details: CloseDetails) => void;
  private escaped = false;
  /** The control prefix granted with ping-pong (as text and bytes), or null when it was not granted. */
  private readonly prefix: Uint8Array | null;
  private readonly prefixText: string;
  private readonly idleMs: number;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private isClosed = false;

  constructor(
    /** The ws URL the connection completed on (after redirects). */
    readonly url: string,
    /** The application protocol the server chose ('' when none). */
    readonly protocol: string,
    /** Granted extensions as the response wrote them (`name; params`). */
    readonly extensions: string[],
    readonly response: CompletedResponse,
    private readonly socket: ConnectionSocket,
    private readonly hooks: ConnectionHooks,
    enforceIdleTimeout = true,
  ) {
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    const granted = parseExtensionsHeader(extensions);
    this.prefix = grantedPrefix(granted, PING_PONG_EXTENSION);
    this.prefixText = this.prefix ? utf8Decode(this.prefix) : '';
    const ms = grantedIdleTimeoutMs(granted);
    this.idleMs = enforceIdleTimeout && this.prefix && ms > 0 ? ms : 0;
    this.armIdle();
  }

  /** Sends application data; text starting with the ping-pong prefix is escaped first. */
  send(data: string | Uint8Array): void {
    if (!this.socket.isOpen()) throw new Error('the connection is not open');
    if (typeof data === 'string' && this.prefix && data.startsWith(this.prefixText)) {
      this.socket.send(this.prefixText);
    }
    this.socket.send(data);
  }

  /** Closes the connection (default 1000) and resolves when the socket has closed. */
  close(code = 1000, reason = ''): Promise<CloseDetails> {
    if (!this.isClosed) this.socket.close(code, reason);
    return this.closed;
  }

  /** @internal A message received after completion. */
  receive(bytes: Uint8Array, text: string | null): void {
    this.armIdle();
    const binary = text === null;
    const kind = this.prefix && !binary && !this.escaped ? controlKind(bytes, this.prefix) : null;
    if (kind !== null) {
      if (kind === 'escape') {
        this.escaped = true;
      } else if (kind === 'ping') {
        const answered = this.socket.isOpen();
        if (answered) this.socket.send(utf8Decode(extendedPong(this.prefix!)));
        this.hooks.ping(answered);
      }
      return;
    }
    this.escaped = false;
    this.hooks.message(binary ? bytes : (text ?? utf8Decode(bytes)), binary);
  }

  /** @internal The socket closed. */
  closedWith(details: CloseDetails): void {
    this.isClosed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.resolveClosed(details);
  }

  private armIdle(): void {
    if (this.idleMs <= 0 || this.isClosed) return;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.socket.isOpen()) this.socket.close(1000, 'idle timeout');
    }, this.idleMs);
  }
}
