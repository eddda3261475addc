/**
 * A suite that cannot fail proves nothing: for each way the reference server can be told to break
 * the protocol (`serve --misbehave`), the cases it names end FAILED (the case, or its close) against
 * a real server misbehaving that way. The same cases are OK against the conforming server
 * (reference.test.ts), and every category has a misbehaviour.
 */
import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../../src/protocol/suite/catalogue';
import { isFailure } from '../../../src/protocol/suite/judge';
import { MISBEHAVIOURS, findMisbehaviour, type Misbehaviour } from '../../../src/server/misbehave';
import { runAgainst } from './suite-harness';

const entries = Object.entries(MISBEHAVIOURS) as [Misbehaviour, (typeof MISBEHAVIOURS)[Misbehaviour]][];

describe('suite server against a misbehaving reference server', () => {
  it('has a misbehaviour for every category', () => {
    const broken = new Set(entries.flatMap(([, info]) => info.breaks.map((id) => Number(id.split('.')[0]))));
    expect([...broken].sort()).toEqual(Object.keys(CATEGORIES).map(Number));
    expect(findMisbehaviour('3.1')).toBe('no-challenge');
    expect(findMisbehaviour('no-terminator')).toBe('no-terminator');
    expect(findMisbehaviour('9.9')).toBeNull();
  });

  it.each(entries)('%s makes its cases FAIL', async (name, info) => {
    const runs = await runAgainst({ misbehave: [name] }, [...info.breaks]);
    expect(runs.map((r) => r.result.id)).toEqual(info.breaks);
    for (const r of runs)
      expect({ id: r.result.id, failed: isFailure(r.result) }).toEqual({ id: r.result.id, failed: true });
  });
});
