import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/protocol/rules';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('lists every finding rule with its severity and spec clause', () => {
    for (const [id, rule] of Object.entries(RULES)) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${id}\` `));
      expect(row, `README lacks rule ${id}`).toBeDefined();
      // Split on cell separators, not on escaped pipes inside a cell; Prettier pads cells.
      const cells = row!
        .split(/(?<!\\)\|/)
        .slice(1, -1)
        .map((cell) => cell.trim().replace(/\\\|/g, '|'));
      expect(cells[1]).toBe(rule.severity);
      expect(cells[2]).toBe(rule.spec);
    }
  });

  it('gives the two set-up commands', () => {
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm test');
  });
});
