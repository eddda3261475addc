/**
 * The whole server-role suite against the reference server, in both modes, over real sockets: every
 * case OK, or one of the documented exceptions (docs/suite.md, "Against the reference server"), and
 * every close verdict OK.
 */
import { describe, expect, it } from 'vitest';
import { SERVER_CASES } from '../../../src/protocol/suite/catalogue';
import { notOk, runAgainst } from './suite-harness';

describe('suite server against the reference server', () => {
  it('gateway mode: all OK but the gateway behaviours the spec text does not name', async () => {
    const runs = await runAgainst({ mode: 'gateway' });
    expect(runs.map((r) => r.result.id)).toEqual(SERVER_CASES.map((c) => c.id));
    expect(notOk(runs)).toEqual({
      '1.4': 'NON-STRICT', // balancer notice before the request (.kl=Y)
      '4.5': 'NON-STRICT', // balancer redirect
      '6.5': 'INFORMATIONAL', // 299 read by its class
      '7.4': 'NON-STRICT', // balancer notices around the handshake
    });
    for (const r of runs)
      if (r.result.close !== null) expect([r.result.id, r.result.close]).toEqual([r.result.id, 'OK']);
  });

  it('spec mode: all OK but the balancer scenario and the unlisted code', async () => {
    const runs = await runAgainst({ mode: 'spec' });
    expect(notOk(runs)).toEqual({ '4.5': 'NON-STRICT', '6.5': 'INFORMATIONAL' });
    expect(runs.filter((r) => r.result.close !== null && r.result.close !== 'OK')).toEqual([]);
  });
});
