/**
 * The network as a second witness, in Chromium with the real DevTools panel open (one launch): a KHP
 * socket of the page shows the opening handshake's real headers (which no page script can read) marked
 * as coming from the network, and the KHP sockets of a dedicated worker and of a service worker (where
 * the hook does not run) are listed as "network only" and decoded from the network's messages. A page
 * that sends on its socket through another frame's native `send` (which the hook never sees) gets its
 * socket marked "network disagrees"; the honest socket does not. A payload the hook kept a preview of
 * is offered whole from the network.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame, Page } from 'puppeteer-core';
import { launchChromium, type Launched } from './helpers/browsers';
import { openExtensionPanel } from './helpers/devtools';
import { hookPolicy } from './helpers/extension-query';
import {
  openDetail,
  pathOf,
  rowsFor,
  selectDetailTab,
  waitForPanelFrame,
  type PanelReport,
} from './helpers/live-panel';
import { readNetworkOpening, type NetworkOpeningView } from './helpers/network-opening';
import { startTestServer, type TestServer } from './helpers/test-server';

let server: TestServer;
let b: Launched;
let page: Page;
let panel: Frame;

/** Script text opening a KHP socket on /khp/ok?from=`from` and running its extended handshake. */
const khpSocket = (ws: string, from: string) => `
  var s = new WebSocket('${ws}/khp/ok?from=${from}', ['x-kaazing-handshake', 'amqp']);
  s.onopen = function () {
    s.send('GET /khp/ok HTTP/1.1\\r\\nSec-WebSocket-Protocol: amqp\\r\\n\\r\\n');
  };`;

beforeAll(async () => {
  server = await startTestServer();
  server.page('/witness', '<!doctype html><title>witness</title>');
  b = await launchChromium();
  page = await b.browser.newPage();
  await page.goto(`${server.url}/witness`);
  panel = await openExtensionPanel(page);
  await panel.waitForFunction(() => document.querySelector('.conn-state')?.textContent === 'live', {
    timeout: 45_000,
  });
  await page.evaluate(khpSocket(server.wsUrl, 'page'));
  // After the extended handshake (response, terminator), one message past the hook, then one it sees.
  await page.evaluate(`(function () {${khpSocket(server.wsUrl, 'fooled')}
    var seen = 0;
    s.onmessage = function () {
      if (++seen !== 2) return;
      var f = document.createElement('iframe');
      document.body.appendChild(f);
      f.contentWindow.WebSocket.prototype.send.call(s, 'past the hook');
      s.send('seen');
      // Once the hook has read the handshake's Blob payloads, it keeps a preview of what follows.
      setTimeout(function () { s.send('L'.repeat(1000)); }, 300);
    };
  })()`);
  // A blob: worker, which the hook leaves alone, and a worker of the page's origin, which it hooks.
  const worker = khpSocket(server.wsUrl, 'worker');
  await page.evaluate(`new Worker(URL.createObjectURL(new Blob([${JSON.stringify(worker)}])))`);
  server.script('/witness-worker.js', khpSocket(server.wsUrl, 'hooked-worker'));
  // (Hooked once the background's CSP verdict is in: docs/workers.md.)
  expect(await hookPolicy(page)).toEqual({ blobWorkers: true });
  await page.evaluate(`new Worker('/witness-worker.js')`);
  // A service worker opens its socket when the page asks (Chromium's log for the tab holds it).
  server.script(
    '/witness-sw.js',
    `self.onmessage = function () { ${khpSocket(server.wsUrl, 'service-worker')} };`,
  );
  await page.evaluate(async () => {
    await navigator.serviceWorker.register('/witness-sw.js');
    (await navigator.serviceWorker.ready).active!.postMessage('open');
  });
  // A shared worker, which opens a KHP socket each time the page asks (/khp/ok?from=shared&n=N).
  server.script(
    '/witness-shared.js',
    `onconnect = function (e) { var port = e.ports[0]; port.onmessage = function (m) { ${khpSocket(server.wsUrl, 'shared&n=" + m.data + "')} }; };`,
  );
  await page.evaluate(`window.shared = new SharedWorker('/witness-shared.js', { name: 'witness' });`);
}, 120_000);

afterAll(async () => {
  await b?.close();
  await server?.close();
});

