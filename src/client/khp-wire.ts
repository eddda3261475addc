/**
 * Wire-level constants and small helpers of KHP shared by the client and the reference server:
 * balancer messages, control-frame prefixes, the `.kl=Y` query parameter and extension lists.
 * Pure (no Node, no DOM), so the demo page bundles it too.
 */
import { utf8Decode, utf8Encode } from '../protocol/bytes';

/** The sub-protocol negotiated in the opening handshake (spec, "Opening WebSocket Handshake"). */
export const KHP_PROTOCOL = 'x-kaazing-handshake';

/** U+F0FF in UTF-8: the first three bytes of every balancer message (guide, "Balancer messages"). */
export const BALANCER_PREFIX = new Uint8Array([0xef, 0x83, 0xbf]);
/** Balancer "no redirect" message: U+F0FF 'N'. */
export const BALANCER_N = new Uint8Array([0xef, 0x83, 0xbf, 0x4e]);

/** The control prefix granted with `x-kaazing-ping-pong; 01010102`. */
export const PING_PONG_PREFIX = new Uint8Array([0x01, 0x01, 0x01, 0x02]);
export const PING_PONG_EXTENSION = 'x-kaazing-ping-pong';
export const IDLE_TIMEOUT_EXTENSION = 'x-kaazing-idle-timeout';

/** An extended ping: prefix + 09 00 (text frame). */
export const EXTENDED_PING = new Uint8Array([0x01, 0x01, 0x01, 0x02, 0x09, 0x00]);
/** An extended pong: prefix + 0A 00 (text frame). */
export const EXTENDED_PONG = new Uint8Array([0x01, 0x01, 0x01, 0x02, 0x0a, 0x00]);
/** The same frames as the text strings a text frame carries. */
export const EXTENDED_PING_TEXT = utf8Decode(EXTENDED_PING);
export const EXTENDED_PONG_TEXT = utf8Decode(EXTENDED_PONG);
export const PING_PONG_PREFIX_TEXT = utf8Decode(PING_PONG_PREFIX);

/** True when `a` starts with all bytes of `prefix`. */
export function startsWithBytes(a: Uint8Array, prefix: Uint8Array): boolean {
  if (a.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (a[i] !== prefix[i]) return false;
  return true;
}

/** True when both arrays hold the same bytes. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && startsWithBytes(a, b);
}

/** Reads a balancer message: `N`, `R` with its URL, or null when the payload is not one. */
export function readBalancer(payload: Uint8Array): { kind: 'N' } | { kind: 'R'; url: string } | null {
  if (!startsWithBytes(payload, BALANCER_PREFIX) || payload.length < 4) return null;
  if (payload[3] === 0x4e && payload.length === 4) return { kind: 'N' };
  if (payload[3] === 0x52) return { kind: 'R', url: utf8Decode(payload.subarray(4)).trim() };
  return null;
}

/** A balancer redirect message (U+F0FF 'R' + ws URL). */
export function balancerRedirect(url: string): Uint8Array {
  const tail = utf8Encode(url);
  const out = new Uint8Array(4 + tail.length);
  out.set(BALANCER_PREFIX, 0);
  out[3] = 0x52;
  out.set(tail, 4);
  return out;
}

/** Names of a Sec-WebSocket-Extensions value list (`a; p=1, b` → `['a', 'b']`), lower-cased. */
export function extensionNameList(values: readonly string[]): string[] {
  const names: string[] = [];
  for (const value of values) {
    for (const element of value.split(',')) {
      const name = (element.split(';')[0] ?? '').trim().toLowerCase();
      if (name !== '') names.push(name);
    }
  }
  return names;
}

/** Whether a URL's query carries `.kl=Y`. */
export function hasKl(url: URL): boolean {
  return url.searchParams.get('.kl') === 'Y';
}

/** Adds `.kl=Y` to a URL's query (no-op when present). */
export function withKl(url: string): string {
  const u = new URL(url);
  if (!hasKl(u)) u.search = u.search ? `${u.search}&.kl=Y` : '?.kl=Y';
  return u.toString();
}

/**
 * The origin-form target of the extended request: the opening path and query without `.kl=Y`
 * (guide: ".kl=Y ... does not appear in the extended request's target").
 */
export function originTarget(url: string | URL): string {
  const u = typeof url === 'string' ? new URL(url) : url;
  const kept = u.search
    .replace(/^\?/, '')
    .split('&')
    .filter((p) => p !== '' && p !== '.kl=Y');
  return (u.pathname || '/') + (kept.length ? `?${kept.join('&')}` : '');
}

/** The endpoint a URL names, for redirect-loop detection: scheme, host, path, query without `.kl=Y`. */
export function endpointKey(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${originTarget(u)}`;
}

/** Maps an http(s) URL to ws(s), resolving it against `base` (guide, "3xx": map http to ws). */
export function toWebSocketUrl(location: string, base: string): string {
  const u = new URL(location, base);
  if (u.protocol === 'http:') u.protocol = 'ws:';
  else if (u.protocol === 'https:') u.protocol = 'wss:';
  return u.toString();
}
