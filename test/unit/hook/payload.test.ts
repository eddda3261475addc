import { describe, expect, it } from 'vitest';
import { captureNatives } from '../../../src/hook/natives';
import { byteParts } from '../../../src/hook/payload';
import { fakeWindow } from './fake-window';

describe('byteParts', () => {
  const n = captureNatives(fakeWindow());

  it('gives the buffer, offset and length of a buffer, a typed array and a DataView', () => {
    const buffer = new ArrayBuffer(8);
    expect(byteParts(buffer, n)).toEqual([buffer, 0, 8]);
    expect(byteParts(new Uint16Array(buffer, 2, 2), n)).toEqual([buffer, 2, 4]);
    expect(byteParts(new DataView(buffer, 5, 2), n)).toEqual([buffer, 5, 2]);
    expect(byteParts(new Blob(['x']), n)).toBeNull();
    expect(byteParts({ byteLength: 3 }, n)).toBeNull();
    expect(byteParts('text', n)).toBeNull();
  });

  it('throws nothing on the way for a buffer or a view (an exception costs the page a stack trace)', () => {
    // Every saved getter counts the calls that threw: a view must not be tried as an ArrayBuffer first.
    let thrown = 0;
    const counted = Object.fromEntries(
      Object.entries(n).map(([k, v]) => [
        k,
        typeof v === 'function' && !/^[A-Z]/.test(k)
          ? (...args: unknown[]) => {
              try {
                return (v as (...a: unknown[]) => unknown)(...args);
              } catch (e) {
                thrown++;
                throw e;
              }
            }
          : v,
      ]),
    ) as typeof n;
    const buffer = new ArrayBuffer(4);
    for (const value of [buffer, new Uint8Array(buffer), new Float32Array(buffer), new DataView(buffer)])
      expect(byteParts(value, counted)?.[0]).toBe(buffer);
    expect(thrown).toBe(0);
  });
});
