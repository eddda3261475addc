/**
 * Transparency: the same WebSocket API checks, run in a page with and without the extension, must give
 * identical results, in Chromium and in Firefox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, type BrowserName } from './helpers/browsers';
import { startTestServer, type TestServer } from './helpers/test-server';
import { TRANSPARENCY_SCRIPT } from './helpers/transparency-page';
import { waitForState, type TabState } from './helpers/extension-query';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  server.page(
    '/transparency',
    `<!doctype html><meta charset="utf-8"><script>${TRANSPARENCY_SCRIPT}</script>`,
  );
});
afterAll(async () => {
  await server?.close();
});

async function run(name: BrowserName, extension: boolean) {
  const b = await launch(name, extension);
  try {
    const page = await b.browser.newPage();
    await page.goto(`${server.url}/transparency`);
    const result = await page.evaluate(
      (base) => (window as unknown as { transparency(b: string): Promise<unknown> }).transparency(base),
      server.wsUrl,
    );
    // With the extension, prove the hook really was there: the background saw this page's sockets.
    // Every socket the checks opened has closed: wait until the background has all of them.
    const count = (s: TabState, type: string) => s.events.filter((e) => e.type === type).length;
    const done = (s: TabState) => count(s, 'create') >= 5 && count(s, 'close') === count(s, 'create');
    const captured = extension ? count(await waitForState(page, done), 'create') : 0;
    const windowMessages = await page.evaluate(
      () => (window as unknown as { windowMessages: string[] }).windowMessages,
    );
    return { result, captured, windowMessages };
  } finally {
    await b.close();
  }
}

describe.each(['chromium', 'firefox'] as const)('transparency in %s', (name) => {
  it('gives the same WebSocket API results with and without the extension', async () => {
    const plain = await run(name, false);
    const hooked = await run(name, true);
    expect(hooked.captured).toBeGreaterThanOrEqual(5);
    expect(hooked.result).toEqual(plain.result);
    // The hook and the relay link before any page script runs: the page sees no message of theirs.
    expect(plain.windowMessages).toEqual([]);
    expect(hooked.windowMessages).toEqual([]);
    // Sanity: the checks observed real behaviour, not an empty record.
    const r = plain.result as {
      replies: string[];
      log: string[];
      ctor: { fnToString: string };
      sendNoArgument: unknown;
      sendExtraConverted: string[];
    };
    expect(r.replies).toContain('text:hello');
    expect(r.replies).toContain('text:first');
    expect(JSON.stringify(r.sendNoArgument)).toMatch(/TypeError/);
    expect(r.sendExtraConverted).toEqual([]);
    expect(r.ctor.fnToString).toMatch(/\[native code\]/);
    expect(r.log.length).toBeGreaterThan(5);
    const slot = (plain.result as { slot: { log: string[]; values: boolean[]; errors: string[] } }).slot;
    expect(slot.log).toContain('H3:last');
    expect(slot.values.every(Boolean)).toBe(true);
    expect(slot.errors).toHaveLength(1);
  });
});
