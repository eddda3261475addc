import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PANEL_TITLE, devtoolsPreferences, unpackedExtensionId } from '../../../src/cli/chromium-profile';

describe('the profile khp-inspect start launches Chromium with', () => {
  it('computes the id Chromium gives an unpacked extension from its absolute path', () => {
    // Observed with Chromium 156: --load-extension=/work/main/dist/chrome ran as this id.
    expect(unpackedExtensionId('/work/main/dist/chrome')).toBe('ndpfphfghapfjggdekgeklbaeignadfg');
    expect(unpackedExtensionId('/a')).toMatch(/^[a-p]{32}$/);
  });

  it('orders DevTools tabs with the panel first, under the title the devtools page creates', () => {
    const prefs = devtoolsPreferences('/work/main/dist/chrome') as {
      devtools: { preferences: Record<string, string> };
    };
    const order = JSON.parse(prefs.devtools.preferences['panel-tab-order']!) as Record<string, number>;
    const [first] = Object.entries(order).sort((a, b) => a[1] - b[1]);
    expect(first![0]).toBe('chrome-extension://ndpfphfghapfjggdekgeklbaeignadfgKHP');
    const devtoolsPage = readFileSync(new URL('../../../src/devtools/devtools.ts', import.meta.url), 'utf8');
    expect(devtoolsPage).toContain(`panels.create('${PANEL_TITLE}'`);
  });
});
