/**
 * Accessibility of every view of the built panel (dist/test/chrome/panel.html served as a plain page,
 * fed the screenshot fixture) in real Chromium, in the light and the dark theme: axe-core runs over
 * the whole document of each view and must find no violation (WCAG 2 A/AA rules, colour contrast
 * included, plus axe's best practices such as landmarks and headings).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST_TEST, launchChromium, type Launched } from './helpers/browsers';
import { axeViolations } from './helpers/axe';
import { openPanel, servePanel, type PanelServer } from './helpers/panel-page';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/panel/screens.khp.json');
const FIXTURE_PATH = '/fixtures/screens.khp.json';
const violations = axeViolations;

async function clickTab(page: Page, name: string): Promise<void> {
  const tabs = await page.$$('[role=tab]');
  for (const tab of tabs) {
    if ((await tab.evaluate((e) => e.textContent ?? '')).startsWith(name)) {
      await tab.click();
      return;
    }
  }
  throw new Error(`no tab ${name}`);
}

let server: PanelServer;
let b: Launched;
beforeAll(async () => {
  server = await servePanel(join(DIST_TEST, 'chrome'));
  server.file(FIXTURE_PATH, readFileSync(FIXTURE, 'utf8'));
  b = await launchChromium(false);
}, 60_000);
afterAll(async () => {
  await b?.close();
  await server?.close();
});

for (const theme of ['light', 'dark'] as const) {
  describe(`axe-core over the panel, ${theme} theme`, () => {
    it('finds no violation in the list, each detail tab, the frame search and the export menu', async () => {
      const page = await openPanel(b.browser, server, {
        fixture: FIXTURE_PATH,
        width: 1200,
        height: 700,
        theme,
      });
      try {
        const seen: Record<string, string[]> = {};
        seen.list = await violations(page);
        // The auth socket: two rounds, extensions, frames.
        const rows = await page.$$('.conn-row');
        await rows[1]!.click();
        await page.waitForSelector('.detail');
        for (const tab of ['Handshake', 'Messages', 'Extensions', 'Redirects', 'Findings']) {
          await clickTab(page, tab);
          seen[tab] = await violations(page);
        }
        await clickTab(page, 'Messages');
        await page.type('.frame-search input', 'hello');
        seen.search = await violations(page);
        // A failed socket with findings, and a redirect chain's Redirects tab.
        await (await page.$$('.conn-row'))[7]!.click();
        await clickTab(page, 'Findings');
        seen.findings = await violations(page);
        await (await page.$$('.conn-row'))[9]!.click();
        await clickTab(page, 'Redirects');
        seen.redirects = await violations(page);
        await page.click('button[aria-label="Export"][aria-haspopup="menu"]');
        await page.waitForSelector('[role=menu]');
        seen.exportMenu = await violations(page);
        await page.keyboard.press('Escape');
        // The keyboard shortcuts help, opened with ?.
        await page.focus('.conn-row');
        await page.keyboard.press('?');
        await page.waitForSelector('[role=dialog]');
        seen.shortcutsHelp = await violations(page);
        await page.keyboard.press('Escape');
        expect(seen).toEqual(Object.fromEntries(Object.keys(seen).map((k) => [k, []])));
      } finally {
        await page.close();
      }
    }, 60_000);
  });
}

it('finds no violation in the empty panel (no socket yet)', async () => {
  const page = await openPanel(b.browser, server, { width: 900, height: 500 });
  try {
    expect(await violations(page)).toEqual([]);
  } finally {
    await page.close();
  }
});
