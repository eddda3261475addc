/**
 * The extended handshake request the client sends (spec, "Extended WebSocket Handshake"): an HTTP/1.1
 * GET in origin form, CRLF line endings, no body.
 */
import { base64Encode, utf8Encode } from '../protocol/bytes';

/** What goes into one extended request. */
export interface ExtendedRequestParts {
  /** Origin-form target: the opening path and query without `.kl=Y`. */
  target: string;
  /** Application protocols (every requested protocol but x-kaazing-handshake). */
  protocols: string[];
  /** Extensions the client wants, in order of preference. */
  extensions: string[];
  /** `Authorization` value on a replay after 401. */
  authorization?: string;
  /** Any other headers. */
  headers?: [string, string][];
}

/** The request text. */
export function buildExtendedRequest(parts: ExtendedRequestParts): string {
  const lines = [`GET ${parts.target} HTTP/1.1`];
  // Spec: protocols requested other than x-kaazing-handshake MUST be included in
  // Sec-WebSocket-Protocol of the extended request.
  if (parts.protocols.length > 0) lines.push(`Sec-WebSocket-Protocol: ${parts.protocols.join(', ')}`);
  // Spec: the Sec-WebSocket-Extensions header MUST contain a non-empty list, in order of preference.
  if (parts.extensions.length > 0) lines.push(`Sec-WebSocket-Extensions: ${parts.extensions.join(', ')}`);
  for (const [name, value] of parts.headers ?? []) lines.push(`${name}: ${value}`);
  if (parts.authorization !== undefined) lines.push(`Authorization: ${parts.authorization}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** Credentials a challenge callback may give. */
export type Credentials = { user: string; password: string } | { token: string } | { authorization: string };

/** The `Authorization` value for `credentials`: `Basic base64(user:password)`, `Token <t>` or as given. */
export function authorizationFor(credentials: Credentials): string {
  if ('authorization' in credentials) return credentials.authorization;
  if ('token' in credentials) return `Token ${credentials.token}`;
  return `Basic ${base64Encode(utf8Encode(`${credentials.user}:${credentials.password}`))}`;
}

/** Reads a 401's challenge (protocol/challenge.ts: the suite reads challenges the same way). */
export { readChallenge } from '../protocol/challenge';
