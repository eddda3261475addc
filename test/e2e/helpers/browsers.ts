/**
 * Browser launch for the end-to-end tests: every DevTools/Firefox detail lives here. Each launch gets a
 * fresh temporary profile (deleted on close), protocol timeouts so a hang fails fast, and a `close()`
 * that cannot hang. A missing browser is an error, never a skip.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Target } from 'puppeteer-core';
import {
  FIREFOX_PROMPTLESS_PREFS,
  allowAllSitesChromium,
  chromeSettings,
  waitForCaptureScripts,
} from './site-access';

export const CHROMIUM_PATH = process.env.KHP_CHROMIUM ?? '/usr/lib/chromium/chromium';
export const FIREFOX_PATH = process.env.KHP_FIREFOX ?? '/usr/bin/firefox-esr';
/** The test build (see test/e2e/global-setup.ts). */
export const DIST_TEST = resolve(import.meta.dirname, '../../../dist/test');
/** The real build (`node scripts/build.mjs`): what users load, without the test-only queries. */
export const DIST_REAL = resolve(import.meta.dirname, '../../../dist');

/** The browser-testing guide's Chromium flags, used by every launch (tests and benchmarks). */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const PROTOCOL_TIMEOUT = 30_000;

export type BrowserName = 'chromium' | 'firefox';

/** Launch options beyond the defaults. */
export interface LaunchOptions {
  /** The unpacked extension to install (default: the test build for that browser). */
  extensionDir?: string;
  /** Extra command-line arguments. */
  args?: string[];
  /** How long one protocol call may take, ms (default 30 s). */
  protocolTimeout?: number;
  /** The pages' viewport (default: puppeteer's 800×600). */
  viewport?: { width: number; height: number };
  /**
   * Whether puppeteer enables CDP's Network domain on every page (default true). Off, the renderer
   * does not report each WebSocket frame (payload included) to the client, as with DevTools closed.
   */
  networkEnabled?: boolean;
  /**
   * Chromium: allow the extension on every site after install, as a user does on its first-run options
   * page (default true; see site-access.ts). False leaves it with no site access.
   */
  allowAllSites?: boolean;
}

/** A launched browser and how to close it. */
export interface Launched {
  name: BrowserName;
  browser: Browser;
  /** The extension's id (Chromium) or add-on id (Firefox); null without the extension. */
  extensionId: string | null;
  close(): Promise<void>;
}

function requireBinary(path: string, name: string): void {
  if (!existsSync(path)) throw new Error(`${name} not found at ${path}: the browser tests need it installed`);
}

function closer(browser: Browser, profile: string): () => Promise<void> {
  return async () => {
    const timeout = new Promise((r) => setTimeout(r, 10_000));
    await Promise.race([browser.close().catch(() => {}), timeout]);
    try {
      browser.process()?.kill('SIGKILL');
    } catch {
      // already gone
    }
    rmSync(profile, { recursive: true, force: true });
  };
}

