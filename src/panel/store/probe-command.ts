/**
 * A ready-to-run `npx khp-inspect probe …` command that repeats a captured socket's handshake: its
 * URL, application protocols, requested extensions, text or binary request and `.kl=Y`, in the flags
 * of src/cli/probe.ts. Credentials are left out (the URL goes through the core's `redactUrl`) unless
 * asked for; then the captured `Authorization` becomes `--user` (Basic) or `--token` (Token).
 * Every argument is quoted for a POSIX shell; captured text is never interpreted by the shell.
 */
import { getHeader } from '../../protocol/http1';
import { KHP_PROTOCOL } from '../../protocol/khp';
import type { Connection } from '../../protocol/model';
import { REDACTED, redactUrl } from '../../protocol/redact';
import { hasKl, KL_MARKER } from '../../protocol/urls';
import { parseAuthorization } from '../../replay/auth';

/** Quotes one argument for a POSIX shell: bare when it holds only safe characters, else in '…'. */
export function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Control characters (a pasted command must not carry terminal escapes or line breaks). */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * `url` without its `.kl=Y` marker (probe adds it back unless `--no-kl`); the rest of the query as
 * written. Unchanged when it has no marker.
 */
export function withoutKl(url: string): string {
  if (!hasKl(url)) return url;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  const kept = u.search
    .replace(/^\?/, '')
    .split('&')
    .filter((p) => p !== '' && p !== KL_MARKER);
  u.search = kept.length ? `?${kept.join('&')}` : '';
  return u.href;
}

/** The last `Authorization` value the socket's extended requests carried, if any. */
export function capturedAuthorization(c: Connection): string | undefined {
  let value: string | undefined;
  for (const round of c.rounds) {
    const v = round.request ? getHeader(round.request.headers, 'authorization') : undefined;
    if (v !== undefined) value = v;
  }
  return value;
}

/** True when the "with credentials" command would differ: an `Authorization`, or credentials in the URL. */
export function hasCredentials(c: Connection): boolean {
  return capturedAuthorization(c) !== undefined || redactUrl(c.url) !== c.url;
}

/** Options of `probeCommand`. */
export interface ProbeCommandOptions {
  /** Keep the URL's credentials and answer a 401 with the captured `Authorization` (default false). */
  credentials?: boolean;
}

/** The `probe` command line for `c`, one line. */
export function probeCommand(c: Connection, options: ProbeCommandOptions = {}): string {
  const words = ['npx', 'khp-inspect', 'probe'];
  const notes: string[] = [];
  const add = (flag: string | null, value: string, what: string) => {
    if (CONTROL.test(value)) return void notes.push(`${what} left out: it holds control characters`);
    if (flag) words.push(flag);
    words.push(shellQuote(value));
  };
  const url = withoutKl(c.url);
  add(null, options.credentials ? url : redactUrl(url), 'the URL');
  for (const p of c.requestedProtocols) if (p !== KHP_PROTOCOL) add('--protocol', p, 'a protocol');
  for (const e of c.requestedExtensions) add('--ext', e.raw || e.name, 'an extension');
  const request = c.rounds.find((r) => r.request)?.request;
  if (request?.binary) words.push('--binary');
  if (!(c.kl || hasKl(c.url))) words.push('--no-kl');
  if (options.credentials) {
    const authorization = capturedAuthorization(c);
    const input = authorization === undefined ? null : parseAuthorization(authorization);
    if (authorization?.includes(REDACTED)) notes.push('the capture holds its credentials redacted');
    else if (input?.scheme === 'Basic')
      add('--user', `${input.user}:${input.password}`, 'the Basic credentials');
    else if (input?.scheme === 'Token') add('--token', input.token, 'the token');
    else if (authorization !== undefined)
      notes.push('the captured Authorization is neither Basic nor Token: probe cannot send it');
  }
  return notes.length ? `${words.join(' ')} # ${notes.join('; ')}` : words.join(' ');
}
