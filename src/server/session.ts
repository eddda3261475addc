/**
 * One KHP connection on the reference server: reads the extended handshake request(s), answers by
 * scenario, then echoes application data and keeps the link alive as the granted extensions say.
 */
import type { WebSocket } from 'ws';
import { getHeader, getHeaders, looksLikeHttpRequest } from '../protocol/http1';
import { gatherRequest } from '../protocol/gathered';
import type { HttpRequestMessage } from '../protocol/http1-types';
import { utf8Encode, utf8Length } from '../protocol/bytes';
import { balancerNoticeBytes, balancerRedirectBytes } from '../protocol/balancer';
import {
  IDLE_TIMEOUT_EXTENSION,
  PING_PONG_EXTENSION,
  PING_PONG_PREFIX_HEX,
} from '../protocol/control-frames';
import { extensionNamesIn } from '../protocol/extensions';
import { terminatorFollows, terminatorPayload } from '../protocol/khp';
import { originTarget } from '../protocol/urls';
import { buildResponse, splitBytes, type ResponseSpec, type ServerMode } from './responses';
import { routeScenario, type Scenario } from './scenarios';
import { answerScenario, type Answer } from './answers';
import { OpenLink } from './open-link';
import type { Misbehaviour } from './misbehave';

/** Limits and timings of a session (defaults in server.ts). */
export interface SessionConfig {
  mode: ServerMode;
  maxRequestBytes: number;
  handshakeTimeoutMs: number;
  closeGraceMs: number;
  idleTimeoutMs: number;
  maxSlowMs: number;
  /** Protocol breaks asked for (misbehave.ts); none for a conforming server. */
  misbehave?: ReadonlySet<Misbehaviour>;
}

/** What the server knows of the opening handshake. */
export interface OpeningInfo {
  id: number;
  url: URL;
  /** Host header of the opening request (the server merges it into the extended request). */
  host: string;
  /** Extension names negotiated in the opening handshake. */
  extensions: string[];
  /** Sec-WebSocket-Accept the opening response carried (echoed on gateway-mode 101s). */
  accept: string;
}

type State = 'request' | 'body' | 'waiting' | 'open' | 'closed';

/** Drives one KHP socket. `done` is called once, with a one-line summary, when the socket closes. */
export class KhpSession {
  private state: State = 'request';
  private chunks: Uint8Array[] = [];
  private size = 0;
  private authFailures = 0;
  private challenges = 0;
  private readonly statuses: number[] = [];
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private link: OpenLink | null = null;
  private readonly scenario: Scenario;
  private readonly kl: boolean;
  private pendingRequest: HttpRequestMessage | null = null;
  /** The first internal error, for the log line. */
  private error: string | null = null;
  private readonly misbehave: ReadonlySet<Misbehaviour>;

  constructor(
    private readonly ws: WebSocket,
    private readonly opening: OpeningInfo,
    private readonly config: SessionConfig,
  ) {
    this.scenario = routeScenario(opening.url, { maxSlowMs: config.maxSlowMs });
    this.kl = terminatorFollows(opening.url.href);
    this.misbehave = config.misbehave ?? new Set();
  }

