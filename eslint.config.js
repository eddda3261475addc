import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * What each folder of src/ may import: every context keeps to its own code and to what it needs, so a
 * page script cannot pull in the panel, or the background the relay. Drawn from the imports as they
 * are (type imports included); anything not listed is an error.
 *
 * | folder       | runs in                                  | may import (folders; packages)                |
 * | ------------ | ---------------------------------------- | --------------------------------------------- |
 * | `protocol`   | everywhere: the pure core                | nothing outside itself                        |
 * | `messaging`  | every extension context                  | protocol                                      |
 * | `platform`   | extension contexts                       | messaging; webextension-polyfill              |
 * | `hook`       | the page's MAIN world                    | protocol, messaging, replay/marker            |
 * | `relay`      | isolated content script                  | protocol, messaging, platform                 |
 * | `background` | service worker / event page              | protocol, messaging, platform, settings       |
 * | `devtools`   | the devtools page                        | messaging, platform                           |
 * | `panel`      | DevTools panel, or a plain page          | protocol, messaging, platform, replay; preact |
 * | `settings`   | background and options page: pure model  | messaging                                     |
 * | `options`    | the options page                         | messaging, platform, settings, panel (its     |
 * |              |                                          | theme); preact                                |
 * | `replay`     | the panel (page-runner.ts: sent as text) | protocol                                      |
 * | `client`     | a browser page or Node                   | protocol                                      |
 * | `server`     | Node                                     | protocol; node:*, ws, esbuild                 |
 * | `demo`       | the demo page                            | client                                        |
 * | `cli`        | Node                                     | protocol, client, server; node:*, ws          |
 *
 * So the hook (the page's world) reaches no extension context, the client or the server; the relay
 * and the background know each other only through messaging's message types; the panel reaches no
 * other context, the server or the CLI. A new folder of src/ needs a row (test/unit/lint-graph.test.ts
 * checks that every folder has one).
 */
const GRAPH = {
  protocol: { folders: [], packages: [] },
  messaging: { folders: ['protocol'], packages: [] },
  platform: { folders: ['messaging'], packages: ['webextension-polyfill'] },
  hook: { folders: ['protocol', 'messaging', 'replay/marker'], packages: [] },
  relay: { folders: ['protocol', 'messaging', 'platform'], packages: [] },
  background: { folders: ['protocol', 'messaging', 'platform', 'settings'], packages: [] },
  devtools: { folders: ['messaging', 'platform'], packages: [] },
  panel: { folders: ['protocol', 'messaging', 'platform', 'replay'], packages: ['preact'] },
  settings: { folders: ['messaging'], packages: [] },
  options: { folders: ['messaging', 'platform', 'settings', 'panel'], packages: ['preact'] },
  replay: { folders: ['protocol'], packages: [] },
  client: { folders: ['protocol'], packages: [] },
  server: { folders: ['protocol'], packages: ['node:*', 'ws', 'esbuild'] },
  demo: { folders: ['client'], packages: [] },
  cli: { folders: ['protocol', 'client', 'server'], packages: ['node:*', 'ws'] },
};

/** `name` as a regular expression fragment. */
const literal = (name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The import sources a file `depth` folders below src/<folder> may not use, as one regular expression:
 * a relative path that climbs to src/ and into another folder (or a file of one, `replay/marker`) not
 * allowed, or out of src/; or a package not allowed (`node:*` allows every Node built-in, a package
 * its subpaths too). `/` is written `\x2F` so the same text works in an esquery selector.
 */
function forbiddenSource(folder, depth) {
  const { folders, packages } = GRAPH[folder];
  const toSrc = `^(?:\\.\\.\\x2F){${depth + 1}}`;
  const whole = folders.filter((f) => !f.includes('/')).concat(folder);
  const files = folders.filter((f) => f.includes('/')).map((f) => f.split('/'));
  const fileAllow = files.map(([dir, file]) => `(?!${literal(dir)}\\x2F${literal(file)}(?:\\.tsx?)?$)`);
  const intoSrc = `${toSrc}(?!\\.)(?!(?:${whole.map(literal).join('|')})(?:\\x2F|$))${fileAllow.join('')}`;
  const outOfSrc = `${toSrc}\\.\\.\\x2F`;
  const allowed = packages.map((p) => (p === 'node:*' ? 'node:' : `${literal(p)}(?:$|\\x2F)`));
  const pkg = `^(?![.\\x2F])${allowed.length ? `(?!${allowed.join('|')})` : ''}`;
  return `${intoSrc}|${outOfSrc}|${pkg}`;
}

/** The rule's message for `folder`. */
function message(folder) {
  const { folders, packages } = GRAPH[folder];
  const all = [...folders.map((f) => `src/${f}`), ...packages];
  const may = all.length ? `may import only ${all.join(', ')}` : 'imports nothing outside itself';
  return `src/${folder} ${may} (the context graph in eslint.config.js).`;
}

/** Files at most this many folders below src/<folder> are checked (src/panel/components: 1). */
const MAX_DEPTH = 3;

/**
 * One config block per folder and depth: `no-restricted-imports` for static imports and exports
 * (type-only ones included), a selector for `import()`.
 */
const contextGraph = Object.keys(GRAPH).flatMap((folder) =>
  Array.from({ length: MAX_DEPTH + 1 }, (_, depth) => {
    const regex = forbiddenSource(folder, depth);
    const text = message(folder);
    return {
      files: [`src/${folder}/${'*/'.repeat(depth)}*.{ts,tsx}`],
      rules: {
        'no-restricted-imports': ['error', { patterns: [{ regex, message: text }] }],
        'no-restricted-syntax': [
          'error',
          { selector: `ImportExpression > Literal.source[value=/${regex}/]`, message: text },
        ],
      },
    };
  }),
);

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'docs/', 'bench/results.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  ...contextGraph,
  {
    files: ['src/protocol/**/*.ts'],
    rules: {
      // The pure core runs in the panel, the CLI and tests: no browser or Node API may creep in.
      'no-restricted-globals': ['error', 'window', 'document', 'chrome', 'browser', 'Buffer', 'process'],
    },
  },
);
