/**
 * Opens the extension's panel in Firefox's real DevTools toolbox (headless works). Needs a Firefox
 * launched with `--remote-allow-system-access`: the toolbox is opened from the browser window's
 * chrome context through WebDriver BiDi (`browsingContext.getTree` with `moz:scope: chrome`, then
 * `script.callFunction` there). These are Firefox internals, not a stable API: they stay in this one
 * helper. The panel itself is not a BiDi context; tests read it through what it reports.
 */
import type { Browser, Page } from 'puppeteer-core';

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

/** Runs in the browser window: opens the toolbox for the tab showing `pageUrl`, selects the panel. */
const SHOW_PANEL = `async (pageUrl) => {
  const tab = gBrowser.tabs.find((t) => t.linkedBrowser.currentURI.spec === pageUrl);
  if (!tab) throw new Error('no tab shows ' + pageUrl);
  const { require } = ChromeUtils.importESModule('resource://devtools/shared/loader/Loader.sys.mjs');
  const { gDevTools } = require('devtools/client/framework/devtools');
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
 * Opens the DevTools toolbox for `page`'s tab and selects the extension's panel; resolves with the
 * panel's tool id (`webext-devtools-panel-…`).
 */
export async function openFirefoxPanel(browser: Browser, page: Page): Promise<string> {
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
      functionDeclaration: SHOW_PANEL,
      target: { context: window.context },
      arguments: [{ type: 'string', value: page.url() }],
      awaitPromise: true,
    })
  ).result as CallResult;
  if (call.type === 'exception') throw new Error(`opening the toolbox failed: ${call.exceptionDetails.text}`);
  const id = call.result.value;
  if (typeof id !== 'string') throw new Error(`unexpected answer from the toolbox: ${JSON.stringify(call)}`);
  return id;
}
