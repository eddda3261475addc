import { describe, expect, it } from 'vitest';
import { base64Encode, utf8Encode } from '../../../src/protocol/bytes';
import type { CapturedFrame } from '../../../src/protocol/capture';
import {
  frameMatches,
  highlight,
  parseFrameQuery,
  searchFrames,
  type FrameQuery,
} from '../../../src/panel/store/frame-search';
import { matchesFilter, parseFilter } from '../../../src/panel/store/filter';
import { khpConnection } from '../protocol/connection-fixtures';

const text = (data: string): CapturedFrame => ({
  dir: 'receive',
  time: 0,
  opcode: 1,
  data,
  size: data.length,
});
const binary = (bytes: number[] | string): CapturedFrame => {
  const b = typeof bytes === 'string' ? utf8Encode(bytes) : new Uint8Array(bytes);
  return { dir: 'receive', time: 0, opcode: 2, data: base64Encode(b), size: b.length };
};
const q = (input: string, caseSensitive = false): FrameQuery => {
  const parsed = parseFrameQuery(input, caseSensitive);
  if (!parsed.ok || !parsed.query) throw new Error(`no query from ${input}`);
  return parsed.query;
};

describe('frame search', () => {
  const frames = [
    text('{"op":"Subscribe","topic":"prices"}'),
    text('{"op":"unsubscribe"}'),
    binary([0xef, 0x83, 0xbf, 0x4e]),
    binary('AMQP subscribe'),
    text('\x01\x01\x01\x02\x09\x00'),
  ];
  const all = frames.map((_, i) => i);

  it('matches text case-insensitively by default, case-sensitively when asked', () => {
    expect(searchFrames(frames, all, q('subscribe'))).toEqual([0, 1, 3]);
    expect(searchFrames(frames, all, q('Subscribe', true))).toEqual([0]);
  });

  it('reads /regex/ over the payload text, with its own flags', () => {
    expect(searchFrames(frames, all, q('/^\\{"op":"(un)?sub/'))).toEqual([0, 1]);
    expect(searchFrames(frames, all, q('/Subscribe/', true))).toEqual([0]);
    expect(parseFrameQuery('/(/')).toMatchObject({ ok: false });
  });

  it('finds bytes with hex:, byte-aligned, in binary and text frames', () => {
    expect(searchFrames(frames, all, q('hex:ef 83 bf'))).toEqual([2]);
    expect(searchFrames(frames, all, q('hex:0102 0900'))).toEqual([4]);
    // "f8 3b" appears in the hex string efbf83... only across a byte boundary: no match.
    expect(frameMatches(binary([0xef, 0x83, 0xbf]), q('hex:f8'))).toBe(false);
    expect(parseFrameQuery('hex:abc')).toMatchObject({ ok: false });
    expect(parseFrameQuery('hex:zz')).toMatchObject({ ok: false });
  });

  it('matches binary frames on the spaced hex the list shows', () => {
    expect(searchFrames(frames, all, q('83 bf 4e'))).toEqual([2]);
  });

  it('marks every match in a preview, text and regex alike', () => {
    expect(highlight('a sub b SUB c', q('sub'))).toEqual([
      { text: 'a ', hit: false },
      { text: 'sub', hit: true },
      { text: ' b ', hit: false },
      { text: 'SUB', hit: true },
      { text: ' c', hit: false },
    ]);
    expect(highlight('x1y22', q('/\\d+/'))).toEqual([
      { text: 'x', hit: false },
      { text: '1', hit: true },
      { text: 'y', hit: false },
      { text: '22', hit: true },
    ]);
    expect(highlight('abc', q('/x*/'))).toEqual([{ text: 'abc', hit: false }]);
    expect(highlight('abc', null)).toEqual([{ text: 'abc', hit: false }]);
  });

  it('powers the toolbar data: key across sockets, after the cheaper terms', () => {
    const c = khpConnection('s', 'ws://gw.example.com/echo', 1);
    const match = (filter: string) => matchesFilter(c, parseFilter(filter), { frames });
    expect(match('data:prices')).toBe(true);
    expect(match('data:/topic":"p/')).toBe(true);
    expect(match('data:hex:efbf')).toBe(false);
    expect(match('data:hex:ef83bf')).toBe(true);
    expect(match('data:nothing-here')).toBe(false);
    expect(match('-data:prices')).toBe(false);
    expect(match('url:/echo data:prices')).toBe(true);
    expect(parseFilter('data:hex:zz').errors).toEqual([
      'data:hex:zz: hex: wants whole bytes, e.g. hex:0a ff or hex:efbfbd',
    ]);
    expect(matchesFilter(c, parseFilter('data:prices'))).toBe(false);
  });
});
