/**
 * The page attacks its own capture, in Chromium and Firefox: it tries to take the hook's channel over
 * (a forged hello before its first socket, the link events, forged batches and settings through every
 * port it can get), and it replaces built-ins after load. Its real sockets must be captured as a
 * control page's are, and nothing it forged may reach the background.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { launch, type Launched } from './helpers/browsers';
import { startTestServer, type TestServer } from './helpers/test-server';
import { ATTACK_SCRIPT } from './helpers/attack-page';
import { pollPolicy, query, type TabState } from './helpers/extension-query';
import { envelope } from '../../src/messaging/messages';
import type { CaptureEvent } from '../../src/protocol/capture';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  server.page('/blank', '<!doctype html><title>blank</title>');
  server.page('/attack', `<!doctype html><script>${ATTACK_SCRIPT}; attackChannel();</script>`);
  server.page('/builtins', `<!doctype html><script>${ATTACK_SCRIPT}</script>`);
  // A worker's own scripts look for the hook's internals in their stack (V8's CallSite API).
  server.script(
    '/thief-worker.js',
    String.raw`var found = [];
      Error.prepareStackTrace = function (e, sites) { return sites; };
      var sites = new Error().stack;
      Error.prepareStackTrace = undefined;
      if (typeof sites !== 'string') sites.forEach(function (c) {
        var f = c.getFunction();
        if (f) { found.push('function ' + f.name); try { if (f.arguments) found.push('arguments of ' + f.name); } catch (e) {} }
      });
      if (typeof self.khpBoot !== 'undefined') found.push('khpBoot');
      postMessage(found.join(';'));`,
  );
  server.script(
    '/attack-worker.js',
    String.raw`self.onmessage = function (e) {
      var k = new WebSocket(e.data + '/khp/ok?worker=1', ['x-kaazing-handshake']);
      var got = 0;
      k.onopen = function () { k.send('GET /khp/ok HTTP/1.1\r\nX-Probe: worker\r\n\r\n'); };
      k.onmessage = function () {
        got++;
        if (got === 2) k.send('after the handshake');
        if (got === 3) k.close(1000, 'done');
      };
      k.onclose = function () { postMessage('closed'); };
    };`,
  );
});
afterAll(async () => {
  await server?.close();
});

interface AttackWindow {
  safeQuery(q: { op: string; on?: boolean }): Promise<unknown>;
  runFlows(base: string): Promise<string>;
  override(name: string): void;
  overrideNames(): string[];
  runWorkerFlow(base: string): Promise<string>;
  stealWorkerLine(): Promise<string>;
  portsSeen(): string;
  openHidden(base: string): Promise<string>;
  sendHidden(text: string): Promise<string>;
  runSlot(base: string): Promise<string>;
}

const safeQuery = <T>(page: Page, op: string) =>
  page.evaluate((op) => (window as unknown as AttackWindow).safeQuery({ op }), op) as Promise<T>;

/** Polls the tab's state (through the page's saved natives) until both flow sockets have closed. */
async function closedState(page: Page): Promise<TabState> {
  for (let i = 0; i < 60; i++) {
    const state = await safeQuery<TabState>(page, 'state');
    if (state.events.filter((e) => e.type === 'close').length >= 2) return state;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error('the flows never closed in the background state');
}

/** Each socket's events without ids or times (but whether the time is a real clock reading). */
function normalise(events: CaptureEvent[]): unknown[] {
  return events.map((e) => {
    const { socketId: _id, time, ...rest } = e as CaptureEvent & { time: number };
    return { ...rest, realTime: time > 1e12 };
  });
}

function bySocket(state: TabState): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const create of state.events.filter((e) => e.type === 'create')) {
    const url = create.type === 'create' ? new URL(create.url).pathname + new URL(create.url).search : '';
    out[url] = normalise(state.events.filter((e) => e.socketId === create.socketId));
  }
  return out;
}

