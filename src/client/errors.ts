/** The typed error `KhpClient.connect()` rejects with. */

/** Why a connection failed; stable codes (docs/server.md, "Client"). */
export type KhpErrorCode =
  /** The socket could not be opened (refused, DNS, TLS...). */
  | 'connect-failed'
  /** The server did not choose x-kaazing-handshake in the opening handshake. */
  | 'not-khp'
  /** The socket closed before the extended handshake completed. */
  | 'closed'
  /** The response could not be parsed, or a 3xx had no Location. */
  | 'bad-response'
  /** A status code the spec says to close on (or a 1xx the client did not ask for). */
  | 'status'
  /** 401 with no credentials to give, or still 401 after the allowed number of replies. */
  | 'auth-failed'
  /** A redirect chain longer than the maximum (spec: "no more than a fixed maximum"). */
  | 'too-many-redirects'
  /** A redirect back to an endpoint already visited in this chain. */
  | 'redirect-loop'
  /** A redirect was received and following was disabled. */
  | 'redirect-not-followed'
  /** Extensions granted that were not requested (spec: "not a subset of those requested"). */
  | 'extension-mismatch'
  /** The response did not end with an empty binary frame and the client required one. */
  | 'no-terminator'
  /** The whole connect took longer than the timeout. */
  | 'timeout'
  /** `abort()` was called. */
  | 'aborted';

/** One thing the client did or saw, in order. */
export interface KhpStep {
  time: number;
  event: string;
  text: string;
}

/** A failed connect: a reason code, a one-line message and every step recorded until then. */
export class KhpError extends Error {
  override readonly name = 'KhpError';

  constructor(
    readonly code: KhpErrorCode,
    message: string,
    readonly steps: KhpStep[] = [],
    /** The last extended handshake status seen, when there was one. */
    readonly status?: number,
  ) {
    super(message);
  }
}
