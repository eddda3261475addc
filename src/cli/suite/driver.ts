/**
 * The suite's `Driver` over Node's `ws`: real sockets, one at a time, each recorded as a
 * `CapturedSocket` (the wire log: every message both ways, with its time) and read as it grows by
 * the project's incremental decoder, which is what a case's waits look at.
 */
import WebSocket from 'ws';
import { SocketRecorder } from '../../client/recorder';
import { authorizationFor, buildExtendedRequest } from '../../client/request';
import { utf8Encode } from '../../protocol/bytes';
import { ConnectionDecoder } from '../../protocol/decoder';
import { KHP_PROTOCOL } from '../../protocol/khp';
import type { Connection } from '../../protocol/model';
import { answered } from '../../protocol/suite/judge';
import {
  Unavailable,
  type Driver,
  type Observation,
  type OpenOptions,
  type PathKey,
  type RequestOptions,
  type SuiteConfig,
} from '../../protocol/suite/types';
import { hasKl, originTarget, withKl } from '../../protocol/urls';
import { Waits } from './waits';

const now = (): number => performance.timeOrigin + performance.now();

/** The socket being driven. */
interface Current {
  ws: WebSocket;
  recorder: SocketRecorder;
  decoder: ConnectionDecoder;
  index: number;
  openingUrl: string;
  closed: boolean;
}

/** Drives the sockets of one case until `deadline` (epoch ms), and keeps what they observed. */
export class NodeDriver implements Driver {
  readonly obs: Observation = { sockets: [], closedBy: [], pings: [], timedOut: false };
  private current: Current | null = null;
  private readonly waits = new Waits();

  constructor(
    private readonly caseId: string,
    private readonly mainUrl: string,
    readonly config: SuiteConfig,
    private readonly deadline: number,
  ) {}

  /** The URL of a configured path (relative paths resolve against the main URL). */
  resolve(key: PathKey, code?: number): string {
    if (key === 'main') return this.mainUrl;
    const path = this.config.paths[key];
    if (path === null)
      throw new Unavailable(`no ${key} path configured ("paths": {"${key}": ...} in the config)`);
    return new URL(path.replace('{code}', String(code ?? '')), this.mainUrl).href;
  }

