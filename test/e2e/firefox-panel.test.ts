/**
 * The live capture through the real panel in Firefox ESR: the extension (test build) installed over
 * WebDriver BiDi, the DevTools toolbox opened on the reference server's demo page with the KHP panel
 * selected, the demo's scenarios clicked. The panel is not reachable by automation, so it is checked
 * through what it reports (a test-build panel writes a summary of its rendered list on the inspected
 * page) and through the background (test-only `state` query: connected panels, captured frames).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { startServer, type RunningServer } from '../../src/server/server';
import { launchFirefox, type Launched } from './helpers/browsers';
import { frameText, socketEvents } from './helpers/capture-asserts';
import { hookPolicy, waitForState } from './helpers/extension-query';
import { dockToolbox, inPanel, openFirefoxPanel } from './helpers/firefox-toolbox';
import { hasRow, rowsFor, waitForPanelReport } from './helpers/live-panel';
import { readNetworkOpening, type NetworkOpeningView } from './helpers/network-opening';
import { reachDetail, unreachable, type ReachReport } from './helpers/panel-reach';
import { runDemoScenario } from './helpers/reference-demo';
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
let toolId: string;

beforeAll(async () => {
  reference = await startServer({ port: 0, host: '127.0.0.1', mode: 'gateway' });
  pages = await startTestServer();
  b = await launchFirefox(true, { args: ['--remote-allow-system-access'] });
  page = await b.browser.newPage();
  await page.goto(reference.url);
  toolId = await openFirefoxPanel(b.browser, page);
}, 180_000);

afterAll(async () => {
  await b?.close();
  await pages?.close();
  await reference?.close();
});

/** Waits until the panel's list satisfies `done` (its report on the inspected page). */
const panelList: PanelWait = (done) => waitForPanelReport(page, done);

describe('Firefox ESR, the KHP panel open in the DevTools toolbox, the reference demo clicked', () => {
  it('opens the panel in the toolbox; it connects to the background and reports its list', async () => {
    expect(toolId).toMatch(/^webext-devtools-panel-/);
    const state = await waitForState(page, (s) => s.panels >= 1, 45_000);
    expect(state.panels).toBe(1);
    const report = await waitForPanelReport(page, (r) => r.connection === 'live');
    expect(report.rows).toEqual([]);
  });

  it('echo-ext: 101, open, ping-pong granted in the panel; the extended ping and pong captured', async () => {
    expect(await runDemoScenario(page, 'echo-ext')).toBe('completed');
    const report = await waitForPanelReport(page, (r) => hasRow(r, '/echo?timeout=10000', '101', 'open'));
    expect(rowsFor(report, '/echo?timeout=10000').at(-1)?.extensions).toContain('x-kaazing-ping-pong');
    // The server pings at half the granted idle timeout (10 s); the demo's client answers.
    const ping = '\u0001\u0001\u0001\u0002\u0009\u0000';
    const pong = '\u0001\u0001\u0001\u0002\u000a\u0000';
    const frames = (s: Parameters<typeof socketEvents>[0]) =>
      socketEvents(s, '/echo?timeout=10000&.kl=Y').flatMap((e) =>
        e.type === 'frame' ? [`${e.dir}:${frameText(e)}`] : [],
      );
    const state = await waitForState(
      page,
      (s) => frames(s).includes(`receive:${ping}`) && frames(s).includes(`send:${pong}`),
      45_000,
    );
    expect(frames(state).indexOf(`receive:${ping}`)).toBeLessThan(frames(state).indexOf(`send:${pong}`));
  });

  it("auth-basic: 401 → 101 on one socket; the opening handshake's real headers from the network", async () => {
    expect(await runDemoScenario(page, 'auth-basic')).toBe('completed');
    await waitForPanelReport(page, (r) => hasRow(r, '/auth/basic', '401 → 101', 'open'));
    // Firefox's network log gives the 101 with its headers (and no messages).
    const o = await inPanel<NetworkOpeningView>(
      b.browser,
      page,
      toolId,
      `return await (${readNetworkOpening.toString()})(doc, arg);`,
      '/auth/basic',
    );
    expect(o.title).toBe('Opening handshake from the network');
    expect(o.lines[1]).toBe('101 Switching Protocols');
    expect(o.request).toContainEqual(['Sec-WebSocket-Extensions', 'permessage-deflate']);
    expect(o.response).toContainEqual(['Sec-WebSocket-Protocol', 'x-kaazing-handshake']);
    expect(o.response.find(([n]) => n === 'Sec-WebSocket-Accept')?.[1]).toMatch(/^[A-Za-z0-9+/]{27}=$/);
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

  it("a socket of the page's dedicated worker reaches the panel through the hook, tagged worker", async () => {
    // The page of the test above (its origin's worker script); the hook carries itself into the worker.
    const url = `${pages.wsUrl}/khp/ok?from=worker`;
    pages.script(
      '/firefox-worker.js',
      `const ws = new WebSocket(${JSON.stringify(url)}, 'x-kaazing-handshake');
       ws.onopen = () => ws.send('GET /khp/ok HTTP/1.1\\r\\nHost: worker\\r\\n\\r\\n');`,
    );
    await page.goto(`${pages.url}/early`);
    // The hook starts a worker with its copy once the background's CSP verdict is in (docs/workers.md).
    expect(await hookPolicy(page)).toEqual({ blobWorkers: true });
    await page.evaluate(`new Worker('/firefox-worker.js')`);
    const report = await panelList((r) => hasRow(r, '/khp/ok?from=worker', '101', 'open'));
    expect(rowsFor(report, '/khp/ok?from=worker').map((r) => r.tags)).toEqual([['worker']]);
  });

  it('docked at the side (360, 520 px) or the bottom (260 px tall): every tab reachable, the URL shown', async () => {
    // The auth-basic socket (its test above opened it, unless run alone).
    if (!rowsFor(await waitForPanelReport(page, () => true), '/auth/basic').length)
      expect(await runDemoScenario(page, 'auth-basic')).toBe('completed');
    const report = await waitForPanelReport(page, (r) => rowsFor(r, '/auth/basic').length > 0);
    const url = rowsFor(report, '/auth/basic')[0]!.url;
    const problems: string[] = [];
    for (const [host, size] of [
      ['right', 360],
      ['right', 520],
      ['bottom', 260],
    ] as const) {
      await dockToolbox(b.browser, page, host, size);
      const r = await inPanel<ReachReport>(
        b.browser,
        page,
        toolId,
        `return await (${reachDetail.toString()})(doc, arg);`,
        '/auth/basic',
      );
      if ((host === 'right' ? r.width : r.height) > size)
        problems.push(`${host} ${size}: ${r.width}×${r.height}`);
      problems.push(...unreachable(r, url));
    }
    expect(problems).toEqual([]);
  });
});
