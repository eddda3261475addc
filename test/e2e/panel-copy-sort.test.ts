/**
 * Context menus, copying, sorting and resizing in the built panel (dist/test/<browser>/panel.html
 * served as a plain page, fed the component tests' captures), in real Chromium and real Firefox ESR.
 * Menus are opened by right-click and by the keyboard and used by the keyboard only; what was copied
 * is read back from the browser's real clipboard (both headless browsers keep one: Chromium once the
 * page may read it, Firefox for text its own origin wrote). In Chromium the fallback (a selected
 * textarea and execCommand) is checked too, with the Clipboard API made to refuse as a DevTools
 * panel without clipboard-write does. A sort and a resized column survive a reload.
 */
import type { Page } from 'puppeteer-core';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCaptureFile } from '../../src/protocol/capture-file';
import { ALL_SOCKETS } from '../fixtures/panel/captures';
import { DIST_TEST, launchChromium, launchFirefox, type Launched } from './helpers/browsers';
import { openPanel, servePanel, type PanelServer } from './helpers/panel-page';

const FIXTURE_PATH = '/fixtures/copy-sort.khp.json';
const WIDTH = 1200;
const HEIGHT = 700;

/** Hex as the panel copies it, computed here independently: spaced pairs, 16 to a line. */
function hexOf(bytes: Buffer): string {
  const pairs = bytes.toString('hex').match(/../g) ?? [];
  const lines: string[] = [];
  for (let i = 0; i < pairs.length; i += 16) lines.push(pairs.slice(i, i + 16).join(' '));
  return lines.join('\n');
}

/** The text of the focused element (a menu item), or its accessible name. */
const focusedText = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el?.getAttribute('role') === 'menuitem'
      ? (el.textContent ?? '')
      : (el?.getAttribute('aria-label') ?? '');
  });

/** Walks the open menu with ↓ to the item named `label` and runs it with Enter; waits for the copy note. */
async function chooseByKeyboard(page: Page, label: string): Promise<void> {
  await page.waitForSelector('[role=menu]');
  for (let i = 0; i < 10 && (await focusedText(page)) !== label; i++) await page.keyboard.press('ArrowDown');
  expect(await focusedText(page)).toBe(label);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => !document.querySelector('[role=menu]'));
  await page.waitForFunction(() => document.querySelector('.copy-status')?.textContent?.startsWith('Copied'));
}

/** Shift+F10, the other key that opens a context menu. */
async function shiftF10(page: Page): Promise<void> {
  await page.keyboard.down('Shift');
  await page.keyboard.press('F10');
  await page.keyboard.up('Shift');
}

const rowIds = (page: Page) =>
  page.$$eval('.conn-list .conn-row', (rows) => rows.map((r) => r.getAttribute('data-id')));

