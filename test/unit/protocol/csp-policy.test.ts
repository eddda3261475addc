import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  asciiLowercase,
  headerAllowsBlobWorkers,
  policiesAllowBlobWorkers,
  policyAllowsBlobWorkers,
} from '../../../src/protocol/csp-policy';

/**
 * Cases as data: one header value, and whether a same-origin worker starts from a `blob:` bootstrap
 * under it without a violation (the worker list and the script list allow `blob:` and `'self'`, the
 * connect list `'self'`).
 */
const CASES: [value: string, allowed: boolean, why: string][] = [
  ['', true, 'an empty value holds no policy'],
  [' ; ;, ', true, 'empty policies and tokens are skipped'],
  ["img-src 'self'; style-src 'none'", true, 'no directive of the fallback lists'],
  ['sandbox', true, 'sandbox does not restrict workers'],
  ["frame-ancestors 'none'; report-uri /r", true, 'other directives do not decide'],
  ["worker-src 'self' blob:", true, "worker-src with 'self' and the blob: scheme"],
  ["WORKER-SRC 'SELF' BLOB:", true, 'names, keywords and schemes are case-insensitive'],
  ["Worker-Src 'Self' Blob:", true, 'mixed case'],
  ['worker-src * blob: https://cdn.test', true, '* allows the script, blob: the bootstrap'],
  ["\tworker-src\t'self'\fblob:\r\n", true, 'any ASCII whitespace separates'],
  ['worker-src blob:', false, "the worker's script itself is refused"],
  ["worker-src 'self'", false, "'self' does not match a blob: URL"],
  ['worker-src *', false, '* does not match a blob: URL'],
  ['worker-src', false, 'an empty source list allows nothing'],
  ["worker-src 'none'", false, "'none'"],
  ["worker-src 'none' 'self' blob:", false, "'none' next to other sources: read as deny"],
  ["worker-src 'self' blob: 'strict-dynamic'", false, "'strict-dynamic' in worker-src"],
  ["worker-src 'self' blob", false, 'a host named blob is not the scheme'],
  ["worker-src 'self' blob:*", false, 'not the scheme source blob:'],
  ["worker-src 'self' blobs:", false, 'another scheme'],
  ["worker-src 'self' 'blob:'", false, 'quoted is not a scheme source'],
  ['worker-src self blob:', false, 'unquoted self is a host'],
  ['worker-src https://a.test blob:', false, "a host-source is not read as the page's origin"],
  ["child-src 'self' blob:; script-src 'self' blob:", true, 'child-src decides before script-src'],
  ["child-src 'self' blob:; script-src 'self'", false, "the worker's scripts: script-src without blob:"],
  ["child-src 'self' blob:; script-src blob:", false, "the worker's scripts: script-src without 'self'"],
  [
    "worker-src 'self' blob:; script-src-elem 'self'; script-src 'self' blob:",
    false,
    'script-src-elem decides the scripts',
  ],
  [
    "worker-src 'self' blob:; script-src-elem 'self' blob:; script-src 'none'",
    true,
    'script-src-elem before script-src',
  ],
  ["worker-src 'self' blob:; default-src 'self'", false, "the worker's scripts: default-src without blob:"],
  ["child-src 'self'; script-src 'self' blob:", false, 'child-src decides even against script-src'],
  ["worker-src 'self' blob:; child-src 'none'", true, 'worker-src decides before child-src'],
  ["worker-src 'self'; default-src 'self' blob:", false, 'worker-src decides before default-src'],
  ["script-src 'self' blob:; default-src 'none'", false, 'the preflight: default-src decides connect-src'],
  [
    "script-src 'self' blob:; connect-src *; default-src 'none'",
    true,
    'script-src decides the worker, connect-src the preflight',
  ],
  ["script-src 'self'; default-src 'self' blob:", false, 'script-src decides even against default-src'],
  ["default-src 'self' blob:", true, 'default-src as the last fallback of every list'],
  ["default-src 'self'", false, 'default-src without blob:'],
  ["default-src 'self'; img-src blob:", false, 'blob: in a directive outside the fallback lists'],
  ["default-src 'self' blob:; connect-src https://api.test", false, "connect-src without 'self'"],
  ["default-src 'self' blob:; connect-src 'none'", false, "connect-src 'none'"],
  ['connect-src blob:', false, "connect-src with blob: only: the preflight's URL is refused"],
  ["connect-src 'self' wss:", true, "connect-src with 'self'"],
  ["script-src 'self' blob: 'strict-dynamic'", false, "'strict-dynamic' in the script-src fallback"],
  ["script-src 'nonce-abc' 'STRICT-DYNAMIC' 'self' blob:", false, "'strict-dynamic', any case"],
  [
    "worker-src 'self' blob:; require-trusted-types-for 'script'",
    false,
    'Trusted Types enforced (the constructor wants a TrustedScriptURL)',
  ],
  ["worker-src 'self' blob:; trusted-types default", true, 'Trusted Types policies named but not enforced'],
  ["default-src 'strict-dynamic' 'self' blob:", false, "'strict-dynamic' in the default-src fallback"],
  ["worker-src 'self' blob:; worker-src 'none'", true, 'the first of duplicate directives wins'],
  ["worker-src 'none'; worker-src 'self' blob:", false, 'the first of duplicate directives wins (deny)'],
  ["script-src 'self'; SCRIPT-SRC 'self' blob:", false, 'duplicates compared case-insensitively'],
  ["worker-src 'self' blob:,", true, 'a trailing comma leaves an empty policy'],
  ["worker-src 'self' blob:, worker-src 'self'", false, 'every comma-separated policy must allow'],
  [
    "worker-src 'self', worker-src 'self' blob:",
    false,
    'every comma-separated policy must allow (first denies)',
  ],
  ["img-src 'self', default-src 'self' blob:", true, 'both policies allow'],
  [
    "worker-src 'self' blob: https://h\u00e9.test",
    false,
    'a non-ASCII directive is skipped by browsers: deny',
  ],
  [
    "worker-src 'self' blob:; img-src caf\u00e9.test; script-src 'self' blob:",
    true,
    'non-ASCII outside the fallback lists',
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
    expect(policyAllowsBlobWorkers("worker-src 'self' blob:")).toBe(true);
    expect(policyAllowsBlobWorkers("worker-src 'self' blob:, img-src 'self'")).toBe(false);
    expect(policyAllowsBlobWorkers("worker-src 'self' blob: ,img-src 'self'")).toBe(true);
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
    expect(policiesAllowBlobWorkers(["worker-src 'self' blob:", "img-src 'self'"])).toBe(true);
    expect(policiesAllowBlobWorkers(["worker-src 'self' blob:", "default-src 'self'"])).toBe(false);
    expect(policiesAllowBlobWorkers(["default-src 'self'", "worker-src 'self' blob:"])).toBe(false);
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
        policiesAllowBlobWorkers(["default-src 'self' blob:"]),
      ];
      for (const [target, key, d] of saved.splice(0)) Object.defineProperty(target, key, d);
      expect(results).toEqual([true, false, true]);
    });
  });
});
