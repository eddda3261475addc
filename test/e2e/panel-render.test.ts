/**
 * The built panel (dist/test/chrome/panel.html, served over http as a plain page) rendered in real
 * Chromium with the screenshot fixture, a capture recorded from the reference server and the KHP
 * client: the list, chains, the handshake detail, a 100,000-frame Messages list, the keyboard,
 * payloads shown as text, and a HAR export that imports back.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelope } from '../../src/messaging/messages';
import type { CaptureEvent } from '../../src/protocol/capture';
import { STATUS_CODES } from '../../src/protocol/status-codes';
import { DIST_TEST, launchChromium, type Launched } from './helpers/browsers';
import { openPanel, servePanel, type PanelServer } from './helpers/panel-page';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/panel/screens.khp.json');
const FIXTURE_PATH = '/fixtures/screens.khp.json';
const FIXTURE_SOCKETS = (JSON.parse(readFileSync(FIXTURE, 'utf8')) as { sockets: unknown[] }).sockets.length;

let server: PanelServer;
let b: Launched;
beforeAll(async () => {
  server = await servePanel(join(DIST_TEST, 'chrome'));
  server.file(FIXTURE_PATH, readFileSync(FIXTURE, 'utf8'));
  b = await launchChromium(false);
});
afterAll(async () => {
  await b?.close();
  await server?.close();
});

/** The spec's action sentence for a code as shown: its `_term_` marks become italics, not underscores. */
function specWords(code: number): string {
  return STATUS_CODES[code]!.specAction.replace(/_([^_]+)_/g, '$1');
}

/** What a list row shows, by column. */
interface RowText {
  path: string;
  protocol: string;
  status: string;
  outcome: string;
  ext: string;
  time: string;
  frames: string;
}

function rows(page: Page): Promise<RowText[]> {
  return page.$$eval('.conn-row', (els) =>
    els.map((el) => {
      const text = (sel: string) => el.querySelector(sel)?.textContent?.trim() ?? '';
      const url = el.querySelector('.col-url')?.getAttribute('title') ?? '';
      return {
        path: new URL(url).pathname,
        protocol: text('.col-proto'),
        status: text('.col-status'),
        outcome: text('.col-outcome .badge'),
        ext: text('.col-ext'),
        time: text('.col-time'),
        frames: text('.col-frames'),
      };
    }),
  );
}

/** Clicks the `nth` row whose URL path is `path`; waits for the detail. */
async function openSocket(page: Page, path: string, nth = 0): Promise<void> {
  const index = (await rows(page)).map((r, i) => (r.path === path ? i : -1)).filter((i) => i >= 0)[nth];
  if (index === undefined) throw new Error(`no row for ${path}`);
  const handles = await page.$$('.conn-row');
  await handles[index]!.click();
  await page.waitForSelector('.detail');
}

async function showTab(page: Page, name: string): Promise<void> {
  await page.click(`#detail-tab-${name}`);
  await page.waitForSelector(`#detail-tab-${name}[aria-selected=true]`);
}

/** Pushes capture events into the panel as the background would. */
async function deliver(page: Page, events: CaptureEvent[], seq: number): Promise<void> {
  const msg = envelope('events', { events, seq });
  await page.evaluate((m) => {
    (
      globalThis as unknown as { __khpPanel: { transport: { deliver(x: unknown): void } } }
    ).__khpPanel.transport.deliver(m);
  }, msg);
}

