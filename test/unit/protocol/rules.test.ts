import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CAPTURE_CLAUSE, RULES, finding } from '../../../src/protocol/rules';
import type { RuleId } from '../../../src/protocol/rules';

const docs = readFileSync(new URL('../../../docs/rules.md', import.meta.url), 'utf8');
/** Section headings of the KHP spec (its table of contents) that rules may cite. */
const SPEC_SECTIONS = [
  'Handshake Requirements for the Opening WebSocket Handshake',
  'Handshake Requirements for the Extended WebSocket Handshake',
  'Kaazing Extended Handshake Response Codes',
  CAPTURE_CLAUSE, // rules about the capture itself
];
const ids = Object.keys(RULES) as RuleId[];

describe('RULES catalogue', () => {
  it('has kebab-case ids', () => {
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('documents every rule in docs/rules.md with its severity', () => {
    for (const id of ids) {
      const entry = new RegExp('\\*\\*`' + id + '`\\*\\* \\(([^)]*)\\)').exec(docs);
      expect(entry, `docs/rules.md lacks ${id}`).not.toBeNull();
      expect(entry![1]).toContain(RULES[id].severity);
    }
  });

  it('documents no rule that does not exist', () => {
    const documented = [...docs.matchAll(/\*\*`([a-z0-9-]+)`\*\*/g)].map((m) => m[1]);
    expect(documented.sort()).toEqual([...ids].sort());
  });

  it('cites a section heading of the spec in every rule', () => {
    for (const id of ids) {
      const section = RULES[id].spec.split(/[:,]/)[0]!.trim();
      expect(SPEC_SECTIONS, `${id} cites "${section}"`).toContain(section);
    }
  });

  it('covers the rules the issue asks for', () => {
    for (const id of [
      'ext-renegotiated',
      'ext-not-subset',
      'message-before-completion',
      'first-message-not-request',
      'redirect-without-location',
      'challenge-missing',
      'missing-terminator',
      'too-many-redirects',
      'redirect-loop',
    ]) {
      expect(ids).toContain(id);
    }
  });
});

describe('finding', () => {
  it('builds a finding with the catalogue severity and spec clause', () => {
    expect(finding('challenge-missing', 'no challenge', { round: 0, frame: 3 })).toEqual({
      severity: 'error',
      rule: 'challenge-missing',
      message: 'no challenge',
      spec: RULES['challenge-missing'].spec,
      round: 0,
      frame: 3,
    });
  });
  it('lets the caller lower the severity and omits absent places', () => {
    const f = finding('closed-before-completion', 'gave up', { severity: 'warning' });
    expect(f.severity).toBe('warning');
    expect('frame' in f || 'round' in f).toBe(false);
  });
});
