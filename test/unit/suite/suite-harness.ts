/** Runs suite cases against a real reference server on loopback, started for the run and closed after. */
import { startServer, type ServerOptions } from '../../../src/server/server';
import { referenceSuiteConfig } from '../../../src/server/suite-config';
import { SERVER_CASES, selectCases } from '../../../src/protocol/suite/catalogue';
import { runCases, type CaseRun } from '../../../src/cli/suite/runner';

/** Short waits: the reference server answers on loopback at once. */
export const QUIET_MS = 150;
export const TIMEOUT_MS = 1500;

/** Runs the cases named by `patterns` (all when empty) against a server started with `options`. */
export async function runAgainst(options: ServerOptions, patterns: string[] = []): Promise<CaseRun[]> {
  const server = await startServer({ port: 0, demo: false, closeGraceMs: 300, ...options });
  try {
    return await runCases(selectCases(SERVER_CASES, patterns, []), {
      url: `${server.wsUrl}/echo`,
      config: referenceSuiteConfig(QUIET_MS),
      timeoutMs: TIMEOUT_MS,
      concurrency: 4,
    });
  } finally {
    await server.close();
  }
}

/** A server-role run as `writeReports` takes it (credentials redacted). */
export function serverSummary(agent: string, url: string, runs: CaseRun[]) {
  return {
    role: 'server' as const,
    agent,
    url,
    startedAt: Date.now(),
    durationMs: 1,
    cases: SERVER_CASES,
    runs,
    showCredentials: false,
  };
}

/** `{ id: verdict }` of the runs whose verdict is not OK (close verdicts apart). */
export function notOk(runs: readonly CaseRun[]): Record<string, string> {
  return Object.fromEntries(
    runs.filter((r) => r.result.verdict !== 'OK').map((r) => [r.result.id, r.result.verdict]),
  );
}
