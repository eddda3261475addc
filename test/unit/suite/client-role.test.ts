/**
 * The client role over real sockets: the project's own Node client runs every client-role case to OK
 * (7.2 is the documented NON-STRICT), and a naive client (it takes any response as completing, never
 * replays, never follows a redirect, ignores a message it cannot read) gets the FAILED verdicts the
 * cases exist for: a suite that cannot fail proves nothing.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main';
import { CaseHost } from '../../../src/cli/suite/case-host';
import type { CaseRun } from '../../../src/cli/suite/runner';
import { playSelf } from '../../../src/cli/suite-client';
import { buildExtendedRequest } from '../../../src/client/request';
import { CLIENT_CASES, selectCases } from '../../../src/protocol/suite/catalogue';
import { KHP_PROTOCOL } from '../../../src/protocol/khp';
import { startServer, type RunningServer } from '../../../src/server/server';

/** Roomy for the Node client (its cases end on their own); short for the naive one, which runs them out. */
const TIMEOUT_MS = 3000;
const NAIVE_TIMEOUT_MS = 1000;
let host: CaseHost;
let server: RunningServer;
let naiveHost: CaseHost;
let naiveServer: RunningServer;

beforeAll(async () => {
  host = new CaseHost({ cases: CLIENT_CASES, timeoutMs: TIMEOUT_MS, quietMs: 150 });
  server = await startServer({ port: 0, demo: false, extra: host });
  naiveHost = new CaseHost({ cases: CLIENT_CASES, timeoutMs: NAIVE_TIMEOUT_MS, quietMs: 150 });
  naiveServer = await startServer({ port: 0, demo: false, extra: naiveHost });
});
afterAll(() => Promise.all([server.close(), naiveServer.close()]));

const verdicts = (runs: readonly CaseRun[]) =>
  Object.fromEntries(runs.map((r) => [r.result.id, `${r.result.verdict}/${r.result.close ?? '-'}`]));

/** The naive client: one socket, one request, and whatever comes back that looks like HTTP "completes" it. */
function naive(url: string): Promise<void> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, [KHP_PROTOCOL]);
    ws.on('open', () =>
      ws.send(
        buildExtendedRequest({
          target: new URL(url).pathname + new URL(url).search,
          protocols: [],
          extensions: [],
          headers: [],
        }),
      ),
    );
    ws.on('message', (data) => {
      if (!String(data).startsWith('HTTP/1.1')) return;
      ws.send('naive: completed');
      ws.close(1000);
    });
    ws.on('error', () => resolve());
    ws.on('close', () => resolve());
  });
}

describe('khp-inspect suite client', () => {
  it('runs the project’s Node client through every case to OK, 7.2 NON-STRICT', async () => {
    await playSelf(host, server.wsUrl, 'node', CLIENT_CASES, TIMEOUT_MS);
    const runs = host.runsOf('node');
    expect(runs).toHaveLength(CLIENT_CASES.length);
    const expected = Object.fromEntries(
      CLIENT_CASES.map((c) => [c.id, `${c.id === '7.2' ? 'NON-STRICT' : 'OK'}/${c.close ? 'OK' : '-'}`]),
    );
    expect(verdicts(runs)).toEqual(expected);
    // The wire log is the client's view: its request is `send`, the server's response `receive`.
    const wire = runs.find((r) => r.result.id === '2.1')!.obs.sockets[0]!.frames;
    expect(wire.map((f) => f.dir).slice(0, 2)).toEqual(['send', 'receive']);
  });

  it('fails a naive client where it breaks the protocol', async () => {
    const cases = selectCases(
      CLIENT_CASES,
      ['1.2', '2.1', '3.1', '4.1', '4.2', '4.4', '5.1', '6.1', '6.3'],
      [],
    );
    for (const c of cases) {
      await naive(`${naiveServer.wsUrl}/case/${c.id}?agent=naive&.kl=Y`);
      await naiveHost.result('naive', c.id, NAIVE_TIMEOUT_MS + 2000);
    }
    expect(verdicts(naiveHost.runsOf('naive'))).toEqual({
      '1.2': 'FAILED/FAILED',
      '2.1': 'OK/-',
      '3.1': 'FAILED/-',
      '4.1': 'FAILED/-',
      '4.2': 'FAILED/-',
      '4.4': 'FAILED/-',
      '5.1': 'FAILED/WRONG CODE',
      '6.1': 'FAILED/WRONG CODE',
      '6.3': 'FAILED/WRONG CODE',
    });
  });
});

describe('the case paths', () => {
  const closeCode = (url: string) =>
    new Promise<number>((resolve) => {
      const ws = new WebSocket(url, [KHP_PROTOCOL]);
      ws.on('close', (code) => resolve(code));
      ws.on('error', () => undefined);
    });

  it('turn away unknown cases and steps of a case not started, and list the cases', async () => {
    expect(await closeCode(`${server.wsUrl}/case/9.9?agent=x`)).toBe(1008);
    expect(await closeCode(`${server.wsUrl}/case/4.1/next?agent=x`)).toBe(1008);
    const http = server.url.replace(/\/$/, '');
    expect((await fetch(`${http}/suite/result?agent=x&case=9.9`)).status).toBe(404);
    const listed = (await (await fetch(`${http}/suite/cases.json`)).json()) as { cases: { id: string }[] };
    expect(listed.cases.map((c) => c.id)).toEqual(CLIENT_CASES.map((c) => c.id));
  });
});

describe('khp-inspect suite client, the command', () => {
  async function suite(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const io = { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } };
    const code = await main(['suite', 'client', ...args], io);
    return { code, out, err };
  }

  it('runs --self, prints the table, writes the reports and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'khp-suite-client-'));
    try {
      const r = await suite('--self', '--port', '0', '--cases', '2.1,6.1', '--timeout', '1000', '--out', dir);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^6\.1 {3}OK +close OK +200 does not complete the handshake$/m);
      expect(r.err).toMatch(/\[2\/2\] 6\.1 OK/);
      const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
      expect(index.role).toBe('client');
      expect(Object.keys(index.agents[0].results)).toEqual(['2.1', '6.1']);
      // The case page reads the wire log from the client's side.
      const page = readFileSync(join(dir, 'khp-client-node', 'case-6.1.html'), 'utf8');
      expect(page).toContain('client → suite');
      expect(page).toContain('suite → client');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lists the cases, and refuses a bad option with exit 2', async () => {
    const list = await suite('--list', '--cases', '4');
    expect(
      list.out
        .split('\n')
        .filter(Boolean)
        .map((l) => l.slice(0, 3)),
    ).toEqual(['4.1', '4.2', '4.3', '4.4']);
    expect((await suite('--bogus')).code).toBe(2);
  });
});
