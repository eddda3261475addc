/**
 * Checks of the live panel shared by the Chromium and the Firefox end-to-end tests: a demo scenario
 * is run (or a page of the test's own opened) and the panel's list is checked row by row. How the
 * list is read differs by browser (the panel frame in Chromium, the panel's report on the inspected
 * page in Firefox); each test passes its own `wait`.
 */
import type { Page } from 'puppeteer-core';
import { expect } from 'vitest';
import { hasRow, type PanelReport } from './live-panel';
import { khpPage, runDemoScenario } from './reference-demo';
import type { TestServer } from './test-server';

/** Waits until the panel's list satisfies `done`; resolves with that list. */
export type PanelWait = (done: (r: PanelReport) => boolean) => Promise<PanelReport>;

/** The demo's redirect scenario: the chain grouped under its path, 302 on every hop, 101 at the end. */
export async function checkRedirectChain(page: Page, wait: PanelWait): Promise<void> {
  expect(await runDemoScenario(page, 'redirect')).toBe('completed');
  const path = '/redirect/3 → /redirect/2 → /redirect/1 → /redirect/0 → /echo';
  const report = await wait(
    (r) => r.chains.some((c) => c.path === path) && hasRow(r, '/echo', '101', 'open'),
  );
  expect(report.chains.find((c) => c.path === path)?.hops).toBe('5 hops');
  const hops = report.rows.filter((r) => r.hop !== null && /\/(redirect\/\d|echo)/.test(r.url));
  expect(hops.map((r) => [r.hop, r.status, r.outcome])).toEqual([
    [1, '302', 'redirected'],
    [2, '302', 'redirected'],
    [3, '302', 'redirected'],
    [4, '302', 'redirected'],
    [5, '101', 'open'],
  ]);
}

/** The demo's failure scenarios: 404 for an unknown path, 403 from /status/403, both failed. */
export async function checkFailures(page: Page, wait: PanelWait): Promise<void> {
  expect(await runDemoScenario(page, 'not-found')).toBe('failed');
  await wait((r) => hasRow(r, '/nowhere', '404', 'failed'));
  expect(await runDemoScenario(page, 'status')).toBe('failed');
  await wait((r) => hasRow(r, '/status/403', '403', 'failed'));
}

/**
 * A page of the test's own opening a socket from an inline script before DOMContentLoaded and one
 * from an iframe (to the reference server at `ws`): both reach the panel, and the navigation
 * cleared the sockets of the page before.
 */
export async function checkEarlyAndIframeSockets(
  page: Page,
  pages: TestServer,
  ws: string,
  wait: PanelWait,
): Promise<void> {
  pages.page('/frame', khpPage(`khpOpen('${ws}/auth/basic', { basic: 'joe:welcome' });`));
  pages.page('/early', khpPage(`khpOpen('${ws}/echo?from=inline');`, '<iframe src="/frame"></iframe>'));
  await page.goto(`${pages.url}/early`);
  expect(await page.evaluate(() => (window as unknown as { khpCreatedIn: object }).khpCreatedIn)).toEqual({
    [`${ws}/echo?from=inline`]: 'loading',
  });
  const report = await wait(
    (r) => hasRow(r, '/echo?from=inline', '101', 'open') && hasRow(r, '/auth/basic', '401 → 101', 'open'),
  );
  // The navigation cleared the demo's sockets: only this page's two remain.
  expect(report.rows.map((r) => r.url).sort()).toEqual([`${ws}/auth/basic`, `${ws}/echo?from=inline`]);
}
