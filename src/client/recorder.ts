/**
 * Records a socket the client opened as a `CapturedSocket`, the same shape the page hook produces,
 * so `khp-inspect probe` can run the decoder on exactly what was exchanged.
 */
import { base64Encode, utf8Length } from '../protocol/bytes';
import type { CapturedSocket } from '../protocol/capture';

/** Builds one `CapturedSocket` as events happen. */
export class SocketRecorder {
  readonly socket: CapturedSocket;

  constructor(
    id: string,
    url: string,
    protocols: string[],
    private readonly now: () => number,
  ) {
    this.socket = { id, url, requestedProtocols: [...protocols], createdAt: now(), frames: [] };
  }

  open(protocol: string, extensions: string): void {
    this.socket.openedAt = this.now();
    this.socket.protocol = protocol;
    this.socket.extensions = extensions;
  }

  /** Records a message; `data` is the text of a text frame or the bytes of a binary frame. */
  frame(dir: 'send' | 'receive', data: string | Uint8Array): void {
    const time = this.now();
    if (typeof data === 'string') {
      this.socket.frames.push({ dir, time, opcode: 1, data, size: utf8Length(data) });
    } else {
      this.socket.frames.push({ dir, time, opcode: 2, data: base64Encode(data), size: data.length });
    }
  }

  close(code: number, reason: string, wasClean: boolean): void {
    this.socket.close ??= { time: this.now(), code, reason, wasClean };
  }

  error(message?: string): void {
    this.socket.error ??= message === undefined ? { time: this.now() } : { time: this.now(), message };
  }
}
