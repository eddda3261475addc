import { describe, expect, it } from 'vitest';
import { REPLAY_MARKER_PREFIX, readReplayMarker, replayMarker } from '../../../src/replay/marker';

describe('replay marker', () => {
  it('round-trips a socket id', () => {
    expect(readReplayMarker(replayMarker('abc:12'))).toBe('abc:12');
  });

  it('ignores anything that is not a marker string', () => {
    expect(readReplayMarker(undefined)).toBeUndefined();
    expect(readReplayMarker({ toString: () => replayMarker('x') })).toBeUndefined();
    expect(readReplayMarker(REPLAY_MARKER_PREFIX)).toBeUndefined();
    expect(readReplayMarker('khp-replay:x')).toBeUndefined();
    expect(readReplayMarker(replayMarker('x'.repeat(201)))).toBeUndefined();
  });

  it('does not call String.prototype methods (a page may have patched them)', () => {
    const slice = String.prototype.slice;
    const startsWith = String.prototype.startsWith;
    try {
      String.prototype.slice = () => {
        throw new Error('patched');
      };
      String.prototype.startsWith = () => {
        throw new Error('patched');
      };
      expect(readReplayMarker(replayMarker('id-1'))).toBe('id-1');
    } finally {
      String.prototype.slice = slice;
      String.prototype.startsWith = startsWith;
    }
  });
});
