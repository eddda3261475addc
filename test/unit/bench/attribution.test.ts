import { describe, expect, it } from 'vitest';
import { attribute, type CpuProfile } from '../../../bench/overhead/attribution';

const EXT = 'chrome-extension://abc/hook.js';
const PAGE = 'http://127.0.0.1/echo-page.html';

/** A profile tree: root > page handler > hook send > native send; root > hook listener > postMessage. */
function profile(samples: number[]): CpuProfile {
  const frame = (functionName: string, url = '') => ({ functionName, url });
  return {
    nodes: [
      { id: 1, callFrame: frame('(root)'), children: [2, 5, 7, 8, 9] },
      { id: 2, callFrame: frame('onmessage', PAGE), children: [3] },
      { id: 3, callFrame: frame('send', EXT), children: [4] },
      { id: 4, callFrame: frame('send') },
      { id: 5, callFrame: frame('onMessage', EXT), children: [6] },
      { id: 6, callFrame: frame('postMessage') },
      { id: 7, callFrame: frame('(idle)') },
      { id: 8, callFrame: frame('(program)') },
      { id: 9, callFrame: frame('(garbage collector)') },
    ],
    samples,
    timeDeltas: samples.map(() => 50),
  };
}

describe('attribute', () => {
  const isExt = (url: string) => url.startsWith('chrome-extension://');

  it("counts the extension's own frames and the natives they call, not the page's send it wraps", () => {
    // 2 samples in the page handler, 4 in the native send under the hook's wrapper (the page's),
    // 1 in the wrapper itself, 2 in the listener, 3 in the postMessage it calls, idle, program, GC.
    const a = attribute(profile([2, 2, 4, 4, 4, 4, 3, 5, 5, 6, 6, 6, 7, 7, 8, 9]), 10, isExt);
    expect(a.extensionUs).toBeCloseTo((6 * 50) / 10);
    expect(a.otherUs).toBeCloseTo((8 * 50) / 10);
    expect(a.share).toBeCloseTo(6 / 14);
    expect(a.gcUs).toBeCloseTo(50 / 10);
    expect(a.top).toEqual([
      ['postMessage (native, in onMessage)', 15],
      ['onMessage', 10],
      ['send', 5],
    ]);
  });

  it('gives zeros for an idle profile or no messages', () => {
    expect(attribute(profile([7, 7]), 10, isExt)).toEqual({
      extensionUs: 0,
      otherUs: 0,
      share: 0,
      gcUs: 0,
      top: [],
    });
    expect(attribute(profile([5]), 0, isExt).extensionUs).toBe(0);
  });
});
