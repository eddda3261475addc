/**
 * The Chromium `khp-inspect start` launches (src/cli/chromium-profile.ts, devtools-pipe.ts), in real
 * Chromium started with start's own command line: the extension gets the id the profile computed,
 * and every DevTools window opens on the KHP panel, first in its tab strip.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { expect, it } from 'vitest';
import {
  chromiumStartArgs,
  panelTabId,
  seedProfile,
  spawnChromium,
  stopChromium,
  unpackedExtensionId,
} from '../../src/cli/chromium-profile';
import { CdpPipe, showPanelInEveryDevTools } from '../../src/cli/devtools-pipe';
import { CHROMIUM_FLAGS, CHROMIUM_PATH, DIST_TEST } from './helpers/browsers';

/** What a DevTools front-end shows: its tab ids in order and the selected one. */
async function tabStrip(pipe: CdpPipe, targetId: string): Promise<{ ids: string[]; selected: string }> {
  const { sessionId } = (await pipe.send('Target.attachToTarget', { targetId, flatten: true })) as {
    sessionId: string;
  };
  const { result } = (await pipe.send(
    'Runtime.evaluate',
    {
      expression: `import('./ui/legacy/legacy.js').then((UI) => {
        const pane = UI.InspectorView.InspectorView.instance().tabbedPane;
        return { ids: pane.tabIds(), selected: pane.selectedTabId };
      })`,
      awaitPromise: true,
      returnByValue: true,
    },
    sessionId,
  )) as { result: { value: { ids: string[]; selected: string } } };
  return result.value;
}

it('opens DevTools on the KHP panel, first in the strip, under the id Chromium gives the extension', async () => {
  const ext = join(DIST_TEST, 'chrome');
  const profile = mkdtempSync(join(tmpdir(), 'khp-start-profile-'));
  await seedProfile(profile, ext);
  const extra = ['--headless=new', ...CHROMIUM_FLAGS.filter((f) => f !== '--no-first-run')];
  const child = spawnChromium(CHROMIUM_PATH, chromiumStartArgs(profile, ext, 'about:blank', extra));
  const pipe = new CdpPipe(child.stdio[3] as Writable, child.stdio[4] as Readable);
  try {
    const panel = panelTabId(ext);
    expect(panel).toBe(`chrome-extension://${unpackedExtensionId(ext)}KHP`);
    const first = new Promise<{ targetId: string; selected: string | null }>((resolve) =>
      showPanelInEveryDevTools(pipe, panel, (targetId, selected) => resolve({ targetId, selected })),
    );
    const { targetId, selected } = await first;
    expect(selected).toBe(panel);
    // Read again in a session of this test's own: the front-end shows the panel, first in its strip.
    const strip = await tabStrip(pipe, targetId);
    expect(strip.selected).toBe(panel);
    expect(strip.ids[0]).toBe(panel);
  } finally {
    // Chromium's processes write to the profile until they are gone: stop them all as start does.
    await stopChromium(child);
    pipe.close();
    rmSync(profile, { recursive: true, force: true });
  }
}, 60_000);
