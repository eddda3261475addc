/**
 * The options page of the loaded extension, in Chromium and Firefox: its defaults reach new tabs and
 * their hooks, and "only these sites" keeps the capture scripts out of every other site, asking the
 * browser for each site added and giving it back when it is removed; the page has no accessibility
 * violation in either theme (Chromium). How the tests grant host permissions without a prompt to
 * click: helpers/site-access.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { launch, type Launched } from './helpers/browsers';
import { startTestServer, type TestServer } from './helpers/test-server';
import { openWatched, query, tabState, waitForState, type TabState } from './helpers/extension-query';
import { readOptions } from '../../src/settings/defaults';
import { axeViolations } from './helpers/axe';
import { approveInChromeSettings, statusSeq, waitForStatus } from './helpers/site-access';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  server.page('/blank', '<!doctype html><title>blank</title>');
  // Opens a plain socket to /echo?load=<load>, sends `n` messages, and sets `done` once all came back.
  server.page(
    '/echo-page',
    `<!doctype html><title>echo</title><script>
      const load = new URLSearchParams(location.search).get('load');
      const n = Number(new URLSearchParams(location.search).get('n') || 10);
      const ws = new WebSocket('ws://' + location.host + '/echo?load=' + load);
      let back = 0;
      // With wait=1 the page sends once the test calls go() (its hook has its settings by then).
      const send = () => { for (let i = 0; i < n; i++) ws.send('m' + i); };
      window.go = () => (ws.readyState === 1 ? send() : (ws.onopen = send));
      if (!location.search.includes('wait=1')) ws.onopen = send;
      ws.onmessage = () => { if (++back === n) { ws.close(1000); window.done = true; } };
    </script>`,
  );
});
afterAll(async () => {
  await server?.close();
});

const framesOf = (s: TabState, load: string) => {
  const create = s.events.find((e) => e.type === 'create' && e.url.endsWith(`load=${load}`));
  return create ? s.events.filter((e) => e.socketId === create.socketId && e.type === 'frame') : null;
};
const socketUrls = (s: TabState) => s.events.flatMap((e) => (e.type === 'create' ? [e.url] : []));

/**
 * True when the page has the extension's relay (a test query is answered within `ms`), i.e. its
 * scripts ran there. A relay answers within milliseconds; the test's last check (the tab's log
 * holds no socket of an unlisted load) does not depend on this wait.
 */
async function hasRelay(page: Page, ms = 5000): Promise<boolean> {
  return query(page, { op: 'whoami' }, ms).then(
    () => true,
    () => false,
  );
}

/** Loads the echo page in `page` and waits until its socket is done. */
async function echo(page: Page, load: string): Promise<void> {
  await page.bringToFront();
  await page.goto(`${server.url}/echo-page?load=${load}`);
  await page.waitForFunction(() => (window as unknown as { done?: boolean }).done === true, {
    timeout: 10_000,
  });
}