describe('the built panel with a recorded capture', () => {
  it('lists each socket with its statuses, outcome and extensions, and groups redirect chains', async () => {
    const page = await openPanel(b.browser, server, { fixture: FIXTURE_PATH });
    try {
      const list = await rows(page);
      expect(list).toHaveLength(FIXTURE_SOCKETS);
      const byPath = (p: string) => list.filter((r) => r.path === p);
      expect(byPath('/auth/basic')[0]).toMatchObject({
        protocol: 'x-kaazing-handshake',
        status: '401 → 101',
        outcome: 'open',
        ext: 'x-kaazing-ping-pong',
      });
      expect(byPath('/echo')[0]!.ext).toBe('x-kaazing-idle-timeout, x-kaazing-ping-pong');
      expect(byPath('/status/404')[0]).toMatchObject({ status: '404', outcome: 'failed' });
      expect(byPath('/redirect/2')[0]).toMatchObject({ status: '302', outcome: 'redirected' });
      expect(byPath('/balancer')[0]).toMatchObject({ status: '101', outcome: 'redirected' });
      expect(byPath('/chat')[0]).toMatchObject({ protocol: '(none)', status: '—', outcome: 'not KHP' });
      // The opening handshake negotiated permessage-deflate; the extended request asked for it again.
      const again = list.find((r) => r.status === '400')!;
      expect(again).toMatchObject({ path: '/echo', outcome: 'failed' });
      for (const r of list) expect(Number(r.frames)).toBeGreaterThan(0);

      const chains = await page.$$eval('.chain-group', (els) =>
        els.map((el) => ({
          path: el.querySelector('.chain-path')?.textContent ?? '',
          flags: Array.from(el.querySelectorAll('.chain-head .badge'), (x) => x.textContent),
          hops: el.querySelectorAll('.conn-row').length,
        })),
      );
      expect(chains).toContainEqual({
        path: '/redirect/2 → /redirect/1 → /redirect/0 → /echo',
        flags: [],
        hops: 4,
      });
      expect(chains).toContainEqual({ path: '/loop/a → /loop/b', flags: ['redirect loop'], hops: 2 });
      expect(chains).toContainEqual({ path: '/balancer → /echo', flags: [], hops: 2 });
    } finally {
      await page.close();
    }
  });

  it('keeps Status, Outcome, Time and Frames inside the list when the detail pane is open', async () => {
    const page = await openPanel(b.browser, server, { fixture: FIXTURE_PATH, width: 1200, height: 640 });
    try {
      await openSocket(page, '/auth/basic');
      const layout = await page.$eval('.conn-list-wrap', (wrap) => {
        const right = wrap.getBoundingClientRect().right;
        const row = wrap.querySelector('.conn-row')!;
        const cell = (c: string) => {
          const el = row.querySelector<HTMLElement>(`.col-${c}`)!;
          const r = el.getBoundingClientRect();
          return {
            visible: r.width > 0,
            inside: r.right <= right + 0.5,
            clipped: el.scrollWidth > el.clientWidth,
          };
        };
        return {
          status: cell('status'),
          outcome: cell('outcome'),
          time: cell('time'),
          frames: cell('frames'),
          proto: cell('proto'),
        };
      });
      for (const c of [layout.status, layout.outcome, layout.time, layout.frames])
        expect(c).toEqual({ visible: true, inside: true, clipped: false });
      expect(layout.proto.visible).toBe(false); // made room; the detail shows it
    } finally {
      await page.close();
    }
  });

  it("opens a socket on its handshake timeline, with the spec's words for the status", async () => {
    const page = await openPanel(b.browser, server, { fixture: FIXTURE_PATH });
    try {
      await openSocket(page, '/auth/basic');
      const labels = await page.$$eval('.wf-button .wf-label', (els) => els.map((e) => e.textContent ?? ''));
      const i401 = labels.findIndex((l) => l.startsWith('401'));
      const i101 = labels.findIndex((l) => l.startsWith('101'));
      expect(i401).toBeGreaterThan(0);
      expect(i101).toBeGreaterThan(i401);
      expect(labels.filter((l) => l.startsWith('GET /auth/basic'))).toHaveLength(2);
      const buttons = await page.$$('.wf-button');
      await buttons[i401]!.click();
      const meaning = await page.$eval('[aria-label="Status code meaning"]', (e) => e.textContent ?? '');
      expect(meaning).toContain('401');
      expect(meaning).toContain(specWords(401));
      await buttons[i101]!.click();
      const meaning101 = await page.$eval('[aria-label="Status code meaning"]', (e) => e.textContent ?? '');
      expect(meaning101).toContain(specWords(101));
    } finally {
      await page.close();
    }
  });

  it('shows payloads and headers holding HTML as text: no element is injected', async () => {
    const page = await openPanel(b.browser, server, { fixture: FIXTURE_PATH });
    try {
      const evil = '<img src=x onerror="window.__pwned=1">';
      const t = Date.now();
      await deliver(
        page,
        [
          {
            type: 'create',
            socketId: 'x:1',
            time: t,
            url: 'ws://evil.test/x?.kl=Y',
            protocols: ['x-kaazing-handshake'],
          },
          { type: 'open', socketId: 'x:1', time: t + 1, protocol: 'x-kaazing-handshake', extensions: '' },
          {
            type: 'frame',
            socketId: 'x:1',
            dir: 'send',
            time: t + 2,
            opcode: 1,
            data: `GET /x HTTP/1.1\r\nX-Note: ${evil}\r\n\r\n`,
            size: 40 + evil.length,
          },
          {
            type: 'frame',
            socketId: 'x:1',
            dir: 'receive',
            time: t + 3,
            opcode: 1,
            data: evil,
            size: evil.length,
          },
        ],
        1_000_000,
      );
      await page.waitForFunction(
        (n: number) => document.querySelectorAll('.conn-row').length === n,
        {},
        FIXTURE_SOCKETS + 1,
      );
      await openSocket(page, '/x');
      await page.click('.wf-button'); // make sure a step is shown, then the request
      const labels = await page.$$eval('.wf-label', (els) => els.map((e) => e.textContent ?? ''));
      await (await page.$$('.wf-button'))[labels.findIndex((l) => l.startsWith('GET /x'))]!.click();
      expect(await page.$eval('.handshake-detail', (e) => e.textContent)).toContain(evil);
      await showTab(page, 'messages');
      const previews = await page.$$eval('.fr-data', (els) => els.map((e) => e.textContent));
      expect(previews).toContain(evil);
      await page.click('.frame-row:last-child');
      await page.click('#frame-tab-text');
      expect(await page.$eval('.frame-viewer', (e) => e.textContent)).toContain(evil);
      // The fixture's own HTML payload is listed too; nothing anywhere became an element.
      expect(await page.$$('img')).toHaveLength(0);
      await new Promise((r) => setTimeout(r, 100));
      expect(await page.evaluate(() => (globalThis as Record<string, unknown>).__pwned)).toBeUndefined();
    } finally {
      await page.close();
    }
  });

  it('moves through the list with the keyboard: ArrowDown, Enter opens, Escape closes', async () => {
    const page = await openPanel(b.browser, server, { fixture: FIXTURE_PATH });
    try {
      await page.focus('.conn-list');
      const active = () => page.$eval('.conn-list', (e) => e.getAttribute('aria-activedescendant'));
      await page.keyboard.press('ArrowDown');
      const first = await active();
      expect(first).toBe(await page.$eval('.conn-row', (e) => e.id));
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      const third = await active();
      const ids = await page.$$eval('.conn-row', (els) => els.map((e) => e.id));
      expect(third).toBe(ids[2]);
      expect(await page.$eval(`#${third}`, (e) => e.getAttribute('aria-selected'))).toBe('true');
      expect(await page.$('.detail')).toBeNull();
      await page.keyboard.press('Enter');
      await page.waitForSelector('.detail');
      const url = await page.$eval(`#${third} .col-url`, (e) => e.getAttribute('title'));
      expect(await page.$eval('.detail-url', (e) => e.textContent)).toBe(url);
      await page.keyboard.press('Escape');
      await page.waitForFunction(() => !document.querySelector('.detail'));
      expect(await page.evaluate(() => document.activeElement?.classList.contains('conn-list'))).toBe(true);
      await page.keyboard.press('ArrowDown');
      expect(await active()).toBe(ids[3]);
    } finally {
      await page.close();
    }
  });

  it('lists 100,000 frames in a virtual list that keeps the DOM small', async () => {
    const page = await openPanel(b.browser, server, { fixture: FIXTURE_PATH });
    try {
      const n = 100_000;
      const t = Date.now();
      await page.evaluate(
        (count, start, m) => {
          const events: unknown[] = [
            { type: 'create', socketId: 'big:1', time: start, url: 'ws://big.test/stream', protocols: [] },
            { type: 'open', socketId: 'big:1', time: start + 1, protocol: '', extensions: '' },
          ];
          for (let i = 0; i < count; i++) {
            const data = `tick ${i}`;
            events.push({
              type: 'frame',
              socketId: 'big:1',
              dir: i % 2 ? 'send' : 'receive',
              time: start + 2 + i / 10,
              opcode: 1,
              data,
              size: data.length,
            });
          }
          const msg = { ...m, payload: { events, seq: 2_000_000 } };
          (
            globalThis as unknown as { __khpPanel: { transport: { deliver(x: unknown): void } } }
          ).__khpPanel.transport.deliver(msg);
        },
        n,
        t,
        envelope('events', {}),
      );
      await page.waitForFunction(
        (total: number) => document.querySelectorAll('.conn-row').length === total,
        { timeout: 30_000 },
        FIXTURE_SOCKETS + 1,
      );
      await openSocket(page, '/stream');
      await showTab(page, 'messages');
      await page.waitForSelector('.frame-row');
      const info = () =>
        page.$eval('.frame-list', (el) => ({
          label: el.getAttribute('aria-label'),
          rows: el.querySelectorAll('.frame-row').length,
          nodes: el.querySelectorAll('*').length,
        }));
      const top = await info();
      expect(top.label).toBe(`Frames (${n})`);
      expect(top.rows).toBeGreaterThan(5);
      expect(top.rows).toBeLessThan(100);
      expect(top.nodes).toBeLessThan(1000);
      expect(await page.$eval('#detail-tab-messages .tab-badge', (e) => e.textContent)).toBe(String(n));
      await page.click('.frame-row');
      await page.keyboard.press('End');
      await page.waitForSelector(`#frame-row-${n - 1}`);
      expect(await page.$eval(`#frame-row-${n - 1} .fr-data`, (e) => e.textContent)).toBe(`tick ${n - 1}`);
      const bottom = await info();
      expect(bottom.rows).toBeLessThan(100);
      expect(await page.$('#frame-row-0')).toBeNull();
      expect(await page.$$eval('.conn-list .conn-row', (els) => els.length)).toBe(FIXTURE_SOCKETS + 1);
    } finally {
      await page.close();
    }
  });

  it('exports HAR through the download path and imports it back with the same sockets', async () => {
    const page = await openPanel(b.browser, server, { fixture: FIXTURE_PATH });
    const dir = mkdtempSync(join(tmpdir(), 'khp-download-'));
    try {
      const before = await rows(page);
      const cdp = await page.createCDPSession();
      await cdp.send('Browser.setDownloadBehavior', {
        behavior: 'allow',
        downloadPath: dir,
        eventsEnabled: true,
      });
      const done = new Promise<void>((resolveDone, reject) => {
        cdp.on('Browser.downloadProgress', (e) => {
          if (e.state === 'completed') resolveDone();
          if (e.state === 'canceled') reject(new Error('download canceled'));
        });
      });
      await page.click('button[aria-label=Export]');
      const item = await page.waitForSelector('::-p-text(Export HAR…)');
      await item!.click();
      await done;
      const files = readdirSync(dir).filter((f) => f.endsWith('.har'));
      expect(files).toHaveLength(1);
      const har = JSON.parse(readFileSync(join(dir, files[0]!), 'utf8')) as {
        log: { entries: { _webSocketMessages?: unknown[] }[] };
      };
      expect(har.log.entries).toHaveLength(before.length);
      expect(har.log.entries.every((e) => Array.isArray(e._webSocketMessages))).toBe(true);

      const input = await page.$('input[type=file]');
      await input!.uploadFile(join(dir, files[0]!));
      await page.waitForSelector('.source-indicator');
      expect(await page.$eval('.source-indicator', (e) => e.textContent)).toContain(`imported: ${files[0]}`);
      const after = await rows(page);
      const key = (r: RowText) => ({ ...r, time: undefined });
      expect(after.map(key)).toEqual(before.map(key));
    } finally {
      await page.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
