/**
 * Sites the extension captures on, as match patterns. A user types a host (`gateway.example.com`,
 * `*.example.com`, `localhost`) or a page address (`https://gateway.example.com:8443/app`); it becomes
 * one pattern, `<scheme>://<host>/*`:
 *
 * - the scheme is `http`, `https`, or `*` (both) when none is given;
 * - the host is exact, or `*.` and a domain (the domain and every subdomain);
 * - the path is always `/*` (a whole site), and the port is dropped (a pattern without a port matches
 *   every port, in Chrome and Firefox alike).
 *
 * Pure: no browser API, so the options page, the background and the tests share it.
 */

/** A parsed site: its pattern, or why the input is not one. */
export type SiteParse = { ok: true; pattern: string } | { ok: false; error: string };

/** Longest input taken (a host name is at most 253 characters). */
export const MAX_SITE_INPUT = 300;

const SCHEMES = new Set(['http', 'https', '*']);

/** Parses what the user typed into a site pattern. */
export function parseSite(input: string): SiteParse {
  const text = input.trim();
  if (text === '') return fail('Enter a site, for example gateway.example.com.');
  if (text.length > MAX_SITE_INPUT) return fail(`That is longer than ${MAX_SITE_INPUT} characters.`);
  if (text === '<all_urls>' || text === '*' || text === '*://*/*')
    return fail('To capture on every site, choose "All sites".');
  if (/\s/.test(text)) return fail('A site has no spaces.');
  const sep = text.indexOf('://');
  const scheme = sep === -1 ? '*' : text.slice(0, sep).toLowerCase();
  if (scheme === 'ws' || scheme === 'wss')
    return fail(
      "Enter the address of the pages (http or https), not the WebSocket's: the extension captures the sockets that pages of a site open.",
    );
  if (!SCHEMES.has(scheme)) return fail('Only http and https sites can be captured.');
  const rest = sep === -1 ? text : text.slice(sep + 3);
  const authority = rest.split(/[/?#]/, 1)[0]!;
  if (authority.includes('@')) return fail('Leave out the user name: enter only the host.');
  let host = authority;
  let wildcard = false;
  if (host.startsWith('*.')) {
    wildcard = true;
    host = host.slice(2);
  }
  if (host.includes('*')) return fail('A * may only start the host name, as in *.example.com.');
  const name = hostName(host);
  if (name === null)
    return fail(authority === '' ? 'Enter a host name.' : `"${authority}" is not a host name.`);
  if (wildcard && (name.startsWith('[') || /^[\d.]+$/.test(name)))
    return fail('*. goes before a domain name, not an IP address.');
  return { ok: true, pattern: `${scheme}://${wildcard ? '*.' : ''}${name}/*` };
}

/** The host of `host[:port]`, lower-case and in its ASCII form (punycode), or null when invalid. */
function hostName(hostAndPort: string): string | null {
  if (hostAndPort === '') return null;
  try {
    const url = new URL(`http://${hostAndPort}/`);
    if (url.hostname === '' || url.username !== '' || url.password !== '') return null;
    return url.hostname;
  } catch {
    return null;
  }
}

function fail(error: string): SiteParse {
  return { ok: false, error };
}

/** A pattern made by `parseSite`, in parts (null for anything else). */
function partsOf(pattern: string): { scheme: string; host: string } | null {
  const m = /^(\*|https?):\/\/([^/]+)\/\*$/.exec(pattern);
  return m ? { scheme: m[1]!, host: m[2]! } : null;
}

/** True when every page `inner` matches is matched by `outer` too. */
export function covers(outer: string, inner: string): boolean {
  const a = partsOf(outer);
  const b = partsOf(inner);
  if (!a || !b) return outer === inner;
  if (a.scheme !== '*' && a.scheme !== b.scheme) return false;
  if (a.host === b.host) return true;
  if (!a.host.startsWith('*.')) return false;
  const domain = a.host.slice(2);
  const host = b.host.startsWith('*.') ? b.host.slice(2) : b.host;
  return host === domain || host.endsWith(`.${domain}`);
}

/** True for a pattern `parseSite` could have made (stored lists are checked with it). */
export function isSitePattern(value: unknown): value is string {
  if (typeof value !== 'string' || partsOf(value) === null) return false;
  const parsed = parseSite(value);
  return parsed.ok && parsed.pattern === value;
}

/** A pattern for people: `gateway.example.com` (http and https), `https://*.example.com`. */
export function describeSite(pattern: string): string {
  const p = partsOf(pattern);
  if (!p) return pattern;
  return p.scheme === '*' ? p.host : `${p.scheme}://${p.host}`;
}

/**
 * `sites` with `pattern` added at the end, or why not: it is listed already, or a listed pattern
 * covers it, or the list is full (`max`).
 */
export function addSite(
  sites: readonly string[],
  pattern: string,
  max: number,
): { ok: true; sites: string[] } | { ok: false; error: string } {
  const cover = sites.find((s) => covers(s, pattern));
  if (cover === pattern) return { ok: false, error: `${describeSite(pattern)} is listed already.` };
  if (cover) return { ok: false, error: `${describeSite(cover)} already covers ${describeSite(pattern)}.` };
  if (sites.length >= max) return { ok: false, error: `The list holds at most ${max} sites.` };
  return { ok: true, sites: [...sites, pattern] };
}
