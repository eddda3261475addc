/**
 * Opens the extension's panel in Chromium's real DevTools (headless works). These are DevTools
 * front-end internals, not a stable API: they stay in this one helper.
 */
import type { Frame, KeyInput, Page } from 'puppeteer-core';

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

/** Runs `body` (statements; `UI` is DevTools' legacy UI module) in the DevTools front-end of `page`. */
async function inFrontEnd<T>(page: Page, body: string): Promise<T> {
  const dt = await page.openDevTools();
  return (await dt.evaluate(`(async () => {
    const UI = await import('./ui/legacy/legacy.js');
    ${body}
  })()`)) as T;
}

/**
 * Gives the panel `width` × `height` CSS pixels, as docking DevTools at the side (narrow, tall) or
 * at the bottom (wide, short) would: DevTools is undocked, so the panel takes the whole width of the
 * DevTools page, which is then resized (the panel's height is that less DevTools' tab bar).
 */
export async function setDevToolsSize(page: Page, width: number, height: number): Promise<void> {
  await inFrontEnd(
    page,
    `
    const dock = UI.DockController.DockController.instance();
    if (dock.dockSide() !== 'undocked') dock.setDockSide('undocked');`,
  );
  const dt = await page.openDevTools();
  await dt.setViewport({ width, height });
}

/** Whether DevTools' drawer (the console drawer Esc toggles) is shown. */
export function drawerVisible(page: Page): Promise<boolean> {
  return inFrontEnd(page, 'return UI.InspectorView.InspectorView.instance().drawerVisible();');
}

/** Whether a DevTools dialog (Settings, which F1 or ? open) is shown. */
export function devToolsDialogOpen(page: Page): Promise<boolean> {
  return inFrontEnd(page, 'return UI.Dialog.Dialog.hasInstance();');
}

/** Presses `key` (with Shift held when `shift`) in the DevTools window: it goes to the focused frame. */
export async function pressInDevTools(page: Page, key: KeyInput, shift = false): Promise<void> {
  const dt = await page.openDevTools();
  if (shift) await dt.keyboard.down('Shift');
  await dt.keyboard.press(key);
  if (shift) await dt.keyboard.up('Shift');
}

/** DevTools' main tab ids for `page` in strip order, once the extension's panel has been added. */
export async function devtoolsTabIds(page: Page): Promise<string[]> {
  const dt = await page.openDevTools();
  return (await dt.evaluate(`(async () => {
    const UI = await import('./ui/legacy/legacy.js');
    let ids = [];
    for (let i = 0; i < 150; i++) {
      try {
        ids = UI.InspectorView.InspectorView.instance().tabbedPane.tabIds();
        if (ids.some((x) => x.startsWith('chrome-extension://'))) return ids;
      } catch {}
      await new Promise((r) => setTimeout(r, 100));
    }
    return ids;
  })()`)) as string[];
}
