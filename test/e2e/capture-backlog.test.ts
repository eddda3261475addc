/**
 * The background's buffer in real browsers: a service-worker restart in Chromium loses and duplicates
 * nothing; a panel that connects after the traffic gets the backlog (both browsers); settings sent by a
 * panel reach the page's hook.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import {
  launch,
  launchChromium,
  resumeServiceWorker,
  serviceWorkerTarget,
  stopServiceWorker,
  type Launched,
} from './helpers/browsers';
import { startTestServer, type TestServer } from './helpers/test-server';
import { pageWith } from './helpers/pages';
import { openWatched, query, tabState, waitForState } from './helpers/extension-query';
import { noDuplicates, socketEvents, transcript } from './helpers/capture-asserts';
import { envelope, type Envelope } from '../../src/messaging/messages';
import type { CaptureEvent } from '../../src/protocol/capture';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  server.page('/blank', '<!doctype html><title>blank</title>');
  // `send(n)` sends n messages on an open echo socket and resolves when all echoes came back.
  server.page(
    '/chat',
    pageWith(`window.ready = new Promise(function (resolve) {
      var ws = new WebSocket('${server.wsUrl}/echo?chat=1'); var got = 0; var want = 0; var done = null;
      ws.onmessage = function () { got++; if (got === want && done) done(); };
      window.send = function (prefix, n) { return new Promise(function (r) { want += n; done = r;
        for (var i = 0; i < n; i++) ws.send(prefix + i); }); };
      // n binary messages from one buffer, filled with i + 1 before send i (a page reusing its buffer).
      window.sendBytes = function (n, size) { return new Promise(function (r) { want += n; done = r;
        var b = new Uint8Array(size); for (var i = 0; i < n; i++) { b.fill(i + 1); ws.send(b); } }); };
      // n Blobs of \`size\` bytes, filled with i + 11; the echoes come back as Blobs too.
      window.sendBlobs = function (n, size) { return new Promise(function (r) { want += n; done = r;
        ws.binaryType = 'blob';
        for (var i = 0; i < n; i++) ws.send(new Blob([new Uint8Array(size).fill(i + 11)])); }); };
      ws.binaryType = 'arraybuffer';
      ws.onopen = function () { resolve(true); };
    });`),
  );
});
afterAll(async () => {
  await server?.close();
});

async function chat(page: Page, prefix: string, n: number): Promise<void> {
  await page.evaluate(
    (p, n) => (window as unknown as { send(p: string, n: number): Promise<void> }).send(p, n),
    prefix,
    n,
  );
}
const frameCount = (events: CaptureEvent[]) => events.filter((e) => e.type === 'frame').length;

describe('service-worker restart in chromium', () => {
  let b: Launched;
  beforeAll(async () => {
    b = await launchChromium();
  });
  afterAll(async () => {
    await b?.close();
  });

  it('loses and duplicates no event across a stopped and restarted service worker', async () => {
    const page = await openWatched(b.browser, `${server.url}/blank`, `${server.url}/chat`);
    await page.evaluate(() => (window as unknown as { ready: Promise<boolean> }).ready);
    await chat(page, 'before-', 5);
    await waitForState(page, (s) => frameCount(s.events) === 10);
    const sw = await serviceWorkerTarget(b.browser, b.extensionId!);
    const worker = (await sw.worker())!;
    await worker.evaluate(() => ((globalThis as unknown as { marker: number }).marker = 1));

    await stopServiceWorker(b.browser, b.extensionId!);
    // Traffic while the worker is stopped: the relay reconnects and wakes a new worker.
    await chat(page, 'after-', 5);
    const evaluate = await resumeServiceWorker(b.browser, b.extensionId!);
    const state = await waitForState(page, (s) => frameCount(s.events) === 20);

    expect(await evaluate("globalThis.marker ?? 'restarted'")).toBe('restarted');
    const sent = transcript(socketEvents(state, '/echo?chat=1')).filter((t) => t.startsWith('send:'));
    expect(sent).toEqual([
      ...[0, 1, 2, 3, 4].map((i) => `send:before-${i}`),
      ...[0, 1, 2, 3, 4].map((i) => `send:after-${i}`),
    ]);
    expect(noDuplicates(state)).toBe(true);
    expect(state.droppedEvents).toBe(0);
    await page.close();
  });
});

describe.each(['chromium', 'firefox'] as const)('panel backlog and settings in %s', (name) => {
  let b: Launched;
  beforeAll(async () => {
    b = await launch(name);
  });
  afterAll(async () => {
    await b?.close();
  });

  it('gives a panel that connects after the traffic the backlog, then live events', async () => {
    const page = await openWatched(b.browser, `${server.url}/blank`, `${server.url}/chat`);
    await page.evaluate(() => (window as unknown as { ready: Promise<boolean> }).ready);
    await chat(page, 'm', 3);
    const state = await waitForState(page, (s) => frameCount(s.events) === 6);
    const { tabId } = await query<{ tabId: number }>(page, { op: 'whoami' });
    expect(tabId).toBe(state.tabId);

    const all = await query<Envelope[]>(page, { op: 'panel', tabId, lastSeq: 0 });
    expect(all.map((m) => m.kind)).toEqual(['settings', 'hello', 'backlog']);
    const backlog = all[2]!.payload as { events: CaptureEvent[]; seq: number; droppedEvents: number };
    expect(backlog.events).toEqual(state.events);
    expect(backlog.seq).toBe(state.seq);

    const tail = await query<Envelope[]>(page, { op: 'panel', tabId, lastSeq: state.seq - 2 });
    expect((tail.find((m) => m.kind === 'backlog')!.payload as { events: CaptureEvent[] }).events).toEqual(
      state.events.slice(-2),
    );
    await page.close();
  });

  it('with full capture and DevTools closed, holds frames in the page and hands them over whole, in order, when DevTools opens', async () => {
    const page = await b.browser.newPage();
    await page.goto(`${server.url}/blank`);
    const { tabId } = await query<{ tabId: number }>(page, { op: 'whoami' });
    const replies = await query<Envelope[]>(page, {
      op: 'panel',
      tabId,
      lastSeq: 0,
      send: [envelope('settings', { fullCapture: true })],
    });
    expect(replies.at(-1)).toMatchObject({ kind: 'settings', payload: { fullCapture: true } });
    await page.goto(`${server.url}/chat`);
    await page.evaluate(() => (window as unknown as { ready: Promise<boolean> }).ready);
    await waitForState(page, (s) => s.events.some((e) => e.type === 'open'));
    await chat(page, 'm', 3);
    await page.evaluate(() =>
      (window as unknown as { sendBytes(n: number, size: number): Promise<void> }).sendBytes(3, 64 * 1024),
    );
    await page.evaluate(() =>
      (window as unknown as { sendBlobs(n: number, size: number): Promise<void> }).sendBlobs(2, 1000),
    );
    // Held: the socket's life reached the background, none of its frames (Blobs not even read).
    await new Promise((r) => setTimeout(r, 300));
    expect(frameCount((await tabState(page)).events)).toBe(0);

    const { live } = await query<{ live: boolean }>(page, { op: 'watch' });
    expect(live).toBe(true);
    const state = await waitForState(page, (s) => frameCount(s.events) === 16);
    const frames = state.events.filter((e) => e.type === 'frame');
    expect(frames.slice(0, 6).map((f) => `${f.dir}:${f.data}`)).toEqual(
      ['m0', 'm1', 'm2'].flatMap((m) => [`send:${m}`]).concat(['receive:m0', 'receive:m1', 'receive:m2']),
    );
    // Each binary payload whole, with the bytes it had when it was sent (the page refilled its buffer);
    // the Blobs, read when DevTools opened, come after them.
    const bytes = frames.slice(6).map((f) => {
      const b = Buffer.from(f.data, 'base64');
      return `${f.dir}:${f.size}:${b.length}:${f.truncated === true}:${new Set(b).size}:${b[0]}`;
    });
    expect(bytes.slice(0, 6).sort()).toEqual(
      [1, 2, 3].flatMap((i) => [`receive:65536:65536:false:1:${i}`, `send:65536:65536:false:1:${i}`]).sort(),
    );
    expect(bytes.slice(6).sort()).toEqual(
      [11, 12].flatMap((i) => [`receive:1000:1000:false:1:${i}`, `send:1000:1000:false:1:${i}`]).sort(),
    );
    expect(noDuplicates(state)).toBe(true);
    await page.close();
  });

  it('pushes a panel’s settings to the page’s hook (frame budget)', async () => {
    const page = await openWatched(b.browser, `${server.url}/blank`, `${server.url}/chat`);
    await page.evaluate(() => (window as unknown as { ready: Promise<boolean> }).ready);
    const { tabId } = await query<{ tabId: number }>(page, { op: 'whoami' });
    const replies = await query<Envelope[]>(page, {
      op: 'panel',
      tabId,
      lastSeq: 0,
      send: [envelope('settings', { frameBudget: 4 })],
    });
    expect(replies.at(-1)).toMatchObject({ kind: 'settings', payload: { frameBudget: 4 } });
    await chat(page, 'x', 5);
    const state = await waitForState(page, (s) => s.events.some((e) => e.type === 'paused'));
    expect(frameCount(state.events)).toBe(4);
    expect(state.events.filter((e) => e.type === 'paused')).toMatchObject([{ reason: 'budget' }]);
    expect(state.settings.frameBudget).toBe(4);
    await page.close();
  });
});
