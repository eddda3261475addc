import { describe, expect, it } from 'vitest';
import { Http1Parser, parseHttpRequest, parseHttpResponse } from '../../../src/protocol/http1';
import type { HttpParseResult } from '../../../src/protocol/http1';
import { ERROR_CASES, VALID_CASES, type Http1Case } from './http1-cases';

function inputBytes(c: Http1Case): Uint8Array {
  return typeof c.input === 'string' ? new TextEncoder().encode(c.input) : c.input;
}

function parseWhole(c: Http1Case): HttpParseResult {
  return c.kind === 'request' ? parseHttpRequest(c.input, c.options) : parseHttpResponse(c.input, c.options);
}

/** Pushes the chunks one by one, checks every intermediate result, then ends the input. */
function parseChunks(c: Http1Case, chunks: Uint8Array[], final: HttpParseResult): HttpParseResult {
  const parser = new Http1Parser(c.kind, c.options);
  for (const chunk of chunks) {
    const r = parser.push(chunk);
    // Before the end, a push either needs more bytes or has already reached the final answer.
    if (r.status !== 'incomplete') expect(r).toEqual(final);
  }
  return parser.end();
}

function checkExpectation(c: Http1Case, r: HttpParseResult): void {
  const e = c.expect;
  if (e.status === 'error') {
    expect(r.status, JSON.stringify(r)).toBe('error');
    if (r.status !== 'error') return;
    expect({ code: r.error.code, offset: r.error.offset }).toEqual({ code: e.code, offset: e.offset });
    if (e.state) expect(r.error.state).toBe(e.state);
    expect(r.error.state).toMatch(/^[A-Z_]+$/);
    expect(r.error.expected.length).toBeGreaterThan(0);
    expect(r.error.message.length).toBeGreaterThan(0);
    return;
  }
  expect(r.status, JSON.stringify(r)).toBe('complete');
  if (r.status !== 'complete') return;
  expect(r.message.type).toBe(c.kind);
  expect(r.consumed).toBe(e.consumed ?? inputBytes(c).length);
  expect(r.message).toMatchObject(e.fields);
  if (e.headers) expect(r.message.headers).toEqual(e.headers);
  const body = typeof e.body === 'string' ? new TextEncoder().encode(e.body) : (e.body ?? new Uint8Array(0));
  expect(r.message.body).toEqual(body);
  expect(r.message.warnings.map((w) => [w.code, w.offset])).toEqual(e.warnings ?? []);
  expect(r.consumed).toBe(r.message.headerBytes + r.message.body.length);
}

describe.each([
  ['valid', VALID_CASES],
  ['malformed', ERROR_CASES],
])('HTTP/1.1 parser, %s cases', (_label, cases) => {
  describe.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const bytes = inputBytes(c);
    const whole = parseWhole(c);

    it('parses whole to the expected result', () => {
      checkExpectation(c, whole);
    });

    it('gives the same result split in two at every offset', () => {
      // Large inputs are split at a stride so the suite stays fast; small ones at every offset.
      const step = bytes.length > 4096 ? 997 : 1;
      for (let k = 0; k <= bytes.length; k += step) {
        const r = parseChunks(c, [bytes.subarray(0, k), bytes.subarray(k)], whole);
        expect(r, `split at ${k}`).toEqual(whole);
      }
    });

    it('gives the same result one byte per push', () => {
      const chunks = Array.from(bytes.subarray(0, 70_000), (_b, k) => bytes.subarray(k, k + 1));
      expect(parseChunks(c, chunks, whole)).toEqual(whole);
    });

    it('gives the same result from a chunk array and from a copied buffer', () => {
      const parse = c.kind === 'request' ? parseHttpRequest : parseHttpResponse;
      const third = Math.floor(bytes.length / 3);
      const parts = [bytes.slice(0, third), bytes.slice(third, 2 * third), bytes.slice(2 * third)];
      expect(parse(parts, c.options)).toEqual(whole);
      expect(parse(bytes.slice(), c.options)).toEqual(whole);
    });
  });
});
