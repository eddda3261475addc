/**
 * The overhead section's set-ups and the browsers that run them. Five set-ups per workload, in three
 * browsers (launched afresh for each round, a page per set-up, CDP's Network domain off, no DevTools,
 * no panel):
 *
 * - `off` / `offPlain`: Chromium without the extension, a KHP socket / a plain socket;
 * - `khp` / `plain`: the extension with default capture, a KHP socket (measured after its extended
 *   handshake) / a plain socket that does not offer `x-kaazing-handshake` (the server echoes);
 * - `full`: the extension with full frame capture, switched on through the panel's settings path
 *   (ExtensionControl.setSettings), confirmed after every page load, a KHP socket.
 *
 * A set-up with the extension is compared with the `off` set-up of the same socket kind.
 */
import type { Page } from 'puppeteer-core';
import { ExtensionControl } from '../browser/extension-control';
import { launchChromium, type BenchBrowser } from '../browser/launch';

/** Names of the set-ups (stable: they are part of the figure names). */
export type SetupName = 'off' | 'khp' | 'full' | 'offPlain' | 'plain';

type BrowserKind = 'none' | 'default' | 'full';

/** One set-up. */
export interface Setup {
  name: SetupName;
  label: string;
  /** A plain WebSocket (no sub-protocol offered) instead of KHP. */
  plainSocket: boolean;
  /** The run without the extension a ratio divides by (null for the baselines themselves). */
  baseline: SetupName | null;
  browser: BrowserKind;
}

/** Every set-up, in the order of the first round (later rounds rotate it). */
export const SETUPS: readonly Setup[] = [
  { name: 'off', label: 'no extension, KHP', plainSocket: false, baseline: null, browser: 'none' },
  { name: 'khp', label: 'extension, KHP', plainSocket: false, baseline: 'off', browser: 'default' },
  { name: 'full', label: 'full capture, KHP', plainSocket: false, baseline: 'off', browser: 'full' },
  { name: 'offPlain', label: 'no extension, plain', plainSocket: true, baseline: null, browser: 'none' },
  { name: 'plain', label: 'extension, plain', plainSocket: true, baseline: 'offPlain', browser: 'default' },
];

/** The set-ups in the order of round `round` (0-based): the first list rotated by `round`. */
export function roundOrder(round: number): Setup[] {
  const k = round % SETUPS.length;
  return [...SETUPS.slice(k), ...SETUPS.slice(0, k)];
}

/** The three browsers of the section, with a page per set-up. */
export class SetupBrowsers {
  private constructor(
    private readonly browsers: BenchBrowser[],
    private readonly pages: Record<SetupName, Page>,
    private readonly control: ExtensionControl,
    private readonly fullTabId: number,
  ) {}

  /** Launches the browsers and loads `pageUrl` once in each (the full one gets its tab id). */
  static async open(extensionDir: string, pageUrl: string): Promise<SetupBrowsers> {
    const browsers: BenchBrowser[] = [];
    let control: ExtensionControl | null = null;
    try {
      const none = await launchChromium(null, { network: false });
      browsers.push(none);
      const def = await launchChromium(extensionDir, { network: false });
      browsers.push(def);
      const full = await launchChromium(extensionDir, { network: false });
      browsers.push(full);
      const of = { none: none.browser, default: def.browser, full: full.browser };
      const pages = {} as Record<SetupName, Page>;
      for (const s of SETUPS) pages[s.name] = await of[s.browser].newPage();
      for (const page of Object.values(pages)) await page.goto(pageUrl);
      control = await ExtensionControl.open(full.browser, full.extensionId!);
      const tabId = await control.tabIdOf(pageUrl);
      return new SetupBrowsers(browsers, pages, control, tabId);
    } catch (err) {
      await control?.close();
      for (const b of browsers) await b.close();
      throw err;
    }
  }

  /**
   * Loads `pageUrl` afresh in `setup`'s page (via about:blank); `full` has the only page of its browser. For `full`, then sends the setting
   * through the panel's path and waits for the answer: the background handles messages in order, so
   * the answer also means the new page's relay was greeted and its hook sent the full-capture
   * setting (which the background sends only after its own storage writes, possibly late).
   */
  async load(setup: Setup, pageUrl: string): Promise<Page> {
    const page = this.pages[setup.name];
    await page.goto('about:blank');
    await page.goto(pageUrl);
    if (setup.browser === 'full') {
      const settings = await this.control.setSettings(this.fullTabId, { fullCapture: true });
      if (!settings.fullCapture) throw new Error('full capture did not switch on');
    }
    return page;
  }

  /** Process ids of the three browsers (each the root of its process tree). */
  pids(): number[] {
    return this.browsers.map((b) => b.browser.process()?.pid).filter((p): p is number => p !== undefined);
  }

  /** Closes the control page and every browser. */
  async close(): Promise<void> {
    await this.control.close();
    for (const b of this.browsers) await b.close();
  }
}
