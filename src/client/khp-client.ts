/**
 * The KHP client: opens a WebSocket offering x-kaazing-handshake, performs the extended handshake
 * (401 replays, 3xx and balancer redirects), reports every step as an event, records every socket
 * as a `CapturedSocket`, and resolves to the completed connection. The WebSocket constructor is a
 * dependency, so the same code runs in the demo page (browser WebSocket) and in Node (`ws`).
 */
import type { CapturedSocket } from '../protocol/capture';
import { Attempt, type AttemptContext } from './attempt';
import type { KhpConnection } from './connection';
import { KhpError, type KhpErrorCode, type KhpStep } from './errors';
import { TypedEmitter } from './events';
import { endpointKey, redirectTarget } from '../protocol/urls';
import { SocketRecorder } from './recorder';
import type { KhpClientOptions, KhpEvents } from './types';
import { describeEvent } from './describe';

export { KhpError } from './errors';
export type { KhpErrorCode, KhpStep } from './errors';
export type { KhpConnection, CloseDetails, CompletedResponse } from './connection';
export type { Credentials } from './request';
export type * from './types';

/** The spec's example maximum: "no more than five" redirects (guide, "3xx"). */
export const DEFAULT_MAX_REDIRECTS = 5;

/** A KHP client for one connect (redirect chain included). */
export class KhpClient extends TypedEmitter<KhpEvents> {
  /** Every step so far, in order (also carried by a `KhpError`). */
  readonly steps: KhpStep[] = [];
  /** Every socket opened, recorded as the capture model has it. */
  readonly sockets: CapturedSocket[] = [];
  private readonly now: () => number;
  private current: Attempt | null = null;
  private stopped: { code: KhpErrorCode; message: string } | null = null;
  private started = false;

  constructor(private readonly options: KhpClientOptions) {
    super();
    this.now = options.now ?? Date.now;
  }

  protected override emit<K extends keyof KhpEvents>(type: K, payload: KhpEvents[K]): void {
    this.steps.push({ time: this.now(), event: String(type), text: describeEvent(type, payload) });
    super.emit(type, payload);
  }

  /** Performs the handshake; resolves to the open connection or rejects with a `KhpError`. */
  async connect(): Promise<KhpConnection> {
    if (this.started) throw new Error('connect() can be called once per client');
    this.started = true;
    const o = this.options;
    const ctx: AttemptContext = {
      options: {
        WebSocket: o.WebSocket,
        protocols: o.protocols ?? [],
        extensions: o.extensions ?? [],
        headers: o.headers ?? [],
        binary: o.binary ?? false,
        kl: o.kl ?? true,
        maxChallenges: o.maxChallenges ?? 3,
        followRedirects: o.followRedirects ?? true,
        maxRedirects: o.maxRedirects ?? DEFAULT_MAX_REDIRECTS,
        timeoutMs: o.timeoutMs ?? 10_000,
        terminatorWaitMs: o.terminatorWaitMs ?? 1_000,
        balancerWaitMs: o.balancerWaitMs ?? 1_000,
        requireTerminator: o.requireTerminator ?? false,
        enforceIdleTimeout: o.enforceIdleTimeout ?? true,
        ...(o.credentials ? { credentials: o.credentials } : {}),
      },
      emit: (type, payload) => this.emit(type, payload),
      record: (url, protocols) => {
        const rec = new SocketRecorder(`client:${this.sockets.length + 1}`, url, protocols, this.now);
        this.sockets.push(rec.socket);
        return rec;
      },
    };
    const timer = setTimeout(
      () => this.stop('timeout', `no completed handshake within ${ctx.options.timeoutMs} ms`),
      ctx.options.timeoutMs,
    );
    try {
      return await this.chain(ctx);
    } catch (err) {
      const error =
        err instanceof KhpError ? err : new KhpError('connect-failed', String(err), [...this.steps]);
      this.emit('failed', { error });
      throw new KhpError(error.code, error.message, [...this.steps], error.status);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops a connect in progress; it rejects with `aborted`. */
  abort(message = 'aborted'): void {
    this.stop('aborted', message);
  }

  private stop(code: KhpErrorCode, message: string): void {
    if (this.stopped) return;
    this.stopped = { code, message };
    this.current?.abort(code, message);
  }

  private async chain(ctx: AttemptContext): Promise<KhpConnection> {
    let url = this.firstUrl();
    const visited = new Set([endpointKey(url)]);
    let redirects = 0;
    for (let index = 1; ; index++) {
      this.throwIfStopped();
      const attempt = new Attempt(ctx, url, index);
      this.current = attempt;
      const result = await attempt.run();
      this.current = null;
      if (result.type !== 'completed') this.throwIfStopped();
      if (result.type === 'completed') {
        const c = result.connection;
        this.emit('completed', {
          url: c.url,
          status: c.response.status,
          protocol: c.protocol,
          extensions: c.extensions,
        });
        return c;
      }
      if (result.type === 'failed') throw new KhpError(result.code, result.message, [], result.status);
      const status = result.type === 'redirect' ? result.status : 'balancer';
      const target = result.type === 'redirect' ? result.location : result.url;
      // Guide, "3xx": map http/https to ws/wss; a relative Location is resolved against the socket URL.
      const next = redirectTarget(target, url);
      if (next === null) {
        throw new KhpError('bad-response', `cannot follow the redirect to '${target}': not a ws or http URL`);
      }
      if (!ctx.options.followRedirects) {
        throw new KhpError('redirect-not-followed', `redirected (${status}) to ${next}; not following`);
      }
      // Spec, "302": the client is responsible for detecting redirect loops to matching resources
      // and makes no more than a fixed maximum number of reconnect attempts.
      if (visited.has(endpointKey(next))) {
        throw new KhpError('redirect-loop', `redirect loop: ${next} was already visited`);
      }
      redirects++;
      if (redirects > ctx.options.maxRedirects) {
        throw new KhpError(
          'too-many-redirects',
          `more than ${ctx.options.maxRedirects} redirects (next: ${next})`,
        );
      }
      visited.add(endpointKey(next));
      this.emit('redirect', { from: url, to: next, status });
      url = next;
    }
  }

  private throwIfStopped(): void {
    const stopped = this.stopped;
    if (stopped) throw new KhpError(stopped.code, stopped.message);
  }

  private firstUrl(): string {
    let u: URL;
    try {
      u = new URL(this.options.url);
    } catch {
      throw new KhpError('connect-failed', `not a URL: '${this.options.url}'`);
    }
    const ws = redirectTarget(u.href, u.href);
    if (ws === null) throw new KhpError('connect-failed', `not a ws:// or wss:// URL: '${this.options.url}'`);
    return ws;
  }
}
