/**
 * Opens the extension's panel in Firefox's real DevTools toolbox (headless works) and acts inside it.
 * Needs a Firefox launched with `--remote-allow-system-access` (see `launchFirefoxWithToolbox`): the
 * toolbox is opened from the browser window's chrome context through WebDriver BiDi
 * (`browsingContext.getTree` with `moz:scope: chrome`, then `script.callFunction` there). The panel
 * page runs in the extension process, out of BiDi's reach: `inPanel` loads a frame script into the
 * panel's `<browser>` that acts on its document and sends its result back over the message manager.
 * These are Firefox internals, not a stable API: they stay in this one helper.
 */
import type { Browser, Page } from 'puppeteer-core';
import { launchFirefox, type Launched } from './browsers';

/** The part of puppeteer's BiDi connection used here. */
interface BidiConnection {
  send(method: string, params: object): Promise<{ result: unknown }>;
}

interface ContextInfo {
  context: string;
  url: string;
}

type CallResult =
  | { type: 'success'; result: { type: string; value?: unknown } }
  | { type: 'exception'; exceptionDetails: { text: string } };

/** Firefox with the test build installed and BiDi allowed into the chrome context. */
export function launchFirefoxWithToolbox(): Promise<Launched> {
  return launchFirefox(true, { args: ['--remote-allow-system-access'], protocolTimeout: 60_000 });
}

/** Chrome-context prelude: finds the tab showing `pageUrl` and loads `gDevTools`. */
const TOOLBOX = `
  const tab = gBrowser.tabs.find((t) => t.linkedBrowser.currentURI.spec === pageUrl);
  if (!tab) throw new Error('no tab shows ' + pageUrl);
  const { require } = ChromeUtils.importESModule('resource://devtools/shared/loader/Loader.sys.mjs');
  const { gDevTools } = require('devtools/client/framework/devtools');`;

/** Runs in the browser window: opens the toolbox for the tab showing `pageUrl`, selects the panel. */
const SHOW_PANEL = `async (pageUrl) => {${TOOLBOX}
  const toolbox = await gDevTools.showToolboxForTab(tab);
  for (let i = 0; i < 300; i++) {
    const id = toolbox.getAdditionalTools().map((d) => d.id).find((x) => x.startsWith('webext-devtools-panel-'));
    if (id) {
      await toolbox.selectTool(id);
      return id;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the extension panel never appeared in the toolbox');
}`;

function connectionOf(browser: Browser): BidiConnection {
  const connection = (browser as unknown as { connection?: BidiConnection }).connection;
  if (!connection || typeof connection.send !== 'function')
    throw new Error('not a WebDriver BiDi browser: the Firefox toolbox helper needs one');
  return connection;
}

/**
 * Runs `fn` (source of an async function) in the browser window's chrome context with string
 * arguments; an exception there is thrown as an error starting with `failure`.
 */
async function chromeCall(
  browser: Browser,
  fn: string,
  args: string[],
  failure: string,
): Promise<Extract<CallResult, { type: 'success' }>> {
  const connection = connectionOf(browser);
  const tree = (await connection.send('browsingContext.getTree', { 'moz:scope': 'chrome' })).result as {
    contexts: ContextInfo[];
  };
  const window = tree.contexts.find((c) => c.url === 'chrome://browser/content/browser.xhtml');
  if (!window)
    throw new Error(
      `no browser window in the chrome scope (was Firefox started with --remote-allow-system-access?): ${JSON.stringify(tree.contexts)}`,
    );
  const call = (
    await connection.send('script.callFunction', {
      functionDeclaration: fn,
      target: { context: window.context },
      arguments: args.map((value) => ({ type: 'string', value })),
      awaitPromise: true,
    })
  ).result as CallResult;
  if (call.type === 'exception') throw new Error(`${failure}: ${call.exceptionDetails.text}`);
  return call;
}

/**
 * Opens the DevTools toolbox for `page`'s tab and selects the extension's panel; resolves with the
 * panel's tool id (`webext-devtools-panel-…`).
 */
export async function openFirefoxPanel(browser: Browser, page: Page): Promise<string> {
  const call = await chromeCall(browser, SHOW_PANEL, [page.url()], 'opening the toolbox failed');
  const id = call.result.value;
  if (typeof id !== 'string') throw new Error(`unexpected answer from the toolbox: ${JSON.stringify(call)}`);
  return id;
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
  const call = await chromeCall(browser, fn, [page.url(), toolId, script], 'chrome context');
  const reply = JSON.parse(call.result.value as string) as
    { ok: true; value: T } | { ok: false; error: string };
  if (!reply.ok) throw new Error(`in the panel: ${reply.error}`);
  return reply.value;
}

/**
 * Docks the toolbox of `page`'s tab at the side (`right`, `size` px wide) or at the bottom (`size` px
 * tall), as a user would by dragging its splitter. Switching hosts reloads the extension's panel.
 */
export async function dockToolbox(
  browser: Browser,
  page: Page,
  host: 'right' | 'bottom',
  size: number,
): Promise<void> {
  const fn = `async (pageUrl, host, size) => {${TOOLBOX}
    const toolbox = gDevTools.getToolboxForTab(tab);
    if (toolbox.hostType !== host) await toolbox.switchHost(host);
    const frame = toolbox.win.browsingContext.embedderElement;
    const prop = host === 'right' ? 'width' : 'height';
    for (const p of [prop, 'min-' + prop, 'max-' + prop]) frame.style.setProperty(p, size + 'px');
  }`;
  await chromeCall(browser, fn, [page.url(), host, String(size)], 'docking the toolbox failed');
}
