/**
 * Replay in real Chromium with the real DevTools panel, against the reference KHP server: the page
 * opens KHP sockets, the panel replays them (plain, edited, redirect chain with following on and
 * off) by evaluating the page runner in the inspected page; the background's capture shows the
 * replay sockets, marked `replayOf`, and the panel compares them with the originals.
 */
import type { Frame, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/server';
import { launchChromium, type Launched } from './helpers/browsers';
import { openExtensionPanel } from './helpers/devtools';
import { tabState, waitForState } from './helpers/extension-query';
import { startTestServer, type TestServer } from './helpers/test-server';
import { closed, creates, framesOf, REPLAY_PAGE } from './replay-support';

let khp: RunningServer;
let pages: TestServer;
let b: Launched;
let page: Page;
let panel: Frame;

beforeAll(async () => {
  khp = await startServer({ port: 0, host: '127.0.0.1', mode: 'gateway', demo: false });
  pages = await startTestServer();
  pages.page('/app', REPLAY_PAGE);
  b = await launchChromium();
  page = await b.browser.newPage();
  await page.goto(`${pages.url}/app`);
  panel = await openExtensionPanel(page);
  await waitForState(page, (s) => s.panels >= 1);
});
afterAll(async () => {
  await b?.close();
  await pages?.close();
  await khp?.close();
});

/** Runs the page's client (one socket per status) and waits until the background holds them all, closed. */
async function pageOpens(path: string, follow: boolean): Promise<{ statuses: number[]; ids: string[] }> {
  const before = creates(await tabState(page)).length;
  const statuses = (await page.evaluate(
    (url, f) => (window as unknown as { khpOpen(u: string, f: boolean): Promise<number[]> }).khpOpen(url, f),
    `${khp.wsUrl}${path}?.kl=Y`,
    follow,
  )) as number[];
  const state = await waitForState(page, (s) => {
    const made = creates(s).slice(before);
    return made.length === statuses.length && made.every((c) => closed(s, c.socketId));
  });
  return {
    statuses,
    ids: creates(state)
      .slice(before)
      .map((c) => c.socketId),
  };
}

/** Clicks the first element matching `selector` whose text contains `text`. */
async function click(selector: string, text: string): Promise<void> {
  await panel.waitForFunction(
    (sel, t) => [...document.querySelectorAll(sel)].some((e) => e.textContent?.includes(t)),
    { timeout: 10_000 },
    selector,
    text,
  );
  await panel.$$eval(
    selector,
    (els, t) => (els.find((e) => e.textContent?.includes(t)) as HTMLElement).click(),
    text,
  );
}

/** Opens the detail of socket `id` in the panel (close any open detail, select the row, Enter). */
async function openDetail(id: string): Promise<void> {
  // Close the detail of an earlier socket first, so the one found below is this socket's.
  await panel.$eval('body', (b) =>
    b.querySelector<HTMLElement>('.detail [aria-label="Close detail"]')?.click(),
  );
  await panel.waitForFunction(() => !document.querySelector('.detail'));
  await panel.waitForSelector(`[data-id="${id}"]`, { timeout: 10_000 });
  await panel.$eval(`[data-id="${id}"]`, (el) => (el as HTMLElement).click());
  await panel.waitForSelector(`[data-id="${id}"][aria-selected="true"]`);
  await panel.$eval('[role=listbox]', (el) =>
    el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })),
  );
  await panel.waitForSelector('.detail .replay-actions', { timeout: 10_000 });
}

/** Sets a form field by its accessible label, as typing would. */
async function fill(label: string, value: string): Promise<void> {
  await panel.$eval(
    `[aria-label="${label}"]`,
    (el, v) => {
      (el as HTMLInputElement).value = v;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    },
    value,
  );
}

/** Waits for the comparison's replay status path to read `path`; returns the dialog's text. */
async function replayPath(path: string): Promise<string> {
  await panel.waitForFunction(
    (p) => document.querySelector('[data-testid=replay-path]')?.textContent === p,
    { timeout: 15_000 },
    path,
  );
  return panel.$eval('[role=dialog]', (d) => d.textContent ?? '');
}

async function closeDialog(): Promise<void> {
  await click('[role=dialog] button', 'Close');
  await panel.waitForFunction(() => !document.querySelector('[role=dialog]'));
}

