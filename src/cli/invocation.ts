/**
 * Where this copy of khp-inspect lives and how a user can run it from where they stand: the
 * commands the CLI suggests (the server's "try:" line, the hint after a usage error) must work when
 * pasted into the same shell.
 */
import { accessSync, constants, readFileSync, realpathSync } from 'node:fs';
import { delimiter, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The directory holding this copy's package.json and bin/. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The version in this copy's package.json. */
export function packageVersion(root = PROJECT_ROOT): string {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}

/** The first of `names` found as an executable on PATH. */
export function findOnPath(names: string[], env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const name of names) {
      const file = join(dir, name);
      try {
        accessSync(file, constants.X_OK);
        return file;
      } catch {
        // not here
      }
    }
  }
  return null;
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** `path` as one shell word: bare when it is plain, else single-quoted. */
function shellWord(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

/** Where the user runs the CLI from. */
export interface Whereabouts {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** This copy's root (tests point it elsewhere). */
  root?: string;
}

/**
 * The command that runs this khp-inspect from `cwd`: `npx khp-inspect` inside the checkout (npm
 * runs the project's own bin); `khp-inspect` elsewhere when that name on PATH is this copy (a global
 * install or `npm link`); otherwise `node <path>/bin/khp-inspect.mjs`. Outside the checkout `npx
 * khp-inspect` would fetch whatever the registry holds under that name, so it is never suggested
 * there.
 */
export function commandPrefix({ cwd, env, root = PROJECT_ROOT }: Whereabouts): string {
  const bin = join(root, 'bin', 'khp-inspect.mjs');
  const rel = relative(real(root), real(cwd));
  if (rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel))) {
    return 'npx khp-inspect';
  }
  const onPath = findOnPath(['khp-inspect'], env);
  if (onPath !== null && real(onPath) === real(bin)) return 'khp-inspect';
  return `node ${shellWord(bin)}`;
}
