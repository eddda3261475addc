/**
 * Searching frame payloads: the Messages tab's filter box and the toolbar's `data:` key.
 *
 *   subscribe      a substring of the payload; binary frames are searched as their bytes read as
 *                  UTF-8 and as the spaced hex the list shows (`ef 83 bf`)
 *   /sub\w+/       a regular expression over the same text
 *   hex:0aff       bytes (spaces optional), byte-aligned, in any frame (text frames by their UTF-8)
 *
 * Case-insensitive by default; `caseSensitive` (the tab's Aa toggle) turns that off, also for a
 * regular expression without its own `i` flag.
 *
 * What a frame is searched as is computed once per frame and kept in a WeakMap, so refining a query
 * over 100,000 frames decodes nothing again.
 */
import { frameBytes, utf8Decode, utf8Encode } from '../../protocol/bytes';
import type { CapturedFrame } from '../../protocol/capture';

/** A parsed query. */
export type FrameQuery =
  | { kind: 'text'; text: string; caseSensitive: boolean }
  | { kind: 'regex'; re: RegExp }
  | { kind: 'hex'; bytes: Uint8Array };

/** The query, or why it is not one (shown beside the box; the search is then off). */
export type ParsedFrameQuery = { ok: true; query: FrameQuery | null } | { ok: false; error: string };

/** Parses the text of a frame search box. Empty input: no query. Never throws. */
export function parseFrameQuery(input: string, caseSensitive = false): ParsedFrameQuery {
  const raw = input.trim();
  if (raw === '') return { ok: true, query: null };
  const regex = /^\/(.+)\/([a-z]*)$/.exec(raw);
  if (regex) {
    const flags = regex[2]!.replace(/[gy]/g, '');
    const withCase = caseSensitive || flags.includes('i') ? flags : `${flags}i`;
    try {
      return { ok: true, query: { kind: 'regex', re: new RegExp(regex[1]!, withCase) } };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : 'invalid regular expression' };
    }
  }
  if (/^hex:/i.test(raw)) {
    const hex = raw.slice(4).replace(/\s+/g, '').toLowerCase();
    if (hex === '' || !/^([0-9a-f]{2})+$/.test(hex)) {
      return { ok: false, error: 'hex: wants whole bytes, e.g. hex:0a ff or hex:efbfbd' };
    }
    const bytes = new Uint8Array(hex.length / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
    return { ok: true, query: { kind: 'hex', bytes } };
  }
  return { ok: true, query: { kind: 'text', text: caseSensitive ? raw : raw.toLowerCase(), caseSensitive } };
}

/**
 * What a frame is searched as, each part computed the first time a query needs it: its text, its
 * lower-cased text, its bytes, and (binary frames) the spaced hex the list shows.
 */
interface Searchable {
  text: string;
  lower?: string;
  bytes?: Uint8Array;
  spaced?: string;
}

const cache = new WeakMap<CapturedFrame, Searchable>();

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

function searchable(frame: CapturedFrame): Searchable {
  let s = cache.get(frame);
  if (s) return s;
  if (frame.opcode === 1) s = { text: frame.data };
  else {
    const bytes = frameBytes(frame);
    s = { text: utf8Decode(bytes), bytes };
  }
  cache.set(frame, s);
  return s;
}

function lowerOf(s: Searchable): string {
  return (s.lower ??= s.text.toLowerCase());
}

function bytesOf(frame: CapturedFrame, s: Searchable): Uint8Array {
  return (s.bytes ??= utf8Encode(frame.data));
}

/** `ef 83 bf`: how the list previews a binary frame. */
function spacedOf(frame: CapturedFrame, s: Searchable): string {
  if (s.spaced !== undefined) return s.spaced;
  const bytes = bytesOf(frame, s);
  const parts = new Array<string>(bytes.length);
  for (let i = 0; i < bytes.length; i++) parts[i] = HEX[bytes[i]!]!;
  return (s.spaced = parts.join(' '));
}

/** True when `needle` occurs in `bytes`. */
function hasBytes(bytes: Uint8Array, needle: Uint8Array): boolean {
  const first = needle[0]!;
  const last = bytes.length - needle.length;
  outer: for (let i = bytes.indexOf(first); i >= 0 && i <= last; i = bytes.indexOf(first, i + 1)) {
    for (let k = 1; k < needle.length; k++) if (bytes[i + k] !== needle[k]) continue outer;
    return true;
  }
  return false;
}

/** True when the frame's payload matches. */
export function frameMatches(frame: CapturedFrame, query: FrameQuery): boolean {
  const s = searchable(frame);
  switch (query.kind) {
    case 'text':
      if ((query.caseSensitive ? s.text : lowerOf(s)).includes(query.text)) return true;
      return frame.opcode === 2 && spacedOf(frame, s).includes(query.text.toLowerCase());
    case 'regex':
      query.re.lastIndex = 0;
      return query.re.test(s.text) || (frame.opcode === 2 && query.re.test(spacedOf(frame, s)));
    case 'hex':
      return hasBytes(bytesOf(frame, s), query.bytes);
  }
}

/** The frame indexes among `indexes` whose payload matches. */
export function searchFrames(frames: CapturedFrame[], indexes: number[], query: FrameQuery): number[] {
  const out: number[] = [];
  for (const i of indexes) {
    const f = frames[i];
    if (f && frameMatches(f, query)) out.push(i);
  }
  return out;
}

/** True when any frame of the list matches (stops at the first). */
export function anyFrameMatches(frames: CapturedFrame[], query: FrameQuery): boolean {
  for (const f of frames) if (frameMatches(f, query)) return true;
  return false;
}

/** A piece of displayed text, marked when it is part of a match. */
export interface TextPart {
  text: string;
  hit: boolean;
}

/** Splits `text` into parts with the query's matches marked (text and regex queries; at most `max` marks). */
export function highlight(text: string, query: FrameQuery | null, max = 50): TextPart[] {
  if (!query || query.kind === 'hex' || text === '') return [{ text, hit: false }];
  const parts: TextPart[] = [];
  let from = 0;
  const push = (start: number, end: number) => {
    if (start > from) parts.push({ text: text.slice(from, start), hit: false });
    parts.push({ text: text.slice(start, end), hit: true });
    from = end;
  };
  if (query.kind === 'text') {
    const hay = query.caseSensitive ? text : text.toLowerCase();
    for (let at = hay.indexOf(query.text); at >= 0 && parts.length < max * 2;) {
      push(at, at + query.text.length);
      at = hay.indexOf(query.text, at + query.text.length);
    }
  } else {
    const re = new RegExp(
      query.re.source,
      query.re.flags.includes('g') ? query.re.flags : `${query.re.flags}g`,
    );
    for (let m = re.exec(text); m && parts.length < max * 2; m = re.exec(text)) {
      if (m[0] === '') {
        re.lastIndex++;
        continue;
      }
      push(m.index, m.index + m[0].length);
    }
  }
  if (from < text.length) parts.push({ text: text.slice(from), hit: false });
  return parts;
}