/** Launches Chromium, with the extension (dist/test/chrome by default) unless `extension` is false. */
export async function launchChromium(extension = true, options: LaunchOptions = {}): Promise<Launched> {
  requireBinary(CHROMIUM_PATH, 'Chromium');
  const profile = mkdtempSync(join(tmpdir(), 'khp-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    pipe: true,
    enableExtensions: extension,
    userDataDir: profile,
    args: [...CHROMIUM_FLAGS, ...(options.args ?? [])],
    protocolTimeout: options.protocolTimeout ?? PROTOCOL_TIMEOUT,
    ...(options.viewport ? { defaultViewport: options.viewport } : {}),
    ...(options.networkEnabled === false ? { networkEnabled: false } : {}),
  });
  const close = closer(browser, profile);
  try {
    let extensionId: string | null = null;
    if (extension) {
      // The first tab loads the browser's extension settings meanwhile (to approve site access in).
      const first = options.allowAllSites !== false ? (await browser.pages())[0] : undefined;
      const approve = first ? chromeSettings(first) : null;
      extensionId = await browser.installExtension(options.extensionDir ?? join(DIST_TEST, 'chrome'));
      await serviceWorkerTarget(browser, extensionId);
      if (first && approve) {
        await allowAllSitesChromium(browser, extensionId, approve);
        await first.goto('about:blank');
      }
    }
    return { name: 'chromium', browser, extensionId, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** The extension's service worker target (waits for it: navigate only after it exists). */
export async function serviceWorkerTarget(browser: Browser, extensionId: string): Promise<Target> {
  return browser.waitForTarget(
    (t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${extensionId}/`),
    { timeout: 15_000 },
  );
}

/**
 * Stops the extension's service worker, as Chrome does to an idle one: CDP `ServiceWorker.stopAllWorkers`
 * from a page of the extension's own origin (the domain acts on the page's storage partition). The
 * background starts again on its next message.
 */
export async function stopServiceWorker(browser: Browser, extensionId: string): Promise<void> {
  const page = await browser.newPage();
  try {
    await page.goto(`chrome-extension://${extensionId}/manifest.json`);
    const session = await page.createCDPSession();
    let stopped!: () => void;
    const whenStopped = new Promise<void>((r) => (stopped = r));
    session.on('ServiceWorker.workerVersionUpdated', (e) => {
      for (const v of e.versions)
        if (v.scriptURL.startsWith(`chrome-extension://${extensionId}/`) && v.runningStatus === 'stopped')
          stopped();
    });
    await session.send('ServiceWorker.enable');
    await session.send('ServiceWorker.stopAllWorkers');
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('the service worker did not stop')), 10_000),
    );
    await Promise.race([whenStopped, timeout]);
  } finally {
    await page.close().catch(() => {});
  }
}

/**
 * Waits for the extension's restarted service worker and lets it run: puppeteer's auto-attach leaves a
 * worker that restarts under the same target paused "waiting for the debugger". Returns an evaluator
 * for expressions in the worker (raw CDP, independent of puppeteer's target bookkeeping).
 */
export async function resumeServiceWorker(
  browser: Browser,
  extensionId: string,
): Promise<(expression: string) => Promise<unknown>> {
  const session = await browser.target().createCDPSession();
  for (let i = 0; i < 200; i++) {
    const { targetInfos } = await session.send('Target.getTargets');
    const sw = targetInfos.find(
      (t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${extensionId}/`),
    );
    if (sw) {
      const { sessionId } = await session.send('Target.attachToTarget', {
        targetId: sw.targetId,
        flatten: true,
      });
      const worker = session.connection()!.session(sessionId)!;
      await worker.send('Runtime.runIfWaitingForDebugger');
      return async (expression) =>
        (await worker.send('Runtime.evaluate', { expression, returnByValue: true })).result.value as unknown;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the service worker did not start again');
}

/**
 * A reader of the extension's service worker's JS heap: each call collects garbage in the worker
 * (CDP `HeapProfiler.collectGarbage`), then returns the bytes still in use (`Runtime.getHeapUsage`).
 */
export async function serviceWorkerHeap(
  browser: Browser,
  extensionId: string,
): Promise<() => Promise<number>> {
  const session = await (await serviceWorkerTarget(browser, extensionId)).createCDPSession();
  return async () => {
    await session.send('HeapProfiler.collectGarbage');
    return (await session.send('Runtime.getHeapUsage')).usedSize;
  };
}

/** Launches Firefox ESR over WebDriver BiDi, with the extension (dist/test/firefox by default) unless `extension` is false. */
export async function launchFirefox(extension = true, options: LaunchOptions = {}): Promise<Launched> {
  requireBinary(FIREFOX_PATH, 'Firefox');
  const profile = mkdtempSync(join(tmpdir(), 'khp-firefox-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    userDataDir: profile,
    args: options.args ?? [],
    extraPrefsFirefox: FIREFOX_PROMPTLESS_PREFS,
    protocolTimeout: options.protocolTimeout ?? PROTOCOL_TIMEOUT,
  });
  const close = closer(browser, profile);
  try {
    const extensionId = extension
      ? await browser.installExtension(options.extensionDir ?? join(DIST_TEST, 'firefox'))
      : null;
    // The test build's relay answers the readiness query; a production build has no such query.
    if (extension && (options.extensionDir ?? DIST_TEST).startsWith(DIST_TEST))
      await waitForCaptureScripts(browser);
    return { name: 'firefox', browser, extensionId, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Launches the named browser. */
export function launch(name: BrowserName, extension = true): Promise<Launched> {
  return name === 'chromium' ? launchChromium(extension) : launchFirefox(extension);
}
