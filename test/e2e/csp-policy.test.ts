/**
 * The background reads each document's CSP headers and tells its relay whether a `blob:` worker may
 * start (`hook-policy`), in Chromium and Firefox: asked of the relay (test builds: `policy` query).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, type Launched } from './helpers/browsers';
import { startTestServer, type TestServer } from './helpers/test-server';
import { hookPolicy as policy, query } from './helpers/extension-query';

const CSP = 'content-security-policy';
const CSPRO = 'content-security-policy-report-only';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  const html = '<!doctype html><title>csp</title>';
  server.page('/plain', html);
  server.page('/worker-self', html, { [CSP]: "worker-src 'self'" });
  server.page('/worker-blob', html, { [CSP]: "worker-src 'self' blob:; img-src 'none'" });
  server.page('/report-only', html, { [CSPRO]: "default-src 'self'" });
  server.page('/two-policies', html, { [CSP]: ['worker-src blob:', "script-src 'self'"] });
  server.page('/outer', `${html}<iframe src="/worker-self"></iframe>`);
});
afterAll(async () => {
  await server?.close();
});

describe.each(['chromium', 'firefox'] as const)('hook-policy in %s', (name) => {
  let b: Launched;
  beforeAll(async () => {
    b = await launch(name);
  });
  afterAll(async () => {
    await b?.close();
  });

  it('answers each document by its CSP headers, enforced and report-only', async () => {
    const page = await b.browser.newPage();
    const seen: Record<string, unknown> = {};
    for (const path of ['/plain', '/worker-self', '/worker-blob', '/report-only', '/two-policies']) {
      await page.goto(`${server.url}${path}#frag`);
      seen[path] = await policy(page);
    }
    expect(seen).toEqual({
      '/plain': { blobWorkers: true },
      '/worker-self': { blobWorkers: false },
      '/worker-blob': { blobWorkers: true },
      '/report-only': { blobWorkers: false },
      '/two-policies': { blobWorkers: false },
    });
    await page.close();
  });

  it("answers a frame by its own document's headers", async () => {
    const page = await b.browser.newPage();
    await page.goto(`${server.url}/outer`);
    const frame = page.frames().find((f) => f.url().endsWith('/worker-self'));
    expect(frame).toBeDefined();
    await query(frame!, { op: 'whoami' }); // a frame's relay connects when it has something to send
    expect(await policy(frame!)).toEqual({ blobWorkers: false });
    expect(await policy(page)).toEqual({ blobWorkers: true });
    await page.close();
  });
});
