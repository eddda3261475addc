/**
 * Takes the report screenshots of docs/suite.md: runs the suite against the reference server in
 * gateway and spec modes (two agents in one report), opens `index.html` and one case page in headless
 * Chromium from disk, and writes docs/suite-report.png and docs/suite-case.png.
 * Run: node --import tsx scripts/suite-screenshot.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SERVER_CASES } from '../src/protocol/suite/catalogue';
import { caseFile } from '../src/protocol/suite/report';
import { writeReports } from '../src/cli/suite/report-files';
import { runCases } from '../src/cli/suite/runner';
import { startServer } from '../src/server/server';
import { referenceSuiteConfig } from '../src/server/suite-config';
import { launchChromium } from '../test/e2e/helpers/browsers';

const root = new URL('../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'khp-suite-shot-'));

async function run(mode: 'gateway' | 'spec'): Promise<void> {
  const server = await startServer({ port: 0, mode, demo: false, closeGraceMs: 300 });
  const url = `${server.wsUrl}/echo`;
  const startedAt = Date.now();
  const runs = await runCases(SERVER_CASES, { url, config: referenceSuiteConfig(), timeoutMs: 5000 });
  await server.close();
  const agent = `reference ${mode}`;
  writeReports(dir, {
    role: 'server',
    agent,
    url,
    startedAt,
    durationMs: Date.now() - startedAt,
    cases: SERVER_CASES,
    runs,
    showCredentials: false,
  });
}

async function main(): Promise<void> {
  await run('gateway');
  await run('spec');
  const chromium = await launchChromium(false, { viewport: { width: 1100, height: 900 } });
  try {
    const shots = [
      ['index.html', 'suite-report.png'],
      [`${caseFile('reference gateway', '3.2')}.html`, 'suite-case.png'],
    ];
    for (const [page, png] of shots) {
      const tab = await chromium.browser.newPage();
      await tab.goto(pathToFileURL(join(dir, page!)).href);
      await tab.screenshot({ path: join(root, 'docs', png!) as `${string}.png` });
      await tab.close();
      console.log(`docs/${png}`);
    }
  } finally {
    await chromium.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error('suite screenshots failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
