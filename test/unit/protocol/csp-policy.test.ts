import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  asciiLowercase,
  headerAllowsBlobWorkers,
  policiesAllowBlobWorkers,
  policyAllowsBlobWorkers,
} from '../../../src/protocol/csp-policy';

/** Cases as data: one header value, and whether a `blob:` worker starts under it without a violation. */
const CASES: [value: string, allowed: boolean, why: string][] = [
  ['', true, 'an empty value holds no policy'],
  [' ; ;, ', true, 'empty policies and tokens are skipped'],
  ["img-src 'self'; style-src 'none'", true, 'no directive of the fallback list'],
  ['sandbox', true, 'sandbox does not restrict workers'],
  ["frame-ancestors 'none'; report-uri /r", true, 'other directives do not decide'],
  ['worker-src blob:', true, 'worker-src with the blob: scheme'],
  ['WORKER-SRC BLOB:', true, 'names and schemes are case-insensitive'],
  ['Worker-Src Blob:', true, 'mixed case'],
  ["worker-src 'self' blob: https://cdn.test", true, 'blob: among other sources'],
  ['\tworker-src\tblob:\r\n', true, 'any ASCII whitespace separates'],
  ["worker-src 'self'", false, "'self' does not match a blob: URL"],
  ['worker-src *', false, '* does not match a blob: URL'],
  ['worker-src', false, 'an empty source list allows nothing'],
  ["worker-src 'none'", false, "'none'"],
  ["worker-src 'none' blob:", false, "'none' next to other sources: read as deny"],
  ["worker-src blob: 'strict-dynamic'", false, "'strict-dynamic' in worker-src"],
  ['worker-src blob', false, 'a host named blob is not the scheme'],
  ['worker-src blob:*', false, 'not the scheme source blob:'],
  ['worker-src blobs:', false, 'another scheme'],
  ["worker-src 'blob:'", false, 'quoted is not a scheme source'],
  ["child-src blob:; script-src 'self' blob:", true, 'child-src decides before script-src'],
  ["child-src blob:; script-src 'self'", false, "the worker's scripts: script-src without blob:"],
  [
    "worker-src blob:; script-src-elem 'self'; script-src blob:",
    false,
    'script-src-elem decides the scripts',
  ],
  ["worker-src blob:; script-src-elem blob:; script-src 'self'", true, 'script-src-elem before script-src'],
  ["worker-src blob:; default-src 'self'", false, "the worker's scripts: default-src without blob:"],
  ["child-src 'self'; script-src blob:", false, 'child-src decides even against script-src'],
  ["worker-src blob:; child-src 'none'", true, 'worker-src decides before child-src'],
  ["worker-src 'self'; default-src blob:", false, 'worker-src decides before default-src'],
  ["script-src blob:; default-src 'none'", true, 'script-src decides before default-src'],
  ["script-src 'self'; default-src blob:", false, 'script-src decides even against default-src'],
  ['default-src blob:', true, 'default-src as the last fallback'],
  ["default-src 'self'", false, 'default-src without blob:'],
  ["default-src 'self'; img-src blob:", false, 'blob: in a directive outside the fallback list'],
  ["script-src blob: 'strict-dynamic'", false, "'strict-dynamic' in the script-src fallback"],
  ["script-src 'nonce-abc' 'STRICT-DYNAMIC' blob:", false, "'strict-dynamic', any case"],
  [
    "worker-src blob:; require-trusted-types-for 'script'",
    false,
    'Trusted Types enforced (the constructor wants a TrustedScriptURL)',
  ],
  ['worker-src blob:; trusted-types default', true, 'Trusted Types policies named but not enforced'],
  ["default-src 'strict-dynamic' blob:", false, "'strict-dynamic' in the default-src fallback"],
  ["worker-src blob:; worker-src 'none'", true, 'the first of duplicate directives wins'],
  ["worker-src 'none'; worker-src blob:", false, 'the first of duplicate directives wins (deny)'],
  ["script-src 'self'; SCRIPT-SRC blob:", false, 'duplicates compared case-insensitively'],
  ['worker-src blob:,', true, 'a trailing comma leaves an empty policy'],
  ["worker-src blob:, worker-src 'self'", false, 'every comma-separated policy must allow'],
  ["worker-src 'self', worker-src blob:", false, 'every comma-separated policy must allow (first denies)'],
  ["img-src 'self', default-src blob:", true, 'both policies allow'],
  ['worker-src blob: https://h\u00e9.test', false, 'a non-ASCII directive is skipped by browsers: deny'],
  [
    "worker-src blob:; img-src caf\u00e9.test; script-src 'self' blob:",
    true,
    'non-ASCII outside the fallback list',
  ],
  ['__proto__ blob:; constructor x', true, 'names that are Object.prototype keys are not directives here'],
];

