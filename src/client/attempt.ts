/**
 * One socket of a KHP connect: opening handshake, extended request, response(s), 401 replays, and
 * the outcome (completed, redirect, balancer redirect or failure). Redirect chains are the client's
 * business (khp-client.ts).
 */
import { concatBytes, utf8Decode, utf8Encode } from '../protocol/bytes';
import { getHeader, getHeaders } from '../protocol/http1';
import type { HttpResponseMessage } from '../protocol/http1-types';
import { readStatus } from '../protocol/status-codes';
import { KhpConnection, type CloseDetails } from './connection';
import { readBalancerBytes } from '../protocol/balancer';
import { extensionNamesIn, parseExtensionsHeader } from '../protocol/extensions';
import { bodyRunsToEnd, gatherResponse } from '../protocol/gathered';
import { KHP_PROTOCOL, isTerminator, terminatorFollows } from '../protocol/khp';
import { originTarget, withKl } from '../protocol/urls';
import type { KhpErrorCode } from './errors';
import { authorizationFor, buildExtendedRequest, readChallenge } from './request';
import type { WebSocketLike } from './types';
import { AttemptBase, toBytes, type AttemptContext, type AttemptResult } from './attempt-base';

export type { AttemptContext, AttemptResult } from './attempt-base';

type State = 'connecting' | 'response' | 'terminator' | 'credentials' | 'settle' | 'open' | 'done';

/** Runs one socket until its outcome is known. */
export class Attempt extends AttemptBase {
  private state: State = 'connecting';
  private chunks: Uint8Array[] = [];
  private messages = 0;
  private parsed: HttpResponseMessage | null = null;
  private challenges = 0;
  private sawN = false;
  private swallowEmpty = false;
  private connection: KhpConnection | null = null;
  private granted: string[] = [];
  /** The opening URL carried `.kl=Y`: an empty terminator follows each response. */
  private kl = false;

  constructor(
    private readonly ctx: AttemptContext,
    /** The endpoint, without `.kl=Y`. */
    readonly url: string,
    private readonly index: number,
  ) {
    super();
  }

  /** Opens the socket and resolves with the outcome. */
  run(): Promise<AttemptResult> {
    return new Promise((resolve) => {
      this.settle = resolve;
      this.open();
    });
  }

  /** Ends the attempt from outside (timeout, abort). */
  abort(code: KhpErrorCode, message: string): void {
    this.fail(code, message, 1000);
  }

  private open(): void {
    const { options } = this.ctx;
    const openingUrl = options.kl ? withKl(this.url) : this.url;
    this.kl = terminatorFollows(openingUrl);
    // Spec, "Opening WebSocket Handshake": the client MUST include x-kaazing-handshake.
    const protocols = [KHP_PROTOCOL, ...options.protocols];
    this.ctx.emit('opening', { url: openingUrl, attempt: this.index, protocols });
    this.recorder = this.ctx.record(openingUrl, protocols);
    let ws: WebSocketLike;
    try {
      ws = new options.WebSocket(openingUrl, protocols);
    } catch (err) {
      this.recorder.error(String(err));
      this.finish({
        type: 'failed',
        code: 'connect-failed',
        message: `cannot open ${openingUrl}: ${String(err)}`,
      });
      return;
    }
    this.ws = ws;
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => this.onOpen();
    ws.onmessage = (ev) => {
      try {
        this.onMessage(ev.data);
      } catch (err) {
        this.fail('bad-response', `could not handle a message: ${String(err)}`, 1011);
      }
    };
    ws.onerror = (ev) => {
      const message = (ev as { message?: unknown } | null)?.message;
      this.recorder?.error(typeof message === 'string' ? message : undefined);
      if (this.state === 'connecting') {
        const detail = typeof message === 'string' ? `: ${message}` : '';
        // Node's ws refuses an opening response without the requested sub-protocol (browsers too,
        // with no detail): the server declined KHP (guide, "Opening handshake").
        const declined = typeof message === 'string' && /subprotocol/i.test(message);
        this.finish({
          type: 'failed',
          code: declined ? 'not-khp' : 'connect-failed',
          message: declined
            ? `the server did not choose ${KHP_PROTOCOL}${detail}`
            : `cannot connect to ${openingUrl}${detail}`,
        });
      }
    };
    ws.onclose = (ev) => this.onClose({ code: ev.code, reason: ev.reason, wasClean: ev.wasClean });
  }

