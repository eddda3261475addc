/**
 * `npm run screenshots`: the built panel (dist/chrome) rendered in headless Chromium with the
 * screenshot fixture, one PNG per main view and theme, written to docs/ at a DevTools-like size; then
 * the options page in both themes (screenshots-options.ts).
 *
 *   npm run screenshots                         build, then shoot every view, light and dark
 *   npm run screenshots -- --no-build           reuse the current dist/chrome
 *   npm run screenshots -- --only width-360,shortcuts   only the named views (`options`: the options page)
 *   npm run screenshots -- --record-fixture     first re-record test/fixtures/panel/screens.khp.json
 *                                               from real traffic (reference server + KHP client)
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'puppeteer-core';
import { launchChromium } from '../test/e2e/helpers/browsers';
import { openPanel, servePanel } from '../test/e2e/helpers/panel-page';
import { recordFixture } from './screenshots-fixture';
import { shootOptions } from './screenshots-options';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURE = join(root, 'test/fixtures/panel/screens.khp.json');
const FIXTURE_PATH = '/fixtures/screens.khp.json';
const SIZE = { width: 1200, height: 640 };

/** A view: how to get there from a freshly loaded panel. */
interface View {
  name: string;
  /** What the picture shows (printed next to its path). */
  about: string;
  setup(page: Page): Promise<void>;
  /** The panel's size, when not the DevTools-like default (the narrow and wide views). */
  size?: { width: number; height: number };
}

/** Opens the socket whose URL path (without `.kl=Y`) is `path`, the `nth` match (0-based). */
async function openSocket(page: Page, path: string, nth = 0): Promise<void> {
  const rows = await page.$$('.conn-row');
  const matches = [];
  for (const row of rows) {
    const url = await row.$eval('.col-url', (el) => el.getAttribute('title') ?? '');
    if (new URL(url).pathname === path) matches.push(row);
  }
  const row = matches[nth];
  if (!row) throw new Error(`no socket with path ${path} (#${nth}) in the fixture`);
  await row.click();
  await page.waitForSelector('.detail');
}

async function showTab(page: Page, tab: string): Promise<void> {
  await page.click(`#detail-tab-${tab}`);
  await page.waitForSelector(`#detail-tab-${tab}[aria-selected=true]`);
}

/** Clicks the waterfall step whose label contains `text`. */
async function pickStep(page: Page, text: string): Promise<void> {
  const buttons = await page.$$('.wf-button');
  for (const b of buttons) {
    const label = await b.$eval('.wf-label', (el) => el.textContent ?? '');
    if (label.includes(text)) return b.click();
  }
  throw new Error(`no handshake step labelled "${text}"`);
}

/** Selects the first frame of role `role` (class `role-<role>`) in the Messages tab. */
async function pickFrame(page: Page, role: string): Promise<void> {
  await page.click(`.frame-row.role-${role}`);
  await page.waitForSelector('.frame-viewer');
}

