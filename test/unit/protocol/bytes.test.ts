import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  base64Decode,
  base64Encode,
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
