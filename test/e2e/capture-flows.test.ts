/**
 * End-to-end capture in real browsers: a page runs KHP flows against a local server, and the test asks
 * the extension's background (test-only query through the relay) what reached it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { launch, type Launched } from './helpers/browsers';
import { startTestServer, type TestServer } from './helpers/test-server';
import { pageWith } from './helpers/pages';
import { openWatched, query, waitForState, type TabState } from './helpers/extension-query';
import { frameText, noDuplicates, socketEvents, transcript, urls } from './helpers/capture-asserts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  server.page('/blank', '<!doctype html><title>blank</title>');
});
afterAll(async () => {
  await server?.close();
});

const closedCount = (s: TabState) => s.events.filter((e) => e.type === 'close').length;

describe.each(['chromium', 'firefox'] as const)('capture in %s', (name) => {
  let b: Launched;
  beforeAll(async () => {
    b = await launch(name);
  });
  afterAll(async () => {
    await b?.close();
  });

  /** Runs `script` in a page of a tab with DevTools open (as far as the hook can tell). */
  async function runFlow(path: string, script: string): Promise<{ page: Page; result: unknown }> {
    server.page(path, pageWith(`window.result = ${script};`));
    const page = await openWatched(b.browser, `${server.url}/blank`, server.url + path);
    const result = await page.evaluate(() => (window as unknown as { result: unknown }).result);
    return { page, result };
  }

  it('captures a KHP success with ping-pong, frame by frame', async () => {
    const { page, result } = await runFlow('/ok', `khpRun('${server.wsUrl}/khp/ok')`);
    expect(result).toEqual([101, 'pong-received']);
    const state = await waitForState(page, (s) => closedCount(s) === 1);
    const events = socketEvents(state, '/khp/ok');
    expect(events[0]).toMatchObject({ type: 'create', protocols: ['x-kaazing-handshake', 'app-proto'] });
    expect(transcript(events)).toEqual([
      'create',
      'open:x-kaazing-handshake',
      'send:GET /khp/ok HTTP/1.1',
      'receive:HTTP/1.1 101 Web Socket Protocol Handshake',
      'receive:',
      'send:ping',
      'receive:ping',
      'close:1000',
    ]);
    const frames = events.filter((e) => e.type === 'frame');
    expect(frames.map((f) => f.opcode)).toEqual([1, 2, 2, 1, 1]);
    expect(noDuplicates(state)).toBe(true);
    await page.close();
  });

  it('captures 401 then 101 on one socket, with the credentials replay', async () => {
    const { page, result } = await runFlow(
      '/auth',
      `khpRun('${server.wsUrl}/khp/auth', { credentials: 'joe:welcome' })`,
    );
    expect(result).toEqual([401, 101, 'pong-received']);
    const state = await waitForState(page, (s) => closedCount(s) === 1);
    const events = socketEvents(state, '/khp/auth');
    expect(transcript(events).slice(2, 8)).toEqual([
      'send:GET /khp/auth HTTP/1.1',
      'receive:HTTP/1.1 401 Unauthorized',
      'receive:',
      'send:GET /khp/auth HTTP/1.1',
      'receive:HTTP/1.1 101 Web Socket Protocol Handshake',
      'receive:',
    ]);
    const replay = events.filter((e) => e.type === 'frame')[3]!;
    expect(replay.type === 'frame' && frameText(replay)).toContain('Authorization: Basic am9lOndlbGNvbWU=');
    await page.close();
  });

  it('captures a redirect chain across sockets', async () => {
    const { page, result } = await runFlow('/redirect', `khpRun('${server.wsUrl}/khp/redirect/2')`);
    expect(result).toEqual([302, 302, 302, 101, 'pong-received']);
    const state = await waitForState(page, (s) => closedCount(s) === 4);
    expect(urls(state).map((u) => new URL(u).pathname)).toEqual([
      '/khp/redirect/2',
      '/khp/redirect/1',
      '/khp/redirect/0',
      '/khp/ok',
    ]);
    const first = transcript(socketEvents(state, '/khp/redirect/2'));
    expect(first).toEqual([
      'create',
      'open:x-kaazing-handshake',
      'send:GET /khp/redirect/2 HTTP/1.1',
      'receive:HTTP/1.1 302 Found',
      'receive:',
      'close:1000',
    ]);
    expect(new Set(state.events.map((e) => e.socketId)).size).toBe(4);
    expect(noDuplicates(state)).toBe(true);
    await page.close();
  });

  it('captures a failure (403, server closes with 1011)', async () => {
    const { page, result } = await runFlow('/fail', `khpRun('${server.wsUrl}/khp/status/403')`);
    expect(result).toEqual([403]);
    const state = await waitForState(page, (s) => closedCount(s) === 1);
    expect(transcript(socketEvents(state, '/khp/status/403')).slice(3)).toEqual([
      'receive:HTTP/1.1 403 Status',
      'receive:',
      'close:1011',
    ]);
    await page.close();
  });

  it('captures a socket opened by an inline script before DOMContentLoaded', async () => {
    const script = `(function () { window.stateAtCreate = document.readyState; var ws = new WebSocket('${server.wsUrl}/echo?inline=1');
      ws.onopen = function () { ws.send('early bird'); }; ws.onmessage = function () { ws.close(); }; return 'started'; })()`;
    const { page } = await runFlow('/inline', script);
    expect(await page.evaluate(() => (window as unknown as { stateAtCreate: string }).stateAtCreate)).toBe(
      'loading',
    );
    const state = await waitForState(page, (s) => closedCount(s) === 1);
    expect(transcript(socketEvents(state, '/echo?inline=1'))).toEqual([
      'create',
      'open:',
      'send:early bird',
      'receive:early bird',
      'close:1005',
    ]);
    await page.close();
  });

  it('captures sockets in an iframe and in a srcdoc iframe, with ids unique per frame', async () => {
    const open = (tag: string) =>
      `var ws = new WebSocket('${server.wsUrl}/echo?${tag}=1'); ws.onopen = function () { ws.send('${tag}'); }; ws.onmessage = function () { ws.close(); };`;
    server.page('/child', `<!doctype html><script>${open('child')}</script>`);
    const srcdoc = `<script>${open('srcdoc')}</script>`.replace(/"/g, '&quot;');
    const { page } = await runFlow('/frames', `(function () { ${open('top')} return 1; })()`);
    await page.evaluate(
      (srcdoc) => {
        const a = document.createElement('iframe');
        a.src = '/child';
        const c = document.createElement('iframe');
        c.setAttribute('srcdoc', srcdoc);
        document.body.append(a, c);
      },
      srcdoc.replace(/&quot;/g, '"'),
    );
    const state = await waitForState(page, (s) => closedCount(s) === 3);
    for (const tag of ['top', 'child', 'srcdoc'])
      expect(transcript(socketEvents(state, `/echo?${tag}=1`))).toEqual([
        'create',
        'open:',
        `send:${tag}`,
        `receive:${tag}`,
        'close:1005',
      ]);
    const ids = state.events.filter((e) => e.type === 'create').map((e) => e.socketId);
    expect(new Set(ids).size).toBe(3);
    expect(new Set(ids.map((id) => id.split(':')[0])).size).toBe(3);
    expect(noDuplicates(state)).toBe(true);
    await page.close();
  });

  it("records a plain socket's life but not its frames while DevTools is closed, and says so", async () => {
    const page = await b.browser.newPage();
    await page.goto(`${server.url}/blank`);
    await query(page, { op: 'whoami' }); // the page's hook has its settings (not live) by now
    await page.evaluate(
      (url) =>
        new Promise<void>((resolve) => {
          const ws = new WebSocket(url);
          ws.onopen = () => {
            ws.send('one');
            ws.send('two');
          };
          let got = 0;
          ws.onmessage = () => {
            if (++got === 2) ws.close(1000);
          };
          ws.onclose = () => resolve();
        }),
      `${server.wsUrl}/echo?closed=1`,
    );
    const state = await waitForState(page, (s) => closedCount(s) === 1);
    const events = socketEvents(state, '/echo?closed=1');
    expect(events.map((e) => e.type)).toEqual(['create', 'open', 'paused', 'resumed', 'close']);
    expect(events[2]).toMatchObject({ reason: 'no-devtools' });
    expect(events[3]).toMatchObject({ sent: 2 });
    await page.close();
  });

  it('resumes a paused socket when DevTools opens and records its messages from then on', async () => {
    const page = await b.browser.newPage();
    await page.goto(`${server.url}/blank`);
    await query(page, { op: 'whoami' });
    await page.evaluate(
      (url) =>
        new Promise<void>((resolve) => {
          const ws = new WebSocket(url);
          ws.addEventListener('message', () => {}); // a page listener added before the hook's comes back
          (window as unknown as { ws: WebSocket }).ws = ws;
          ws.onopen = () => resolve();
        }),
      `${server.wsUrl}/echo?resume=1`,
    );
    await waitForState(page, (s) => s.events.some((e) => e.type === 'paused'));
    await query(page, { op: 'watch' });
    await waitForState(page, (s) => s.events.some((e) => e.type === 'resumed'));
    await page.evaluate(
      () =>
        new Promise<void>((resolve) => {
          const ws = (window as unknown as { ws: WebSocket }).ws;
          ws.addEventListener('message', () => ws.close(1000), { once: true });
          ws.onclose = () => resolve();
          ws.send('after-resume');
        }),
    );
    const state = await waitForState(page, (s) => closedCount(s) === 1);
    expect(transcript(socketEvents(state, '/echo?resume=1'))).toEqual([
      'create',
      'open:',
      'paused',
      'resumed',
      'send:after-resume',
      'receive:after-resume',
      'close:1000',
    ]);
    await query(page, { op: 'watch', on: false });
    await page.close();
  });
});
