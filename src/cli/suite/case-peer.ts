/**
 * The server side of one client-role case as it runs (`CasePeer` over the reference server's `ws`
 * sockets): the client's sockets for the case, one at a time, each recorded as the client saw it
 * (what the client sent is `send`) and read as it grows by the project's incremental decoder.
 */
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { SocketRecorder } from '../../client/recorder';
import { ConnectionDecoder } from '../../protocol/decoder';
import { terminatorFollows, terminatorPayload } from '../../protocol/khp';
import type { Connection } from '../../protocol/model';
import type { CasePeer, Observation, ServedResponse } from '../../protocol/suite/types';
import { buildResponse, splitBytes } from '../../server/responses';
import { Waits } from './waits';

const now = (): number => performance.timeOrigin + performance.now();

/** One socket of the case. */
interface Served {
  ws: WebSocket;
  recorder: SocketRecorder;
  decoder: ConnectionDecoder;
  index: number;
  closed: boolean;
}

/** The message event's data as bytes. */
function bytesOf(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Serves the sockets of one case until `deadline` (epoch ms), and keeps what they observed. */
export class CasePeerRun implements CasePeer {
  readonly obs: Observation = { sockets: [], closedBy: [], pings: [], timedOut: false };
  private current: Served | null = null;
  private readonly waiting: Served[] = [];
  private readonly all: Served[] = [];
  private readonly waits = new Waits();

  constructor(
    private readonly caseId: string,
    /** `ws://host:port`, the base of the case's URLs. */
    private readonly base: string,
    /** The query every URL of the case carries (`agent=...`). */
    private readonly query: string,
    readonly config: { quietMs: number },
    private readonly deadline: number,
  ) {}

  /** A socket of the case opened (the first becomes current, later ones wait for `accept`). */
  add(ws: WebSocket, req: IncomingMessage): void {
    const url = `${this.base}${req.url ?? '/'}`;
    const offered = String(req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    const index = this.obs.sockets.length;
    const recorder = new SocketRecorder(`${this.caseId}#${index + 1}`, url, offered, now);
    const decoder = new ConnectionDecoder({
      id: recorder.socket.id,
      url,
      requestedProtocols: offered,
      createdAt: recorder.socket.createdAt,
    });
    recorder.open(ws.protocol, ws.extensions);
    decoder.open(recorder.socket.openedAt!, ws.protocol, ws.extensions);
    this.obs.sockets.push(recorder.socket);
    this.obs.closedBy.push('none');
    this.obs.pings.push(0);
    const served: Served = { ws, recorder, decoder, index, closed: false };
    this.all.push(served);
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      recorder.frame('send', isBinary ? bytesOf(data) : data.toString('utf8'));
      decoder.frame(recorder.socket.frames.at(-1)!);
      this.wake();
    });
    ws.on('close', (code: number, reason: Buffer) => {
      served.closed = true;
      if (this.obs.closedBy[index] === 'none') this.obs.closedBy[index] = 'client';
      recorder.close(code, reason.toString('utf8'), code !== 1006);
      decoder.close(recorder.socket.close!);
      this.wake();
    });
    if (this.current === null) this.current = served;
    else this.waiting.push(served);
    this.wake();
  }

  async accept(ms = Infinity): Promise<boolean> {
    const got = await this.wait(() => this.waiting.length > 0, ms);
    if (got) this.current = this.waiting.shift()!;
    return got;
  }

  async request(): Promise<Connection | null> {
    const cur = this.need();
    const asked = (c: Connection): number => c.rounds.filter((r) => r.request !== null).length;
    const before = asked(cur.decoder.snapshot());
    const got = await this.until((c) => asked(c) > before, Infinity);
    return got ? this.decoded() : null;
  }

  respond(r: ServedResponse): void {
    const cur = this.need();
    const headers: [string, string][] =
      r.status === 101
        ? [['Upgrade', 'websocket'], ['Connection', 'Upgrade'], ...(r.headers ?? [])]
        : (r.headers ?? []);
    const bytes = buildResponse({ status: r.status, headers, extensions: r.extensions ?? [] }, 'spec');
    for (const part of splitBytes(bytes, r.parts ?? 1)) this.send(part);
    // Spec, close conditions: the response ends with an empty WebSocket binary frame; gateways send
    // it on `.kl=Y` sockets (guide, "The empty-frame terminator").
    const terminator = r.terminator ?? (terminatorFollows(cur.recorder.socket.url) ? 'binary' : 'none');
    if (terminator === 'binary') this.send(terminatorPayload());
    else if (terminator === 'text') this.send('');
  }

  send(data: string | Uint8Array): void {
    const cur = this.need();
    if (cur.closed || cur.ws.readyState !== cur.ws.OPEN) return;
    cur.recorder.frame('receive', data);
    cur.decoder.frame(cur.recorder.socket.frames.at(-1)!);
    cur.ws.send(data, { binary: typeof data !== 'string' });
  }

  async listen(ms = this.config.quietMs): Promise<void> {
    await this.until(() => false, ms);
  }

  until(test: (conn: Connection) => boolean, ms: number): Promise<boolean> {
    const cur = this.need();
    return this.wait(() => test(cur.decoder.snapshot()) || (cur.closed ? null : false), ms);
  }

  async awaitClose(): Promise<void> {
    await this.until(() => false, Infinity);
  }

  async close(code: number, reason = ''): Promise<void> {
    const cur = this.current;
    if (!cur || cur.closed) return;
    if (cur.ws.readyState === cur.ws.OPEN) {
      if (this.obs.closedBy[cur.index] === 'none') this.obs.closedBy[cur.index] = 'server';
      cur.ws.close(code, reason);
    }
    await this.until(() => false, Infinity);
  }

  url(path: string, options: { http?: boolean; kl?: boolean } = {}): string {
    const base = options.http ? this.base.replace(/^ws/, 'http') : this.base;
    const query = options.kl ? `${this.query}&.kl=Y` : this.query;
    return `${base}/case/${this.caseId}${path ? `/${path}` : ''}?${query}`;
  }

  decoded(): Connection {
    return this.need().decoder.snapshot();
  }

  /** Ends the case: sockets still open are closed 1000 by the server, or cut when time is up. */
  async finish(): Promise<void> {
    for (const s of this.all) {
      if (s.closed || now() >= this.deadline) continue;
      this.current = s;
      await this.close(1000, 'khp-suite case done');
    }
    this.cut(false);
  }

  /** Time is up (or the case is over): every wait ends and open sockets are cut. */
  cut(timedOut = true): void {
    for (const s of this.all) {
      if (s.closed) continue;
      this.obs.closedBy[s.index] = 'timeout';
      if (timedOut) this.obs.timedOut = true;
      s.ws.terminate();
    }
    this.waits.endAll();
  }

  /** Resolves once every socket has reported its close (at most `ms` later). */
  async settled(ms = 1000): Promise<void> {
    await this.wait(() => this.all.every((s) => s.closed), ms);
  }

  /** `Waits.wait`, bounded by the case's deadline. */
  private wait(test: () => boolean | null, ms: number): Promise<boolean> {
    return this.waits.wait(test, Math.min(ms, this.deadline - now()));
  }

  private wake(): void {
    this.waits.wake();
  }

  private need(): Served {
    if (!this.current) throw new Error('no socket yet');
    return this.current;
  }
}