describe.each(['chromium', 'firefox'] as const)('the options page in %s', (name) => {
  let b: Launched;
  let options: Page;

  /** The options as stored (`storage.local`, read in the options page). */
  const stored = () =>
    options.evaluate(async () => {
      const g = globalThis as unknown as {
        browser?: { storage: { local: { get(k: string): Promise<Record<string, unknown>> } } };
        chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown>> } } };
      };
      return (await (g.browser ?? g.chrome).storage.local.get('khp:options'))['khp:options'];
    });

  /** What the capture scripts are registered for: `[id, matches]` of each, as the browser says. */
  const registered = () =>
    options.evaluate(async () => {
      const g = globalThis as unknown as {
        browser?: {
          scripting: { getRegisteredContentScripts(): Promise<{ id: string; matches: string[] }[]> };
        };
        chrome: {
          scripting: { getRegisteredContentScripts(): Promise<{ id: string; matches: string[] }[]> };
        };
      };
      const scripts = await (g.browser ?? g.chrome).scripting.getRegisteredContentScripts();
      return scripts.map((x) => [x.id, x.matches]);
    });

  /** `permissions.contains` in the options page (an extension page). */
  const holds = (pattern: string) =>
    options.evaluate((p) => {
      const g = globalThis as unknown as {
        browser?: { permissions: { contains(x: object): Promise<boolean> } };
        chrome: { permissions: { contains(x: object): Promise<boolean> } };
      };
      return (g.browser ?? g.chrome).permissions.contains({ origins: [p] });
    }, pattern);

  /**
   * Brings the options page to the front (Chromium does not render a background tab, and puppeteer's
   * click waits for it to be rendered) and returns its status line number.
   */
  async function front(): Promise<number> {
    await options.bringToFront();
    return statusSeq(options);
  }

  /** Replaces the text of the field `selector` by `text`, then presses Enter; returns the status number before. */
  async function enter(selector: string, text: string): Promise<number> {
    await front();
    await options.click(selector, { count: 3 });
    await options.type(selector, text);
    const seq = await statusSeq(options);
    await options.keyboard.press('Enter');
    return seq;
  }

  /** Clicks `selector` in the options page and returns the status it leads to. */
  async function act(selector: string): Promise<string> {
    const seq = await front();
    await options.click(selector);
    return waitForStatus(options, seq);
  }

  beforeAll(async () => {
    b = await launch(name);
    // The extension opens its options page (a test cannot navigate to it in Firefox).
    const opener = await b.browser.newPage();
    await opener.goto(`${server.url}/blank`);
    expect(await query(opener, { op: 'options' })).toEqual({ opening: true });
    for (let i = 0; i < 100 && !options; i++) {
      for (const p of await b.browser.pages()) {
        const href = await p.evaluate(() => location.href).catch(() => '');
        if (/^(chrome|moz)-extension:\/\/[^/]+\/options\.html/.test(href)) options = p;
      }
      if (!options) await new Promise((r) => setTimeout(r, 100));
    }
    if (!options) throw new Error('the options page did not open');
    await options.waitForSelector('#status.status-saved');
    await opener.close();
  });
  afterAll(async () => {
    await b?.close();
  });

  it('saves a default at once, refuses an invalid one, and a new tab and its hook start from it', async () => {
    expect(await options.$eval('#status', (e) => e.textContent)).toBe('Capturing on every site.');
    // An invalid budget is shown as such and not saved.
    let seq = await enter('#frame-budget', '12x');
    expect(await waitForStatus(options, seq)).toBe(
      'Frame budget not saved: Enter a whole number from 0 to 100,000. 1000 stays in effect.',
    );
    expect(await options.$eval('#frame-budget-error', (e) => e.textContent)).toContain('Not saved');
    expect(readOptions(await stored()).frameBudget).toBe(1000); // nothing stored, or the default

    seq = await enter('#frame-budget', '3');
    expect(await waitForStatus(options, seq)).toBe('Saved: frame budget 3. Capturing on every site.');
    expect(await stored()).toMatchObject({ frameBudget: 3 });

    // A new tab (with DevTools open, as far as its hook knows) starts from it: the hook keeps 3 frames
    // of a socket after its handshake, then pauses it for the budget.
    const tab = await openWatched(
      b.browser,
      `${server.url}/blank`,
      `${server.url}/echo-page?load=budget&wait=1`,
    );
    expect((await tabState(tab)).settings).toMatchObject({ frameBudget: 3 });
    await tab.evaluate(() => (window as unknown as { go(): void }).go());
    const state = await waitForState(tab, (s) => s.events.some((e) => e.type === 'close'));
    expect(framesOf(state, 'budget')).toHaveLength(3);
    expect(state.events).toContainEqual(expect.objectContaining({ type: 'paused', reason: 'budget' }));
    await tab.close();
  });

  it('captures only on listed sites, asking for each site added and giving it back when removed', async () => {
    // The tab keeps its log across loads: at the end it shows which loads were captured.
    expect(await act('#preserve-log')).toBe('Saved: preserve log on. Capturing on every site.');
    const page = await b.browser.newPage();
    await echo(page, 'all');
    expect(await hasRelay(page)).toBe(true);

    // Only listed sites, none listed: the permission for every site is given back, nothing runs here.
    expect(await act('#site-mode-listed')).toBe(
      'Saved: only listed sites. Capturing on no site: the list is empty.',
    );
    await options.waitForFunction(() => document.getElementById('allow-all') === null);
    expect(await holds('<all_urls>')).toBe(false);
    expect(await registered()).toEqual([]);
    await echo(page, 'unlisted');
    expect(await hasRelay(page, 600)).toBe(false);

    // A refused entry is explained and not added.
    await enter('#site-input', `ws://127.0.0.1:${server.port}/echo`);
    expect(await options.$eval('#site-error', (e) => e.textContent)).toContain("not the WebSocket's");
    expect(await options.$$('.site-row')).toHaveLength(0);

    // Adding the site asks the browser for it (granted without a prompt here: see site-access.ts).
    const site = 'http://127.0.0.1/*';
    if (name === 'chromium') await approveInChromeSettings(b.browser, b.extensionId!, site);
    const seq = await enter('#site-input', `http://127.0.0.1:${server.port}/echo-page`);
    expect(await waitForStatus(options, seq)).toBe(
      'Saved: http://127.0.0.1 added. Capturing on 1 listed site only.',
    );
    expect(await options.$eval('.site-row', (r) => [r.getAttribute('data-pattern'), r.textContent])).toEqual([
      site,
      `http://127.0.0.1${site}allowedRemove`,
    ]);
    expect(await holds(site)).toBe(true);
    expect(await registered()).toEqual([
      ['khp-hook', [site]],
      ['khp-relay', [site]],
    ]);
    if (name === 'chromium') {
      // No accessibility violation (axe-core, WCAG 2 A/AA), in the light and the dark theme.
      expect(await axeViolations(options)).toEqual([]);
      await options.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
      await options.waitForSelector('.khp-app[data-theme=dark]');
      expect(await axeViolations(options)).toEqual([]);
      await options.emulateMediaFeatures([]);
    }
    await echo(page, 'listed');
    expect(await hasRelay(page)).toBe(true);

    // All sites, and back to the list: the registered scripts are updated in place each time, the
    // hook still before the relay. The site keeps its own permission under the one for every site.
    expect(await act('#site-mode-all')).toBe('Saved: all sites. Capturing on every site.');
    expect(await holds('<all_urls>')).toBe(true);
    expect(await registered()).toEqual([
      ['khp-hook', ['<all_urls>']],
      ['khp-relay', ['<all_urls>']],
    ]);
    await echo(page, 'again');
    expect(await hasRelay(page)).toBe(true);
    expect(await act('#site-mode-listed')).toBe('Saved: only listed sites. Capturing on 1 listed site only.');
    expect([await holds('<all_urls>'), await holds(site)]).toEqual([false, true]);
    await echo(page, 'listed-again');
    expect(await hasRelay(page)).toBe(true);
    // The tab's log (kept across loads) holds the sockets of the captured loads, none of the other.
    const log = await waitForState(page, (s) => socketUrls(s).some((u) => u.endsWith('load=listed-again')));
    expect(socketUrls(log).map((u) => new URL(u).search)).toEqual([
      '?load=all',
      '?load=listed',
      '?load=again',
      '?load=listed-again',
    ]);

    // Removing it gives the permission back and stops capture there.
    expect(await act('.site-remove')).toBe(
      'Saved: http://127.0.0.1 removed. Capturing on no site: the list is empty.',
    );
    await options.waitForFunction(() => document.querySelectorAll('.site-row').length === 0);
    expect(await holds(site)).toBe(false);
    expect(await registered()).toEqual([]);
    await echo(page, 'removed');
    expect(await hasRelay(page, 600)).toBe(false);

    await page.close();
  });
});
