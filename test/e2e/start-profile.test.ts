/**
 * The profile `khp-inspect start` launches Chromium with (src/cli/chromium-profile.ts), in real
 * Chromium: loaded with --load-extension as start does, the extension gets the id the profile
 * computed, and DevTools opens with the KHP panel first in its tab strip.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { expect, it } from 'vitest';
import { seedProfile, unpackedExtensionId } from '../../src/cli/chromium-profile';
import { CHROMIUM_FLAGS, CHROMIUM_PATH, DIST_TEST } from './helpers/browsers';
import { devtoolsTabIds } from './helpers/devtools';

it('puts the KHP panel first in DevTools, under the id Chromium gives the unpacked extension', async () => {
  const ext = join(DIST_TEST, 'chrome');
  const profile = mkdtempSync(join(tmpdir(), 'khp-start-profile-'));
  await seedProfile(profile, ext);
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    pipe: true,
    enableExtensions: true,
    userDataDir: profile,
    args: [...CHROMIUM_FLAGS, `--load-extension=${ext}`, `--disable-extensions-except=${ext}`],
  });
  try {
    const worker = await browser.waitForTarget((t) => t.url().startsWith('chrome-extension://'));
    expect(new URL(worker.url()).host).toBe(unpackedExtensionId(ext));
    const page = await browser.newPage();
    const tabs = await devtoolsTabIds(page);
    expect(tabs[0]).toBe(`chrome-extension://${unpackedExtensionId(ext)}KHP`);
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
}, 60_000);
