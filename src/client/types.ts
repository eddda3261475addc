/**
 * Public types of the KHP client: the WebSocket it is given, its options and its events.
 */
import type { KhpError } from './errors';
import type { Credentials } from './request';

/** A listener property that accepts both the DOM's and `ws`'s event handlers. */
type Handler<E> = { bivarianceHack(event: E): void }['bivarianceHack'];

/** The part of a WebSocket the client uses: the browser's `WebSocket` and `ws`'s both fit. */
export interface WebSocketLike {
  readonly readyState: number;
  readonly protocol: string;
  readonly extensions: string;
  binaryType: string;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: Handler<unknown> | null;
  onmessage: Handler<{ data: unknown }> | null;
  onclose: Handler<{ code: number; reason: string; wasClean: boolean }> | null;
  onerror: Handler<unknown> | null;
}

/** A WebSocket constructor: `globalThis.WebSocket` in a page, `WebSocket` from `ws` in Node. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

/** What the challenge callback is told about a 401. */
export interface Challenge {
  /** The ws URL that answered 401. */
  url: string;
  /** `Basic`, `Token`, ... (the `Application ` prefix removed). */
  scheme: string;
  realm?: string;
  /** 1 for the first 401 on this socket. */
  attempt: number;
  /** The WWW-Authenticate value as received. */
  header: string;
}

/** Options of `new KhpClient(options)`. */
export interface KhpClientOptions {
  /** The ws:// or wss:// URL to open. */
  url: string;
  /** The WebSocket constructor to use. */
  WebSocket: WebSocketConstructor;
  /** Application protocols (sent in the opening after x-kaazing-handshake, and in the extended request). */
  protocols?: string[];
  /** Extensions to request in the extended request, in order of preference. */
  extensions?: string[];
  /** Other headers for the extended request. */
  headers?: [string, string][];
  /** Send the extended request as a binary message (default: text, as the JavaScript client does). */
  binary?: boolean;
  /** Add `.kl=Y` to the opening URL (default true, as real clients do). */
  kl?: boolean;
  /** Answers a 401; null gives up. */
  credentials?: (challenge: Challenge) => Promise<Credentials | null> | Credentials | null;
  /** Replies to 401 allowed per socket (default 3). */
  maxChallenges?: number;
  /** Follow 3xx and balancer redirects (default true). */
  followRedirects?: boolean;
  /** Redirects allowed in one chain (default 5, the spec's example). */
  maxRedirects?: number;
  /** Whole connect, redirects included (default 10 000 ms). */
  timeoutMs?: number;
  /** With `.kl=Y`: how long to wait for the empty terminator after a complete response (default 1 000 ms). */
  terminatorWaitMs?: number;
  /** After a 101, how long to wait for the gateway's balancer message (default 1 000 ms). */
  balancerWaitMs?: number;
  /** Fail when a response does not end with an empty frame (default false: accept and report it). */
  requireTerminator?: boolean;
  /** Close after the granted idle timeout with nothing received (default true). */
  enforceIdleTimeout?: boolean;
  /** Clock (epoch ms), for tests. */
  now?: () => number;
}

/** Every event the client emits, with its payload. */
export interface KhpEvents {
  opening: { url: string; attempt: number; protocols: string[] };
  open: { url: string; protocol: string; extensions: string };
  balancer: { url: string; kind: 'N' | 'R'; target?: string };
  request: { url: string; text: string; binary: boolean; replay: boolean };
  response: {
    url: string;
    status: number;
    reason: string;
    headers: [string, string][];
    text: string;
    terminator: 'empty-frame' | 'message-end' | 'none';
    messages: number;
  };
  challenge: Challenge;
  redirect: { from: string; to: string; status: number | 'balancer' };
  completed: { url: string; status: number; protocol: string; extensions: string[] };
  failed: { error: KhpError };
  message: { data: string | Uint8Array; binary: boolean };
  ping: { kind: 'extended'; answered: boolean };
  close: { url: string; code: number; reason: string; wasClean: boolean };
}

export type KhpEventName = keyof KhpEvents;
