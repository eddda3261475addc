/**
 * The replay's data: what the user edits (a draft), the options, validation issues, and the command
 * the page runner executes in the inspected page.
 */
import type { Header } from '../protocol/model';

/** The spec quotes "no more than five" redirects (3xx Redirection); the replay follows at most that. */
export const MAX_REPLAY_REDIRECTS = 5;

/** `Authorization` built by a helper: Basic (user + password) or Token. */
export type CredentialInput =
  | { scheme: 'none' }
  | { scheme: 'Basic'; user: string; password: string }
  | { scheme: 'Token'; token: string };

/** How the replay behaves after sending the request. */
export interface ReplayOptions {
  /** Follow 3xx extended responses (and balancer redirects) to a fresh socket. */
  followRedirects: boolean;
  /** At most this many redirects are followed (0..5). */
  maxRedirects: number;
  /** Answer a 401 by sending the request again with these credentials (once per socket). */
  answer401: CredentialInput;
  /** Answer extended pings (control prefix + 09 00) with pongs while the socket stays open. */
  answerPings: boolean;
  /** Keep the socket open after the extended handshake completes (else close it with 1000). */
  keepOpen: boolean;
  /** Send the credential headers of the capture too (default false: they are stripped). */
  keepCapturedCredentials: boolean;
}

/** Default options: follow redirects (5), no 401 answer, no pings, close after completion, strip credentials. */
export const DEFAULT_OPTIONS: ReplayOptions = {
  followRedirects: true,
  maxRedirects: MAX_REPLAY_REDIRECTS,
  answer401: { scheme: 'none' },
  answerPings: false,
  keepOpen: false,
  keepCapturedCredentials: false,
};

/** The request as an editable table. */
export interface RequestParts {
  method: string;
  target: string;
  version: string;
  headers: Header[];
}

/** What the user edits before a replay. */
export interface ReplayDraft {
  /** The socket replayed (its id in the list the replay started from). */
  replayOf: string;
  url: string;
  protocols: string[];
  /** `table`: `parts` is the truth; `raw`: `raw` is. */
  mode: 'table' | 'raw';
  parts: RequestParts;
  raw: string;
  /** Send the request as a binary message (as the Java client does) instead of text. */
  binary: boolean;
  options: ReplayOptions;
  /** Credential headers of the captured request, stripped from `parts` (sent only when kept). */
  capturedCredentials: Header[];
  /** The `Authorization` the original client answered a 401 with, if any (used only when kept). */
  capturedAnswer: string | null;
  /** The page the original socket was opened from, when known. */
  pageUrl: string | null;
}

/** One problem with a draft: errors block the replay, warnings are shown and allowed. */
export interface Issue {
  severity: 'error' | 'warning';
  /** Which part of the draft: `url`, `protocols`, `request`, `headers`, `options`, `credentials`. */
  field: string;
  message: string;
}

/** What the page runner is given (JSON). */
export interface RunnerCommand {
  /** The id of the socket replayed; the hook puts it on every socket the replay opens. */
  replayOf: string;
  url: string;
  protocols: string[];
  /** The extended request, exactly as sent on the first socket. */
  request: string;
  binary: boolean;
  followRedirects: boolean;
  maxRedirects: number;
  /** `Authorization` value sent in answer to a 401, or null to stop at a 401. */
  authorization: string | null;
  answerPings: boolean;
  keepOpen: boolean;
  /** Give up on a socket whose extended response has not arrived after this long. */
  timeoutMs: number;
  /** The third constructor argument the hook reads (see marker.ts). */
  marker: string;
}

/** What evaluating the runner returns: the start was acknowledged, or why it could not start. */
export type RunnerAck = { ok: true; url: string } | { ok: false; error: string };
