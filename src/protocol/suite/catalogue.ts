/**
 * The case catalogue: every numbered case, its category names, choosing cases by pattern
 * (`3.*`, `3`, `2.4`), and the case list as Markdown (docs/suite.md carries it; a test checks it).
 */
import { AUTH_CASES, REDIRECT_CASES } from './cases-auth';
import { EXTENSION_CASES, STATUS_CASES } from './cases-extensions';
import { CLIENT_CASES } from './cases-client';
import { CLOSE_CASES, FRAMING_CASES } from './cases-framing';
import { OPENING_CASES, REQUEST_CASES } from './cases-opening';
import type { ClientCase, SuiteCase, SuiteCaseBase, SuiteRole } from './types';

/** The categories, by number (issue 13's eight). */
export const CATEGORIES: Readonly<Record<number, string>> = {
  1: 'Opening negotiation',
  2: 'The extended request',
  3: '401 rounds',
  4: '3xx and balancer redirects',
  5: 'Extension negotiation',
  6: 'Status codes',
  7: 'Real-gateway framing',
  8: 'Close behaviour',
};

/** Every server-role case, in order. */
export const SERVER_CASES: readonly SuiteCase[] = [
  ...OPENING_CASES,
  ...REQUEST_CASES,
  ...AUTH_CASES,
  ...REDIRECT_CASES,
  ...EXTENSION_CASES,
  ...STATUS_CASES,
  ...FRAMING_CASES,
  ...CLOSE_CASES,
];

/** Every client-role case, in order. */
export { CLIENT_CASES };

/** The cases of a role. */
export function casesOf(role: SuiteRole): readonly (SuiteCase | ClientCase)[] {
  return role === 'server' ? SERVER_CASES : CLIENT_CASES;
}

/** True when `pattern` (`3.*`, `3`, `3.2`, `*`) names case `id`. */
export function matches(pattern: string, id: string): boolean {
  const p = pattern.trim();
  if (p === '*' || p === id) return true;
  const category = /^(\d+)(?:\.\*)?$/.exec(p);
  return category !== null && id.split('.')[0] === category[1];
}

/** True when `pattern` is a pattern `matches` understands. */
export function isPattern(pattern: string): boolean {
  return /^(\*|\d+(\.\*|\.\d+)?)$/.test(pattern.trim());
}

/** The cases named by `include` (all when empty) and not by `exclude`, in catalogue order. */
export function selectCases<C extends SuiteCaseBase>(
  all: readonly C[],
  include: string[],
  exclude: string[],
): C[] {
  return all.filter(
    (c) =>
      (include.length === 0 || include.some((p) => matches(p, c.id))) &&
      !exclude.some((p) => matches(p, c.id)),
  );
}

/** The case list as Markdown: one table per category (docs/suite.md, between its markers). */
export function caseListMarkdown(cases: readonly SuiteCaseBase[]): string {
  const out: string[] = [];
  for (const [n, name] of Object.entries(CATEGORIES)) {
    const inCategory = cases.filter((c) => c.category === Number(n));
    if (inCategory.length === 0) continue;
    out.push(
      `### ${n}. ${name}`,
      '',
      '| Case | Title | Expectation | Spec | Rules |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const c of inCategory) {
      const rules = c.rules.length ? c.rules.map((r) => `\`${r}\``).join(', ') : '—';
      const cells = [c.id, c.title, c.expectation, c.spec, rules].map((t) => t.replace(/\|/g, '\\|'));
      out.push(`| ${cells.join(' | ')} |`);
    }
    out.push('');
  }
  return out.join('\n');
}
