/**
 * The suite's HTML report in real Chromium: written from real runs (the reference server, and a
 * hostile peer whose reason phrase, headers and close reason carry markup), opened from disk as a
 * user would, followed from the index to a case page. Nothing the peer sent becomes an element,
 * nothing runs, and the markup reads as text.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { emptyConfig } from '../../src/cli/suite/args';
import { writeReports } from '../../src/cli/suite/report-files';
import { runCases } from '../../src/cli/suite/runner';
import { SERVER_CASES, selectCases } from '../../src/protocol/suite/catalogue';
import { MARKUP, startHostile } from '../unit/suite/hostile-server';
import { runAgainst, serverSummary } from '../unit/suite/suite-harness';
import { launchChromium, type Launched } from './helpers/browsers';

let dir: string;
let b: Launched;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'khp-suite-report-'));
  const report = (agent: string, url: string, runs: Awaited<ReturnType<typeof runCases>>) =>
    writeReports(dir, serverSummary(agent, url, runs));
  report('reference', 'ws://127.0.0.1/echo', await runAgainst({ mode: 'gateway' }, ['3.2', '5.5']));
  const peer = await startHostile();
  try {
    const config = { ...emptyConfig(), quietMs: 100 };
    config.paths.redirect = '/r';
    const runs = await runCases(selectCases(SERVER_CASES, ['4.1'], []), {
      url: `${peer.wsUrl}/echo`,
      config,
      timeoutMs: 1500,
    });
    report(`evil${MARKUP}`, `${peer.wsUrl}/echo`, runs);
  } finally {
    await peer.close();
  }
  b = await launchChromium(false);
}, 60_000);
afterAll(async () => {
  await b?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('opens from disk, leads from the index to a case, and shows a hostile peer as text only', async () => {
  const page = await b.browser.newPage();
  const incidents: string[] = [];
  page.on('dialog', (d) => {
    incidents.push(`dialog ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => incidents.push(`error ${String(e)}`));
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) incidents.push(`request ${r.url()}`);
  });
  await page.goto(pathToFileURL(join(dir, 'index.html')).href);
  const index = await page.evaluate(() => ({
    title: document.title,
    agents: [...document.querySelectorAll('thead th')].map((th) => th.textContent ?? ''),
    badges: document.querySelectorAll('td .badge').length,
    ok: [...document.querySelectorAll('a')].filter((a) => a.textContent === 'OK').length,
    scripts: document.querySelectorAll('script, img, iframe, object').length,
  }));
  expect(index.title).toBe('KHP suite (server)');
  expect(index.agents.some((t) => t.includes(MARKUP))).toBe(true);
  expect(index.badges).toBeGreaterThanOrEqual(3);
  expect(index.scripts).toBe(0);
  // Follow the hostile agent's 4.1 from the index, as a click would.
  const href = await page.$$eval('a', (as) =>
    as.map((a) => (a as HTMLAnchorElement).href).find((h) => /evil.*\/case-4\.1\.html$/.test(h)),
  );
  expect(href).toBeTruthy();
  await page.goto(href!);
  const casePage = await page.evaluate(() => ({
    heading: document.querySelector('h1')?.textContent ?? '',
    text: document.body.innerText,
    wireRows: document.querySelectorAll('table tr').length,
    scripts: document.querySelectorAll('script, img, iframe, object').length,
  }));
  expect(casePage.heading).toMatch(/^4\.1 /);
  expect(casePage.text).toContain(MARKUP);
  expect(casePage.wireRows).toBeGreaterThan(3);
  expect(casePage.scripts).toBe(0);
  expect(incidents).toEqual([]);
  await page.close();
}, 60_000);
