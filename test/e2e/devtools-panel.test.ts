/**
 * The devtools page in Chromium's real DevTools: it adds the KHP panel, the panel loads and connects
 * to the background for the inspected tab.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium, type Launched } from './helpers/browsers';
import { openExtensionPanel } from './helpers/devtools';
import { startTestServer, type TestServer } from './helpers/test-server';
import { pageWith } from './helpers/pages';
import { waitForState } from './helpers/extension-query';

let server: TestServer;
let b: Launched;
beforeAll(async () => {
  server = await startTestServer();
  b = await launchChromium();
});
afterAll(async () => {
  await b?.close();
  await server?.close();
});

it('adds the KHP panel to DevTools, which connects to the background for the inspected tab', async () => {
  server.page('/inspected', pageWith('window.result = 1;'));
  const page = await b.browser.newPage();
  await page.goto(`${server.url}/inspected`);
  const panel = await openExtensionPanel(page);
  expect(panel.url()).toBe(`chrome-extension://${b.extensionId}/panel.html`);
  const state = await waitForState(page, (s) => s.panels >= 1);
  expect(state.panels).toBe(1);
});
