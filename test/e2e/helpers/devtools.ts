/**
 * Opens the extension's panel in Chromium's real DevTools (headless works). These are DevTools
 * front-end internals, not a stable API: they stay in this one helper.
 */
import type { Frame, Page } from 'puppeteer-core';

/** Opens DevTools for `page`, selects the extension's panel and returns the panel's frame. */
export async function openExtensionPanel(page: Page): Promise<Frame> {
  const dt = await page.openDevTools();
  // A string, so the test runner's transform leaves the front-end's dynamic import alone.
  const panelId = (await dt.evaluate(`(async () => {
    const UI = await import('./ui/legacy/legacy.js');
    for (let i = 0; i < 150; i++) {
      try {
        const iv = UI.InspectorView.InspectorView.instance();
        const id = iv.tabbedPane.tabIds().find((x) => x.startsWith('chrome-extension://'));
        if (id) { await iv.showPanel(id); return id; }
      } catch {}
      await new Promise((r) => setTimeout(r, 100));
    }
    return null;
  })()`)) as string | null;
  if (!panelId) throw new Error('the extension panel never appeared in DevTools');
  for (let i = 0; i < 100; i++) {
    const frame = dt.frames().find((f) => f.url().endsWith('/panel.html'));
    if (frame) return frame;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the panel frame never loaded');
}