  private onOpen(): void {
    const ws = this.ws;
    if (!ws || this.state !== 'connecting') return;
    this.recorder?.open(ws.protocol, ws.extensions);
    this.ctx.emit('open', { url: this.url, protocol: ws.protocol, extensions: ws.extensions });
    if (ws.protocol !== KHP_PROTOCOL) {
      const what = ws.protocol ? `chose '${ws.protocol}'` : 'chose no sub-protocol';
      this.fail('not-khp', `the server ${what}, not ${KHP_PROTOCOL}: the socket is plain`, 1000);
      return;
    }
    this.state = 'response';
    this.sendRequest(undefined);
  }

  private sendRequest(authorization: string | undefined): void {
    const { options } = this.ctx;
    const text = buildExtendedRequest({
      target: originTarget(this.url),
      protocols: options.protocols,
      extensions: options.extensions,
      headers: options.headers,
      ...(authorization === undefined ? {} : { authorization }),
    });
    this.transmit(options.binary ? utf8Encode(text) : text);
    this.ctx.emit('request', {
      url: this.url,
      text,
      binary: options.binary,
      replay: authorization !== undefined,
    });
  }

  private onMessage(data: unknown): void {
    const text = typeof data === 'string' ? data : null;
    const bytes = text !== null ? utf8Encode(text) : toBytes(data);
    this.recorder?.frame('receive', text ?? bytes);
    const swallow = this.swallowEmpty && isTerminator(bytes);
    this.swallowEmpty = false;
    if (swallow) return; // the empty terminator after a response already acted on
    this.dispatch(bytes, text);
  }

  private dispatch(bytes: Uint8Array, text: string | null): void {
    if (this.state === 'open') {
      const late = text === null ? readBalancerBytes(bytes) : null;
      if (late?.kind === 'balancer-redirect') {
        // A balancer redirect after connect() resolved cannot be followed: report it and close.
        this.ctx.emit('balancer', { url: this.url, kind: 'R', target: late.url });
        this.closeSocket(1000, 'balancer redirect');
      } else if (!late) this.connection?.receive(bytes, text);
      return;
    }
    if (this.state === 'done' || this.state === 'connecting') return;
    // Guide, "Balancer messages": U+F0FF 'N' (no redirect) and U+F0FF 'R' + URL (go there).
    const balancer = readBalancerBytes(bytes);
    if (balancer) {
      const redirect = balancer.kind === 'balancer-redirect';
      this.ctx.emit('balancer', {
        url: this.url,
        kind: redirect ? 'R' : 'N',
        ...(redirect ? { target: balancer.url } : {}),
      });
      if (redirect) {
        this.closeSocket(1000, 'balancer redirect');
        this.finish({ type: 'balancer', url: balancer.url });
      } else if (this.state === 'settle') this.complete();
      else this.sawN = true;
      return;
    }
    if (this.state === 'settle') {
      this.complete();
      if (!isTerminator(bytes)) this.connection?.receive(bytes, text);
      return;
    }
    if (this.state === 'credentials') {
      if (!isTerminator(bytes)) this.chunks.push(bytes);
      return;
    }
    if (this.state === 'terminator') {
      const parsed = this.parsed;
      if (!parsed) return;
      if (isTerminator(bytes)) {
        this.clearTimer();
        this.onResponse(parsed, 'empty-frame');
        return;
      }
      if (bodyRunsToEnd(parsed)) {
        // No Content-Length: the body goes on until the terminator.
        this.chunks.push(bytes);
        this.messages++;
        const again = gatherResponse(this.chunks);
        if (again.status === 'complete') this.parsed = again.message;
        return;
      }
      this.clearTimer();
      this.onResponse(parsed, 'none');
      if ((this.state as State) !== 'done') this.dispatch(bytes, text);
      return;
    }
    this.gather(bytes);
  }

