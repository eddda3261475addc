/**
 * Driving the KHP panel inside Firefox's real DevTools toolbox for the replay tests. Firefox runs the
 * panel page in the extension process, out of WebDriver BiDi's reach; with
 * `--remote-allow-system-access` BiDi can run code in the browser window's chrome context, which opens
 * the toolbox (`gDevTools.showToolboxForTab`), selects the panel, and loads a frame script into the
 * panel's `<browser>`: the frame script acts on the panel's document (clicks, keys, input) and sends
 * its result back over the message manager. Firefox internals, kept in this one file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { DIST_TEST, FIREFOX_PATH } from './helpers/browsers';

interface BidiConnection {
  send(method: string, params: object): Promise<{ result: unknown }>;
}

type CallResult =
  | { type: 'success'; result: { type: string; value?: unknown } }
  | { type: 'exception'; exceptionDetails: { text: string } };

/** Firefox with the test build installed and BiDi allowed into the chrome context. */
export async function launchFirefoxWithToolbox(): Promise<{ browser: Browser; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'khp-firefox-replay-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    userDataDir: profile,
    args: ['--remote-allow-system-access'],
    protocolTimeout: 60_000,
  });
  const close = async () => {
    await Promise.race([browser.close().catch(() => {}), new Promise((r) => setTimeout(r, 10_000))]);
    try {
      browser.process()?.kill('SIGKILL');
    } catch {
      // gone
    }
    rmSync(profile, { recursive: true, force: true });
  };
  try {
    await browser.installExtension(join(DIST_TEST, 'firefox'));
    return { browser, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Runs `fn` (source of an async function) in the browser window's chrome context with string arguments. */
async function chromeCall(browser: Browser, fn: string, args: string[]): Promise<unknown> {
  const connection = (browser as unknown as { connection: BidiConnection }).connection;
  const tree = (await connection.send('browsingContext.getTree', { 'moz:scope': 'chrome' })).result as {
    contexts: { context: string; url: string }[];
  };
  const window = tree.contexts.find((c) => c.url === 'chrome://browser/content/browser.xhtml');
  if (!window) throw new Error('no browser window in the chrome scope (needs --remote-allow-system-access)');
  const call = (
    await connection.send('script.callFunction', {
      functionDeclaration: fn,
      target: { context: window.context },
      arguments: args.map((value) => ({ type: 'string', value })),
      awaitPromise: true,
    })
  ).result as CallResult;
  if (call.type === 'exception') throw new Error(`chrome context: ${call.exceptionDetails.text}`);
  return call.result.value;
}

const TOOLBOX = `
  const tab = gBrowser.tabs.find((t) => t.linkedBrowser.currentURI.spec === pageUrl);
  if (!tab) throw new Error('no tab shows ' + pageUrl);
  const { require } = ChromeUtils.importESModule('resource://devtools/shared/loader/Loader.sys.mjs');
  const { gDevTools } = require('devtools/client/framework/devtools');`;

/** Opens the toolbox for `page`'s tab and selects the KHP panel; resolves with the panel's tool id. */
export async function openToolboxPanel(browser: Browser, page: Page): Promise<string> {
  const fn = `async (pageUrl) => {${TOOLBOX}
    const toolbox = await gDevTools.showToolboxForTab(tab);
    for (let i = 0; i < 300; i++) {
      const id = toolbox.getAdditionalTools().map((d) => d.id).find((x) => x.startsWith('webext-devtools-panel-'));
      if (id) { await toolbox.selectTool(id); return id; }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the extension panel never appeared in the toolbox');
  }`;
  return (await chromeCall(browser, fn, [page.url()])) as string;
}

/** DOM helpers available to every frame-script step (`doc` is the panel's document). */
const PRELUDE = `
const doc = content.document;
const sleep = (ms) => new Promise((r) => content.setTimeout(r, ms));
async function waitFor(what, fn, ms = 20000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting for ' + what);
    await sleep(100);
  }
}
const byText = (sel, text) => [...doc.querySelectorAll(sel)].find((e) => (e.textContent || '').includes(text));
async function click(sel, text) { (await waitFor(sel + ' "' + text + '"', () => byText(sel, text))).click(); }
function key(el, k) { el.dispatchEvent(new content.KeyboardEvent('keydown', { key: k, bubbles: true })); }
function fill(label, value) {
  const el = doc.querySelector('[aria-label="' + label + '"]');
  el.value = value;
  el.dispatchEvent(new content.Event('input', { bubbles: true }));
}
`;

/**
 * Runs `body` (statements of an async function; `return` a JSON-safe value) against the panel's
 * document in `page`'s toolbox, with `arg` bound to the given JSON value.
 */
export async function inPanel<T>(
  browser: Browser,
  page: Page,
  toolId: string,
  body: string,
  arg: unknown = null,
): Promise<T> {
  const script = `${PRELUDE}
(async (arg) => {${body}})(${JSON.stringify(arg)}).then(
  (value) => sendAsyncMessage(NAME, { ok: true, value: value === undefined ? null : value }),
  (err) => sendAsyncMessage(NAME, { ok: false, error: String(err) }),
);`;
  const fn = `async (pageUrl, toolId, script) => {${TOOLBOX}
    const toolbox = gDevTools.getToolboxForTab(tab);
    const iframe = toolbox.doc.getElementById('toolbox-panel-iframe-' + toolId);
    const br = iframe && iframe.contentDocument.querySelector('browser');
    if (!br) throw new Error('no panel browser in the toolbox');
    for (let i = 0; i < 200 && !/panel\\.html$/.test(br.currentURI.spec); i++) await new Promise((r) => setTimeout(r, 100));
    const name = 'khp-replay-test-' + Math.random().toString(36).slice(2);
    return await new Promise((resolve) => {
      const mm = br.messageManager;
      mm.addMessageListener(name, function onReply(m) {
        mm.removeMessageListener(name, onReply);
        resolve(JSON.stringify(m.data));
      });
      mm.loadFrameScript('data:,' + encodeURIComponent('const NAME = ' + JSON.stringify(name) + ';' + script), false);
    });
  }`;
  const reply = JSON.parse((await chromeCall(browser, fn, [page.url(), toolId, script])) as string) as
    { ok: true; value: T } | { ok: false; error: string };
  if (!reply.ok) throw new Error(`in the panel: ${reply.error}`);
  return reply.value;
}
