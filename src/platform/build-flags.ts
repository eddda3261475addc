/** Build-time flags, replaced by the build (`define`); absent under unit tests. */
declare const __KHP_TEST__: boolean | undefined;

/** True in builds made with `--test`: test-only queries are answered. */
export const TEST_BUILD: boolean = typeof __KHP_TEST__ !== 'undefined' && __KHP_TEST__ === true;
