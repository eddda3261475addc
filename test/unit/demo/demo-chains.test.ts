/**
 * Every KHP scenario of the demo, run with the project's KHP client (what `khp-inspect probe` and the
 * demo page use) against the real reference server on loopback: the chain the decoder builds from
 * the recorded sockets (what `decode` and the panel show) agrees with what the client concluded, and
 * the panel's status bar counts it failed exactly when the client failed.
 */
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KhpClient } from '../../../src/client/khp-client';
import { KhpError } from '../../../src/client/errors';
import type { WebSocketConstructor } from '../../../src/client/types';
import { demoPlans } from '../../../src/demo/plans';
import { chainByConnection, countStats } from '../../../src/panel/store/summary';
import { decodeCapture } from '../../../src/protocol/index';
import type { ChainOutcome } from '../../../src/protocol/model';
import { startServer, type RunningServer } from '../../../src/server/server';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ port: 0, demo: false, closeGraceMs: 200, maxSlowMs: 300 });
});
afterAll(async () => {
  await server.close();
});

/** The chain outcome a client's result implies. */
function expectedChain(failure: KhpError | null): ChainOutcome {
  if (!failure) return 'open';
  if (failure.code === 'too-many-redirects') return 'too-many-redirects';
  if (failure.code === 'redirect-loop') return 'loop';
  return 'failed';
}

describe('the demo scenarios: panel, decode and probe agree on every chain', () => {
  for (const [name, plan] of Object.entries(demoPlans())) {
    it(name, { timeout: 10_000 }, async () => {
      const client = new KhpClient({
        url: server.wsUrl + plan.path,
        WebSocket: WebSocket as unknown as WebSocketConstructor,
        extensions: plan.extensions ?? [],
        kl: true,
        timeoutMs: 5000,
        credentials: (challenge) =>
          challenge.scheme.toLowerCase() === 'token'
            ? { token: 'joe:welcome' }
            : { user: 'joe', password: 'welcome' },
      });
      let failure: KhpError | null = null;
      try {
        const conn = await client.connect();
        await conn.close(1000, 'done');
      } catch (err) {
        failure = err instanceof KhpError ? err : new KhpError('connect-failed', String(err));
      }
      const decoded = decodeCapture(client.sockets);
      expect(decoded.chains, 'one chain per scenario').toHaveLength(1);
      const [chain] = decoded.chains;
      expect(chain!.outcome, failure?.message ?? 'completed').toBe(expectedChain(failure));
      const stats = countStats(decoded.connections, client.sockets, chainByConnection(decoded.chains));
      expect(stats.failed).toBe(failure ? 1 : 0);
    });
  }
});
