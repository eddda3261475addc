/**
 * The context graph in eslint.config.js: an import a folder may not have is a lint error, one it may
 * have is not. Linted with ESLint's API on made-up files, so nothing is written into src/.
 */
import { readdirSync } from 'node:fs';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

/** The graph's complaints about `code` as if it were the file `path`. */
async function complaints(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
    .map((m) => m.message);
}

const cases: [file: string, source: string, allowed: boolean][] = [
  ['src/hook/x.ts', '../panel/store/panel-store', false],
  ['src/hook/x.ts', '../background/router', false],
  ['src/hook/x.ts', '../relay/relay-core', false],
  ['src/hook/x.ts', '../client/khp-client', false],
  ['src/hook/x.ts', '../replay/draft', false],
  ['src/hook/x.ts', '../replay/marker', true],
  ['src/hook/x.ts', '../protocol/khp', true],
  ['src/background/x.ts', '../relay/relay-core', false],
  ['src/background/x.ts', '../devtools/watch', false],
  ['src/background/x.ts', '../messaging/messages', true],
  ['src/relay/x.ts', '../background/router', false],
  ['src/relay/x.ts', '../hook/recorder', false],
  ['src/relay/x.ts', '../messaging/messages', true],
  ['src/panel/x.ts', '../background/router', false],
  ['src/panel/store/x.ts', '../../server/server', false],
  ['src/panel/store/x.ts', '../../cli/main', false],
  ['src/panel/store/x.ts', '../components/memo', true],
  ['src/panel/store/x.ts', '../../replay/draft', true],
  ['src/panel/x.ts', 'webextension-polyfill', false],
  ['src/panel/x.ts', 'preact/hooks', true],
  ['src/protocol/x.ts', '../replay/types', false],
  ['src/protocol/x.ts', 'node:fs', false],
  ['src/protocol/x.ts', './urls', true],
  ['src/client/x.ts', 'ws', false],
  ['src/server/x.ts', '../client/khp-client', false],
  ['src/server/x.ts', 'node:http', true],
  ['src/cli/x.ts', '../server/server', true],
];

describe('the context graph', () => {
  it.each(cases)('%s importing %s: allowed %s', { timeout: 20_000 }, async (file, source, allowed) => {
    const found = await complaints(file, `import { a } from '${source}';\nexport const b = a;\n`);
    expect(found.length === 0).toBe(allowed);
  });

  it('has a row for every folder of src/', { timeout: 20_000 }, async () => {
    const folders = readdirSync(new URL('../../src', import.meta.url), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    for (const folder of folders) {
      const config = (await eslint.calculateConfigForFile(`src/${folder}/x.ts`)) as {
        rules: Record<string, unknown>;
      };
      expect(config.rules['no-restricted-imports'], folder).toBeDefined();
    }
  });

  it('covers import() too', { timeout: 20_000 }, async () => {
    expect(await complaints('src/panel/x.ts', "export const m = import('../hook/recorder');\n")).toHaveLength(
      1,
    );
    expect(await complaints('src/panel/x.ts', "export const m = import('./test-report');\n")).toEqual([]);
  });
});
