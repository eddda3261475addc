/**
 * The HAR fixture corpus: each `har/<name>.har` is decoded and compared with the hand-written
 * `har/<name>.expected.json` (what the spec says the decode must be). Known disagreements between
 * the decoder and the spec are listed in `har/known-discrepancies.json`: those fixtures are asserted
 * to still disagree, so the list must shrink as soon as the decoder is fixed.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeCapture } from '../../src/protocol/index';
import { importHar } from '../../src/protocol/har';
import { buildFixtures, fixtureText } from '../fixtures/make-fixtures';
import { normalise, summarise, type DecodeSummary } from '../fixtures/summarise';

const DIR = new URL('../fixtures/har/', import.meta.url);

interface Expected extends DecodeSummary {
  description: string;
  spec: string;
}

const names = readdirSync(DIR)
  .filter((f) => f.endsWith('.har'))
  .map((f) => f.slice(0, -'.har'.length))
  .sort();
const known = JSON.parse(readFileSync(new URL('known-discrepancies.json', DIR), 'utf8')) as Record<
  string,
  string
>;

const read = (file: string): unknown => JSON.parse(readFileSync(new URL(file, DIR), 'utf8'));

function decodeFixture(name: string) {
  const { sockets, warnings } = importHar(read(`${name}.har`));
  return { summary: summarise(decodeCapture(sockets)), warnings };
}

describe('HAR fixture corpus', () => {
  it('has an expectation for every fixture and a fixture for every expectation', () => {
    const expectations = readdirSync(DIR)
      .filter((f) => f.endsWith('.expected.json'))
      .map((f) => f.slice(0, -'.expected.json'.length))
      .sort();
    expect(expectations).toEqual(names);
    expect(names.length).toBeGreaterThanOrEqual(25);
    for (const k of Object.keys(known)) expect(names).toContain(k);
  });

  it('stores exactly what the generator builds', () => {
    const built = buildFixtures();
    expect(Object.keys(built).sort()).toEqual(names);
    for (const name of names) {
      expect(readFileSync(new URL(`${name}.har`, DIR), 'utf8'), name).toBe(fixtureText(built[name]));
    }
  });

  for (const name of names.filter((n) => !(n in known))) {
    it(`${name} decodes as the spec says`, () => {
      const expected = read(`${name}.expected.json`) as Expected;
      const { summary, warnings } = decodeFixture(name);
      expect(warnings).toEqual([]);
      expect(summary).toEqual(normalise(expected));
    });
  }

  for (const name of names.filter((n) => n in known)) {
    it(`${name}: the decoder still disagrees with the spec (${known[name]})`, () => {
      const expected = read(`${name}.expected.json`) as Expected;
      const { summary } = decodeFixture(name);
      expect(summary).not.toEqual(normalise(expected));
    });
  }
});
