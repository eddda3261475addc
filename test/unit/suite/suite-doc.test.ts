/**
 * docs/suite.md carries the case list, the verdicts and the misbehaviours as the model has them
 * (scripts/suite-doc.ts writes them), and the catalogue itself is well formed: numbered in order
 * within the eight categories, every case described, with a clause and known rule ids.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CATEGORIES,
  CLIENT_CASES,
  SERVER_CASES,
  matches,
  selectCases,
} from '../../../src/protocol/suite/catalogue';
import { RULES } from '../../../src/protocol/rules';
import { flatten, suiteDocBlocks, withBlocks } from '../../../scripts/suite-doc-blocks';

const doc = readFileSync(new URL('../../../docs/suite.md', import.meta.url), 'utf8');

describe('the suite catalogue', () => {
  it.each([
    ['server', SERVER_CASES],
    ['client', CLIENT_CASES],
  ] as const)('numbers the %s cases in order within the eight categories', (role, cases) => {
    expect(Object.keys(CATEGORIES)).toHaveLength(8);
    let last = [0, 0];
    for (const c of cases) {
      expect(c.role).toBe(role);
      const [cat, n] = c.id.split('.').map(Number) as [number, number];
      expect(cat === last[0] ? n === last[1]! + 1 : cat === last[0]! + 1 && n === 1, c.id).toBe(true);
      expect(c.category).toBe(cat);
      last = [cat, n];
      for (const text of [c.title, c.description, c.expectation, c.spec])
        expect(text.length, c.id).toBeGreaterThan(10);
      for (const rule of c.rules) expect(Object.keys(RULES), c.id).toContain(rule);
    }
    expect(last[0]).toBe(8);
  });

  it('chooses cases by pattern', () => {
    expect(matches('3.*', '3.2')).toBe(true);
    expect(matches('3', '3.2')).toBe(true);
    expect(matches('3', '13.2')).toBe(false);
    expect(selectCases(SERVER_CASES, ['8'], ['8.2']).map((c) => c.id)).toEqual(['8.1', '8.3', '8.4', '8.5']);
  });
});

describe('docs/suite.md', () => {
  it('has the generated blocks as the model gives them (node --import tsx scripts/suite-doc.ts)', () => {
    expect(flatten(doc)).toBe(flatten(withBlocks(doc, suiteDocBlocks())));
  });
});
