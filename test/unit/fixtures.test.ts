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
import type { DecodeResult } from '../../src/protocol/model';
import { buildFixtures, fixtureText } from '../fixtures/make-fixtures';

const DIR = new URL('../fixtures/har/', import.meta.url);

interface ExpectedConnection {
  url: string;
  outcome: string;
  rounds: Array<[number | null, string]>;
  extensions: string[];
  redirectTo: string | null;
  findings: string[];
}
interface ExpectedChain {
  connections: number[];
  length: number;
  outcome: string;
  loop: boolean;
  findings: string[];
}
interface Expected {
  description: string;
  spec: string;
  connections: ExpectedConnection[];
  chains: ExpectedChain[];
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
const uniqueSorted = (ids: string[]) => [...new Set(ids)].sort();

/** The decode, reduced to what the expectation files state. */
function summarise(result: DecodeResult): Omit<Expected, 'description' | 'spec'> {
  const index = new Map(result.connections.map((c, i) => [c.id, i]));
  return {
    connections: result.connections.map((c) => ({
      url: c.url,
      outcome: c.outcome,
      rounds: c.rounds.map((r): [number | null, string] => [r.response ? r.response.status : null, r.action]),
      extensions: c.extensions.map((e) => e.name),
      redirectTo: c.redirectTo,
      findings: uniqueSorted(c.findings.map((f) => f.rule)),
    })),
    chains: result.chains.map((ch) => ({
      connections: ch.connections.map((id) => index.get(id) ?? -1),
      length: ch.connections.length,
      outcome: ch.outcome,
      loop: ch.loop,
      findings: uniqueSorted(ch.findings.map((f) => f.rule)),
    })),
  };
}

function normalise(expected: Expected): Omit<Expected, 'description' | 'spec'> {
  return {
    connections: expected.connections.map((c) => ({ ...c, findings: uniqueSorted(c.findings) })),
    chains: expected.chains.map((c) => ({ ...c, findings: uniqueSorted(c.findings) })),
  };
}

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