describe.each(['chromium', 'firefox'] as const)('a hostile page in %s', (name) => {
  let b: Launched;
  beforeAll(async () => {
    b = await launch(name);
  });
  afterAll(async () => {
    await b?.close();
  });

  /** A page at `path` in a new tab; `watched`: as if DevTools were open on it. */
  async function open(path: string, watched: boolean): Promise<Page> {
    const page = await b.browser.newPage();
    if (watched) {
      await page.goto(`${server.url}/builtins`);
      await safeQuery(page, 'watch');
    }
    await page.goto(server.url + path);
    await safeQuery(page, 'whoami'); // the hook has its settings by now
    // and, before a worker starts, the background's CSP verdict (docs/workers.md)
    await pollPolicy(() => safeQuery(page, 'policy'));
    return page;
  }

  it('cannot take the channel: forged hello, knock, offer, batches and settings change nothing', async () => {
    const page = await open('/attack', false);
    await page.evaluate((base) => (window as unknown as AttackWindow).runFlows(base), server.wsUrl);
    const state = await closedState(page);
    const text = JSON.stringify(state.events);
    expect(text).not.toContain('forged');
    expect(text).not.toContain('Zm9yZ2VkOnNlY3JldA==');
    const sockets = bySocket(state);
    expect(Object.keys(sockets)).toEqual(['/khp/ok', '/echo?plain=1']);
    // The KHP handshake is there, whole.
    expect(sockets['/khp/ok']!.slice(0, 5)).toMatchObject([
      { type: 'create', protocols: ['x-kaazing-handshake'] },
      { type: 'open', protocol: 'x-kaazing-handshake' },
      { type: 'frame', dir: 'send', data: 'GET /khp/ok HTTP/1.1\r\nX-Probe: 1\r\n\r\n' },
      { type: 'frame', dir: 'receive', opcode: 2 },
      { type: 'frame', dir: 'receive', data: '' },
    ]);
    // The injected settings (full capture, live) were not applied: DevTools is closed, so the plain
    // socket is paused from its open, its two sends counted.
    expect(sockets['/echo?plain=1']!.map((e) => (e as { type: string }).type)).toEqual([
      'create',
      'open',
      'paused',
      'resumed',
      'close',
    ]);
    expect(sockets['/echo?plain=1']![3]).toMatchObject({ sent: 2 });
    // The page saw only what it posted and dispatched itself: no port of the hook's, no reply.
    const seen = await page.evaluate(() => (window as unknown as AttackWindow).portsSeen());
    expect(seen.split(';').filter(Boolean).sort()).toEqual(['offer', 'window-message']);
    await page.close();
  });

  it('captures a message a page listener stops once DevTools opens, and no event the page dispatches', async () => {
    const page = await open('/builtins', false);
    await page.evaluate((base) => (window as unknown as AttackWindow).openHidden(base), server.wsUrl);
    const types = async () => {
      const state = await safeQuery<TabState>(page, 'state');
      return (bySocket(state)['/echo?hidden=1'] ?? []).map((e) => (e as { type: string }).type);
    };
    // DevTools closed: the plain socket is paused from its open (its message listener removed).
    await expect.poll(types).toEqual(['create', 'open', 'paused']);
    // DevTools opens: the listener comes back, behind the page's in Chromium.
    await safeQuery(page, 'watch');
    await expect.poll(types).toEqual(['create', 'open', 'paused', 'resumed']);
    const seen = await page.evaluate(() => (window as unknown as AttackWindow).sendHidden('after-resume'));
    expect(seen).toBe('before-resume;forged-message;after-resume;');
    await expect.poll(types).toContain('close');
    const events = bySocket(await safeQuery<TabState>(page, 'state'))['/echo?hidden=1']!;
    expect(events).toMatchObject([
      { type: 'create' },
      { type: 'open' },
      { type: 'paused' },
      { type: 'resumed', sent: 1 },
      { type: 'frame', dir: 'send', data: 'after-resume' },
      { type: 'frame', dir: 'receive', data: 'after-resume' },
      { type: 'close', code: 1000, reason: 'done' },
    ]);
    expect(events).toHaveLength(7);
    await page.close();
  });

  it('captures every message once whatever the page does with onmessage, and the page sees the browser order', async () => {
    const page = await open('/builtins', false);
    await safeQuery(page, 'watch'); // DevTools open: the plain socket's messages are wanted
    const seen = await page.evaluate(
      (base) => (window as unknown as AttackWindow).runSlot(base),
      server.wsUrl,
    );
    // HTML's event handler rules: a handler set in an empty slot runs after the listeners added
    // before; one set from a listener does not run for that message; an object is never called.
    expect(seen.split(';').filter(Boolean)).toEqual([
      'A:first',
      'H1:first',
      'B:first',
      'A:stop-me',
      'A:swap',
      'B:swap',
      'A:after-swap',
      'B:after-swap',
      'H2:after-swap',
      'A:obj',
      'B:obj',
      'A:after-obj',
      'B:after-obj',
      'A:clear',
      'B:clear',
      'A:after-clear',
      'B:after-clear',
      'A:again',
      'B:again',
      'A:last',
      'B:last',
      'H3:last',
    ]);
    const texts = [
      'first',
      'stop-me',
      'swap',
      'after-swap',
      'obj',
      'after-obj',
      'clear',
      'after-clear',
      'again',
      'last',
    ];
    type Ev = { type: string; dir?: string; data?: string };
    const slotEvents = async () =>
      (bySocket(await safeQuery<TabState>(page, 'state'))['/echo?slot=1'] ?? []) as Ev[];
    await expect.poll(async () => (await slotEvents()).map((e) => e.type)).toContain('close');
    const events = await slotEvents();
    const frames = (dir: string) =>
      events.filter((e) => e.type === 'frame' && e.dir === dir).map((e) => e.data);
    expect(frames('send')).toEqual(texts);
    expect(frames('receive')).toEqual(texts);
    await page.close();
  });

  it('captures the same with any built-in replaced after load as without', async () => {
    const control = await open('/builtins', true);
    await control.evaluate((base) => (window as unknown as AttackWindow).runFlows(base), server.wsUrl);
    const expected = bySocket(await closedState(control));
    const names = await control.evaluate(() => (window as unknown as AttackWindow).overrideNames());
    await control.close();
    expect(expected['/khp/ok']!.length).toBeGreaterThan(8);
    expect(JSON.stringify(expected)).toContain('"realTime":true');
    for (const override of [...names, 'all']) {
      const page = await open('/builtins', true);
      await page.evaluate((o) => (window as unknown as AttackWindow).override(o), override);
      await page.evaluate((base) => (window as unknown as AttackWindow).runFlows(base), server.wsUrl);
      const got = bySocket(await closedState(page));
      expect({ override, got }).toEqual({ override, got: expected });
      await page.close();
    }
  });

  it('holds frames under full capture with DevTools closed, and hands them over the same, with built-ins replaced after load', async () => {
    const frames = (s: TabState) => s.events.filter((e) => e.type === 'frame').length;
    const held = async (override: string | null) => {
      const page = await b.browser.newPage();
      await page.goto(`${server.url}/builtins`);
      const { tabId } = await query<{ tabId: number }>(page, { op: 'whoami' });
      await query(page, { op: 'panel', tabId, send: [envelope('settings', { fullCapture: true })] });
      await page.goto(`${server.url}/builtins`);
      await safeQuery(page, 'whoami'); // the hook has its settings by now
      if (override) await page.evaluate((o) => (window as unknown as AttackWindow).override(o), override);
      await page.evaluate((base) => (window as unknown as AttackWindow).runFlows(base), server.wsUrl);
      const before = frames(await safeQuery<TabState>(page, 'state'));
      await safeQuery(page, 'watch'); // DevTools opens: the held frames leave the page
      const state = await closedState(page);
      expect({ override, before: before < frames(state) }).toEqual({ override, before: true });
      await page.close();
      return bySocket(state);
    };
    const expected = await held(null);
    // Whole payloads (full capture): the long text frame is not cut to a preview.
    expect(expected['/khp/ok']!.length).toBeGreaterThan(8);
    expect(JSON.stringify(expected)).not.toContain('"truncated":true');
    for (const override of ['typed', 'setters', 'hasInstance', 'slice', 'time', 'all'])
      expect({ override, got: await held(override) }).toEqual({ override, got: expected });
  });

  it("captures a worker's socket the same with the worker path's built-ins replaced after load", async () => {
    const workerSocket = async (page: Page) => {
      expect(
        await page.evaluate((base) => (window as unknown as AttackWindow).runWorkerFlow(base), server.wsUrl),
      ).toBe('closed');
      for (let i = 0; i < 60; i++) {
        const events = bySocket(await safeQuery<TabState>(page, 'state'))['/khp/ok?worker=1'] ?? [];
        if (events.some((e) => (e as { type: string }).type === 'close')) return events;
        await new Promise((r) => setTimeout(r, 150));
      }
      throw new Error("the worker's socket never closed in the background state");
    };
    const control = await open('/builtins', true);
    const expected = await workerSocket(control);
    await control.close();
    expect(expected[0]).toMatchObject({
      type: 'create',
      worker: { kind: 'dedicated', url: `${server.url}/attack-worker.js` },
    });
    expect(expected.filter((e) => (e as { type: string }).type === 'frame')).toHaveLength(5);
    for (const override of ['workers', 'setters', 'collections', 'events', 'all']) {
      const page = await open('/builtins', true);
      await page.evaluate((o) => (window as unknown as AttackWindow).override(o), override);
      expect({ override, got: await workerSocket(page) }).toEqual({ override, got: expected });
      await page.close();
    }
  });

  it("cannot learn a worker's private line, from the page or from the worker's own scripts", async () => {
    const page = await open('/builtins', true);
    const leaks = await page.evaluate(() => (window as unknown as AttackWindow).stealWorkerLine());
    expect(leaks).toBe('');
    const thief = await page.evaluate(
      `new Promise((resolve) => { const w = new Worker('/thief-worker.js'); w.onmessage = (e) => resolve(e.data); })`,
    );
    // Natively the script's top-level frame is a plain function of its own; the hook's never show.
    expect(
      String(thief)
        .split(';')
        .filter((x) => x && x !== 'function '),
    ).toEqual([]);
    // And the worker the page started under all that is still captured.
    expect(
      await page.evaluate((base) => (window as unknown as AttackWindow).runWorkerFlow(base), server.wsUrl),
    ).toBe('closed');
    await page.close();
  });
});
