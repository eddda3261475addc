import { execFileSync } from 'node:child_process';

/**
 * Builds the extension once before the browser tests (a `--test` build: dist/test/<browser>, with the
 * test-only queries on), so they always load the current code. `KHP_E2E_SCRIPTS_ONLY=1` rebuilds only
 * the capture path (hook, relay, background), for quick iteration.
 */
export default function setup(): void {
  const args = ['scripts/build.mjs', '--test'];
  if (process.env.KHP_E2E_SCRIPTS_ONLY === '1') args.push('--scripts-only');
  execFileSync(process.execPath, args, { stdio: 'inherit' });
}
