/**
 * The devtools page in Chromium's real DevTools: it adds the KHP panel, the panel loads and connects
 * to the background for the inspected tab. Then the panel at the sizes DevTools gives it (docked at
 * the side or the bottom, 360 to 2,000 px wide), and its keys against DevTools' own.
 */
import type { Frame, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/server';
import { launchChromium, type Launched } from './helpers/browsers';
import {
  devToolsDialogOpen,
  drawerVisible,
  openExtensionPanel,
  pressInDevTools,
  setDevToolsSize,
} from './helpers/devtools';
import { waitForState } from './helpers/extension-query';
import { openDetail, pollUntil } from './helpers/live-panel';
import { pageWith } from './helpers/pages';
import { reachExpression, unreachable, type ReachReport } from './helpers/panel-reach';
import { runDemoScenario } from './helpers/reference-demo';
import { startTestServer, type TestServer } from './helpers/test-server';

let server: TestServer;
let reference: RunningServer;
let b: Launched;
let page: Page;
let panel: Frame;
beforeAll(async () => {
  server = await startTestServer();
  reference = await startServer({ port: 0, host: '127.0.0.1', mode: 'gateway' });
  b = await launchChromium();
  server.page('/inspected', pageWith('window.result = 1;'));
  page = await b.browser.newPage();
  await page.goto(`${server.url}/inspected`);
  panel = await openExtensionPanel(page);
});
afterAll(async () => {
  await b?.close();
  await reference?.close();
  await server?.close();
});

it('adds the KHP panel to DevTools, which connects to the background for the inspected tab', async () => {
  expect(panel.url()).toBe(`chrome-extension://${b.extensionId}/panel.html`);
  const state = await waitForState(page, (s) => s.panels >= 1);
  expect(state.panels).toBe(1);
});

describe('a socket open in the panel, in the real DevTools', () => {
  let socketUrl = '';
  beforeAll(async () => {
    await page.goto(reference.url);
    expect(await runDemoScenario(page, 'auth-basic')).toBe('completed');
    await panel.waitForSelector('.conn-row', { timeout: 45_000 });
    socketUrl = await panel.$eval('.conn-row .col-url', (el) => el.getAttribute('title') ?? '');
    expect(socketUrl).toMatch(/\/auth\/basic/);
  });

  it('from 360 to 2,000 px wide, short and tall: every tab reachable, the URL and the buttons shown', async () => {
    const sizes: [number, number, string][] = [
      [360, 900, 'split-stacked'], // docked at the side
      [520, 550, 'split-stacked'], // what `npm start` opens
      [360, 290, 'split-detail'], // narrow and short
      [800, 600, 'split-side'],
      [1280, 260, 'split-side'], // docked at the bottom
      [2000, 500, 'split-side'],
    ];
    const problems: string[] = [];
    for (const [width, height, layout] of sizes) {
      await setDevToolsSize(page, width, height);
      await panel.waitForFunction((w) => innerWidth === w, { timeout: 10_000 }, width);
      const r = (await panel.evaluate(reachExpression('/auth/basic'))) as ReachReport;
      problems.push(...unreachable(r, socketUrl));
      if (r.layout !== layout) problems.push(`${width}×${height}: layout ${r.layout}`);
      // Replay, Edit and replay and the socket's Copy menu are in the header at every size.
      const buttons = Object.keys(r.actions).join(', ');
      if (buttons !== 'Close detail, ⟳ Replay, ✎ Edit and replay, Copy this socket')
        problems.push(`${width}×${height}: ${buttons}`);
      // At 360 px some tabs are in the » menu (the overflow is what is tested there).
      if (width === 360 && !r.tabs.some((t) => t.route === 'menu'))
        problems.push(`${width}×${height}: no » menu`);
    }
    expect(problems).toEqual([]);
  });

  it('Esc closes the detail without toggling DevTools’ drawer; ? opens the panel’s help, not DevTools’ settings', async () => {
    await setDevToolsSize(page, 800, 600);
    if (!(await panel.$('.detail'))) await openDetail(panel, '/auth/basic');
    expect(await drawerVisible(page)).toBe(false);
    // DevTools acts on a forwarded key a moment later (it batches them): give it that moment.
    const settled = () => new Promise((r) => setTimeout(r, 300));
    await panel.$eval('#detail-tab-handshake', (el) => (el as HTMLElement).focus());
    await pressInDevTools(page, 'Escape');
    await panel.waitForFunction(() => !document.querySelector('.detail'), { timeout: 10_000 });
    await settled();
    expect(await drawerVisible(page)).toBe(false);

    await pressInDevTools(page, '?', true);
    await panel.waitForSelector('[role=dialog][aria-labelledby=help-title]', { timeout: 10_000 });
    await settled();
    expect(await devToolsDialogOpen(page)).toBe(false);
    await pressInDevTools(page, 'Escape');
    await panel.waitForFunction(() => !document.querySelector('[role=dialog]'), { timeout: 10_000 });
    await settled();
    expect(await drawerVisible(page)).toBe(false);

    // With nothing of the panel's to close, Esc is DevTools' again: it opens the drawer.
    await pressInDevTools(page, 'Escape');
    await pollUntil(
      'the drawer shown',
      () => drawerVisible(page),
      (shown) => shown,
      10_000,
    );
  });
});
