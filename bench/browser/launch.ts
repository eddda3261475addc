/**
 * Chromium for the benchmarks: headless, the flags of the browser-testing guide, a fresh profile per
 * launch (deleted on close), protocol timeouts, and a `close()` that cannot hang. The extension is
 * the production build (dist/chrome), copied first so a rebuild during the run cannot change it.
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import puppeteer, { type Browser, type Page, type Target } from 'puppeteer-core';

export const CHROMIUM_PATH = process.env.KHP_CHROMIUM ?? '/usr/lib/chromium/chromium';
const ROOT = resolve(import.meta.dirname, '../..');
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // A page in a background tab or an occluded window must not be throttled while it is measured.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

/** A launched browser. */
export interface BenchBrowser {
  browser: Browser;
  /** The extension id, or null when launched without it. */
  extensionId: string | null;
  close(): Promise<void>;
}

/** Builds the extension (unless `skip`) and copies dist/chrome to a temporary directory. */
export function prepareExtension(skip: boolean): { dir: string; dispose(): void } {
  if (!skip) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'pipe' });
  const built = join(ROOT, 'dist', 'chrome');
  if (!existsSync(join(built, 'manifest.json'))) throw new Error(`no extension build in ${built}`);
  const dir = mkdtempSync(join(tmpdir(), 'khp-bench-ext-'));
  cpSync(built, dir, { recursive: true });
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Launches Chromium, with the unpacked extension in `extensionDir` when given. */
export async function launchChromium(extensionDir: string | null): Promise<BenchBrowser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH}`);
  const profile = mkdtempSync(join(tmpdir(), 'khp-bench-profile-'));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    pipe: true,
    enableExtensions: extensionDir !== null,
    userDataDir: profile,
    args: FLAGS,
    protocolTimeout: 120_000,
    defaultViewport: { width: 1280, height: 800 },
  });
  const close = async () => {
    await Promise.race([browser.close().catch(() => {}), new Promise((r) => setTimeout(r, 10_000))]);
    try {
      browser.process()?.kill('SIGKILL');
    } catch {
      // already gone
    }
    rmSync(profile, { recursive: true, force: true });
  };
  try {
    let extensionId: string | null = null;
    if (extensionDir) {
      extensionId = await browser.installExtension(extensionDir);
      await serviceWorker(browser, extensionId);
    }
    return { browser, extensionId, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** The extension's service worker target (waits until it exists). */
export function serviceWorker(browser: Browser, extensionId: string): Promise<Target> {
  return browser.waitForTarget(
    (t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${extensionId}/`),
    { timeout: 15_000 },
  );
}

/**
 * tsx compiles the bench with esbuild's keepNames, which wraps inner named functions in `__name(...)`;
 * functions passed to `page.evaluate` then need that helper in the page too.
 */
export async function shimNames(page: Page): Promise<void> {
  const shim = 'globalThis.__name = globalThis.__name || function (f) { return f; };';
  await page.evaluateOnNewDocument(shim);
  await page.evaluate(shim).catch(() => {});
}
