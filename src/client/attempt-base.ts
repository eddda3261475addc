/**
 * The socket plumbing under one KHP attempt: sending and recording, closing with a code browsers
 * accept, one timer, and settling the outcome once the socket has finished closing.
 */
import { concatBytes } from '../protocol/bytes';
import type { KhpConnection, CloseDetails } from './connection';
import type { KhpErrorCode } from './errors';
import type { SocketRecorder } from './recorder';
import type { KhpClientOptions, KhpEvents, WebSocketLike } from './types';

/** How one socket ended. */
export type AttemptResult =
  | { type: 'completed'; connection: KhpConnection }
  | { type: 'redirect'; status: number; location: string }
  | { type: 'balancer'; url: string }
  | { type: 'failed'; code: KhpErrorCode; message: string; status?: number };

/** What an attempt needs from the client. */
export interface AttemptContext {
  options: Required<Omit<KhpClientOptions, 'credentials' | 'url' | 'WebSocket' | 'now'>> &
    Pick<KhpClientOptions, 'credentials' | 'WebSocket'>;
  emit<K extends keyof KhpEvents>(type: K, payload: KhpEvents[K]): void;
  record(url: string, protocols: string[]): SocketRecorder;
}

const CLOSE_WAIT_MS = 1000;

/** Socket, recorder, timer and outcome of one attempt. */
export abstract class AttemptBase {
  protected ws: WebSocketLike | null = null;
  protected recorder: SocketRecorder | null = null;
  protected result: AttemptResult | null = null;
  protected settle: ((r: AttemptResult) => void) | null = null;
  protected closedInfo: CloseDetails | null = null;
  protected onClosed: (() => void) | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  protected transmit(data: string | Uint8Array): void {
    if (!this.isOpen()) return;
    this.recorder?.frame('send', data);
    this.ws?.send(data);
  }

  protected isOpen(): boolean {
    return this.ws !== null && this.ws.readyState === 1;
  }

  /** Closes the socket; a browser refuses codes other than 1000 and 3000-4999, then 1000 is used. */
  protected closeSocket(code: number, reason: string): void {
    const ws = this.ws;
    if (!ws || ws.readyState > 1) return;
    const short = reason.length > 120 ? reason.slice(0, 120) : reason;
    try {
      ws.close(code, short);
    } catch {
      try {
        ws.close(1000, short);
      } catch {
        // already closing
      }
    }
  }

  /** Settles the attempt; a socket that is closing is given a moment to finish its close handshake. */
  protected settleWith(result: AttemptResult): void {
    if (this.result) return;
    this.result = result;
    this.clearTimer();
    const settle = this.settle;
    if (!settle) return;
    if (result.type === 'completed' || this.closedInfo || !this.ws || this.ws.readyState === 3) {
      settle(result);
      return;
    }
    const t = setTimeout(() => settle(result), CLOSE_WAIT_MS);
    this.onClosed = () => {
      clearTimeout(t);
      settle(result);
    };
  }

  protected startTimer(ms: number, fn: () => void): void {
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      fn();
    }, ms);
  }

  protected clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

/** The bytes of a message event's data (ArrayBuffer, a view, or ws fragments). */
export function toBytes(data: unknown): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (Array.isArray(data)) return concatBytes(data.filter((d): d is Uint8Array => d instanceof Uint8Array));
  return new Uint8Array(0);
}
