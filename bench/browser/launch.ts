/**
 * Chromium for the benchmarks: the end-to-end tests' launcher (headless, the flags of the
 * browser-testing guide, a fresh profile per launch deleted on close, a `close()` that cannot hang)
 * with no background throttling, a longer protocol timeout and a 1280×800 viewport. The extension is
 * the production build (dist/chrome), copied first so a rebuild during the run cannot change it.
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import type { Browser, Page } from 'puppeteer-core';
import { CHROMIUM_PATH, launchChromium as launchTestChromium } from '../../test/e2e/helpers/browsers';

/** The extension's service worker target (waits until it exists). */
export { serviceWorkerTarget as serviceWorker } from '../../test/e2e/helpers/browsers';

const ROOT = resolve(import.meta.dirname, '../..');
/** On top of the shared flags: a page in a background tab or an occluded window must not be throttled while it is measured. */
const UNTHROTTLED = [
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

/** Options of `launchChromium`. */
export interface BenchLaunchOptions {
  /**
   * CDP's Network domain on the pages (default true, puppeteer's default). With it on, the renderer's
   * main thread reports every WebSocket frame, payload included, to the bench, as if DevTools were
   * open: 20–30 µs per echo on this machine. The overhead section turns it off.
   */
  network?: boolean;
}

/** Launches Chromium, with the unpacked extension in `extensionDir` when given (the e2e launcher, bench settings). */
export async function launchChromium(
  extensionDir: string | null,
  options: BenchLaunchOptions = {},
): Promise<BenchBrowser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH}`);
  const { browser, extensionId, close } = await launchTestChromium(extensionDir !== null, {
    ...(extensionDir !== null ? { extensionDir } : {}),
    args: UNTHROTTLED,
    protocolTimeout: 120_000,
    viewport: { width: 1280, height: 800 },
    networkEnabled: options.network ?? true,
  });
  return { browser, extensionId, close };
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
