/**
 * The temporary Chromium profile `khp-inspect start` launches with: the KHP panel comes first in
 * DevTools' tab strip, so it is in view (never in the » overflow) when DevTools opens.
 *
 * Facts this relies on, checked with Chromium 156: an unpacked extension loaded with
 * `--load-extension=<dir>` gets the id made of the first 32 hex digits of SHA-256 over the absolute
 * directory path, each digit 0-f written as a-p; its DevTools panel's tab id is
 * `chrome-extension://<id><title>`; DevTools reads the tab order from the profile's
 * `devtools.preferences["panel-tab-order"]`. Which tab is selected when DevTools opens is kept per
 * session only, so a profile cannot choose it: `start` selects it over the browser's pipe
 * (devtools-pipe.ts), and should that fail the panel is still first in the strip, one click away.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** The panel's title, as src/devtools/devtools.ts creates it. */
export const PANEL_TITLE = 'KHP';

/** The id Chromium gives an unpacked extension loaded from `dir`. */
export function unpackedExtensionId(dir: string): string {
  const hex = createHash('sha256').update(resolve(dir)).digest('hex').slice(0, 32);
  let id = '';
  for (const digit of hex) id += String.fromCharCode(97 + parseInt(digit, 16));
  return id;
}

/** The DevTools tab id of the panel of the extension loaded from `extensionDir`. */
export function panelTabId(extensionDir: string): string {
  return `chrome-extension://${unpackedExtensionId(extensionDir)}${PANEL_TITLE}`;
}

/** The profile's `Default/Preferences`: DevTools with the extension's panel first. */
export function devtoolsPreferences(extensionDir: string): object {
  const panel = panelTabId(extensionDir);
  const order = { [panel]: 5, elements: 10, console: 20, sources: 30, network: 40 };
  return { devtools: { preferences: { 'panel-tab-order': JSON.stringify(order) } } };
}

/** Writes the preferences into a new profile directory. */
export async function seedProfile(profile: string, extensionDir: string): Promise<void> {
  await mkdir(join(profile, 'Default'), { recursive: true });
  await writeFile(join(profile, 'Default', 'Preferences'), JSON.stringify(devtoolsPreferences(extensionDir)));
}

/**
 * Chromium's command line for `start`: the profile, the extension alone, DevTools opened with every
 * tab, and CDP over file descriptors 3 and 4 (no port) so `start` can select the panel.
 */
export function chromiumStartArgs(
  profile: string,
  extensionDir: string,
  url: string,
  extra: string[] = [],
): string[] {
  return [
    `--user-data-dir=${profile}`,
    `--load-extension=${extensionDir}`,
    `--disable-extensions-except=${extensionDir}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--auto-open-devtools-for-tabs',
    '--remote-debugging-pipe',
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    ...extra,
    url,
  ];
}

/**
 * Starts Chromium with `args` in a process group of its own, CDP on file descriptors 3 and 4 (see
 * `chromiumStartArgs`), so that `stopChromium` can reach every process it starts.
 */
export function spawnChromium(binary: string, args: string[], env?: NodeJS.ProcessEnv): ChildProcess {
  return spawn(binary, args, {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'],
    detached: true,
    ...(env ? { env } : {}),
  });
}

/** True while a process of group `pgid` is left (zombies included). */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops a Chromium from `spawnChromium` and the processes it started: SIGTERM to its group (it shuts
 * its children down), SIGKILL to the group after `graceMs`, then waits (at most `graceMs` more) until
 * no process of the group is left. Its utility processes outlive the browser process by a moment
 * and write to the profile meanwhile, so a profile is removed only after this.
 */
export async function stopChromium(child: ChildProcess, graceMs = 3000): Promise<void> {
  const pgid = child.pid;
  if (pgid === undefined) return;
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-pgid, s);
    } catch {
      // the group is gone already
    }
  };
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    signal('SIGTERM');
    const timer = setTimeout(() => signal('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
  signal('SIGKILL'); // what outlived the browser process
  for (const end = Date.now() + graceMs; groupAlive(pgid) && Date.now() < end;)
    await new Promise((r) => setTimeout(r, 20));
}
