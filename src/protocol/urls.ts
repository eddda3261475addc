/**
 * URL helpers for redirects: mapping a 3xx `Location` to the WebSocket URL the client opens next,
 * and comparing endpoints the way a redirect chain needs (spec, "3xx Redirection": the client
 * proceeds "with a fresh opening handshake to the URL specified in the Location: header" and is
 * "responsible for detecting redirect loops to matching resources").
 */

const WS_SCHEME: Record<string, string> = { 'http:': 'ws:', 'https:': 'wss:', 'ws:': 'ws:', 'wss:': 'wss:' };

/** The `.kl=Y` query parameter real clients add to the opening URL (guide, "Opening handshake"). */
export const KL_PARAM = '.kl';

function parse(url: string, base?: string): URL | null {
  try {
    return new URL(url, base);
  } catch {
    return null;
  }
}

/**
 * The ws/wss URL a redirect sends the client to: http→ws, https→wss, ws/wss kept, a relative
 * Location resolved against the socket URL. Null when the Location is empty or not such a URL.
 */
export function redirectTarget(location: string, socketUrl: string): string | null {
  const trimmed = location.trim();
  if (trimmed === '') return null;
  const base = parse(socketUrl);
  const url = base ? parse(trimmed, base.href) : parse(trimmed);
  if (!url) return null;
  const scheme = WS_SCHEME[url.protocol];
  if (!scheme || url.hostname === '') return null;
  if (url.protocol !== scheme) {
    // Changing between special schemes keeps the URL valid; the default port is dropped below.
    const mapped = parse(scheme + url.href.slice(url.protocol.length));
    if (!mapped) return null;
    return normalisePort(mapped).href;
  }
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
 * fragment dropped, `.kl` query parameter removed. Unparsable input is its own key.
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
  const params = new URLSearchParams(parsed.search);
  params.delete(KL_PARAM);
  const query = params.toString();
  return `${scheme}//${parsed.hostname}${port}${parsed.pathname}${query ? `?${query}` : ''}`;
}

/** True when two URLs name the same endpoint (ignoring `.kl=Y`, default ports, fragment). */
export function sameEndpoint(a: string, b: string): boolean {
  return endpointKey(a) === endpointKey(b);
}

/** True when the URL's query carries `.kl=Y`. */
export function hasKl(url: string): boolean {
  // No "kl" and no percent-escape anywhere: no `.kl` parameter can be in it (skips a URL parse per socket).
  if (!/kl|%/i.test(url)) return false;
  const parsed = parse(url);
  if (!parsed) return /[?&]\.kl=Y(&|#|$)/i.test(url);
  return (parsed.searchParams.get(KL_PARAM) ?? '').toUpperCase() === 'Y';
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
