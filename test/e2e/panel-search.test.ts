/**
 * Search and chain outcomes in the built panel (dist/test/<browser>/panel.html served as a plain page,
 * fed the screenshot fixture), in real Chromium and real Firefox ESR: the Messages tab's payload filter
 * (count, marks, regex, case), the toolbar's data: key, and a redirect loop shown on its group head
 * and last hop, counted as a failure and matched by rule: and outcome: filters.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST_TEST, launchChromium, launchFirefox, type Launched } from './helpers/browsers';
import { openPanel, servePanel, type PanelServer } from './helpers/panel-page';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/panel/screens.khp.json');
const FIXTURE_PATH = '/fixtures/screens.khp.json';

/** Types into an input the way a user does (replacing what is there). */
async function typeInto(page: Page, selector: string, text: string): Promise<void> {
  await page.click(selector, { count: 3 });
  await page.keyboard.press('Backspace');
  if (text !== '') await page.type(selector, text);
}

const rowPaths = (page: Page) =>
  page.$$eval('.conn-row .col-url', (els) => els.map((e) => e.textContent ?? ''));

for (const name of ['chromium', 'firefox'] as const) {
  describe(`${name}: search and chain outcomes in the panel`, () => {
    let server: PanelServer;
    let b: Launched;
    let page: Page;
    beforeAll(async () => {
      const dist = join(DIST_TEST, name === 'chromium' ? 'chrome' : 'firefox');
      server = await servePanel(dist);
      server.file(FIXTURE_PATH, readFileSync(FIXTURE, 'utf8'));
      b = name === 'chromium' ? await launchChromium(false) : await launchFirefox(false);
      page = await openPanel(b.browser, server, { fixture: FIXTURE_PATH, width: 1200, height: 700 });
    }, 120_000);
    afterAll(async () => {
      await b?.close();
      await server?.close();
    });

    it('marks the loop on its group head and last hop, counts it failed, and filters by rule: and outcome:', async () => {
      const head = await page.$$eval('.chain-group', (els) =>
        els.map((g) => ({
          path: g.querySelector('.chain-path')?.textContent,
          badges: Array.from(g.querySelectorAll('.chain-head .badge'), (x) => x.textContent),
          last: g.querySelector('.conn-row:last-of-type .col-outcome')?.textContent,
        })),
      );
      expect(head).toContainEqual({
        path: '/loop/a → /loop/b',
        badges: ['redirect loop'],
        last: 'redirect loop',
      });
      // The 404, the extension negotiated twice, and the loop: three failures.
      expect(await page.$eval('.status-bar', (e) => e.textContent)).toContain('3 failed');
      await typeInto(page, '.toolbar .filter', 'rule:redirect-loop');
      await page.waitForFunction(() => document.querySelectorAll('.conn-row').length === 2);
      expect(await rowPaths(page)).toEqual(['1127.0.0.1:46275/loop/a', '2127.0.0.1:46275/loop/b']);
      await typeInto(page, '.toolbar .filter', 'outcome:loop');
      await page.waitForFunction(() => document.querySelectorAll('.conn-row').length === 2);
      await typeInto(page, '.toolbar .filter', '');
    });

    it('finds sockets by frame payload with data:, and frames by payload in the Messages tab', async () => {
      await typeInto(page, '.toolbar .filter', 'data:eurusd');
      await page.waitForFunction(() => document.querySelectorAll('.conn-row').length === 1);
      expect(await rowPaths(page)).toEqual(['127.0.0.1:46275/echo?timeout=400']);
      await page.click('.conn-row');
      await page.waitForSelector('[role=tab]');
      const tabs = await page.$$('[role=tab]');
      for (const tab of tabs) {
        if ((await tab.evaluate((e) => e.textContent ?? '')).startsWith('Messages')) await tab.click();
      }
      await page.waitForSelector('.frame-search input');
      const all = await page.$$eval('.frame-row', (rows) => rows.length);
      expect(all).toBeGreaterThan(4);
      await typeInto(page, '.frame-search input', 'SUBSCRIBE');
      await page.waitForFunction(() =>
        document.querySelector('.frame-search-count')?.textContent?.includes('match'),
      );
      const count = await page.$eval('.frame-search-count', (e) => e.textContent);
      // subscribe and unsubscribe, each sent and echoed.
      expect(count).toMatch(/^4 of \d+ frames match$/);
      expect(await page.$$eval('.frame-row mark', (ms) => ms.map((m) => m.textContent))).toEqual(
        Array(4).fill('subscribe'),
      );
      // Match case: nothing is written in capitals.
      await page.click('.frame-search button');
      await page.waitForFunction(() => document.querySelectorAll('.frame-row').length === 0);
      await page.click('.frame-search button');
      await typeInto(page, '.frame-search input', '/"op":"sub/');
      await page.waitForFunction(() => document.querySelectorAll('.frame-row').length === 2);
      // Esc empties the box and leaves the detail open.
      await page.focus('.frame-search input');
      await page.keyboard.press('Escape');
      await page.waitForFunction((n) => document.querySelectorAll('.frame-row').length === n, {}, all);
      expect(await page.$('.detail')).not.toBeNull();
    });
  });
}
