/**
 * The client role in real Chromium: `/suite/client.html` drives the project's KHP client, on the
 * browser's own WebSocket, through every client-role case one after the other, and every case reads
 * OK or its documented NON-STRICT. A page can close only with 1000 or 3000-4999 (the WebSocket API),
 * so where a case expects 1011 the close reads WRONG CODE, as docs/suite.md says.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CaseHost } from '../../src/cli/suite/case-host';
import { CLIENT_CASES } from '../../src/protocol/suite/catalogue';
import { startServer, type RunningServer } from '../../src/server/server';
import { launchChromium, type Launched } from './helpers/browsers';

let host: CaseHost;
let server: RunningServer;
let b: Launched;
beforeAll(async () => {
  host = new CaseHost({ cases: CLIENT_CASES, timeoutMs: 3000, quietMs: 150 });
  server = await startServer({ port: 0, demo: false, extra: host });
  b = await launchChromium(false);
}, 60_000);
afterAll(async () => {
  await b?.close();
  await server?.close();
});

it('runs the browser’s KHP client through every case to OK or the documented NON-STRICT', async () => {
  const page = await b.browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${server.url}suite/client.html?agent=chromium`);
  await page.waitForSelector('body[data-state="done"]', { timeout: 60_000 });
  const shown = await page.$$eval('tbody tr', (rows) =>
    rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent ?? '')),
  );
  expect(shown.map((cells) => cells[0])).toEqual(CLIENT_CASES.map((c) => c.id));
  const runs = host.runsOf('chromium');
  const verdicts = Object.fromEntries(runs.map((r) => [r.result.id, r.result.verdict]));
  const expected = Object.fromEntries(CLIENT_CASES.map((c) => [c.id, c.id === '7.2' ? 'NON-STRICT' : 'OK']));
  expect(verdicts).toEqual(expected);
  // The page shows the server's verdicts.
  expect(shown.map((cells) => cells[3])).toEqual(CLIENT_CASES.map((c) => expected[c.id]));
  for (const r of runs) {
    const wants1011 = r.case.close?.codes.includes(1000) === false && r.case.close.by === 'client';
    if (r.case.close) expect(r.result.close, r.result.id).toBe(wants1011 ? 'WRONG CODE' : 'OK');
  }
  expect(errors).toEqual([]);
  await page.close();
}, 90_000);
