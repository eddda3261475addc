/**
 * The options page for `npm run screenshots`: the real build (dist/chrome) in headless Chromium, set
 * to capture only on two listed sites (granted the way the browser tests grant them), in both themes.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { launchChromium } from '../test/e2e/helpers/browsers';
import { approveInChromeSettings, statusSeq, waitForStatus } from '../test/e2e/helpers/site-access';

const SIZE = { width: 900, height: 640 };
const SITES = ['gateway.example.com', 'https://*.example.net'];
const PATTERNS = ['*://gateway.example.com/*', 'https://*.example.net/*'];

async function act(page: Page, what: () => Promise<void>): Promise<void> {
  const seq = await statusSeq(page);
  await what();
  await waitForStatus(page, seq);
}

async function listSites(browser: Browser, id: string, page: Page): Promise<void> {
  await act(page, () => page.click('#site-mode-listed'));
  for (const [i, site] of SITES.entries()) {
    await approveInChromeSettings(browser, id, PATTERNS[i]!);
    await page.bringToFront();
    await page.type('#site-input', site);
    await act(page, () => page.keyboard.press('Enter'));
  }
}

/** Writes docs/options-<theme>.png for both themes; `root` is the repository. */
export async function shootOptions(root: string): Promise<void> {
  const chromium = await launchChromium(true, { extensionDir: join(root, 'dist/chrome'), viewport: SIZE });
  try {
    const { browser, extensionId } = chromium;
    const url = `chrome-extension://${extensionId}/options.html`;
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForSelector('#status.status-saved');
    await listSites(browser, extensionId!, page);
    for (const theme of ['light', 'dark'] as const) {
      await page.goto(`${url}?theme=${theme}`);
      await page.waitForSelector('.site-row');
      await page.waitForFunction(() => document.querySelectorAll('.granted').length === 2);
      const file = join(root, 'docs', `options-${theme}.png`);
      await page.screenshot({ path: file as `${string}.png` });
      console.log(`docs/options-${theme}.png  the options page: capture defaults, two listed sites`);
    }
  } finally {
    await chromium.close();
  }
}