  async open(
    to: { key: PathKey; code?: number } | { url: string },
    options: OpenOptions = {},
  ): Promise<boolean> {
    const base = 'url' in to ? to.url : this.resolve(to.key, to.code);
    await this.finish();
    const url = options.kl === false ? base : withKl(base);
    const protocols = options.protocols ?? [KHP_PROTOCOL];
    const index = this.obs.sockets.length;
    const recorder = new SocketRecorder(`${this.caseId}#${index + 1}`, url, protocols, now);
    const decoder = new ConnectionDecoder({
      id: recorder.socket.id,
      url,
      requestedProtocols: protocols,
      createdAt: recorder.socket.createdAt,
    });
    this.obs.sockets.push(recorder.socket);
    this.obs.closedBy.push('none');
    this.obs.pings.push(0);
    let ws: WebSocket;
    try {
      ws = new WebSocket(url, protocols, {
        perMessageDeflate: options.deflate === true,
        handshakeTimeout: Math.max(1, this.deadline - now()),
      });
    } catch (err) {
      this.obs.error = `cannot open ${url}: ${(err as Error).message}`;
      recorder.error(this.obs.error);
      decoder.error(now(), this.obs.error);
      return false;
    }
    const cur: Current = { ws, recorder, decoder, index, openingUrl: url, closed: false };
    this.current = cur;
    return new Promise<boolean>((resolve) => {
      ws.on('open', () => {
        recorder.open(ws.protocol, ws.extensions);
        decoder.open(recorder.socket.openedAt!, ws.protocol, ws.extensions);
        resolve(true);
      });
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        recorder.frame('receive', isBinary ? new Uint8Array(data) : data.toString('utf8'));
        decoder.frame(recorder.socket.frames.at(-1)!);
        this.wake();
      });
      ws.on('ping', () => {
        this.obs.pings[index] = (this.obs.pings[index] ?? 0) + 1;
      });
      ws.on('error', (err: Error) => {
        if (recorder.socket.openedAt === undefined) this.obs.error ??= err.message;
        recorder.error(err.message);
        decoder.error(now(), err.message);
      });
      ws.on('close', (code: number, reason: Buffer) => {
        cur.closed = true;
        if (this.obs.closedBy[index] === 'none') this.obs.closedBy[index] = 'server';
        const wasClean = code !== 1006;
        recorder.close(code, reason.toString('utf8'), wasClean);
        decoder.close(recorder.socket.close!);
        resolve(false);
        this.wake();
      });
    });
  }

  request(parts: RequestOptions = {}): void {
    const cur = this.need();
    const text = buildExtendedRequest({
      target: parts.target ?? originTarget(cur.openingUrl),
      protocols: parts.protocols ?? [],
      extensions: parts.extensions ?? [],
      headers: parts.headers ?? [],
      ...(parts.auth ? { authorization: this.authorization(parts.auth) } : {}),
    });
    this.send(parts.binary ? utf8Encode(text) : text);
  }

  private authorization(auth: NonNullable<RequestOptions['auth']>): string {
    const { user, token } = this.config;
    if (auth === 'basic') {
      if (!user) throw new Unavailable('no Basic credentials given');
      return authorizationFor({ user: user.name, password: user.password });
    }
    if (auth === 'token') {
      if (token === null) throw new Unavailable('no token given');
      return authorizationFor({ token });
    }
    if (auth === 'wrong-token') return authorizationFor({ token: 'khp-suite-wrong-token' });
    return authorizationFor({ user: user?.name ?? 'khp-suite', password: 'khp-suite-wrong-password' });
  }

  send(data: string | Uint8Array): void {
    const cur = this.need();
    if (cur.closed || cur.ws.readyState !== WebSocket.OPEN) return;
    cur.recorder.frame('send', data);
    cur.decoder.frame(cur.recorder.socket.frames.at(-1)!);
    cur.ws.send(data, { binary: typeof data !== 'string' });
  }

  async response(): Promise<Connection | null> {
    const cur = this.need();
    const before = answered(cur.decoder.snapshot()).length;
    const got = await this.until((c) => answered(c).length > before, Infinity);
    if (!got) return cur.closed ? null : this.decoded();
    // Guide: on `.kl=Y` sockets an empty message follows each response; give it a moment.
    if (hasKl(cur.openingUrl)) {
      await this.until((c) => answered(c)[before]?.response.terminator !== 'none', this.config.quietMs);
    }
    return this.decoded();
  }

  async listen(ms = this.config.quietMs): Promise<void> {
    await this.until(() => false, ms);
  }

  until(test: (conn: Connection) => boolean, ms: number): Promise<boolean> {
    const cur = this.need();
    const limit = Math.min(ms, this.deadline - now());
    return this.waits.wait(() => test(cur.decoder.snapshot()) || (cur.closed ? null : false), limit);
  }

  async awaitClose(): Promise<void> {
    await this.until(() => false, Infinity);
  }

  async close(code: number, reason = ''): Promise<void> {
    const cur = this.current;
    if (!cur || cur.closed) return;
    // CLOSING before the client closes means the server's Close frame already came: the server
    // started the close (ws answers it by itself), whatever the 'close' event has not said yet.
    if (cur.ws.readyState === WebSocket.OPEN) {
      if (this.obs.closedBy[cur.index] === 'none') this.obs.closedBy[cur.index] = 'client';
      cur.ws.close(code, reason);
    } else if (cur.ws.readyState === WebSocket.CONNECTING) {
      this.obs.closedBy[cur.index] = 'client';
      cur.ws.terminate();
    }
    await this.until(() => false, Infinity);
  }

  decoded(): Connection {
    return this.need().decoder.snapshot();
  }

  /** Ends the case: a socket still open is closed 1000 by the client, or cut when time is up. */
  async finish(): Promise<void> {
    const cur = this.current;
    if (!cur || cur.closed) return;
    if (now() < this.deadline) await this.close(1000, 'khp-suite case done');
    if (!cur.closed) this.cut();
  }

  /** Time is up: every wait ends and the socket is cut (close 1006, not clean). */
  cut(): void {
    const cur = this.current;
    if (!cur || cur.closed) return;
    this.obs.closedBy[cur.index] = 'timeout';
    this.obs.timedOut = true;
    cur.ws.terminate();
    this.waits.endAll();
  }

  /** Resolves once the current socket has reported its close (at most `ms` later). */
  async settled(ms = 1000): Promise<void> {
    const cur = this.current;
    if (!cur || cur.closed) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        cur!.ws.off('close', done);
        resolve();
      }
      cur.ws.once('close', done);
    });
  }

  private wake(): void {
    this.waits.wake();
  }

  private need(): Current {
    if (!this.current) throw new Error('open() first');
    return this.current;
  }
}
