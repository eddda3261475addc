/**
 * Builds the extension for Chrome and Firefox with Vite's JS API.
 *
 *   node scripts/build.mjs            dist/chrome, dist/firefox and their zip packages
 *   node scripts/build.mjs --test     dist/test/chrome, dist/test/firefox with the test-only queries,
 *                                     used by the browser tests; no zips. `__KHP_TEST__` is defined in
 *                                     every build (true here, false otherwise): the code it guards, and
 *                                     the test-only modules, are dropped from real builds
 *                                     (src/platform/build-flags.ts)
 *   node scripts/build.mjs --scripts-only
 *                                     only the hook, relay, background, manifests and icons (fast
 *                                     iteration on the capture path; no zips); the pages of the
 *                                     last full build stay (the manifest's options page must exist)
 *
 * Entries: the panel, the devtools page and the options page are HTML pages (shared by both
 * browsers); the hook and the relay are classic IIFE content scripts (content scripts cannot be
 * modules), registered by the background at run time (background/site-access.ts); the background is
 * one classic script (Chrome's service worker, Firefox's `background.scripts`).
 */
import { build } from 'vite';
import { existsSync, mkdirSync, rmSync, cpSync, writeFileSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildManifest } from './build-manifest.mjs';
import { writeIcons } from './build-icons.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const testBuild = process.argv.includes('--test');
const scriptsOnly = process.argv.includes('--scripts-only');
const distRoot = testBuild ? join(root, 'dist', 'test') : join(root, 'dist');
const stage = join(root, 'dist', testBuild ? '.stage-test' : '.stage');
const BROWSERS = ['chrome', 'firefox'];

const PANEL_ENTRY = 'src/panel/main.tsx';
if (!scriptsOnly && !existsSync(join(root, PANEL_ENTRY))) {
  console.error(`build: missing ${PANEL_ENTRY} (the panel's entry, loaded by extension/panel.html).`);
  console.error('build: the extension cannot be built without its panel.');
  process.exit(1);
}

const define = { __KHP_TEST__: JSON.stringify(testBuild) };

/** The panel, devtools and options pages, built once and copied into each browser's directory. */
async function buildPages() {
  await build({
    configFile: join(root, 'vite.config.ts'),
    root: join(root, 'extension'),
    base: './',
    logLevel: 'warn',
    define,
    build: {
      outDir: join(stage, 'pages'),
      emptyOutDir: true,
      copyPublicDir: false,
      target: 'es2022',
      modulePreload: { polyfill: false },
      rollupOptions: {
        input: {
          panel: join(root, 'extension/panel.html'),
          devtools: join(root, 'extension/devtools.html'),
          options: join(root, 'extension/options.html'),
        },
      },
    },
  });
}

/** One classic script (IIFE, no exports, so no global name is left behind in the page). */
async function buildScript(name, entry, minify = false) {
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    define,
    build: {
      outDir: join(stage, 'scripts'),
      emptyOutDir: false,
      copyPublicDir: false,
      target: 'es2022',
      minify,
      lib: { entry: join(root, entry), formats: ['iife'], name: `khp_${name}`, fileName: () => `${name}.js` },
    },
  });
}

/**
 * The hook starts a page's workers with a copy of itself (src/hook/workers.ts): its IIFE becomes the
 * named function `khpHook(khpWorker)`, whose source the hook reads back with the native
 * `Function.prototype.toString`. The page runs it with no argument; a worker's bootstrap passes the
 * worker's context. Its body is strict.
 */
function nameHook(file) {
  const code = readFileSync(file, 'utf8');
  const head = '(function(){';
  if (!code.startsWith(head) || !code.trimEnd().endsWith('})();'))
    throw new Error(`${file}: expected one IIFE, got ${JSON.stringify(code.slice(0, 20))}`);
  // Strict: a page cannot reach the hook's functions or their arguments through a stack trace
  // (V8's CallSite.getFunction() answers nothing for a strict frame, `fn.arguments` throws).
  const body = code.slice(head.length);
  writeFileSync(
    file,
    `(function khpHook(khpWorker){${body.startsWith('"use strict";') ? '' : '"use strict";'}${body}`,
  );
}

function packageVersion() {
  return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
}

function zipDir(dir, zipFile) {
  rmSync(zipFile, { force: true });
  execFileSync('zip', ['-q', '-r', '-X', zipFile, '.'], { cwd: dir });
}

async function main() {
  rmSync(stage, { recursive: true, force: true });
  if (!scriptsOnly) await buildPages();
  await buildScript('hook', 'src/hook/hook.ts', true); // runs in every frame of every page: keep it small
  nameHook(join(stage, 'scripts', 'hook.js'));
  await buildScript('relay', 'src/relay/relay.ts');
  await buildScript('background', 'src/background/background.ts');
  const version = packageVersion();
  for (const browser of BROWSERS) {
    const out = join(distRoot, browser);
    if (scriptsOnly && !existsSync(join(out, 'options.html')))
      throw new Error(`--scripts-only needs a full build in ${out} first (its pages are kept)`);
    if (!scriptsOnly) rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    if (!scriptsOnly) cpSync(join(stage, 'pages'), out, { recursive: true });
    cpSync(join(stage, 'scripts'), out, { recursive: true });
    writeIcons(out);
    const manifest = buildManifest(root, browser, version);
    // Test builds hold the optional `debugger` permission from the start: the browser tests cannot
    // answer the permission prompt the panel's shared-worker switch raises (src/panel/shared-workers.ts).
    if (testBuild && manifest.optional_permissions?.includes('debugger'))
      manifest.permissions = [...manifest.permissions, 'debugger'];
    writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2));
    if (!testBuild && !scriptsOnly) zipDir(out, join(distRoot, `khp-inspector-${browser}.zip`));
    console.log(`build: ${browser} -> ${out}`);
  }
  rmSync(stage, { recursive: true, force: true });
}

main().catch((err) => {
  console.error('build failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
