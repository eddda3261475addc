import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Http1Parser, parseHttpRequest, parseHttpResponse } from '../../../src/protocol/http1';
import type { Http1Options, HttpParseResult } from '../../../src/protocol/http1';
import { VALID_CASES } from './http1-cases';

const MAX_HEADER = 512;
const MAX_BODY = 512;

/** The result is exactly one of the three documented shapes, within the configured caps. */
function checkShape(r: HttpParseResult, inputLength: number, ended: boolean): void {
  expect(['complete', 'incomplete', 'error']).toContain(r.status);
  if (r.status === 'error') {
    expect(Object.keys(r.error).sort()).toEqual(['code', 'expected', 'message', 'offset', 'state']);
    expect(r.error.code).toMatch(/^[A-Z_]+$/);
    expect(r.error.state).toMatch(/^[A-Z_]+$/);
    expect(Number.isInteger(r.error.offset)).toBe(true);
    expect(r.error.offset).toBeGreaterThanOrEqual(0);
    expect(r.error.offset).toBeLessThanOrEqual(inputLength);
    expect(r.error.expected.length).toBeGreaterThan(0);
    expect(r.error.message.length).toBeGreaterThan(0);
  } else if (r.status === 'incomplete') {
    expect(ended).toBe(false);
    expect(r.offset).toBeLessThanOrEqual(inputLength);
  } else {
    const m = r.message;
    expect(r.consumed).toBeLessThanOrEqual(inputLength);
    expect(r.consumed).toBe(m.headerBytes + m.body.length);
    expect(m.headerBytes).toBeLessThanOrEqual(MAX_HEADER);
    expect(m.body.length).toBeLessThanOrEqual(MAX_BODY);
    for (const [name, value] of m.headers) {
      expect(typeof name).toBe('string');
      expect(value).toBe(value.replace(/^[ \t]+|[ \t]+$/g, ''));
    }
  }
}

const kinds = fc.constantFrom('request' as const, 'response' as const);
const options = fc
  .record({ tolerant: fc.boolean() })
  .map((o): Http1Options => ({ ...o, maxHeaderBytes: MAX_HEADER, maxBodyBytes: MAX_BODY }));

function parse(
  kind: 'request' | 'response',
  input: Uint8Array | Uint8Array[],
  opts: Http1Options,
): HttpParseResult {
  return kind === 'request' ? parseHttpRequest(input, opts) : parseHttpResponse(input, opts);
}

/** Cuts `bytes` at the given (sorted, deduplicated) positions. */
function cut(bytes: Uint8Array, positions: number[]): Uint8Array[] {
  const points = [...new Set(positions.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let last = 0;
  for (const p of points) {
    out.push(bytes.subarray(last, p));
    last = p;
  }
  out.push(bytes.subarray(last));
  return out;
}

const validInputs = VALID_CASES.map((c) => ({
  kind: c.kind,
  bytes: typeof c.input === 'string' ? new TextEncoder().encode(c.input) : c.input,
}));

type Mutation = { op: 'set' | 'insert' | 'delete' | 'truncate'; at: number; byte: number };
const mutation = fc.record({
  op: fc.constantFrom('set' as const, 'insert' as const, 'delete' as const, 'truncate' as const),
  at: fc.nat(),
  byte: fc.oneof(
    fc.constantFrom(0x0d, 0x0a, 0x20, 0x09, 0x3a, 0x00, 0x7f, 0xff),
    fc.integer({ min: 0, max: 255 }),
  ),
});

function mutate(bytes: Uint8Array, mutations: Mutation[]): Uint8Array {
  let out = Array.from(bytes);
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % out.length;
    if (m.op === 'set' && out.length > 0) out[at] = m.byte;
    else if (m.op === 'insert') out.splice(at, 0, m.byte);
    else if (m.op === 'delete') out.splice(at, 1);
    else if (m.op === 'truncate') out = out.slice(0, at);
  }
  return Uint8Array.from(out);
}

describe('HTTP/1.1 parser properties', () => {
  it('never throws on random bytes and answers in one of the three shapes', () => {
    fc.assert(
      fc.property(kinds, options, fc.uint8Array({ maxLength: 400 }), (kind, opts, bytes) => {
        checkShape(parse(kind, bytes, opts), bytes.length, true);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on mutated valid messages, and chunking never changes the result', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...validInputs),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        options,
        fc.array(fc.nat(), { maxLength: 6 }),
        (valid, mutations, opts, cuts) => {
          const bytes = mutate(valid.bytes, mutations);
          const whole = parse(valid.kind, bytes, opts);
          checkShape(whole, bytes.length, true);
          expect(parse(valid.kind, cut(bytes, cuts), opts)).toEqual(whole);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keeps memory bounded by the caps whatever arrives', () => {
    fc.assert(
      fc.property(
        kinds,
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 128 }), { maxLength: 30 }),
        fc.constantFrom('', 'GET / HTTP/1.1\r\n', 'HTTP/1.1 200 OK\r\n', 'HTTP/1.1 200 OK\r\n\r\n'),
        (kind, chunks, prefix) => {
          const parser = new Http1Parser(kind, { maxHeaderBytes: MAX_HEADER, maxBodyBytes: MAX_BODY });
          let total = 0;
          for (const chunk of [new TextEncoder().encode(prefix), ...chunks]) {
            total += chunk.length;
            checkShape(parser.push(chunk), total, false);
            expect(parser.bufferedBytes).toBeLessThanOrEqual(2 * (MAX_HEADER + 128) + MAX_BODY);
          }
          checkShape(parser.end(), total, true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