describe('the network witness in the real DevTools panel', () => {
  it("lists the workers' sockets the hook could not see as network only, decoded as KHP; the others as the hook's", async () => {
    const froms = ['page', 'worker', 'service-worker', 'hooked-worker'];
    const report = await waitForPanelFrame(panel, (r) =>
      froms.every((from) => rowsFor(r, `/khp/ok?from=${from}`).some((row) => row.outcome === 'open')),
    );
    const rows = froms.map((from) => rowsFor(report, `/khp/ok?from=${from}`));
    expect(rows.map((r) => r.length)).toEqual([1, 1, 1, 1]);
    expect(rows[0]![0]).toMatchObject({ status: '101', tags: [] });
    expect(rows[1]![0]).toMatchObject({ status: '101', outcome: 'open', tags: ['network only'] });
    expect(rows[2]![0]).toMatchObject({ status: '101', outcome: 'open', tags: ['network only'] });
    // The hooked worker's socket: the hook's record (paired with the network's, not listed twice).
    expect(rows[3]![0]).toMatchObject({ status: '101', outcome: 'open', tags: ['worker'] });
  });

  it("lists a shared worker's sockets (test builds hold the debugger permission), marked as the worker's and network only, decoded as KHP", async () => {
    // The panel attaches to the page's shared worker within a round of its target list (2 s) and sees
    // the sockets opened after that: the page asks for one socket a second until one is listed.
    const shared = (r: PanelReport) => r.rows.filter((row) => row.url.includes('from=shared'));
    let report: PanelReport | null = null;
    for (let n = 0; n < 30 && !report; n++) {
      await page.evaluate(`window.shared.port.postMessage(${n})`);
      report = await waitForPanelFrame(
        panel,
        (r) => shared(r).some((row) => row.outcome === 'open'),
        1000,
      ).catch(() => null);
    }
    expect(report, 'no shared worker socket was listed in 30 s').not.toBeNull();
    const row = shared(report!).find((r) => r.outcome === 'open')!;
    expect(row).toMatchObject({ status: '101', tags: ['worker', 'network only'] });
    const titles = await panel.$$eval('.conn-row', (rows) =>
      rows
        .filter((r) => r.querySelector('.col-url')?.getAttribute('title')?.includes('from=shared'))
        .map((r) => r.querySelector('.tag.worker')?.getAttribute('title')),
    );
    expect(titles[0]).toBe(`Opened in a shared worker: ${server.url}/witness-shared.js`);
  });

  it('marks the socket whose page sent past the hook as disagreeing with the network, and only it', async () => {
    const report = await waitForPanelFrame(panel, (r) =>
      rowsFor(r, '/khp/ok?from=fooled').some((row) => row.tags.includes('network disagrees')),
    );
    expect(rowsFor(report, '/khp/ok?from=page')).toMatchObject([{ status: '101', tags: [] }]);
    const marked = report.rows.filter((r) => r.tags.includes('network disagrees'));
    expect(marked.map((r) => pathOf(r.url))).toEqual(['/khp/ok?from=fooled']);
    const title = await panel.$eval('.tag.mismatch', (t) => t.getAttribute('title'));
    expect(title).toContain('1 frame(s) only the network saw');
    expect(title).toContain('a sent frame, before frame #');
  });

  it("offers the network's whole payload of a frame the hook kept a preview of", async () => {
    await openDetail(panel, '/khp/ok?from=fooled');
    await selectDetailTab(panel, 'messages');
    await panel.waitForFunction(
      () =>
        Array.from(document.querySelectorAll('.detail .frame-row .fr-data')).some((d) =>
          d.textContent?.startsWith('LLL'),
        ),
      { timeout: 10_000 },
    );
    await panel.$$eval('.detail .frame-row', (rows) =>
      (rows.find((r) => r.querySelector('.fr-data')?.textContent?.startsWith('LLL')) as HTMLElement).click(),
    );
    // The comparison judges a frame once it is 2 s old, at the next read of the log (at most 8 s apart).
    const button = await panel.waitForSelector('.frame-viewer .banner button', { timeout: 20_000 });
    expect(await button!.evaluate((b) => b.textContent)).toBe('Show the payload from the network');
    await button!.evaluate((b) => (b as HTMLElement).click());
    const banner = await panel.$eval('.frame-viewer .banner', (b) => b.textContent);
    expect(banner).toContain('Payload from the network, whole.');
    expect(await panel.$eval('.frame-viewer', (v) => v.textContent)).toContain('L'.repeat(1000));
  });

  it("shows the page socket's real opening request and 101, marked as from the network", async () => {
    const o = (await panel.evaluate(
      `(${readNetworkOpening.toString()})(document, '/khp/ok?from=page')`,
    )) as NetworkOpeningView;
    expect(o.title).toBe('Opening handshake from the network');
    // What only the network knows: the browser's own extension offer and the server's accept key.
    expect(o.request).toContainEqual(['Sec-WebSocket-Protocol', 'x-kaazing-handshake, amqp']);
    expect(o.request).toContainEqual([
      'Sec-WebSocket-Extensions',
      'permessage-deflate; client_max_window_bits',
    ]);
    expect(o.lines).toEqual([`GET ${server.wsUrl}/khp/ok?from=page HTTP/1.1`, '101 Switching Protocols']);
    expect(o.response).toContainEqual(['Sec-WebSocket-Protocol', 'x-kaazing-handshake']);
    expect(o.response.find(([n]) => n === 'Sec-WebSocket-Accept')?.[1]).toMatch(/^[A-Za-z0-9+/]{27}=$/);
    expect(o.extensionTitles).toContain('Requested in the opening handshake from the network');
    expect(o.extensions).toContain('permessage-deflate');
    expect(o.extensions).not.toContain('not visible to the page');
  });
});
