/**
 * `khp-inspect start [--port N] [--host h] [--mode gateway|spec] [--no-browser]` (`npm start`):
 * builds the extension, starts the reference server, prints the demo URL and how to load the
 * extension, and, when a browser and a display are available, launches the browser with the
 * extension loaded and the demo open. Ctrl-C stops everything (server, browser, temp profile).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { chromiumStartArgs, panelTabId, seedProfile, spawnChromium, stopChromium } from './chromium-profile';
import { CdpPipe, showPanelInEveryDevTools } from './devtools-pipe';
import { commandPrefix, findOnPath } from './invocation';
import { EXIT_OK, type CliIo } from './io';
import { escapeControls } from '../protocol/terminal-safe';
import { SERVER_OPTIONS, describeServer, parseServeArgs, startFromArgs, untilSignal } from './serve';

const HELP = `Usage: khp-inspect start [options]        (what npm start runs)

Builds the extension, starts the reference server, prints the demo URL and how to load the
extension, and launches Chromium or Firefox with it loaded when a display is available.
Ctrl-C stops everything.

${SERVER_OPTIONS}  --no-browser          do not launch a browser
  --help                print this help
`;

/** What `start` uses from the outside world; tests replace parts of it. */
export interface StartDeps {
  /** Replaces waiting for Ctrl-C. */
  stop?: Promise<unknown>;
  /** Runs the extension build; resolves to its exit code, or null when no build script exists. */
  runBuild?: (io: CliIo) => Promise<number | null>;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
const FIREFOX_NAMES = ['firefox', 'firefox-esr'];

function defaultBuild(cwd: string): (io: CliIo) => Promise<number | null> {
  return (io) => {
    const script = join(cwd, 'scripts', 'build.mjs');
    if (!existsSync(script)) return Promise.resolve(null);
    return new Promise((done) => {
      const child = spawn(process.execPath, [script], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (d: Buffer) => io.stdout.write(d.toString()));
      child.stderr.on('data', (d: Buffer) => io.stderr.write(d.toString()));
      child.on('error', () => done(1));
      child.on('close', (code) => done(code ?? 1));
    });
  };
}

/** Instructions for loading the built extension by hand. */
export function loadInstructions(cwd: string): string {
  return (
    'Load the extension by hand:\n' +
    `  Chrome/Chromium: open chrome://extensions, turn on Developer mode, click "Load unpacked",\n` +
    `                   choose ${join(cwd, 'dist', 'chrome')}\n` +
    `  Firefox:         open about:debugging#/runtime/this-firefox, click "Load Temporary Add-on...",\n` +
    `                   choose ${join(cwd, 'dist', 'firefox', 'manifest.json')}\n` +
    'Then open the demo page, open the developer tools and pick the KHP panel.\n'
  );
}

interface Launched {
  child: ChildProcess;
  profile: string | null;
}

async function launchBrowser(
  url: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  io: CliIo,
): Promise<Launched | null> {
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) {
    io.stdout.write('No display ($DISPLAY / $WAYLAND_DISPLAY): not launching a browser.\n');
    return null;
  }
  const chromium = findOnPath(CHROMIUM_NAMES, env);
  const firefox = chromium ? null : findOnPath(FIREFOX_NAMES, env);
  if (!chromium && !firefox) {
    io.stdout.write('No chromium, google-chrome or firefox on PATH: not launching a browser.\n');
    return null;
  }
  if (chromium) {
    const ext = resolve(cwd, 'dist', 'chrome');
    const profile = await mkdtemp(join(tmpdir(), 'khp-inspector-profile-'));
    await seedProfile(profile, ext);
    io.stdout.write(
      `Launching ${chromium} with the extension loaded (temporary profile), DevTools on KHP.\n`,
    );
    const child = spawnChromium(chromium, chromiumStartArgs(profile, ext, url), env);
    const pipe = new CdpPipe(child.stdio[3] as Writable, child.stdio[4] as Readable);
    showPanelInEveryDevTools(pipe, panelTabId(ext)).catch(() => {});
    return { child, profile };
  }
  const webExt = join(cwd, 'node_modules', '.bin', 'web-ext');
  io.stdout.write(`Launching ${firefox} with the extension loaded (web-ext run).\n`);
  const args = [
    'run',
    '--source-dir',
    resolve(cwd, 'dist', 'firefox'),
    `--firefox=${firefox}`,
    `--start-url=${url}`,
  ];
  return { child: spawn(webExt, args, { stdio: 'ignore', env }), profile: null };
}

async function stopBrowser(launched: Launched, io: CliIo): Promise<void> {
  const { child } = launched;
  // Chromium (the one with a temporary profile) runs in a group of its own: all of it is stopped.
  if (launched.profile) await stopChromium(child);
  else if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }
  if (!launched.profile) return;
  try {
    await rm(launched.profile, { recursive: true, force: true });
  } catch (err) {
    // Should a process of the browser still be writing there: say so, do not fail the stop.
    io.stderr.write(
      `Could not remove the temporary profile ${escapeControls(launched.profile)}: ${escapeControls((err as Error).message)}\n`,
    );
  }
}

/** Runs `start`. */
export async function runStart(args: string[], io: CliIo, deps: StartDeps = {}): Promise<number> {
  let browser = true;
  const options = parseServeArgs(args, (flag) => {
    if (flag !== '--no-browser') return false;
    browser = false;
    return true;
  });
  if (options === 'help') {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  const cwd = deps.cwd ?? process.cwd();
  const env = deps.env ?? process.env;
  io.stdout.write('Building the extension...\n');
  const built = await (deps.runBuild ?? defaultBuild(cwd))(io);
  if (built === null) io.stdout.write('The extension build is unavailable (no scripts/build.mjs).\n');
  else if (built !== 0)
    io.stderr.write(`The extension build failed (exit ${built}); serving the demo anyway.\n`);
  const server = await startFromArgs(options, io);
  io.stdout.write(describeServer(server, commandPrefix({ cwd, env })));
  io.stdout.write(loadInstructions(cwd));
  let launched: Launched | null = null;
  if (browser && built === 0) launched = await launchBrowser(server.url, cwd, env, io);
  else if (browser) io.stdout.write('Not launching a browser: there is no extension build to load.\n');
  io.stdout.write('Press Ctrl-C to stop.\n');
  launched?.child.on('error', (err) => io.stderr.write(`The browser did not start: ${err.message}\n`));
  await (deps.stop ?? untilSignal());
  if (launched) await stopBrowser(launched, io);
  await server.close();
  io.stdout.write('stopped\n');
  return EXIT_OK;
}
