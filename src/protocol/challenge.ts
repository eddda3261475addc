/**
 * The challenge of a 401 extended response (spec, "401 Unauthorized"; guide, "401": gateways write
 * `WWW-Authenticate: Application Basic realm="..."` or `Application Token`, the `Application ` prefix
 * keeping browsers from showing their own login box). Read by the client, to answer it, and by the
 * conformance suite, to judge it.
 */

/** Reads `Application Basic realm="x"` (or `Basic realm=...`, `Application Token`) into scheme and realm. */
export function readChallenge(header: string | undefined): { scheme: string; realm?: string } {
  const value = (header ?? '').trim().replace(/^Application\s+/i, '');
  const scheme = /^([A-Za-z0-9!#$%&'*+.^_`|~-]+)/.exec(value)?.[1] ?? '';
  const realm = /realm="((?:[^"\\]|\\.)*)"/i.exec(value)?.[1];
  return realm === undefined ? { scheme } : { scheme, realm };
}
