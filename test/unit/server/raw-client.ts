/**
 * A raw `ws` client for the server tests: it knows nothing of KHP (requests are written by hand,
 * frames are kept as received) so the server and the project's client check each other.
 */
import WebSocket from 'ws';

export interface RawFrame {
  data: Buffer;
  binary: boolean;
}

export const N_BYTES = Buffer.from([0xef, 0x83, 0xbf, 0x4e]);
export const PING_TEXT = '\x01\x01\x01\x02\x09\x00';
export const PONG_TEXT = '\x01\x01\x01\x02\x0a\x00';

/** One raw socket with every frame, ping and the close recorded. */
export class RawClient {
  readonly frames: RawFrame[] = [];
  pings = 0;
  closeInfo: { code: number; reason: string } | null = null;
  /** Headers of the opening handshake's response. */
  openingHeaders: Record<string, string | string[] | undefined> = {};
  private waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      this.frames.push({ data: Buffer.from(data), binary: isBinary });
      this.wake();
    });
    ws.on('ping', () => {
      this.pings++;
      this.wake();
    });
    ws.on('close', (code: number, reason: Buffer) => {
      this.closeInfo = { code, reason: reason.toString() };
      this.wake();
    });
    ws.on('error', () => undefined);
    ws.on('upgrade', (res) => {
      this.openingHeaders = res.headers;
    });
  }

  /** Opens `url` offering `protocols` (default x-kaazing-handshake); resolves once open. */
  static open(
    url: string,
    protocols: string[] = ['x-kaazing-handshake'],
    options: WebSocket.ClientOptions = { perMessageDeflate: false },
  ): Promise<RawClient> {
    const ws = new WebSocket(url, protocols, options);
    const client = new RawClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const fn of w) fn();
  }

  /** Waits until `cond` holds (re-checked on every frame, ping and close). */
  until(cond: () => boolean, what: string, ms = 3000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
      const check = () => {
        if (cond()) {
          clearTimeout(timer);
          resolve();
        } else this.waiters.push(check);
      };
      check();
    });
  }

  /** The frame at `index`, once received. */
  async frame(index: number): Promise<RawFrame> {
    await this.until(() => this.frames.length > index, `frame ${index}`);
    return this.frames[index]!;
  }

  /** Resolves with the close code and reason. */
  async closed(ms = 3000): Promise<{ code: number; reason: string }> {
    await this.until(() => this.closeInfo !== null, 'close', ms);
    return this.closeInfo!;
  }

  send(data: string | Buffer, binary = typeof data !== 'string'): void {
    this.ws.send(data, { binary });
  }

  text(index: number): string {
    return this.frames[index]?.data.toString('utf8') ?? '';
  }

  terminate(): void {
    this.ws.terminate();
  }
}

/** A hand-written extended request. */
export function request(target: string, headers: string[] = []): string {
  return [`GET ${target} HTTP/1.1`, ...headers, '', ''].join('\r\n');
}