describe('headerAllowsBlobWorkers', () => {
  it.each(CASES)('%j: %s (%s)', (value, allowed) => {
    expect(headerAllowsBlobWorkers(value)).toBe(allowed);
  });

  it('gives the same verdict whatever whitespace surrounds tokens and separators', () => {
    const gaps = fc.constantFrom('', ' ', '\t', '  \n', '\r\n ');
    for (const [value, allowed] of CASES) {
      if (value.includes('\u00e9')) continue;
      fc.assert(
        fc.property(gaps, gaps, (before, after) => {
          const spaced = value.replace(/[;,]/g, (sep) => `${before}${sep}${after}`);
          expect(headerAllowsBlobWorkers(`${before}${spaced}${after}`)).toBe(allowed);
        }),
        { numRuns: 10 },
      );
    }
  });
});

describe('policyAllowsBlobWorkers', () => {
  it('reads one serialized policy: a comma is part of a token', () => {
    expect(policyAllowsBlobWorkers('worker-src blob:')).toBe(true);
    expect(policyAllowsBlobWorkers("worker-src blob:, img-src 'self'")).toBe(false);
    expect(policyAllowsBlobWorkers("worker-src blob: ,img-src 'self'")).toBe(true);
    expect(policyAllowsBlobWorkers("img-src 'self', worker-src 'none'")).toBe(true);
  });
});

describe('asciiLowercase', () => {
  it('lowers ASCII letters only', () => {
    expect(asciiLowercase('Content-SECURITY-Policy \u00c9\u0130')).toBe(
      'content-security-policy \u00c9\u0130',
    );
  });
});

describe('policiesAllowBlobWorkers', () => {
  it('needs every header value to allow', () => {
    expect(policiesAllowBlobWorkers([])).toBe(true);
    expect(policiesAllowBlobWorkers(['worker-src blob:', "img-src 'self'"])).toBe(true);
    expect(policiesAllowBlobWorkers(['worker-src blob:', "default-src 'self'"])).toBe(false);
    expect(policiesAllowBlobWorkers(["default-src 'self'", 'worker-src blob:'])).toBe(false);
  });

  it('denies a value that is not a string', () => {
    expect(policiesAllowBlobWorkers([42 as unknown as string])).toBe(false);
  });

  describe('after a page replaced built-in methods', () => {
    const saved: [object, string, PropertyDescriptor][] = [];
    afterEach(() => {
      for (const [target, key, d] of saved.splice(0)) Object.defineProperty(target, key, d);
    });

    it('calls none of them', () => {
      const boom = () => {
        throw new Error('a replaced built-in was called');
      };
      const targets: [object, string[]][] = [
        [String.prototype, ['split', 'toLowerCase', 'trim', 'slice', 'indexOf', 'charCodeAt', 'includes']],
        [Array.prototype, ['push', 'map', 'some', 'every', 'includes', 'indexOf']],
      ];
      for (const [target, keys] of targets)
        for (const key of keys) saved.push([target, key, Object.getOwnPropertyDescriptor(target, key)!]);
      for (const [target, key] of saved)
        Object.defineProperty(target, key, { value: boom, configurable: true, writable: true });
      const results = [
        headerAllowsBlobWorkers("WORKER-SRC 'self' BLOB:, img-src *"),
        headerAllowsBlobWorkers("script-src 'self'"),
        policiesAllowBlobWorkers(['default-src blob:']),
      ];
      for (const [target, key, d] of saved.splice(0)) Object.defineProperty(target, key, d);
      expect(results).toEqual([true, false, true]);
    });
  });
});
