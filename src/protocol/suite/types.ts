/**
 * The conformance suite's model (`khp-inspect suite`): numbered cases in categories, what a case
 * observed, and the verdicts it earns. Pure: a case drives a peer through the `Driver` interface
 * (the CLI implements it over Node's `ws`) and is judged from the `Observation` alone, through the
 * decoder, so a rule the decoder enforces has one home. docs/suite.md lists the cases.
 */
import type { CapturedSocket } from '../capture';
import type { Connection, DecodeResult } from '../model';
import type { RuleId } from '../rules';

/** What a case found: the five verdicts, worst last (docs/suite.md, "Verdicts"). */
export const VERDICTS = ['OK', 'NON-STRICT', 'INFORMATIONAL', 'UNIMPLEMENTED', 'FAILED'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** How the connection of a case closed, judged apart from the case itself. */
export const CLOSE_VERDICTS = ['OK', 'WRONG CODE', 'UNCLEAN', 'FAILED'] as const;
export type CloseVerdict = (typeof CLOSE_VERDICTS)[number];

/** What each verdict means, for the legend of the report and the docs. */
export const VERDICT_MEANING: Record<Verdict, string> = {
  OK: 'The peer did what the spec says.',
  'NON-STRICT':
    'A SHOULD not followed, or real-gateway behaviour that departs from the spec text (balancer messages, a text terminator).',
  INFORMATIONAL:
    'Nothing to pass or fail: the case records what the peer chose where the spec leaves it open.',
  UNIMPLEMENTED:
    'The peer does not offer the optional feature the case needs, or the case was not configured for it.',
  FAILED: 'The peer broke a MUST of the spec (or of the k3po scripts), or did not answer in time.',
};

/** What each close verdict means. */
export const CLOSE_MEANING: Record<CloseVerdict, string> = {
  OK: 'The expected side closed with an expected code, and the close handshake completed.',
  'WRONG CODE': 'The close handshake completed, with a code the case does not expect.',
  UNCLEAN: 'The connection ended without a complete close handshake.',
  FAILED: 'The side that had to close did not (the other side closed, or the case timed out).',
};

/** Which side of KHP the suite tests: `server` drives a server; `client` serves cases to a client. */
export type SuiteRole = 'server' | 'client';

/** The named paths a server-role case may open; `main` is the URL given on the command line. */
export const PATH_KEYS = [
  'main',
  'basic',
  'token',
  'redirect',
  'loop',
  'many',
  'balancer',
  'status',
  'split',
  'idle',
] as const;
export type PathKey = (typeof PATH_KEYS)[number];

/** Where cases find what the peer offers (options or the JSON config, docs/suite.md). */
export interface SuiteConfig {
  /** Paths (or ws URLs) per key; null when the peer offers none. `status` holds `{code}`. */
  paths: Record<PathKey, string | null>;
  /** Basic credentials for the `basic` path. */
  user: { name: string; password: string } | null;
  /** Token for the `token` path. */
  token: string | null;
  /** How long a case listens for what a peer might send unasked (ms). */
  quietMs: number;
}

/** How a socket ended, from the suite's side. */
export type ClosedBy = 'client' | 'server' | 'timeout' | 'none';

/** Everything a case saw: the wire log of each socket it opened, in order. */
export interface Observation {
  /** One record per socket (several when the case follows redirects). */
  sockets: CapturedSocket[];
  /** Per socket: which side started the close. */
  closedBy: ClosedBy[];
  /** Standard WebSocket pings received, per socket (they carry no KHP meaning, but keep a link alive). */
  pings: number[];
  /** The case ran out of time. */
  timedOut: boolean;
  /** Why the case could not run at all (a missing path or credentials), when it could not. */
  unavailable?: string;
  /** A transport error that ended the case. */
  error?: string;
}

/** What a case's judge returns. */
export interface Judgement {
  verdict: Verdict;
  /** Sentences saying why, in the order they were found. */
  notes: string[];
}

/** The close a case expects, when it expects one. */
export interface CloseExpectation {
  /** The side that must start the close; `either` when it does not matter. */
  by: 'server' | 'client' | 'either';
  /** Accepted close codes. */
  codes: number[];
}

/** What a running case asks of the peer-facing side: one socket at a time, in order. */
export interface Driver {
  readonly config: SuiteConfig;
  /**
   * Opens a socket to the path of `key` (the `{code}` of `status` filled with `code`), or to `url`.
   * Resolves true once open (whatever protocol the server chose), false when the opening failed.
   * Throws `Unavailable` when the path is not configured.
   */
  open(to: { key: PathKey; code?: number } | { url: string }, options?: OpenOptions): Promise<boolean>;
  /** Sends an extended request for the opened path (built by the client's request builder). */
  request(parts?: RequestOptions): void;
  /** Sends one message as it is. */
  send(data: string | Uint8Array): void;
  /**
   * Waits for the next complete extended response (and, on `.kl=Y` sockets, its terminator) and
   * returns the socket decoded so far; null when the socket closed or the case ran out of time first.
   */
  response(): Promise<Connection | null>;
  /** Gathers messages for `ms` (default `config.quietMs`), or until the socket closes. */
  listen(ms?: number): Promise<void>;
  /**
   * Gathers messages until `test` holds for the socket decoded so far (true), or `ms` passed, the
   * socket closed or the case ran out of time (false).
   */
  until(test: (conn: Connection) => boolean, ms: number): Promise<boolean>;
  /** Waits until the server closes the socket (or the case runs out of time). */
  awaitClose(): Promise<void>;
  /** Closes the socket from the client side and waits for the close to complete. */
  close(code: number, reason?: string): Promise<void>;
  /** The current socket, decoded so far. */
  decoded(): Connection;
}

/** Options of `Driver.open`. */
export interface OpenOptions {
  /** Add `.kl=Y` to the opening URL (default true, as real clients do). */
  kl?: boolean;
  /** Sub-protocols offered in the opening (default `['x-kaazing-handshake']`). */
  protocols?: string[];
  /** Offer permessage-deflate in the opening (default false). */
  deflate?: boolean;
}

/** Options of `Driver.request`. */
export interface RequestOptions {
  /** Send as a binary message (default: text). */
  binary?: boolean;
  /** Target instead of the opening's path and query. */
  target?: string;
  extensions?: string[];
  protocols?: string[];
  headers?: [string, string][];
  /** Authorization: the configured credentials for the path, or made-up wrong ones. */
  auth?: 'basic' | 'token' | 'wrong-basic' | 'wrong-token';
}

/** Thrown by a driver when a case needs something the configuration does not give. */
export class Unavailable extends Error {}

/** What every numbered case has, in either role: reports and the case list need no more. */
export interface SuiteCaseBase {
  /** `category.number`, e.g. `3.2`. */
  id: string;
  role: SuiteRole;
  category: number;
  title: string;
  /** What the case does, in words. */
  description: string;
  /** What a conforming peer does, in words. */
  expectation: string;
  /** The spec clause (or guide section, or k3po script) the case comes from. */
  spec: string;
  /** Rule ids it shares with the panel's findings (rules.ts). */
  rules: RuleId[];
  /** The close it expects, judged apart; absent when the close is not the point. */
  close?: CloseExpectation;
  /** Judges what was observed; `decoded` is the decoder's reading of `obs.sockets`. */
  judge(obs: Observation, decoded: DecodeResult): Judgement;
}

/** A server-role case: it drives the server under test. */
export interface SuiteCase extends SuiteCaseBase {
  /** Drives the peer. */
  run(driver: Driver): Promise<void>;
}

/**
 * A client-role case: it plays the server side for the client under test, which opens
 * `/case/<id>` (and the paths the case sends it to). The wire log is kept as the client saw it
 * (`send` is what the client sent), so the decoder reads it as it reads any client's capture.
 */
export interface ClientCase extends SuiteCaseBase {
  /** How the case answers a socket's opening: `plain` leaves x-kaazing-handshake out (default `khp`). */
  opening?: 'khp' | 'plain';
  /** Plays the server side. */
  serve(peer: CasePeer): Promise<void>;
}

/** What a client-role case's server side says: one extended response. */
export interface ServedResponse {
  status: number;
  headers?: [string, string][];
  /** Granted extensions (`name; params`). */
  extensions?: string[];
  /** Send the response split over this many messages (default 1). */
  parts?: number;
  /** What follows the response: an empty binary or text message, or nothing (default: binary on `.kl=Y` sockets). */
  terminator?: 'binary' | 'text' | 'none';
}

/** What a running client-role case asks of the server side: the client's sockets, one at a time. */
export interface CasePeer {
  readonly config: Pick<SuiteConfig, 'quietMs'>;
  /**
   * Waits for the client's next socket on this case (the first is there when the case starts):
   * true once it is open, false when none came before `ms` (default: until the case runs out of time).
   */
  accept(ms?: number): Promise<boolean>;
  /** Waits for the next complete extended request on the current socket; null when it closed or time ran out. */
  request(): Promise<Connection | null>;
  /** Sends an extended response (and its terminator). */
  respond(response: ServedResponse): void;
  /** Sends one message as it is. */
  send(data: string | Uint8Array): void;
  /** Gathers messages for `ms` (default `config.quietMs`), or until the socket closes. */
  listen(ms?: number): Promise<void>;
  /** Gathers messages until `test` holds (true), or `ms` passed or the socket closed (false). */
  until(test: (conn: Connection) => boolean, ms: number): Promise<boolean>;
  /** Waits until the client closes the socket (or the case runs out of time). */
  awaitClose(): Promise<void>;
  /** Closes the current socket from the server side and waits for the close to complete. */
  close(code: number, reason?: string): Promise<void>;
  /** The URL of another path of this case (`next`), as `ws://` or, with `http`, `http://` as gateways write Location. */
  url(path: string, options?: { http?: boolean; kl?: boolean }): string;
  /** The current socket, decoded so far. */
  decoded(): Connection;
}

/** One case's result, as reports carry it. */
export interface CaseResult {
  id: string;
  verdict: Verdict;
  close: CloseVerdict | null;
  notes: string[];
  /** Milliseconds the case took. */
  durationMs: number;
}