  /** Starts the session: balancer N (gateway mode with `.kl=Y`), handshake timer, listeners. */
  start(onDone: (summary: string) => void): void {
    const started = Date.now();
    this.ws.on('message', (data, isBinary) => {
      try {
        this.onMessage(toBytes(data), isBinary);
      } catch (err) {
        this.internalError(err);
      }
    });
    this.ws.on('error', () => undefined);
    this.ws.on('close', (code) => {
      this.state = 'closed';
      for (const t of this.timers) clearTimeout(t);
      this.timers.clear();
      this.link?.stop();
      const statuses = this.statuses.length ? this.statuses.join(',') : 'none';
      const error = this.error === null ? '' : ` error: ${this.error}`;
      onDone(
        `khp ${this.opening.url.pathname} statuses=${statuses} close=${code} ${Date.now() - started}ms${error}`,
      );
    });
    if (this.config.mode === 'gateway' && this.kl) this.send(balancerNoticeBytes(), true);
    if (this.misbehave.has('early-message')) this.send('misbehaving: a message before the handshake', false);
    // Spec, "401 Unauthorized": if the client fails to reply in a timely manner, it is the server's
    // responsibility to Close the WebSocket Connection. The same bound covers every unanswered state.
    this.later(this.config.handshakeTimeoutMs, () => {
      if (this.state !== 'open') this.close(1008, 'extended handshake timeout');
    });
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (this.state === 'closed') return;
      try {
        fn();
      } catch (err) {
        this.internalError(err); // thrown from a timer, it would reach the process
      }
    }, ms);
    this.timers.add(t);
  }

  private send(data: Uint8Array | string, binary: boolean): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(data, { binary });
  }

  private close(code: number, reason: string): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) {
      this.ws.close(code, closeReason(reason));
    }
  }

  /**
   * A bug must cost one connection, never the server: a 500 response while the handshake is not
   * over, then close 1011; a cut socket if even that throws.
   */
  private internalError(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    this.error ??= message;
    try {
      if (this.state === 'open' || this.state === 'closed') this.close(1011, 'internal error');
      else this.fail(500, `internal error: ${message}`, 1011);
    } catch {
      // fall through: the socket is cut below
    }
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.terminate();
  }

  private onMessage(bytes: Uint8Array, binary: boolean): void {
    if (this.state === 'closed' || this.state === 'waiting') return;
    if (this.state === 'open') {
      this.link?.receive(bytes, binary);
      return;
    }
    if (this.state === 'body') {
      // 100 Continue was sent: this message is the request body; complete the handshake.
      const req = this.pendingRequest;
      this.pendingRequest = null;
      if (req) this.complete(req, 101);
      return;
    }
    if (bytes.length === 0 && this.size === 0) return; // a stray empty frame carries no request
    this.size += bytes.length;
    if (this.size > this.config.maxRequestBytes) {
      this.fail(400, `extended request larger than ${this.config.maxRequestBytes} bytes`, 1009);
      return;
    }
    // Guide: a gateway answers 400 when the first message is not an HTTP request at all.
    if (this.chunks.length === 0 && !looksLikeHttpRequest(bytes)) {
      if (this.misbehave.has('accept-garbage')) return this.acceptGarbage();
      this.fail(400, 'the first message is not an HTTP request', 1002);
      return;
    }
    this.chunks.push(bytes);
    const parsed = gatherRequest(this.chunks, this.config.maxRequestBytes);
    if (parsed.status === 'incomplete') return;
    this.chunks = [];
    this.size = 0;
    if (parsed.status === 'error') {
      this.fail(400, `malformed extended request: ${parsed.message}`, 1002);
      return;
    }
    this.onRequest(parsed.message);
  }

  private onRequest(req: HttpRequestMessage): void {
    if (req.method !== 'GET') {
      this.fail(400, `the extended request must be a GET, not ${req.method}`, 1002);
      return;
    }
    // Guide: a gateway answers 400 when the path differs from the opening path.
    const expected = originTarget(this.opening.url.href);
    if (req.target !== expected) {
      this.fail(400, `request target ${req.target} differs from the opening path ${expected}`, 1002);
      return;
    }
    // Spec: an extension already negotiated in the opening handshake must be answered in error
    // before Closing the WebSocket Connection (guide: the gateway closes with 1011).
    const requested = extensionNamesIn(getHeaders(req.headers, 'sec-websocket-extensions'));
    const twice = requested.find((name) => this.opening.extensions.includes(name));
    if (twice !== undefined) {
      this.fail(400, `extension ${twice} was already negotiated in the opening handshake`, 1011);
      return;
    }
    const answer = answerScenario(this.scenario, req, {
      authFailures: this.authFailures,
      challenges: this.challenges,
    });
    this.act(answer, req);
  }

  private act(answer: Answer, req: HttpRequestMessage): void {
    switch (answer.type) {
      case 'complete':
        if (answer.delayMs) {
          this.state = 'waiting';
          this.later(answer.delayMs, () => this.complete(req, answer.status, answer));
        } else this.complete(req, answer.status, answer);
        return;
      case 'challenge':
        this.challenges++;
        if (answer.wrong) this.authFailures++;
        this.respond({
          status: 401,
          headers: this.misbehave.has('no-challenge') ? [] : [['WWW-Authenticate', answer.header]],
          errorText: answer.text,
        });
        return;
      case 'redirect': {
        const location = `http://${this.opening.host}${answer.location}`;
        const misbehave = this.misbehave;
        this.respond({
          status: answer.status,
          headers: misbehave.has('no-location') ? [] : [['Location', location]],
        });
        // Spec, "302": the server MUST Close the WebSocket Connection after sending a 3xx.
        if (!misbehave.has('redirect-no-close')) this.close(1000, 'redirect');
        return;
      }
      case 'continue':
        this.respond({ status: 100 });
        this.pendingRequest = req;
        this.state = 'body';
        return;
      case 'wait':
        this.respond({ status: answer.status });
        this.state = 'waiting';
        return;
      case 'fail':
        this.fail(answer.status, answer.text, answer.closeCode, answer.graceful);
        return;
    }
  }

  /** Sends one response, then the empty terminator when the mode asks for it. */
  private respond(spec: ResponseSpec, split = false): void {
    const misbehave = this.misbehave;
    if (misbehave.has('invalid-status') && this.scenario.kind === 'status')
      spec.statusText = `${spec.status}0`;
    const bytes = buildResponse(spec, this.config.mode);
    for (const part of split ? splitBytes(bytes, 3) : [bytes]) this.send(part, true);
    this.statuses.push(spec.status); // after the send: a response that threw is not logged as sent
    // Spec, close conditions: the response must end with an empty WebSocket binary frame; gateways
    // send it only when the opening URL carried `.kl=Y` (guide, "The empty-frame terminator").
    if ((this.config.mode === 'spec' || this.kl) && !misbehave.has('no-terminator')) {
      this.send(terminatorPayload(), true);
    }
  }

  private fail(status: number, text: string, closeCode: number, graceful = false): void {
    this.respond(status >= 400 ? { status, errorText: text } : { status });
    if (!graceful) {
      this.close(closeCode, text.slice(0, 100));
      return;
    }
    // The spec makes the client close after a failing status: give it the chance, then close.
    this.state = 'waiting';
    this.later(this.config.closeGraceMs, () => this.close(closeCode, 'extended handshake failed'));
  }

  /** Misbehaving (`accept-garbage`): completes as if a plain request for the opening path came. */
  private acceptGarbage(): void {
    const target = originTarget(this.opening.url.href);
    const parsed = gatherRequest([utf8Encode(`GET ${target} HTTP/1.1\r\n\r\n`)]);
    if (parsed.status === 'complete') this.complete(parsed.message, 101);
  }

  private complete(req: HttpRequestMessage, status: number, answer?: Answer): void {
    const requested = extensionNamesIn(getHeaders(req.headers, 'sec-websocket-extensions'));
    if (this.misbehave.has('grant-unrequested')) requested.push(PING_PONG_EXTENSION);
    const idleMs =
      answer?.type === 'complete' && answer.idleTimeoutMs ? answer.idleTimeoutMs : this.config.idleTimeoutMs;
    const granted: string[] = [];
    let pingPong = false;
    let idle = false;
    for (const name of requested) {
      if (name === IDLE_TIMEOUT_EXTENSION && !idle) {
        idle = true;
        granted.push(`${IDLE_TIMEOUT_EXTENSION}; timeout=${idleMs}`);
      } else if (name === PING_PONG_EXTENSION && !pingPong) {
        pingPong = true;
        granted.push(`${PING_PONG_EXTENSION}; ${PING_PONG_PREFIX_HEX}`);
      }
    }
    const headers: [string, string][] = [];
    const appProtocol = (getHeader(req.headers, 'sec-websocket-protocol') ?? '').split(',')[0]?.trim();
    if (this.config.mode === 'gateway') {
      headers.push(['Connection', 'Upgrade'], ['Upgrade', 'websocket']);
      headers.push(['Sec-WebSocket-Accept', this.opening.accept]);
    } else if (status === 101) {
      headers.push(['Upgrade', 'websocket'], ['Connection', 'Upgrade']);
    }
    if (appProtocol) headers.push(['Sec-WebSocket-Protocol', appProtocol]);
    const split = answer?.type === 'complete' && answer.split === true;
    this.respond({ status, headers, extensions: granted }, split);
    this.state = 'open';
    this.link = new OpenLink(
      (data, binary) => this.send(data, binary),
      (ms, fn) => this.later(ms, fn),
      { pingPong, idleTimeoutMs: idle ? idleMs : 0, ping: () => this.ws.ping() },
    );
    if (answer?.type === 'complete' && answer.balancerTo) {
      const url = `ws://${this.opening.host}${answer.balancerTo}`;
      this.send(balancerRedirectBytes(url), true);
    } else if (this.config.mode === 'gateway' && this.kl) {
      this.send(balancerNoticeBytes(), true);
    }
  }
}

/** RFC 6455 5.5.1: a close reason fits in 123 bytes of UTF-8 (`ws` throws on a longer one). */
function closeReason(text: string): string {
  let out = text;
  while (utf8Length(out) > 123) out = out.slice(0, -1);
  return out;
}

function toBytes(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
