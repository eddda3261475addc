/**
 * URL rules of KHP: the `.kl=Y` marker real clients put on the opening URL, the extended request's
 * target, mapping a 3xx `Location` to the WebSocket URL the client opens next, and comparing endpoints
 * the way a redirect chain needs (spec, "3xx Redirection": the client proceeds "with a fresh opening
 * handshake to the URL specified in the Location: header" and is "responsible for detecting redirect
 * loops to matching resources").
 *
 * The `.kl=Y` marker is matched exactly, as one `&`-separated part of the raw query: real clients
 * append the literal text `.kl=Y` (guide, "Opening handshake"), and a looser match (`.kl=y`,
 * `%2Ekl=Y`) would make the decoder expect an empty terminator that a gateway need not send. Queries
 * are compared and rebuilt as written, never re-encoded: `?q=a+b` and `?q=a%20b`, or `?p=a/b` and
 * `?p=a%2Fb`, may name different resources.
 */

const WS_SCHEME: Record<string, string> = { 'http:': 'ws:', 'https:': 'wss:', 'ws:': 'ws:', 'wss:': 'wss:' };

/** The `.kl=Y` query parameter real clients add to the opening URL (guide, "Opening handshake"). */
export const KL_MARKER = '.kl=Y';

function parse(url: string, base?: string): URL | null {
  try {
    return new URL(url, base);
  } catch {
    return null;
  }
}

/**
 * The ws/wss URL a redirect sends the client to: http→ws, https→wss, ws/wss kept, a relative
 * Location resolved against the socket URL, the fragment dropped (a WebSocket URL may not carry one:
 * the WebSocket constructor throws a SyntaxError). Null when the Location is empty or not such a URL.
 */
export function redirectTarget(location: string, socketUrl: string): string | null {
  const trimmed = location.trim();
  if (trimmed === '') return null;
  const base = parse(socketUrl);
  let url = base ? parse(trimmed, base.href) : parse(trimmed);
  if (!url) return null;
  const scheme = WS_SCHEME[url.protocol];
  if (!scheme || url.hostname === '') return null;
  if (url.protocol !== scheme) {
    // Changing between special schemes keeps the URL valid; the default port is dropped below.
    const mapped = parse(scheme + url.href.slice(url.protocol.length));
    if (!mapped) return null;
    url = normalisePort(mapped);
  }
  url.hash = '';
  return url.href;
}

/** Drops a port equal to the scheme's default (http→ws mapping can leave `:80` on a ws URL). */
function normalisePort(url: URL): URL {
  const port = url.port;
  if ((url.protocol === 'ws:' && port === '80') || (url.protocol === 'wss:' && port === '443')) url.port = '';
  return url;
}

/**
 * A comparison key for an endpoint: scheme mapped to ws/wss, host lower-cased, default port dropped,
 * fragment dropped, `.kl=Y` removed from the query and the rest kept as written. Unparsable input is
 * its own key.
 */
export function endpointKey(url: string): string {
  const cached = keyCache.get(url);
  if (cached !== undefined) return cached;
  const key = computeEndpointKey(url);
  // Bounded: a long live capture must not grow the cache without limit; starting over is cheap.
  if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.clear();
  keyCache.set(url, key);
  return key;
}

/** Endpoint keys by URL string: chains are rebuilt often and the same URLs come back every time. */
const keyCache = new Map<string, string>();
const KEY_CACHE_LIMIT = 20_000;

function computeEndpointKey(url: string): string {
  const parsed = parse(url.trim());
  if (!parsed) return url;
  const scheme = WS_SCHEME[parsed.protocol] ?? parsed.protocol;
  const port =
    parsed.port === '' ||
    (scheme === 'ws:' && parsed.port === '80') ||
    (scheme === 'wss:' && parsed.port === '443')
      ? ''
      : `:${parsed.port}`;
  return `${scheme}//${parsed.hostname}${port}${targetOf(parsed)}`;
}

/** The `&`-separated parts of a raw query (`?a=1&b` → `['a=1', 'b']`), empty parts left out. */
function queryParts(search: string): string[] {
  return search
    .replace(/^\?/, '')
    .split('&')
    .filter((p) => p !== '');
}

/** Path and query of a parsed URL, `.kl=Y` parts left out, the rest as written. */
function targetOf(url: URL): string {
  const kept = queryParts(url.search).filter((p) => p !== KL_MARKER);
  return (url.pathname || '/') + (kept.length > 0 ? `?${kept.join('&')}` : '');
}

/** True when two URLs name the same endpoint (ignoring `.kl=Y`, default ports, fragment). */
export function sameEndpoint(a: string, b: string): boolean {
  return endpointKey(a) === endpointKey(b);
}

/** True when the URL's query carries the `.kl=Y` marker (exactly; see the module comment). */
export function hasKl(url: string): boolean {
  // No marker text anywhere: skips a URL parse per socket.
  if (!url.includes(KL_MARKER)) return false;
  const parsed = parse(url);
  if (!parsed) return /[?&]\.kl=Y(?:[&#]|$)/.test(url);
  return queryParts(parsed.search).includes(KL_MARKER);
}

/**
 * The opening URL with `.kl=Y` added to its query, as real clients do (guide, "Opening handshake");
 * unchanged when the marker is there. The rest of the query is kept as written.
 */
export function withKl(url: string): string {
  const u = new URL(url);
  if (!queryParts(u.search).includes(KL_MARKER)) {
    const rest = u.search.replace(/^\?/, '').replace(/&+$/, '');
    u.search = rest ? `?${rest}&${KL_MARKER}` : `?${KL_MARKER}`;
  }
  return u.href;
}

/**
 * The origin-form target of the extended request for an opening URL: path and query without
 * `.kl=Y` (guide, "Opening handshake": the marker "does not appear in the extended request's
 * target"). `/` when the URL does not parse.
 */
export function originTarget(url: string): string {
  const parsed = parse(url);
  return parsed ? targetOf(parsed) : '/';
}

/** The path of a URL (`/` when unparsable or empty). */
export function urlPath(url: string): string {
  return parse(url)?.pathname || '/';
}

/** The path of a request target: origin form `/p?q`, or the path of an absolute-form URL. */
export function targetPath(target: string): string {
  if (target.startsWith('/')) {
    const end = target.search(/[?#]/);
    return end < 0 ? target : target.slice(0, end);
  }
  return parse(target)?.pathname ?? target;
}
