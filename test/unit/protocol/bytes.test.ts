import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import {
  base64Decode,
  base64Encode,
  base64EncodeFallback,
  concatBytes,
  fromHex,
  toHex,
  utf8Encode,
  utf8Length,
} from '../../../src/protocol/bytes';

describe('bytes', () => {
  it('base64 round-trips any bytes and matches the standard encoding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const text = base64Encode(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64'));
        expect(base64Decode(text)).toEqual(bytes);
      }),
    );
  });

  it('base64 fallback matches the standard encoding with and without btoa, across chunk edges', () => {
    const sizes = [0, 1, 2, 3, 4, 5, 0x2000 - 1, 0x2000, 0x2000 + 1, 0x3000 + 2, 100_000];
    for (const n of sizes) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 167 + (i >> 8)) & 255);
      const expected = Buffer.from(bytes).toString('base64');
      expect(base64EncodeFallback(bytes, true)).toBe(expected);
      expect(base64EncodeFallback(bytes, false)).toBe(expected);
      expect(base64EncodeFallback(bytes.subarray(1), false)).toBe(
        Buffer.from(bytes.subarray(1)).toString('base64'),
      );
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, useBtoa) => {
        expect(base64EncodeFallback(bytes, useBtoa)).toBe(Buffer.from(bytes).toString('base64'));
      }),
    );
  });

  it('rejects invalid base64', () => {
    expect(base64Decode('ab$d')).toBeNull();
    expect(base64Decode('a')).toBeNull();
    expect(base64Decode('ab=c')).toBeNull();
  });

  it('measures UTF-8 length without encoding', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(utf8Length(s)).toBe(utf8Encode(s).length);
      }),
    );
  });

  it('hex round-trips', () => {
    expect(toHex(new Uint8Array([0xef, 0x83, 0xbf, 0x4e]))).toBe('ef83bf4e');
    expect(fromHex('EF83BF4E')).toEqual(new Uint8Array([0xef, 0x83, 0xbf, 0x4e]));
    expect(fromHex('abc')).toBeNull();
  });
});

describe('base64Encode with a native Uint8Array.prototype.toBase64', () => {
  const proto = Uint8Array.prototype as unknown as { toBase64?: (this: Uint8Array) => string };
  afterEach(() => {
    delete proto.toBase64;
    vi.resetModules();
  });

  it('uses the native encoder when the context has one (taken at load)', async () => {
    const calls: number[] = [];
    proto.toBase64 = function (this: Uint8Array) {
      calls.push(this.length);
      return Buffer.from(this.buffer, this.byteOffset, this.byteLength).toString('base64');
    };
    vi.resetModules();
    const fresh = await import('../../../src/protocol/bytes');
    delete proto.toBase64; // patched later (as a page could): the captured encoder stays
    const bytes = Uint8Array.from([0, 1, 2, 250, 251, 252, 253]);
    expect(fresh.base64Encode(bytes.subarray(1))).toBe('AQL6+/z9');
    expect(calls).toEqual([6]);
  });

  it('falls back to the JavaScript encoder without it', () => {
    expect('toBase64' in Uint8Array.prototype).toBe(false);
    expect(base64Encode(Uint8Array.from([0, 1, 2, 250, 251, 252, 253]))).toBe('AAEC+vv8/Q==');
  });
});

describe('concatBytes', () => {
  it('joins arrays in order, views at their own offsets included', () => {
    const view = Uint8Array.from([9, 3, 4, 9]).subarray(1, 3);
    expect(Array.from(concatBytes([Uint8Array.from([1, 2]), new Uint8Array(0), view]))).toEqual([1, 2, 3, 4]);
    expect(concatBytes([]).length).toBe(0);
  });
});
