/**
 * Test-only code stays out of the real build. The test build (dist/test/<browser>, made by
 * global-setup.ts) answers the browser tests' queries; the real build (dist/<browser>, what users load,
 * built here as live-panel.test.ts does) must hold none of that code: the build flag `__KHP_TEST__`
 * drops the test relay, the test router and the panel's test report (src/platform/build-flags.ts).
 *
 * Each marker is a string only those modules carry. Every marker is first found in the test build, so
 * one that stops meaning anything (renamed, minified away) fails here instead of passing quietly.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIST_REAL, DIST_TEST } from './helpers/browsers';
import { buildRealExtension } from './helpers/reference-demo';

/** Strings of the test-only modules, and the bundle file that carries them in the test build. */
const MARKERS: [marker: string, file: RegExp][] = [
  // src/relay/test-relay.ts: the page's query and reply envelopes, the queries the relay answers.
  ['khp-test-query', /^relay\.js$/],
  ['khp-test-reply', /^relay\.js$/],
  ['actAsPanel', /^relay\.js$/],
  ['injectAsHook', /^relay\.js$/],
  // src/hook/hook.ts: the verdict the hook acknowledges to the test relay.
  ['test-policy-held', /^hook\.js$/],
  // src/background/test-router.ts: the relay-to-background query and its answers.
  ['test-query', /^background\.js$/],
  ['test-reply', /^background\.js$/],
  ['whoami', /^background\.js$/],
  ['testLive', /^background\.js$/],
  // src/panel/test-report.ts: the report the panel writes into the inspected page.
  ['data-khp-panel-report', /^assets\/test-report-.*\.js$/],
  ['startTestReport', /^assets\/panel-.*\.js$/],
];

/** Every file of a build directory, by path relative to it. */
function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.(js|html|json|css)$/.test(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    out.set(path.slice(dir.length + 1), readFileSync(path, 'utf8'));
  }
  return out;
}

beforeAll(() => buildRealExtension(), 120_000);

describe.each(['chrome', 'firefox'])('the %s build', (browser) => {
  it('holds no test-only code; the test build holds all of it', () => {
    const real = files(join(DIST_REAL, browser));
    const test = files(join(DIST_TEST, browser));
    expect(real.has('relay.js') && real.has('background.js') && real.has('panel.html')).toBe(true);
    // A `--scripts-only` test build (KHP_E2E_SCRIPTS_ONLY=1) has no panel to compare with.
    const testHasPages = existsSync(join(DIST_TEST, browser, 'panel.html'));
    for (const [marker, file] of MARKERS) {
      const inTest = [...test].filter(([path, text]) => file.test(path) && text.includes(marker));
      if (testHasPages || !file.source.includes('assets')) expect(inTest.length, marker).toBeGreaterThan(0);
      const inReal = [...real].filter(([, text]) => text.includes(marker)).map(([path]) => path);
      expect(inReal, `${marker} in the real build`).toEqual([]);
    }
    expect([...real.keys()].filter((path) => path.includes('test-report'))).toEqual([]);
  });

  it('has the build flag replaced in the code of both builds', () => {
    for (const dir of [DIST_REAL, DIST_TEST]) {
      const left = [...files(join(dir, browser))]
        .filter(([, text]) => text.replace(/\/\*[\s\S]*?\*\//g, '').includes('__KHP_TEST__'))
        .map(([path]) => path);
      expect(left, dir).toEqual([]);
    }
  });
});