  /** Gathers response messages (state `response`). */
  private gather(bytes: Uint8Array): void {
    if (isTerminator(bytes)) {
      if (this.chunks.length === 0) return; // a stray terminator
      const parsed = gatherResponse(this.chunks);
      if (parsed.status === 'complete') this.onResponse(parsed.message, 'empty-frame');
      else if (parsed.status === 'error')
        this.fail('bad-response', `unreadable response: ${parsed.message}`, 1011);
      else
        this.fail(
          'bad-response',
          `the response ended (empty frame) before it was complete: ${parsed.expected}`,
          1011,
        );
      return;
    }
    this.chunks.push(bytes);
    this.messages++;
    const parsed = gatherResponse(this.chunks);
    if (parsed.status === 'error') {
      this.fail('bad-response', `unreadable response: ${parsed.message}`, 1011);
      return;
    }
    if (parsed.status === 'incomplete') return;
    if (!this.kl) {
      // Without `.kl=Y` servers send no terminator: the response ends where the HTTP message ends.
      this.onResponse(parsed.message, 'message-end');
      this.swallowEmpty = true;
      return;
    }
    this.parsed = parsed.message;
    this.state = 'terminator';
    this.startTimer(this.ctx.options.terminatorWaitMs, () => {
      if (this.state === 'terminator' && this.parsed) this.onResponse(this.parsed, 'none');
    });
  }

  private onResponse(msg: HttpResponseMessage, terminator: 'empty-frame' | 'message-end' | 'none'): void {
    const { options } = this.ctx;
    const text = utf8Decode(concatBytes(this.chunks));
    this.chunks = [];
    this.parsed = null;
    this.state = 'response';
    this.ctx.emit('response', {
      url: this.url,
      status: msg.status,
      reason: msg.reason,
      headers: msg.headers,
      text,
      terminator,
      messages: this.messages,
    });
    this.messages = 0;
    // Spec, close conditions: the client must close if the response does not end with an empty
    // WebSocket binary frame. Real servers without `.kl=Y` send none: only fail when asked to.
    if (terminator !== 'empty-frame' && options.requireTerminator) {
      this.fail(
        'no-terminator',
        `the ${msg.status} response did not end with an empty frame`,
        1011,
        msg.status,
      );
      return;
    }
    const { action } = readStatus(msg.status, { method: 'GET', expect: false });
    if (action === 'completed') this.onCompleted(msg, terminator);
    else if (action === 'authenticate') this.onChallenge(msg);
    else if (action === 'redirect') {
      const location = getHeader(msg.headers, 'location');
      if (!location) {
        this.fail('bad-response', `${msg.status} without a Location header`, 1011, msg.status);
        return;
      }
      // Spec, "302": the client MUST complete the close handshake, then open the Location.
      this.closeSocket(1000, 'redirect');
      this.finish({ type: 'redirect', status: msg.status, location });
    } else if (action === 'wait') {
      this.state = 'response';
    } else {
      this.fail('status', `the server answered ${msg.status} ${msg.reason}`.trim(), 1011, msg.status);
    }
  }

