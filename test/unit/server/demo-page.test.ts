import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../../src/server/server';

let server: RunningServer;
let browser: Browser | null = null;
const logs: string[] = [];

beforeAll(async () => {
  server = await startServer({ port: 0, log: (l) => logs.push(l) });
});
afterAll(async () => {
  await browser?.close();
  await server.close();
});

describe('the demo page', () => {
  it(
    'serves the page with a stable button per scenario, and the bundled script',
    { timeout: 30000 },
    async () => {
      const html = await (await fetch(server.url)).text();
      for (const s of [
        'echo',
        'auth-basic',
        'auth-token',
        'redirect',
        'loop',
        'balancer',
        'split',
        'slow',
        'status',
        'plain',
      ]) {
        expect(html).toContain(`data-scenario="${s}"`);
      }
      const js = await fetch(`${server.url}demo.js`);
      expect(js.headers.get('content-type')).toContain('javascript');
      const code = await js.text();
      expect(code).toContain('x-kaazing-handshake');
      expect(code).not.toMatch(/innerHTML/);
      expect((await fetch(`${server.url}nope`)).status).toBe(404);
      expect((await fetch(server.url, { method: 'POST' })).status).toBe(405);
    },
  );

  it(
    'drives the handshake in a real Chromium: echo, basic auth, plain socket',
    { timeout: 60000 },
    async () => {
      browser = await puppeteer.launch({
        executablePath: '/usr/lib/chromium/chromium',
        headless: true,
        pipe: true,
        args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
      });
      const page = await browser.newPage();
      await page.goto(server.url);
      expect(await page.$eval('#ws-base', (el) => el.textContent)).toBe(server.wsUrl);
      const run = async (id: string, final: string) => {
        await page.click(`#${id}`);
        await page.waitForFunction((s) => document.body.dataset.state === s, { timeout: 15000 }, final);
        return page.$$eval('#log li', (lis) => lis.map((li) => li.textContent ?? ''));
      };
      const echo = await run('btn-echo', 'completed');
      expect(echo.some((l) => l.includes('completed with 101'))).toBe(true);
      await page.click('#btn-send');
      await page.waitForFunction(() =>
        [...document.querySelectorAll('#log li')].some((li) => li.textContent?.includes('message "hello"')),
      );
      const auth = await run('btn-auth-basic', 'completed');
      expect(auth.some((l) => l.includes('challenge 1: Basic'))).toBe(true);
      const loop = await run('btn-loop', 'failed');
      expect(loop.some((l) => l.includes('redirect-loop'))).toBe(true);
      await run('btn-plain', 'closed');
      expect(logs.some((l) => l.includes('plain /echo messages=1'))).toBe(true);
    },
  );
});
