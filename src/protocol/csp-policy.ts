/**
 * Content-Security-Policy, read for one question only: may the document start a same-origin dedicated
 * worker through the hook's `blob:` bootstrap (src/hook/workers.ts) without a violation, and without
 * loading what the policy would refuse the worker itself (CSP Level 3, W3C Working Draft)? Clauses are
 * cited by the spec's algorithm names and anchors, which, unlike section numbers, stay put between
 * drafts.
 *
 * - A header value is a list of serialized policies separated by commas (CSP3 "parse a response's
 *   Content Security Policies", #parse-response-csp); each policy is a list of directives separated
 *   by `;` ("parse a serialized CSP", #parse-serialized-policy): a token is stripped of ASCII
 *   whitespace, an empty one is skipped, its name (up to the first ASCII whitespace) is
 *   ASCII-lowercased, and a directive whose name the policy already holds is ignored (the first one
 *   wins). Its value is the rest, split on ASCII whitespace.
 * - A worker's request has the effective directive `worker-src` ("get the effective directive for
 *   request"); its fallback list is `worker-src`, `child-src`, `script-src`, `default-src` ("get
 *   fetch directive fallback list"): the first of them the policy holds is the one that decides
 *   ("should fetch directive execute"). A policy with none of them does not restrict workers. It
 *   must allow the bootstrap's `blob:` URL and, as the browser would check it, the script's own URL.
 * - The worker then loads scripts: a classic worker's bootstrap imports the hook's copy (`blob:`)
 *   and the script with `importScripts`, a module worker's with static `import`s. Those requests
 *   have the destination "script", the effective directive `script-src-elem`, whose fallback list is
 *   `script-src-elem`, `script-src`, `default-src`, checked against the worker's policy, which a
 *   `blob:` worker takes from its document: it must allow `blob:` and the script's URL.
 * - Before the script runs, the hook's copy fetches the script's URL with a synchronous
 *   `XMLHttpRequest` to learn where its redirects end (a worker's script must stay same-origin):
 *   effective directive `connect-src`, fallback list `connect-src`, `default-src`, which must allow
 *   the script's URL.
 * - A source list allows a `blob:` URL only through the scheme-source `blob:` (#source-lists; scheme
 *   names are ASCII case-insensitive). `*` does not match a `blob:` URL ("does url match expression in
 *   origin with redirect count": only network schemes and the protected resource's own), nor does
 *   `'self'` in the browsers; an empty list allows nothing. The script's URL is of the document's
 *   origin (the hook bootstraps no other): it is allowed through `'self'` or `*`; any other source
 *   that might match it (a host-source naming the origin, a scheme-source) is not read here.
 *
 * Where a browser could read the policy otherwise, the answer is "no" (a wrong "no" costs a hooked
 * worker; a wrong "yes" a violation the page and the site see):
 * - `'none'` anywhere in the list denies ("does url match source list" honours it only alone;
 *   browsers warn).
 * - `'strict-dynamic'` denies: with it, scheme-sources are ignored for script requests
 *   (#strict-dynamic-usage), and the browsers differ on whether it applies to workers.
 * - A directive token that is not ASCII is skipped by the parser ("parse a serialized CSP"), so a
 *   fallback directive would decide instead: the whole policy denies.
 *
 * The hook calls this in the page's MAIN world, after page scripts may have replaced any built-in
 * method: the scanner uses none (no `split`, `toLowerCase`, array method or iterator), only string
 * indexing, `length`, comparison and concatenation, which a page cannot redefine.
 */

/** `entries` in an object with no prototype, so a lookup cannot reach `Object.prototype`. At load. */
function table<V>(entries: Record<string, V>): Readonly<Record<string, V>> {
  return Object.assign(Object.create(null) as Record<string, V>, entries);
}

/** ASCII whitespace (Infra): TAB, LF, FF, CR, SPACE. */
const SPACE = table({ '\t': true, '\n': true, '\f': true, '\r': true, ' ': true });

/** ASCII upper-case letters to their lower-case forms (ASCII lowercase, Infra). */
const LOWER = Object.create(null) as Record<string, string>;
for (let i = 0; i < 26; i++) LOWER['ABCDEFGHIJKLMNOPQRSTUVWXYZ'[i]!] = 'abcdefghijklmnopqrstuvwxyz'[i]!;

type Slot = 'worker' | 'child' | 'scriptElem' | 'script' | 'connect' | 'default';

/** The directives of a worker's fallback list ("get fetch directive fallback list"), by name. */
const SLOTS = table<Slot>({
  'worker-src': 'worker',
  'child-src': 'child',
  'script-src-elem': 'scriptElem',
  'script-src': 'script',
  'connect-src': 'connect',
  'default-src': 'default',
});

