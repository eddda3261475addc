/**
 * Driving the reference server's demo page (src/demo) in the browser tests, and small pages of the
 * tests' own that open KHP sockets to the reference server from inline scripts and iframes.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { Page } from 'puppeteer-core';

const ROOT = resolve(import.meta.dirname, '../../..');

/**
 * Builds the real extension (`node scripts/build.mjs`: dist/chrome, dist/firefox), for tests that must
 * load what users load rather than the test build.
 */
export function buildRealExtension(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
}

/** Final states of the demo page (`document.body.dataset.state`). */
export type DemoState = 'completed' | 'failed' | 'closed';

/**
 * Clicks the demo's button for `scenario` (`btn-<scenario>`) and waits until the page's client leaves
 * the `working` state; returns the state it reached. The click is dispatched in the page, so the
 * state is `working` as soon as it returns (the demo sets it synchronously).
 */
export async function runDemoScenario(page: Page, scenario: string, timeoutMs = 45_000): Promise<DemoState> {
  const started = await page.evaluate((id) => {
    const button = document.getElementById(id);
    if (!(button instanceof HTMLButtonElement)) return `no button #${id}`;
    button.click();
    return document.body.dataset.state ?? '';
  }, `btn-${scenario}`);
  if (started !== 'working') throw new Error(`scenario ${scenario} did not start: ${started}`);
  await page.waitForFunction(() => document.body.dataset.state !== 'working', { timeout: timeoutMs });
  return (await page.evaluate(() => document.body.dataset.state)) as DemoState;
}

/**
 * Script (plain browser JavaScript) defining `khpOpen(url, {basic})`: opens a KHP socket, sends the
 * extended request (with `Authorization: Basic` after a 401 when `basic` is given) and records the
 * statuses in `window.khpStatuses[url]`. It records `document.readyState` at creation in
 * `window.khpCreatedIn[url]`, to show when the socket was opened.
 */
const KHP_OPEN = String.raw`
window.khpStatuses = {};
window.khpCreatedIn = {};
window.khpOpen = function (url, options) {
  var statuses = (window.khpStatuses[url] = []);
  window.khpCreatedIn[url] = document.readyState;
  var ws = new WebSocket(url, ['x-kaazing-handshake']);
  ws.binaryType = 'arraybuffer';
  var u = new URL(url);
  function request(auth) {
    var lines = ['GET ' + u.pathname + u.search + ' HTTP/1.1', 'Sec-WebSocket-Extensions: x-kaazing-ping-pong'];
    if (auth) lines.push('Authorization: Basic ' + btoa(auth));
    ws.send(lines.join('\r\n') + '\r\n\r\n');
  }
  ws.onopen = function () { request(null); };
  ws.onmessage = function (e) {
    var text = typeof e.data === 'string' ? e.data : new TextDecoder().decode(e.data);
    var m = /^HTTP\/1\.1 (\d{3})/.exec(text);
    if (!m) return;
    var code = Number(m[1]);
    statuses.push(code);
    if (code === 401 && options && options.basic && statuses.length === 1) request(options.basic);
  };
  ws.onclose = function () { statuses.push('closed'); };
  return ws;
};
`;

/** An HTML page whose head runs `script` (inline, before DOMContentLoaded) after defining `khpOpen`. */
export function khpPage(script: string, body = ''): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>khp sockets</title>
<script>${KHP_OPEN}</script><script>${script}</script></head><body>${body}</body></html>`;
}
