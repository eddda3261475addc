/**
 * The connection filter: whitespace-separated terms, all of which must match.
 *
 *   text          substring of the URL, protocol, statuses, outcome or extensions (case-insensitive)
 *   /re/flags     a regular expression over the URL, or over the same text
 *   key:value     status:401  status:4xx  outcome:failed  ext:ping-pong  rule:ext-  url:/echo
 *                 protocol:amqp  khp:yes|no
 *   data:text     a frame whose payload matches (data:/re/, data:hex:0aff; see frame-search.ts)
 *   -term         negation of any of the above
 *   "two words"   quotes keep spaces inside one term
 */
import type { CapturedFrame } from '../../protocol/capture';
import type { Chain, Connection } from '../../protocol/model';
import { anyFrameMatches, parseFrameQuery, type FrameQuery } from './frame-search';
import { chainFailure, roundStatuses, shortPath } from './summary';

export const FILTER_KEYS = ['status', 'outcome', 'ext', 'rule', 'url', 'protocol', 'khp', 'data'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

export type FilterTerm =
  | { kind: 'text'; negate: boolean; text: string }
  | { kind: 'regex'; negate: boolean; re: RegExp }
  | { kind: 'key'; negate: boolean; key: Exclude<FilterKey, 'data'>; value: string }
  | { kind: 'data'; negate: boolean; query: FrameQuery };

/** What a connection is matched with besides itself. */
export interface FilterContext {
  /** The redirect chain it belongs to. */
  chain?: Chain | undefined;
  /** Its socket's frames (for `data:`). */
  frames?: CapturedFrame[] | undefined;
}

export interface ParsedFilter {
  terms: FilterTerm[];
  /** Human-readable problems (an invalid regular expression); such terms match as plain text. */
  errors: string[];
}

/** Splits the input into raw terms, honouring double quotes. */
function tokenize(input: string): string[] {
  const out: string[] = [];
  const re = /(-?)"([^"]*)"?|(\S+)/g;
  for (let m = re.exec(input); m; m = re.exec(input)) {
    if (m[3] !== undefined) out.push(m[3]);
    else out.push(`${m[1] ?? ''}${m[2] ?? ''}`);
  }
  return out.filter((t) => t !== '' && t !== '-');
}

/** Parses filter text into terms. Never throws. */
export function parseFilter(input: string): ParsedFilter {
  const terms: FilterTerm[] = [];
  const errors: string[] = [];
  for (let token of tokenize(input)) {
    let negate = false;
    if (token.startsWith('-') && token.length > 1) {
      negate = true;
      token = token.slice(1);
    }
    const regex = /^\/(.+)\/([a-z]*)$/.exec(token);
    if (regex) {
      try {
        const flags = regex[2]!.includes('i') ? regex[2]! : `${regex[2]!}i`;
        terms.push({ kind: 'regex', negate, re: new RegExp(regex[1]!, flags.replace(/[gy]/g, '')) });
      } catch (err) {
        errors.push(`${token}: ${err instanceof Error ? err.message : 'invalid regular expression'}`);
        terms.push({ kind: 'text', negate, text: token.toLowerCase() });
      }
      continue;
    }
    const colon = token.indexOf(':');
    const key = colon > 0 ? token.slice(0, colon).toLowerCase() : '';
    if (key === 'data') {
      const parsed = parseFrameQuery(token.slice(colon + 1));
      if (!parsed.ok) errors.push(`${token}: ${parsed.error}`);
      else if (parsed.query) terms.push({ kind: 'data', negate, query: parsed.query });
    } else if ((FILTER_KEYS as readonly string[]).includes(key)) {
      terms.push({
        kind: 'key',
        negate,
        key: key as Exclude<FilterKey, 'data'>,
        value: token.slice(colon + 1).toLowerCase(),
      });
    } else {
      terms.push({ kind: 'text', negate, text: token.toLowerCase() });
    }
  }
  return { terms, errors };
}

function extensionNames(c: Connection): string[] {
  return [...c.openingExtensions, ...c.requestedExtensions, ...c.extensions].map((e) => e.name.toLowerCase());
}

/** The text plain terms and regular expressions search. */
export function haystack(c: Connection, chain?: Chain): string {
  return [
    c.url,
    c.protocol ?? '',
    roundStatuses(c).join(' '),
    c.outcome,
    chainFailure(chain) ?? '',
    ...extensionNames(c),
    ...c.extendedProtocols,
  ]
    .join(' ')
    .toLowerCase();
}

function matchStatus(c: Connection, value: string): boolean {
  const codes = roundStatuses(c).map(String);
  if (/^[1-5]xx$/.test(value)) return codes.some((s) => s[0] === value[0]);
  return codes.includes(value);
}

function matchOutcome(c: Connection, value: string, chain: Chain | undefined): boolean {
  if (c.outcome.startsWith(value)) return true;
  // Every hop of a chain that failed as a whole matches its outcome (`outcome:loop`,
  // `outcome:too-many`) and counts as failed, so the group shows whole.
  const failed = chainFailure(chain);
  return failed !== null && (failed.startsWith(value) || 'failed'.startsWith(value));
}

function matchKey(
  c: Connection,
  key: Exclude<FilterKey, 'data'>,
  value: string,
  chain: Chain | undefined,
): boolean {
  switch (key) {
    case 'status':
      return matchStatus(c, value);
    case 'outcome':
      return matchOutcome(c, value, chain);
    case 'ext':
      return extensionNames(c).some((n) => n.includes(value));
    case 'rule':
      // A chain's own findings (redirect-loop, too-many-redirects) belong to each of its hops.
      return [...c.findings, ...(chain?.findings ?? [])].some((f) => f.rule.toLowerCase().includes(value));
    case 'url':
      return c.url.toLowerCase().includes(value);
    case 'protocol':
      return [c.protocol ?? '', ...c.requestedProtocols, ...c.extendedProtocols].some((p) =>
        p.toLowerCase().includes(value),
      );
    case 'khp':
      return ['yes', 'true', '1'].includes(value) ? c.khp : !c.khp;
  }
}

function matchTerm(c: Connection, term: FilterTerm, text: string, ctx: FilterContext): boolean {
  let hit: boolean;
  if (term.kind === 'text') hit = text.includes(term.text);
  // A regular expression also sees the URL as the list shows it (host and path, `.kl=Y` hidden), so
  // `/redirect\/\d$/` matches the row that reads `/redirect/2`.
  else if (term.kind === 'regex')
    hit = term.re.test(c.url) || term.re.test(shortPath(c.url, true)) || term.re.test(text);
  else if (term.kind === 'data') hit = anyFrameMatches(ctx.frames ?? [], term.query);
  else hit = matchKey(c, term.key, term.value, ctx.chain);
  return term.negate ? !hit : hit;
}

/** True when the connection satisfies every term (`ctx`: its chain and frames, when known). */
export function matchesFilter(c: Connection, filter: ParsedFilter, ctx: FilterContext = {}): boolean {
  if (filter.terms.length === 0) return true;
  // The haystack is built only when a plain or regex term needs it.
  const text = filter.terms.some((t) => t.kind === 'text' || t.kind === 'regex')
    ? haystack(c, ctx.chain)
    : '';
  // Cheap terms first: a frame search runs only on sockets the rest of the filter kept.
  for (const t of filter.terms) if (t.kind !== 'data' && !matchTerm(c, t, text, ctx)) return false;
  for (const t of filter.terms) if (t.kind === 'data' && !matchTerm(c, t, text, ctx)) return false;
  return true;
}