  private onCompleted(msg: HttpResponseMessage, terminator: 'empty-frame' | 'message-end' | 'none'): void {
    // Spec, close conditions: the extensions selected by the server must be a subset of those requested.
    const values = getHeaders(msg.headers, 'sec-websocket-extensions');
    const requested = extensionNamesIn(this.ctx.options.extensions);
    const extra = extensionNamesIn(values).filter((n) => !requested.includes(n));
    if (extra.length > 0) {
      this.fail(
        'extension-mismatch',
        `the server granted extensions that were not requested: ${extra.join(', ')}`,
        1011,
        msg.status,
      );
      return;
    }
    this.granted = parseExtensionsHeader(values).map((e) => e.raw);
    const protocol = (getHeader(msg.headers, 'sec-websocket-protocol') ?? '').trim();
    const socket = {
      send: (data: string | Uint8Array) => this.transmit(data),
      close: (code: number, reason: string) => this.closeSocket(code, reason),
      isOpen: () => this.isOpen(),
    };
    this.connection = new KhpConnection(
      this.url,
      protocol,
      this.granted,
      { status: msg.status, reason: msg.reason, headers: msg.headers, terminator },
      socket,
      {
        message: (data, binary) => this.ctx.emit('message', { data, binary }),
        ping: (answered) => this.ctx.emit('ping', { kind: 'extended', answered }),
      },
      this.ctx.options.enforceIdleTimeout,
    );
    // A gateway that sent U+F0FF 'N' after the opening sends another after completion (or 'R').
    if (this.kl && this.sawN) {
      this.state = 'settle';
      this.startTimer(this.ctx.options.balancerWaitMs, () => {
        if (this.state === 'settle') this.complete();
      });
    } else this.complete();
  }

  private complete(): void {
    this.clearTimer();
    this.state = 'open';
    if (this.connection) this.finish({ type: 'completed', connection: this.connection });
  }

  private onChallenge(msg: HttpResponseMessage): void {
    const { options } = this.ctx;
    this.challenges++;
    const header = getHeader(msg.headers, 'www-authenticate') ?? '';
    const challenge = { url: this.url, ...readChallenge(header), attempt: this.challenges, header };
    this.ctx.emit('challenge', challenge);
    if (!options.credentials) {
      this.fail(
        'auth-failed',
        `${msg.status}: the server wants credentials (${header || 'no WWW-Authenticate'}) and none were given`,
        1011,
        msg.status,
      );
      return;
    }
    if (this.challenges > options.maxChallenges) {
      this.fail(
        'auth-failed',
        `still ${msg.status} after ${options.maxChallenges} replies with credentials`,
        1011,
        msg.status,
      );
      return;
    }
    this.state = 'credentials';
    Promise.resolve()
      .then(() => options.credentials?.(challenge))
      .then(
        (credentials) => {
          if (this.state !== 'credentials') return;
          if (!credentials) {
            this.fail('auth-failed', 'no credentials were given for the challenge', 1011, msg.status);
            return;
          }
          // Guide, "401": the client replays the same request on the same socket with Authorization.
          this.state = 'response';
          this.sendRequest(authorizationFor(credentials));
          this.flushPending();
        },
        (err: unknown) => {
          if (this.state === 'credentials')
            this.fail('auth-failed', `the credentials callback failed: ${String(err)}`, 1011, msg.status);
        },
      );
  }

  /** Messages that came while waiting for credentials belong to the next response. */
  private flushPending(): void {
    const pending = this.chunks;
    this.chunks = [];
    for (const c of pending) this.gather(c);
  }

  private onClose(details: CloseDetails): void {
    this.closedInfo = details;
    this.recorder?.close(details.code, details.reason, details.wasClean);
    this.clearTimer();
    this.ctx.emit('close', { url: this.url, ...details });
    this.connection?.closedWith(details);
    if (this.state !== 'open' && this.state !== 'done') {
      this.finish({
        type: 'failed',
        code: this.state === 'connecting' ? 'connect-failed' : 'closed',
        message: `the socket closed (code ${details.code}${details.reason ? `, ${details.reason}` : ''}) before the extended handshake completed`,
      });
    }
    this.onClosed?.();
  }

  private finish(result: AttemptResult): void {
    if (this.result) return;
    if (result.type !== 'completed') this.state = 'done';
    this.settleWith(result);
  }

  private fail(code: KhpErrorCode, message: string, closeCode: number, status?: number): void {
    if (this.state === 'done' || this.result) return;
    this.closeSocket(closeCode, message.slice(0, 100));
    this.finish(
      status === undefined ? { type: 'failed', code, message } : { type: 'failed', code, message, status },
    );
  }
}