/** A source list allows `blob:` URLs. */
const BLOB = 1;
/** A source list allows URLs of the document's origin (`'self'` or `*`). */
const SELF = 2;
/** What a directive's source list allows (BLOB | SELF bits); undefined: the policy has no such directive. */
type Say = number | undefined;

/** What one policy has said so far of the directives in the two fallback lists. */
interface Fallback {
  worker: Say;
  child: Say;
  scriptElem: Say;
  script: Say;
  connect: Say;
  default: Say;
  /** A directive token held a non-ASCII character ("parse a serialized CSP" skips it). */
  unreadable: boolean;
  /**
   * `require-trusted-types-for` is present: the `Worker` constructor then wants a TrustedScriptURL
   * (Trusted Types, "enforcement in sinks"), and a bootstrap's plain `blob:` string would be refused.
   */
  trustedTypes: boolean;
}

/** True when every policy in every header value allows a `blob:` worker; an empty list does. */
export function policiesAllowBlobWorkers(policies: readonly string[]): boolean {
  for (let i = 0; i < policies.length; i++) {
    const value = policies[i];
    if (typeof value !== 'string' || !headerAllowsBlobWorkers(value)) return false;
  }
  return true;
}

/**
 * One header (or `<meta content>`) value: true when each of its comma-separated policies allows a
 * `blob:` worker.
 */
export function headerAllowsBlobWorkers(value: string): boolean {
  const end = value.length;
  let at = 0;
  while (at <= end) {
    let next = at;
    while (next < end && value[next] !== ',') next++;
    if (!policyAllows(value, at, next)) return false;
    at = next + 1;
  }
  return true;
}

/**
 * One serialized policy, commas included ("parse a serialized CSP": how CSP3 #meta-element reads a
 * `<meta>`'s content): true when it allows a `blob:` worker.
 */
export function policyAllowsBlobWorkers(value: string): boolean {
  return policyAllows(value, 0, value.length);
}

/** The policy `value[from..to)` ("parse a serialized CSP"), judged by a worker's effective directive. */
function policyAllows(value: string, from: number, to: number): boolean {
  const seen: Fallback = {
    worker: undefined,
    child: undefined,
    scriptElem: undefined,
    script: undefined,
    connect: undefined,
    default: undefined,
    unreadable: false,
    trustedTypes: false,
  };
  let at = from;
  while (at <= to) {
    let next = at;
    while (next < to && value[next] !== ';') next++;
    directive(value, at, next, seen);
    at = next + 1;
  }
  if (seen.unreadable || seen.trustedTypes) return false;
  const all = BLOB | SELF;
  const worker = seen.worker ?? seen.child ?? seen.script ?? seen.default ?? all;
  const scripts = seen.scriptElem ?? seen.script ?? seen.default ?? all;
  const connect = seen.connect ?? seen.default ?? all;
  return (worker & all) === all && (scripts & all) === all && (connect & SELF) === SELF;
}

/** One directive token `value[from..to)`: records what it says if it is one of the fallback list. */
function directive(value: string, from: number, to: number, seen: Fallback): void {
  let at = from;
  while (at < to && SPACE[value[at]!]) at++;
  let name = '';
  while (at < to && !SPACE[value[at]!]) name += lower(value[at++]!);
  if (name === 'require-trusted-types-for') seen.trustedTypes = true;
  const slot = SLOTS[name];
  if (slot === undefined) return;
  // The first directive of a name wins; later ones are ignored ("parse a serialized CSP").
  if (seen[slot] !== undefined) return;
  for (let i = at; i < to; i++) if (value[i]! > '\x7f') seen.unreadable = true;
  seen[slot] = sourcesAllow(value, at, to);
}

/** A directive's source list `value[from..to)`: what it allows (0 when it holds a source that denies). */
function sourcesAllow(value: string, from: number, to: number): number {
  let allows = 0;
  let at = from;
  while (at < to) {
    while (at < to && SPACE[value[at]!]) at++;
    if (at >= to) break;
    let source = '';
    while (at < to && !SPACE[value[at]!]) source += lower(value[at++]!);
    if (source === "'none'" || source === "'strict-dynamic'") return 0;
    if (source === 'blob:') allows |= BLOB;
    else if (source === "'self'" || source === '*') allows |= SELF;
  }
  return allows;
}

function lower(c: string): string {
  return LOWER[c] ?? c;
}

/** `s` with ASCII upper-case letters lowered (Infra "ASCII lowercase"), by the same page-safe means. */
export function asciiLowercase(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += lower(s[i]!);
  return out;
}
