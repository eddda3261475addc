/**
 * Full capture with DevTools closed, seen as a user sees it: a page sends more than the page's held
 * store keeps (202 messages, 200 of them 64 KiB, echoed: about 25 MiB against a 4 MiB ring), then
 * DevTools opens on it (real Chromium, the extension's real panel): the held frames arrive, and the
 * Messages tab says which span was dropped and how many messages; shown and dropped add up.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium, type Launched } from './helpers/browsers';
import { openExtensionPanel } from './helpers/devtools';
import { openDetail, selectDetailTab } from './helpers/live-panel';
import { query } from './helpers/extension-query';
import { pageWith } from './helpers/pages';
import { startTestServer, type TestServer } from './helpers/test-server';
import { envelope } from '../../src/messaging/messages';

let server: TestServer;
let b: Launched;
beforeAll(async () => {
  server = await startTestServer();
  server.page('/blank', '<!doctype html><title>blank</title>');
  server.page(
    '/bin',
    pageWith(`window.run = function (n) { return new Promise(function (resolve) {
      var ws = new WebSocket('${server.wsUrl}/echo?held=1'); ws.binaryType = 'arraybuffer'; var got = 0;
      ws.onmessage = function () { if (++got === n + 2) resolve(got); };
      ws.onopen = function () { ws.send('hello'); var b = new Uint8Array(65536);
        for (var i = 0; i < n; i++) { b.fill(i & 255); ws.send(b); } ws.send('bye'); };
    }); };`),
  );
  b = await launchChromium();
});
afterAll(async () => {
  await b?.close();
  await server?.close();
});

it('shows the held frames once DevTools opens, and the span dropped to make room, counted', async () => {
  const page = await b.browser.newPage();
  await page.goto(`${server.url}/blank`);
  const { tabId } = await query<{ tabId: number }>(page, { op: 'whoami' });
  await query(page, { op: 'panel', tabId, send: [envelope('settings', { fullCapture: true })] });
  await page.goto(`${server.url}/bin`);
  const got = await page.evaluate(() => (window as unknown as { run(n: number): Promise<number> }).run(200));
  expect(got).toBe(202);
  const panel = await openExtensionPanel(page);
  await panel.waitForFunction(
    () => document.querySelectorAll('[role=listbox] .conn-row[role=option]').length > 0,
    { timeout: 30_000 },
  );
  await openDetail(panel, '/echo?held=1');
  await selectDetailTab(panel, 'messages');
  // The held frames arrive a slice per task: read until shown and dropped add up (30 s at most).
  const read = async () => {
    const tab = await panel.$eval('#detail-tab-messages', (el) => el.textContent ?? '');
    const note = await panel.$eval('.banner.info', (el) => el.textContent ?? '').catch(() => '');
    const m = /store was full.*\): (\d+) messages? sent and (\d+) messages? received were dropped\.$/.exec(
      note,
    );
    return { shown: Number(tab.replace(/\D/g, '')), dropped: m ? Number(m[1]) + Number(m[2]) : -1, note };
  };
  let seen = await read();
  for (let i = 0; i < 100 && seen.shown + seen.dropped !== 2 * 202; i++) {
    await new Promise((r) => setTimeout(r, 300));
    seen = await read();
  }
  expect(seen.dropped, seen.note).toBeGreaterThan(0);
  expect(seen.shown + seen.dropped).toBe(2 * 202);
  // The status bar counts them among the dropped, as the note does.
  const bar = await panel.$eval('.status-bar', (el) => el.textContent ?? '');
  expect(bar).toContain(`${seen.dropped} dropped`);
});
