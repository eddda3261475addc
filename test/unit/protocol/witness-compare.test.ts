import { describe, expect, it } from 'vitest';
import type { CapturedFrame } from '../../../src/protocol/capture';
import { base64Encode, utf8Length } from '../../../src/protocol/bytes';
import {
  LOOKAHEAD,
  compareWitnesses,
  mismatchFinding,
  sameFrame,
  type WitnessReport,
} from '../../../src/protocol/witness-compare';

const T0 = 1_700_000_000_000;
const text = (dir: 'send' | 'receive', at: number, data: string, more: Partial<CapturedFrame> = {}) =>
  ({ dir, time: T0 + at, opcode: 1, data, size: utf8Length(data), ...more }) as CapturedFrame;
const bin = (dir: 'send' | 'receive', at: number, bytes: number[], keep = bytes.length): CapturedFrame => ({
  dir,
  time: T0 + at,
  opcode: 2,
  data: base64Encode(new Uint8Array(bytes.slice(0, keep))),
  size: bytes.length,
  ...(keep < bytes.length ? { truncated: true } : {}),
});
/** The same frames as the network logs them: its clock a few ms off. */
const onNetwork = (frames: CapturedFrame[], skew = 3) =>
  frames.map((f) => ({ ...f, time: f.time + skew, truncated: undefined, size: f.size }));
const counts = (r: WitnessReport) => [r.agreed, r.missing, r.extra, r.differs];

const honest = [
  text('send', 0, 'GET /khp HTTP/1.1\r\n\r\n'),
  text('receive', 10, 'HTTP/1.1 101 Switching Protocols\r\n\r\n'),
  bin('receive', 11, []),
  text('send', 20, 'hello'),
  text('receive', 21, 'world'),
];