const VIEWS: View[] = [
  {
    name: 'list',
    about: 'the connection list: every socket with statuses, outcome, extensions; redirect chains grouped',
    setup: async () => undefined,
  },
  {
    name: 'handshake',
    about: '/auth/basic opened: the 401 → 101 waterfall, the 401 response and what the spec says about it',
    setup: async (page) => {
      await openSocket(page, '/auth/basic');
      await pickStep(page, '401');
    },
  },
  {
    name: 'redirects',
    about: 'the /redirect/2 → /redirect/1 → /redirect/0 → /echo chain, hop by hop',
    setup: async (page) => {
      await openSocket(page, '/redirect/2');
      await showTab(page, 'redirects');
    },
  },
  {
    name: 'messages',
    about: 'the frames of /echo: handshake, balancer, data, ping/pong labels; an extended ping in hex',
    setup: async (page) => {
      await openSocket(page, '/echo');
      await showTab(page, 'messages');
      await pickFrame(page, 'ping');
    },
  },
  {
    name: 'search',
    about: 'the frames of /echo filtered by a /regex/ over payloads: the matches marked, the count',
    setup: async (page) => {
      await openSocket(page, '/echo');
      await showTab(page, 'messages');
      await page.type('.frame-search input', '/(un)?subscribe/');
      await page.waitForSelector('.frame-row mark');
    },
  },
  {
    name: 'copy-menu',
    about: 'a socket’s Copy menu (right-click or Shift+F10): URL, raw HTTP, HAR, a probe command',
    setup: async (page) => {
      await openSocket(page, '/auth/basic');
      await page.click('.conn-row.selected', { button: 'right' });
      await page.waitForSelector('.context-menu');
    },
  },
  {
    name: 'extensions',
    about: 'the extensions of /echo: idle-timeout and ping-pong requested and granted, the checks',
    setup: async (page) => {
      await openSocket(page, '/echo');
      await showTab(page, 'extensions');
    },
  },
  {
    name: 'width-360',
    about: '360 px, docked at the side: list above the detail, Redirects and Findings in the » menu',
    size: { width: 360, height: 720 },
    setup: async (page) => {
      await openSocket(page, '/auth/basic');
      await page.click('.detail .tab-more');
      await page.waitForSelector('.tab-menu');
    },
  },
  {
    name: 'width-800',
    about: '800 px: list and detail side by side, the replay buttons on a second line under the URL',
    size: { width: 800, height: 560 },
    setup: async (page) => {
      await openSocket(page, '/redirect/2');
      await showTab(page, 'redirects');
    },
  },
  {
    name: 'width-1600',
    about: '1,600 px, docked at the bottom (short): everything on one line',
    size: { width: 1600, height: 400 },
    setup: async (page) => {
      await openSocket(page, '/echo');
      await showTab(page, 'messages');
      await pickFrame(page, 'ping');
    },
  },
  {
    name: 'shortcuts',
    about: 'the keyboard shortcuts help (?), after DevTools’ Settings > Shortcuts',
    setup: async (page) => {
      await openSocket(page, '/auth/basic');
      await page.keyboard.press('?');
      await page.waitForSelector('.help-dialog');
    },
  },
  {
    name: 'findings',
    about: 'an extended request asking again for permessage-deflate: the 400, its findings and clauses',
    setup: async (page) => {
      await openSocket(page, '/echo', 2);
      await showTab(page, 'findings');
    },
  },
];

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const only = args.includes('--only') ? (args[args.indexOf('--only') + 1] ?? '').split(',') : null;
  const views = only ? VIEWS.filter((v) => only.includes(v.name)) : VIEWS;
  const options = !only || only.includes('options'); // the options page (screenshots-options.ts)
  if (only && views.length + (options ? 1 : 0) !== only.length)
    throw new Error(`unknown view in --only (${[...VIEWS.map((v) => v.name), 'options']})`);
  if (args.includes('--record-fixture')) {
    const n = await recordFixture(FIXTURE);
    console.log(`screenshots: recorded ${n} sockets into ${FIXTURE}`);
  }
  if (!args.includes('--no-build')) {
    execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit', cwd: root });
  }
  const server = await servePanel(join(root, 'dist/chrome'));
  server.file(FIXTURE_PATH, readFileSync(FIXTURE, 'utf8'));
  const chromium = await launchChromium(false);
  try {
    for (const theme of ['light', 'dark'] as const) {
      for (const view of views) {
        const size = view.size ?? SIZE;
        const page = await openPanel(chromium.browser, server, { fixture: FIXTURE_PATH, theme, ...size });
        await view.setup(page);
        await page.mouse.move(0, size.height - 1); // no hover highlight in the picture
        await new Promise((r) => setTimeout(r, 100));
        const file = join(root, 'docs', `panel-${view.name}-${theme}.png`);
        await page.screenshot({ path: file as `${string}.png` });
        await page.close();
        console.log(`docs/panel-${view.name}-${theme}.png  ${view.about}`);
      }
    }
  } finally {
    await chromium.close();
    await server.close();
  }
  if (options) await shootOptions(root);
}

main().catch((err: unknown) => {
  console.error('screenshots failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
