import { execFileSync } from 'node:child_process';

/** Builds the extension once before the browser tests, so they always load the current code. */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
