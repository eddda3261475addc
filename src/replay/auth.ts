/**
 * `Authorization` helpers for the replay editor: Basic (RFC 7617: base64 of `user:password`, UTF-8)
 * and Token (the gateway's `Application Token` challenge is answered with `Token <token>`; guide,
 * "401").
 */
import { base64Decode, base64Encode, utf8Decode, utf8Encode } from '../protocol/bytes';
import type { CredentialInput, Issue } from './types';

/** `Basic base64(user:password)`. */
export function basicAuthorization(user: string, password: string): string {
  return `Basic ${base64Encode(utf8Encode(`${user}:${password}`))}`;
}

/** `Token <token>`. */
export function tokenAuthorization(token: string): string {
  return `Token ${token.trim()}`;
}

/** The `Authorization` value of a helper input, or null for `none`. */
export function authorizationOf(input: CredentialInput): string | null {
  if (input.scheme === 'Basic') return basicAuthorization(input.user, input.password);
  if (input.scheme === 'Token') return tokenAuthorization(input.token);
  return null;
}

/** Problems with a helper input: a Basic user id cannot contain ':' (RFC 7617), values must be non-empty. */
export function credentialIssues(input: CredentialInput, field = 'credentials'): Issue[] {
  const issues: Issue[] = [];
  const error = (message: string) => issues.push({ severity: 'error', field, message });
  if (input.scheme === 'Basic') {
    if (input.user === '') error('Basic credentials need a user name.');
    if (input.user.includes(':')) error('A Basic user name cannot contain ":" (RFC 7617).');
    if (/[\r\n]/.test(input.user + input.password)) error('Credentials cannot contain line breaks.');
  } else if (input.scheme === 'Token') {
    if (input.token.trim() === '') error('A Token needs a value.');
    if (/[\r\n]/.test(input.token)) error('A Token cannot contain line breaks.');
  }
  return issues;
}

/**
 * Reads an `Authorization` value back into helper input when it is Basic (decodable to `user:pass`)
 * or Token; anything else gives null.
 */
export function parseAuthorization(value: string): CredentialInput | null {
  const m = /^(Basic|Token)[ \t]+(\S+)\s*$/i.exec(value.trim());
  if (!m) return null;
  if (m[1]!.toLowerCase() === 'token') return { scheme: 'Token', token: m[2]! };
  const bytes = base64Decode(m[2]!);
  if (!bytes) return null;
  const text = utf8Decode(bytes);
  const colon = text.indexOf(':');
  if (colon < 0) return null;
  return { scheme: 'Basic', user: text.slice(0, colon), password: text.slice(colon + 1) };
}
