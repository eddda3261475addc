/**
 * Replay in Firefox ESR with the real DevTools toolbox, against the reference KHP server: the panel
 * (driven through a frame script, see helpers/firefox-toolbox.ts) replays a captured handshake, plain
 * and edited, by evaluating the page runner in the inspected page; the background's capture shows
 * the replay sockets marked `replayOf`, and the panel compares them with the originals.
 */
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/server';
import { tabState, waitForState } from './helpers/extension-query';
import { startTestServer, type TestServer } from './helpers/test-server';
import { inPanel, launchFirefoxWithToolbox, openFirefoxPanel } from './helpers/firefox-toolbox';
import { closed, creates, framesOf, REPLAY_PAGE } from './replay-support';

let khp: RunningServer;
let pages: TestServer;
let firefox: { browser: Browser; close(): Promise<void> };
let page: Page;
let toolId: string;

beforeAll(async () => {
  khp = await startServer({ port: 0, host: '127.0.0.1', mode: 'gateway', demo: false });
  pages = await startTestServer();
  pages.page('/app', REPLAY_PAGE);
  firefox = await launchFirefoxWithToolbox();
  page = await firefox.browser.newPage();
  await page.goto(`${pages.url}/app`);
  toolId = await openFirefoxPanel(firefox.browser, page);
  await waitForState(page, (s) => s.panels >= 1, 45_000);
}, 180_000);
afterAll(async () => {
  await firefox?.close();
  await pages?.close();
  await khp?.close();
});

/** Runs the page's client (one socket per status) and waits until the background holds them all, closed. */
async function pageOpens(path: string): Promise<{ statuses: number[]; id: string }> {
  const before = creates(await tabState(page)).length;
  const statuses = (await page.evaluate(
    (url) => (window as unknown as { khpOpen(u: string, f: boolean): Promise<number[]> }).khpOpen(url, false),
    `${khp.wsUrl}${path}?.kl=Y`,
  )) as number[];
  const state = await waitForState(page, (s) => {
    const made = creates(s).slice(before);
    return made.length === 1 && closed(s, made[0]!.socketId);
  });
  return { statuses, id: creates(state)[before]!.socketId };
}

/** Opens socket `id`'s detail in the panel, then runs `then` (more frame-script statements). */
const inDetail = (id: string, then: string) =>
  inPanel<{ request: string; dialog: string }>(
    firefox.browser,
    page,
    toolId,
    `const open = doc.querySelector('.detail [aria-label="Close detail"]');
     if (open) open.click();
     await waitFor('no detail open', () => !doc.querySelector('.detail'));
     const row = await waitFor('the row', () => doc.querySelector('[data-id="' + arg.id + '"]'));
     row.click();
     await waitFor('the row selected', () => row.getAttribute('aria-selected') === 'true');
     key(doc.querySelector('[role=listbox]'), 'Enter');
     await waitFor('the replay buttons', () => doc.querySelector('.detail .replay-actions'));
     ${then}
     await waitFor('the replay result ' + arg.path, () => {
       const p = doc.querySelector('[data-testid=replay-path]');
       return p && p.textContent === arg.path;
     });
     const dialog = doc.querySelector('[role=dialog]').textContent;
     await click('[role=dialog] button', 'Close');
     return { request: arg.request, dialog };`,
    { id, path: '101', request: '' },
  );

describe('replay from the DevTools toolbox in Firefox', () => {
  it('replays a captured handshake as it was: a new socket marked as the replay, compared in the panel', async () => {
    const { statuses, id } = await pageOpens('/echo');
    expect(statuses).toEqual([101]);
    const result = await inDetail(
      id,
      `await click('.detail .replay-actions button', 'Replay');
       await waitFor('the confirm step', () => byText('#replay-title', 'Confirm the replay'));
       arg.request = doc.querySelector('[aria-label="Request to send"]').textContent;
       await click('[role=dialog] button', 'Send replay');`,
    );
    expect(result.request).toBe(
      'GET /echo HTTP/1.1\r\nSec-WebSocket-Protocol: app-proto\r\nSec-WebSocket-Extensions: x-kaazing-ping-pong\r\n\r\n',
    );
    expect(result.dialog).toContain('same result');
    const state = await waitForState(page, (s) =>
      creates(s).some((c) => c.replayOf === id && closed(s, c.socketId)),
    );
    const replays = creates(state).filter((c) => c.replayOf === id);
    expect(replays).toHaveLength(1);
    expect(replays[0]!.url).toBe(`${khp.wsUrl}/echo?.kl=Y`);
    expect(framesOf(state, replays[0]!.socketId, 'send')).toEqual(framesOf(state, id, 'send'));
    expect(framesOf(state, replays[0]!.socketId, 'receive')[1]).toMatch(/^HTTP\/1\.1 101 /);
  });

  it('turns a 401 into a 101 with Authorization added in the editor', async () => {
    const { statuses, id } = await pageOpens('/auth/basic');
    expect(statuses).toEqual([401]);
    const result = await inDetail(
      id,
      `await click('.detail .replay-actions button', 'Edit and replay');
       await waitFor('the editor', () => doc.querySelector('[aria-label="Authorization user"]'));
       fill('Authorization user', 'joe');
       fill('Authorization password', 'welcome');
       await waitFor('the helper ready', () => !byText('[role=dialog] button', 'Set Authorization').disabled);
       await click('[role=dialog] button', 'Set Authorization');
       await waitFor('the Authorization row', () =>
         [...doc.querySelectorAll('[aria-label$=" value"]')].some((i) => i.value === 'Basic am9lOndlbGNvbWU='),
       );
       await click('[role=dialog] button', 'Review');
       await waitFor('the confirm step', () => doc.querySelector('[aria-label="Request to send"]'));
       arg.request = doc.querySelector('[aria-label="Request to send"]').textContent;
       await click('[role=dialog] button', 'Send replay');`,
    );
    expect(result.request).toContain('\r\nAuthorization: Basic am9lOndlbGNvbWU=\r\n\r\n');
    expect(result.dialog).toContain('Original: 401');
    const state = await waitForState(page, (s) => creates(s).some((c) => c.replayOf === id));
    const replay = creates(state).find((c) => c.replayOf === id)!;
    expect(framesOf(state, replay.socketId, 'send')[0]).toContain('Authorization: Basic am9lOndlbGNvbWU=');
  });
});
