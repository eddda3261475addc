/**
 * Host permissions and the options page in the browser tests. Neither browser lets automation click
 * its permission prompt, so each grants the way a user can without one:
 *
 * - Chromium: the site is added in the browser's own extension settings (chrome://extensions, details,
 *   "Site access": its page calls `developerPrivate.addHostPermission`, which this helper calls the
 *   same way). Chrome then answers the extension's `permissions.request` for it at once, without a
 *   prompt, so the options page's own button (clicked: a real user gesture) does the rest.
 * - Firefox: the profile pref `extensions.webextOptionalPermissionPrompts` set to false (see
 *   FIREFOX_PROMPTLESS_PREFS) makes `permissions.request` grant without a prompt; it still needs a
 *   real user gesture, which a BiDi click is.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'puppeteer-core';
import { query } from './extension-query';

/** Firefox prefs: optional permissions are granted without a prompt (a click is still needed). */
export const FIREFOX_PROMPTLESS_PREFS = { 'extensions.webextOptionalPermissionPrompts': false };

/** The extension settings page's API (chrome://extensions) used here. */
interface DeveloperPrivate {
  addHostPermission(id: string, pattern: string): Promise<void>;
}

/**
 * Chromium: starts loading the browser's extension settings (chrome://extensions) in `page`; the
 * function returned grants a pattern to an extension there, as a user would in its Site access
 * settings, as soon as the page's API is up (before the page has finished loading: it is slow).
 */
export function chromeSettings(page: Page): (extensionId: string, pattern: string) => Promise<void> {
  const loading = page.goto('chrome://extensions', { waitUntil: 'domcontentloaded' }).catch(() => {});
  return async (extensionId, pattern) => {
    const ready = () =>
      page.evaluate(
        () => !!(globalThis as { chrome?: { developerPrivate?: unknown } }).chrome?.developerPrivate,
      );
    for (let i = 0; !(await ready().catch(() => false)); i++) {
      if (i > 500) throw new Error('chrome://extensions never offered developerPrivate');
      await new Promise((r) => setTimeout(r, 20));
    }
    await page.evaluate(
      (id, p) =>
        (
          globalThis as unknown as { chrome: { developerPrivate: DeveloperPrivate } }
        ).chrome.developerPrivate.addHostPermission(id, p),
      extensionId,
      pattern,
    );
    await loading;
  };
}

/** Chromium: grants `pattern` in the browser's extension settings, from a tab opened for it. */
export async function approveInChromeSettings(browser: Browser, extensionId: string, pattern: string) {
  const page = await browser.newPage();
  try {
    await chromeSettings(page)(extensionId, pattern);
  } finally {
    await page.close().catch(() => {});
  }
}

/** The options page's status line number (it counts up on every status: save, refusal, error). */
export function statusSeq(page: Page): Promise<number> {
  return page.$eval('#status', (e) => Number((e as HTMLElement).dataset.seq ?? 0));
}

/** Waits until the status line changed after `seq` to a final state (not "Saving"), and returns it. */
export async function waitForStatus(page: Page, seq: number, timeoutMs = 10_000): Promise<string> {
  await page.waitForFunction(
    (seq) => {
      const el = document.getElementById('status');
      return !!el && Number(el.dataset.seq) > seq && !el.classList.contains('status-saving');
    },
    { timeout: timeoutMs },
    seq,
  );
  return page.$eval('#status', (e) => e.textContent ?? '');
}

/**
 * Chromium, right after install: allows every site through the options page the extension opened
 * (it has no site access yet), as a user does on first run, once `approve` (see `chromeSettings`) has
 * approved it in the browser's settings; then closes that page.
 */
export async function allowAllSitesChromium(
  browser: Browser,
  extensionId: string,
  approve: (extensionId: string, pattern: string) => Promise<void>,
): Promise<void> {
  const url = `chrome-extension://${extensionId}/options.html`;
  const target = await browser.waitForTarget((t) => t.url() === url, { timeout: 10_000 });
  const page = (await target.page())!;
  try {
    await approve(extensionId, '<all_urls>');
    await page.waitForSelector('#allow-all');
    const seq = await statusSeq(page);
    await page.click('#allow-all');
    const text = await waitForStatus(page, seq);
    if (!text.includes('Capturing on every site')) throw new Error(`allowing all sites failed: ${text}`);
  } finally {
    await page.close().catch(() => {});
  }
}

/**
 * Waits until the capture scripts run in new pages: both browsers register them at run time, after
 * install (site-access.ts), so a page loaded at once may get neither. A page of a loopback server of
 * its own is loaded until its relay answers a test query (the hook is registered with it, first).
 */
export async function waitForCaptureScripts(browser: Browser, timeoutMs = 15_000): Promise<void> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>ready</title>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const page = await browser.newPage();
  try {
    const end = Date.now() + timeoutMs;
    for (;;) {
      await page.goto(`http://127.0.0.1:${port}/`);
      if (
        await query(page, { op: 'whoami' }, 300).then(
          () => true,
          () => false,
        )
      )
        return;
      if (Date.now() > end)
        throw new Error(`the capture scripts did not run in a page within ${timeoutMs} ms`);
    }
  } finally {
    await page.close().catch(() => {});
    server.close();
  }
}