for (const name of ['chromium', 'firefox'] as const) {
  describe(`${name}: context menus, copy, sort and resize in the panel`, () => {
    let server: PanelServer;
    let b: Launched;
    let page: Page;
    const clipboard = () => page.evaluate(() => navigator.clipboard.readText());

    beforeAll(async () => {
      server = await servePanel(join(DIST_TEST, name === 'chromium' ? 'chrome' : 'firefox'));
      server.file(FIXTURE_PATH, JSON.stringify(writeCaptureFile(ALL_SOCKETS, { redact: false })));
      b = name === 'chromium' ? await launchChromium(false) : await launchFirefox(false);
      if (name === 'chromium')
        await b.browser
          .defaultBrowserContext()
          .overridePermissions(server.url, [
            'clipboard-read',
            'clipboard-write',
            'clipboard-sanitized-write',
          ]);
      page = await openPanel(b.browser, server, { fixture: FIXTURE_PATH, width: WIDTH, height: HEIGHT });
    }, 120_000);
    afterAll(async () => {
      await b?.close();
      await server?.close();
    });

    it('copies a probe command with credentials from a right-clicked row, by keyboard', async () => {
      await page.click('.conn-row[data-id="auth"]', { button: 'right' });
      await page.waitForSelector('[role=menu]');
      expect(await page.$eval('.conn-row[data-id="auth"]', (r) => r.getAttribute('aria-selected'))).toBe(
        'true',
      );
      expect(await focusedText(page)).toBe('Copy URL');
      await chooseByKeyboard(page, 'Copy as probe command with credentials');
      expect(await clipboard()).toBe(
        'npx khp-inspect probe ws://gw.example.com/echo --protocol amqp --ext x-kaazing-idle-timeout --ext x-kaazing-ping-pong --user joe:welcome',
      );
      // Esc on a menu opened with Shift+F10 gives the focus back to the list.
      await shiftF10(page);
      await page.waitForSelector('[role=menu]');
      await page.keyboard.press('Escape');
      await page.waitForFunction(() => !document.querySelector('[role=menu]'));
      expect(await focusedText(page)).toBe('WebSocket connections');
    });

    it('keeps the menu inside the viewport at its bottom-right corner', async () => {
      await page.setViewport({ width: WIDTH, height: 230 });
      const row = (await page.$('.conn-row[data-id="malformed"]'))!;
      const box = (await row.boundingBox())!;
      // Near the right edge (clear of a scrollbar), on the last row near the bottom.
      await page.mouse.click(WIDTH - 24, box.y + box.height / 2, { button: 'right' });
      const rect = await page.$eval('[role=menu]', (m) => m.getBoundingClientRect().toJSON() as DOMRect);
      expect(rect.right).toBeLessThanOrEqual(WIDTH);
      expect(rect.bottom).toBeLessThanOrEqual(230);
      expect(rect.top).toBeGreaterThanOrEqual(0);
      await page.keyboard.press('Escape');
      await page.setViewport({ width: WIDTH, height: HEIGHT });
    });

    it('copies a frame as hex from its row menu, and others with the keyboard', async () => {
      // WebDriver BiDi has no context-menu key: Firefox gets Shift+F10 throughout.
      const menuKey = () => (name === 'chromium' ? page.keyboard.press('ContextMenu') : shiftF10(page));
      await page.click('.conn-row[data-id="auth"]');
      await page.waitForSelector('[role=tab]');
      for (const tab of await page.$$('[role=tab]'))
        if ((await tab.evaluate((e) => e.textContent ?? '')).startsWith('Messages')) await tab.click();
      await page.waitForSelector('#frame-row-5');
      await page.click('#frame-row-5', { button: 'right' });
      await chooseByKeyboard(page, 'Copy as hex');
      const response = ALL_SOCKETS[0]!.frames[5]!;
      const expected = hexOf(Buffer.from(response.data, 'base64'));
      expect(expected.split('\n').length).toBeGreaterThan(3);
      expect(await clipboard()).toBe(expected);
      // The list has the focus back: ↓ and the context-menu key copy the next frame's payload.
      await page.keyboard.press('ArrowDown');
      await menuKey();
      await chooseByKeyboard(page, 'Copy as text');
      expect(await clipboard()).toBe('');
      await page.keyboard.press('End');
      await menuKey();
      await chooseByKeyboard(page, 'Copy as text');
      expect(await clipboard()).toBe(ALL_SOCKETS[0]!.frames[11]!.data);
      await page.keyboard.press('Escape');
    });

    if (name === 'chromium')
      it('falls back to the selection when the Clipboard API refuses', async () => {
        await page.evaluate(() => {
          navigator.clipboard.writeText = () =>
            Promise.reject(new DOMException('blocked by a permissions policy', 'NotAllowedError'));
        });
        await page.click('.conn-row[data-id="plain"]', { button: 'right' });
        await chooseByKeyboard(page, 'Copy URL');
        expect(await clipboard()).toBe('ws://chat.example.com/socket');
      });

    it('sorts by a column, resizes another, and keeps both across a reload', async () => {
      const header = '[role=columnheader][aria-label="URL"]';
      await page.click(`${header} button`);
      expect(await page.$eval(header, (h) => h.getAttribute('aria-sort'))).toBe('ascending');
      expect(await rowIds(page)).toEqual(['plain', 'malformed', 'auth', 'r1', 'r0', 'r-end', 'forbidden']);
      await page.click(`${header} button`);
      expect(await page.$eval(header, (h) => h.getAttribute('aria-sort'))).toBe('descending');
      const sorted = ['forbidden', 'r1', 'r0', 'r-end', 'auth', 'malformed', 'plain'];
      expect(await rowIds(page)).toEqual(sorted);

      const width = () =>
        page.$eval('[role=columnheader][aria-label="Protocol"]', (h) => h.getBoundingClientRect().width);
      const before = await width();
      const handle = (await (await page.$(
        '[role=separator][aria-label="Resize the Protocol column"]',
      ))!.boundingBox())!;
      await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
      await page.mouse.down();
      await page.mouse.move(handle.x + handle.width / 2 + 40, handle.y + handle.height / 2, { steps: 4 });
      await page.mouse.up();
      const after = await width();
      expect(after - before).toBeGreaterThan(35);
      expect(after - before).toBeLessThan(45);
      // The row cells follow the header.
      const cell = await page.$eval(
        '.conn-row[data-id="auth"] .col-proto',
        (c) => c.getBoundingClientRect().width,
      );
      expect(Math.abs(cell - after)).toBeLessThan(1);

      await page.reload();
      await page.waitForSelector('.conn-row');
      expect(await page.$eval(header, (h) => h.getAttribute('aria-sort'))).toBe('descending');
      expect(await rowIds(page)).toEqual(sorted);
      expect(Math.abs((await width()) - after)).toBeLessThan(1);
      expect(
        await page.evaluate(() => JSON.parse(localStorage.getItem('khp.columns.connections') ?? 'null')),
      ).toMatchObject({
        sort: { column: 'url', direction: 'descending' },
      });
    });
  });
}
