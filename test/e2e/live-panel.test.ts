/**
 * The live capture through the real panel in Chromium: the real build (dist/chrome, as users load it)
 * with the KHP panel open in the real DevTools, the reference server's demo page clicked scenario by
 * scenario, and what the panel shows checked row by row, then in a socket's detail. Also sockets
 * opened by an inline script before DOMContentLoaded and by an iframe, on a page of the test's own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Frame, Page } from 'puppeteer-core';
import { startServer, type RunningServer } from '../../src/server/server';
import { DIST_REAL, launchChromium, type Launched } from './helpers/browsers';
import { openExtensionPanel } from './helpers/devtools';
import {
  hasRow,
  openDetail,
  pollUntil,
  readFrameRows,
  readHandshake,
  rowsFor,
  selectDetailTab,
  waitForPanelFrame,
} from './helpers/live-panel';
import { buildRealExtension, runDemoScenario } from './helpers/reference-demo';
import {
  checkEarlyAndIframeSockets,
  checkFailures,
  checkRedirectChain,
  type PanelWait,
} from './helpers/panel-scenarios';
import { startTestServer, type TestServer } from './helpers/test-server';

let reference: RunningServer;
let pages: TestServer;
let b: Launched;
let page: Page;
let panel: Frame;

beforeAll(async () => {
  buildRealExtension();
  reference = await startServer({ port: 0, host: '127.0.0.1', mode: 'gateway' });
  pages = await startTestServer();
  b = await launchChromium(true, { extensionDir: join(DIST_REAL, 'chrome') });
  page = await b.browser.newPage();
  await page.goto(reference.url);
  panel = await openExtensionPanel(page);
  // The panel is connected to the background for this tab (its status bar says "live").
  await panel.waitForFunction(() => document.querySelector('.conn-state')?.textContent === 'live', {
    timeout: 45_000,
  });
}, 180_000);

afterAll(async () => {
  await b?.close();
  await pages?.close();
  await reference?.close();
});

/** Waits until the panel's list satisfies `done` (read in the panel frame). */
const panelList: PanelWait = (done) => waitForPanelFrame(panel, done);

describe('the real build in Chromium, the panel open in DevTools, the reference demo clicked', () => {
  it('runs the panel of the real build, not the test build', async () => {
    expect(panel.url()).toBe(`chrome-extension://${b.extensionId}/panel.html`);
    // The panel's own script, as the browser serves it: the test build's would load the test-only
    // report module (src/panel/test-report.ts); the real build has no trace of it.
    const code = await panel.evaluate(async () => {
      const src = document.querySelector<HTMLScriptElement>('script[src]')!.src;
      return { src: new URL(src).pathname, text: await (await fetch(src)).text() };
    });
    expect(code.src).toMatch(/^\/assets\/panel-.*\.js$/);
    expect(code.text).toContain('rendered without PanelContext');
    expect(code.text).not.toContain('test-report');
  });

  it('echo-ext: 101, outcome open, granted ping-pong; Messages labels the extended ping and pong', async () => {
    expect(await runDemoScenario(page, 'echo-ext')).toBe('completed');
    const report = await waitForPanelFrame(panel, (r) => hasRow(r, '/echo?timeout=10000', '101', 'open'));
    const row = rowsFor(report, '/echo?timeout=10000').at(-1)!;
    expect(row.extensions).toContain('x-kaazing-ping-pong');
    expect(row.extensions).toContain('x-kaazing-idle-timeout');

    await openDetail(panel, '/echo?timeout=10000');
    await selectDetailTab(panel, 'messages');
    // The server pings at half the granted idle timeout (10 s); the client answers with a pong.
    const frames = await pollUntil(
      'an extended ping and its pong in Messages',
      () => readFrameRows(panel),
      (rows) => rows.some((f) => f.role === 'ping') && rows.some((f) => f.role === 'pong'),
    );
    const ping = frames.find((f) => f.role === 'ping')!;
    const pong = frames.find((f) => f.role === 'pong')!;
    // Extended ping/pong are text frames starting with the granted control prefix 01 01 01 02.
    expect(ping).toMatchObject({ dir: 'received', type: 'text' });
    expect(ping.data).toBe('\\x01\\x01\\x01\\x02\\x09\\x00');
    expect(pong).toMatchObject({ dir: 'sent', type: 'text' });
    expect(pong.data).toBe('\\x01\\x01\\x01\\x02\\x0a\\x00');
    expect(frames.map((f) => f.role)).toEqual(
      expect.arrayContaining(['request', 'response', 'terminator', 'balancer']),
    );
  });

  it('auth-basic: 401 → 101 on one socket; the handshake timeline and the spec words for 101', async () => {
    expect(await runDemoScenario(page, 'auth-basic')).toBe('completed');
    await waitForPanelFrame(panel, (r) => hasRow(r, '/auth/basic', '401 → 101', 'open'));
    await openDetail(panel, '/auth/basic');
    await selectDetailTab(panel, 'handshake');
    const hs = await readHandshake(panel);
    // The timeline, in order: the request, the 401 and its replay with credentials, then the 101.
    const order = [
      'GET /auth/basic (text)',
      '401 Unauthorized — replay with credentials',
      'GET /auth/basic (text) — replayed with credentials',
      '101 Web Socket Protocol Handshake',
      'Extended handshake completed',
    ];
    const at = order.map((label) => hs.steps.indexOf(label));
    expect(
      at.every((i) => i >= 0),
      JSON.stringify(hs.steps),
    ).toBe(true);
    expect([...at].sort((x, y) => x - y)).toEqual(at);
    expect(hs.steps[0]).toMatch(/^new WebSocket\(ws:\/\/127\.0\.0\.1:\d+\/auth\/basic\?\.kl=Y\)$/);
    // The last response is shown first, with what the spec's status-code table says about 101.
    expect(hs.current).toBe('101 Web Socket Protocol Handshake');
    expect(hs.meaning).toMatch(/^101 /);
    expect(hs.action).toBe('handshake completed');
    expect(hs.quote).toBe(
      'Extended Handshake Action: Clients receiving a valid WebSocket handshake [WSP] 101 extended response that corresponds to their request MUST consider the extended handshake completed.',
    );
    expect(hs.firstLine).toBe('HTTP/1.1 101 Web Socket Protocol Handshake');
  });

  it('redirect: the chain grouped under its path, 302 on every hop, 101 at the end', async () => {
    await checkRedirectChain(page, panelList);
  });

  it('failures: 404 for an unknown path, 403 from /status/403, both failed', async () => {
    await checkFailures(page, panelList);
  });

  it('sockets from an inline script before DOMContentLoaded and from an iframe reach the panel', async () => {
    await checkEarlyAndIframeSockets(page, pages, reference.wsUrl, panelList);
  });
});