describe('compareWitnesses', () => {
  it('finds no disagreement when both saw the same frames, whatever the clocks and the interleaving', () => {
    const net = onNetwork(honest, -4);
    // A send and a receive a millisecond apart may come in either order on the other witness.
    [net[3], net[4]] = [net[4]!, net[3]!];
    const r = compareWitnesses({ frames: honest }, net);
    expect(counts(r)).toEqual([5, 0, 0, 0]);
    expect(mismatchFinding(r)).toBeNull();
  });

  it("accepts the hook's cut preview as a prefix of the network's whole payload, text and binary", () => {
    const long = 'x'.repeat(300) + 'é';
    const bytes = Array.from({ length: 300 }, (_, i) => i % 251);
    const hook = [text('receive', 0, long.slice(0, 256), { truncated: true, size: utf8Length(long) })];
    hook.push(bin('receive', 5, bytes, 256)); // 256 bytes: base64 of the cut is no prefix of the whole's
    const net = [text('receive', 1, long), bin('receive', 6, bytes)];
    expect(counts(compareWitnesses({ frames: hook }, net))).toEqual([2, 0, 0, 0]);
    // A preview whose payload is not a prefix, or whose whole size differs, is not the same frame.
    expect(sameFrame(hook[0]!, text('receive', 1, 'y' + long.slice(1)))).toBe(false);
    expect(sameFrame(hook[0]!, text('receive', 1, long + '!'))).toBe(false);
    expect(sameFrame(text('send', 0, 'a'), { ...text('send', 0, 'a'), opcode: 2, data: 'YQ==' })).toBe(false);
  });

  it('compares text as it went on the wire (a lone surrogate travels as U+FFFD)', () => {
    expect(sameFrame(text('send', 0, 'a\ud800'), text('send', 1, 'a\ufffd'))).toBe(true);
  });

  it('takes a payload the hook could not read (an object sent as text) for any text frame', () => {
    const unread = text('send', 0, '', { truncated: true, size: 0 });
    expect(sameFrame(unread, text('send', 1, '[object Object]'))).toBe(true);
    expect(sameFrame(unread, bin('send', 1, [1]))).toBe(false);
  });

  it('reports a frame the network carried and the hook lacks (the page sent it past the hook)', () => {
    const net = onNetwork([...honest, text('send', 30, 'secret'), text('send', 40, 'bye')]);
    const hook = [...honest, text('send', 40, 'bye')];
    const r = compareWitnesses({ frames: hook }, net);
    expect(counts(r)).toEqual([6, 1, 0, 0]);
    expect(r.first).toMatchObject({ kind: 'missing', dir: 'send', frame: 5, message: 5 });
    const f = mismatchFinding(r)!;
    expect(f).toMatchObject({ rule: 'capture-network-mismatch', severity: 'warning', frame: 5 });
    expect(f.message).toContain('1 frame(s) only the network saw');
    expect(f.message).toContain('before frame #5');
    expect(f.message).not.toContain('secret'); // page data stays out of the message
  });

  it('reports a frame the hook holds and the network never carried (forged or replayed)', () => {
    const forged = text('receive', 25, 'HTTP/1.1 101 Switching Protocols\r\n\r\n');
    const hook = [...honest, forged];
    const r = compareWitnesses({ frames: hook }, onNetwork(honest));
    expect(counts(r)).toEqual([5, 0, 1, 0]);
    expect(r.first).toMatchObject({ kind: 'extra', dir: 'receive', frame: 5 });
    expect(mismatchFinding(r)!.message).toContain(
      'frame #5: the page hook recorded a frame the network never carried',
    );
  });

  it('reports payloads that differ at the same place, and the first disagreement in time', () => {
    const net = onNetwork(honest);
    net[4] = { ...net[4]!, data: 'WORLD' };
    net[3] = { ...net[3]!, data: 'HELLO' };
    const r = compareWitnesses({ frames: honest }, net);
    expect(counts(r)).toEqual([3, 0, 0, 2]);
    expect(r.first).toMatchObject({ kind: 'differs', dir: 'send', frame: 3 });
  });

  it('leaves out what the hook says it did not record, before a horizon, and what it dropped', () => {
    const net = onNetwork([
      ...honest,
      text('receive', 1000, 'during the pause'),
      text('receive', 5000, 'late'),
    ]);
    const spans = [{ from: T0 + 900, to: T0 + 1100, reason: 'no-devtools' as const, sent: 0 }];
    expect(counts(compareWitnesses({ frames: honest, unrecorded: spans }, net, T0 + 2000))).toEqual([
      5, 0, 0, 0,
    ]);
    // A budget span still open at the end leaves out everything after it.
    const budget = [{ from: T0 + 500, reason: 'budget' as const, sent: 3 }];
    expect(counts(compareWitnesses({ frames: honest, unrecorded: budget }, net))).toEqual([5, 0, 0, 0]);
    // Without them, both would be missing; as many as the hook counts dropped are forgiven.
    const r = compareWitnesses({ frames: honest, dropped: { frames: 1, bytes: 16 } }, net);
    expect([r.missing, r.forgiven]).toEqual([1, 1]);
    // What arrived after the page called close() reaches no listener: not a disagreement once closed.
    const closed = compareWitnesses({ frames: honest, close: { code: 1000 } }, net);
    expect([closed.missing, closed.afterClose]).toEqual([0, 2]);
    const sentLate = onNetwork([...honest, text('send', 30, 'late')]);
    expect(compareWitnesses({ frames: honest, close: { code: 1000 } }, sentLate).missing).toBe(1);
  });

  it('stays bounded and sane on hostile input: floods, reordering, garbage payloads', () => {
    const flood = Array.from({ length: 5000 }, (_, i) => text('send', i, `m${i}`));
    const net = onNetwork(flood).reverse();
    const r = compareWitnesses({ frames: flood }, net);
    expect(r.agreed + r.missing + r.differs).toBe(5000);
    expect(r.agreed + r.extra + r.differs).toBe(5000);
    expect(mismatchFinding(r)).not.toBeNull();
    // A run of frames past the hook longer than the scan: each counted once, the rest still aligned.
    const gap = Array.from({ length: LOOKAHEAD * 2 }, (_, i) => text('send', 100 + i, `n${i}`));
    const after = [text('send', 1000, 'after'), text('send', 1001, 'more')];
    const r2 = compareWitnesses({ frames: [...honest, ...after] }, onNetwork([...honest, ...gap, ...after]));
    expect(counts(r2)).toEqual([7, LOOKAHEAD * 2, 0, 0]);
    expect(r2.first).toMatchObject({ kind: 'missing', frame: 5 });
    const junk = { dir: 'receive', time: T0, opcode: 2, data: '%%not base64', size: 3 } as CapturedFrame;
    expect(counts(compareWitnesses({ frames: [junk] }, [junk]))).toEqual([1, 0, 0, 0]);
    expect(sameFrame({ ...junk, data: 'AAAA' }, junk)).toBe(false);
  });
});
