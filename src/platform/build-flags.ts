/**
 * The build flag `__KHP_TEST__`: true in builds made with `node scripts/build.mjs --test` (the browser
 * tests load them), false in every other build. The build always defines it (`define`), so the bundler
 * replaces it with a literal and drops the branch it guards: an entry point writes
 * `__KHP_TEST__ ? testThing(...) : realThing(...)`, and a production bundle holds nothing of
 * `testThing`'s module (test/e2e/production-build.test.ts reads dist/ to check). Only entry points
 * may read it: unit tests load no entry point and do not define it.
 */
declare global {
  const __KHP_TEST__: boolean;
}

export {};