describe('replay from the DevTools panel in Chromium', () => {
  it('replays a handshake as captured: a new socket, marked as the replay, compared with the original', async () => {
    const original = await pageOpens('/echo', false);
    expect(original.statuses).toEqual([101]);
    const [id] = original.ids;
    await openDetail(id!);
    // The R shortcut inside the detail opens the confirm step.
    await panel.$eval('.detail', (el) =>
      el.dispatchEvent(new KeyboardEvent('keydown', { key: 'r', bubbles: true })),
    );
    await panel.waitForFunction(
      () => document.querySelector('#replay-title')?.textContent === 'Confirm the replay',
    );
    const request = await panel.$eval('[aria-label="Request to send"]', (e) => e.textContent);
    expect(request).toBe(
      'GET /echo HTTP/1.1\r\nSec-WebSocket-Protocol: app-proto\r\nSec-WebSocket-Extensions: x-kaazing-ping-pong\r\n\r\n',
    );
    await click('[role=dialog] button', 'Send replay');
    const text = await replayPath('101');
    expect(text).toContain('same result');
    const state = await waitForState(page, (s) =>
      creates(s).some((c) => c.replayOf === id && closed(s, c.socketId)),
    );
    const replays = creates(state).filter((c) => c.replayOf === id);
    expect(replays).toHaveLength(1);
    expect(replays[0]!.url).toBe(`${khp.wsUrl}/echo?.kl=Y`);
    expect(replays[0]!.protocols).toEqual(['x-kaazing-handshake', 'app-proto']);
    expect(framesOf(state, replays[0]!.socketId, 'send')).toEqual(framesOf(state, id!, 'send'));
    expect(framesOf(state, replays[0]!.socketId, 'receive')[0]).toMatch(/^\uF0FFN$/);
    expect(framesOf(state, replays[0]!.socketId, 'receive')[1]).toMatch(/^HTTP\/1\.1 101 /);
    // The list shows the replay socket with its tag.
    await panel.waitForFunction(
      (rid) => document.querySelector(`[data-id="${rid}"]`)?.textContent?.includes('replay'),
      {},
      replays[0]!.socketId,
    );
    await closeDialog();
  });

  it('turns a 401 into a 101 by adding Authorization in the editor', async () => {
    const original = await pageOpens('/auth/basic', false);
    expect(original.statuses).toEqual([401]);
    const [id] = original.ids;
    await openDetail(id!);
    await click('.detail .replay-actions button', 'Edit and replay');
    await fill('Authorization user', 'joe');
    await fill('Authorization password', 'welcome');
    await panel.waitForFunction(() =>
      [...document.querySelectorAll<HTMLButtonElement>('[role=dialog] button')].some(
        (b) => b.textContent === 'Set Authorization' && !b.disabled,
      ),
    );
    await click('[role=dialog] button', 'Set Authorization');
    await click('[role=dialog] button', 'Review');
    const request = await panel.$eval('[aria-label="Request to send"]', (e) => e.textContent);
    expect(request).toContain('\r\nAuthorization: Basic am9lOndlbGNvbWU=\r\n\r\n');
    await click('[role=dialog] button', 'Send replay');
    const text = await replayPath('101');
    expect(text).toContain('Original: 401');
    expect(text).toContain('different');
    const state = await waitForState(page, (s) => creates(s).some((c) => c.replayOf === id));
    const replay = creates(state).find((c) => c.replayOf === id)!;
    expect(framesOf(state, replay.socketId, 'send')[0]).toContain('Authorization: Basic am9lOndlbGNvbWU=');
    await closeDialog();
  });

  it('replays a redirect chain with following on, then off', async () => {
    const original = await pageOpens('/redirect/2', true);
    expect(original.statuses).toEqual([302, 302, 302, 101]);
    const first = original.ids[0]!;
    await openDetail(first);
    await click('.detail .replay-actions button', 'Replay');
    await click('[role=dialog] button', 'Send replay');
    const on = await replayPath('302 ⇒ 302 ⇒ 302 ⇒ 101');
    expect(on).toContain('4 sockets opened');
    expect(on).toContain('same result');
    let state = await waitForState(page, (s) => creates(s).filter((c) => c.replayOf === first).length === 4);
    const hops = creates(state).filter((c) => c.replayOf === first);
    expect(hops.map((c) => new URL(c.url).pathname)).toEqual([
      '/redirect/2',
      '/redirect/1',
      '/redirect/0',
      '/echo',
    ]);
    expect(hops.map((c) => framesOf(state, c.socketId, 'send')[0]!.split('\r\n')[0])).toEqual([
      'GET /redirect/2 HTTP/1.1',
      'GET /redirect/1 HTTP/1.1',
      'GET /redirect/0 HTTP/1.1',
      'GET /echo HTTP/1.1',
    ]);
    await closeDialog();

    await click('.detail .replay-actions button', 'Edit and replay');
    await panel.$$eval('[role=dialog] label', (labels) =>
      (
        labels
          .find((l) => l.textContent?.includes('follow 3xx redirects'))!
          .querySelector('input') as HTMLInputElement
      ).click(),
    );
    await click('[role=dialog] button', 'Review');
    expect(await panel.$eval('[role=dialog]', (d) => d.textContent)).toContain('do not follow redirects');
    await click('[role=dialog] button', 'Send replay');
    const off = await replayPath('302');
    expect(off).toContain('different');
    state = await waitForState(page, (s) => creates(s).filter((c) => c.replayOf === first).length === 5);
    await new Promise((r) => setTimeout(r, 1500));
    state = await tabState(page);
    const all = creates(state).filter((c) => c.replayOf === first);
    expect(all).toHaveLength(5);
    expect(closed(state, all[4]!.socketId)).toBe(true);
    await closeDialog();
  });
});
