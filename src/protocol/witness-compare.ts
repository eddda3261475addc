/**
 * The two witnesses of one socket compared: the frames the page hook recorded and the messages the
 * browser's network log holds (network-witness.ts). They should tell the same story wherever both
 * were listening; where they do not, either the capture lost something or the page fooled it (a page
 * may send through a native it reached some other way, or hide a message from listeners), or the page
 * dispatched something the network never carried.
 *
 * - Only what both witnessed is compared: network messages inside a span the hook says it did not
 *   record (`unrecorded`: DevTools closed, budget spent) are left out, with a margin either side, and
 *   so are the hook's frames in the same margins. Frames newer than the `horizon` wait for the next
 *   reading (either witness may still be on its way).
 * - The two clocks differ by a few ms and a send and a receive may swap order between them, so each
 *   direction is aligned on its own, by order only: opcode and payload must agree, the hook's cut
 *   preview (`truncated`) being a prefix of the network's payload (or the reverse), with the same size.
 * - Missing frames the hook reports `dropped` (seen, not kept) are forgiven, as many as it dropped,
 *   and so are received frames at the end of a closed socket (see `afterClose`).
 *
 * Everything here is page data: only counts, directions, times, sizes and indexes come out.
 */
import type { CapturedFrame, Direction, UnrecordedSpan } from './capture';
import { frameBytes } from './bytes';
import { MISMATCH_RULE, finding } from './rules';
import type { Finding } from './model';

/** What the comparison needs of the hook's record of a socket. */
export interface HookWitness {
  frames: readonly CapturedFrame[];
  unrecorded?: readonly UnrecordedSpan[] | undefined;
  dropped?: { frames: number; bytes: number } | undefined;
  /** Present once the socket closed. */
  close?: unknown;
}

/** One way the witnesses disagree. */
export type DisagreementKind =
  /** The network carried a frame the hook lacks, in a span the hook says it recorded. */
  | 'missing'
  /** The hook holds a frame the network never carried. */
  | 'extra'
  /** Both hold the frame at this place, with different opcodes or payloads. */
  | 'differs';

/** The first disagreement found (in time). */
export interface FirstDisagreement {
  kind: DisagreementKind;
  dir: Direction;
  /** Epoch ms of the frame, on its own witness's clock. */
  time: number;
  /** Index of the hook's frame: the frame itself, or for `missing` the next frame the hook holds. */
  frame?: number;
  /** Index among the network's data messages compared. */
  message?: number;
}

/** The outcome of a comparison. */
export interface WitnessReport {
  /** Frames compared (pairs found in both). */
  agreed: number;
  missing: number;
  extra: number;
  differs: number;
  /** Missing frames forgiven because the hook reports as many dropped. */
  forgiven: number;
  /**
   * Received frames the hook lacks at the end of a closed socket: once the page calls `close()`, the
   * browser logs what still arrives but dispatches no `message` event (HTML, "WebSocket message has
   * been received": if the ready state is not OPEN, return), so neither the page nor the hook saw them.
   */
  afterClose: number;
  first: FirstDisagreement | null;
  /** Agreed pairs `[hook frame, network message]` where the hook kept a cut preview and the network more. */
  fuller: Array<[frame: number, message: number]>;
}

/** How far (ms) either side of an unrecorded span frames are left out: the two clocks differ. */
export const SPAN_MARGIN_MS = 250;
/** How many frames ahead alignment scans for a match (farther ones it finds by their keys). */
export const LOOKAHEAD = 64;

interface Item {
  frame: CapturedFrame;
  index: number;
}

function inSpans(time: number, spans: readonly UnrecordedSpan[]): boolean {
  for (const s of spans) {
    if (time >= s.from - SPAN_MARGIN_MS && time <= (s.to ?? Infinity) + SPAN_MARGIN_MS) return true;
  }
  return false;
}

const SURROGATE = /[\ud800-\udfff]/;

function isPrefix(short: Uint8Array, long: Uint8Array): boolean {
  if (short.length > long.length) return false;
  for (let i = 0; i < short.length; i++) if (short[i] !== long[i]) return false;
  return true;
}

/**
 * True when the hook's frame and the network's message are the same frame: same opcode and whole size
 * (`size` is the whole payload's on both), and the payloads equal, or the cut one a prefix of the other. Text is compared as
 * UTF-8, as it went on the wire (a lone surrogate the page sent travels as U+FFFD).
 */
export function sameFrame(hook: CapturedFrame, net: CapturedFrame): boolean {
  if (hook.opcode !== net.opcode) return false;
  // The hook keeps nothing of a payload it could not read without running page code (an object the
  // browser turned into text): only that a text frame went.
  if (hook.truncated && hook.size === 0 && hook.data === '') return true;
  if (hook.size !== net.size) return false;
  const whole = !hook.truncated && !net.truncated;
  if (whole && hook.data === net.data) return true;
  // Whole texts without surrogates are equal as strings or not at all (the common case, kept cheap).
  if (whole && hook.opcode === 1 && !SURROGATE.test(hook.data)) return false;
  const a = frameBytes(hook);
  const b = frameBytes(net);
  if (whole) return a.length === b.length && isPrefix(a, b);
  return a.length <= b.length ? isPrefix(a, b) : isPrefix(b, a);
}

/** Equal frames have equal keys, bar a payload the hook could not read or text with lone surrogates. */
function frameKey(f: CapturedFrame): string {
  return `${f.opcode}|${f.size}|${f.data.slice(0, 32)}`;
}

/** Finds the next item of a list that matches a frame: near by a scan, far by the frames' keys. */
class Finder {
  /** Built on the first far look-up (most comparisons never need one). */
  private byKey: Map<string, number[]> | null = null;

  constructor(private readonly list: Item[]) {}

  private keys(): Map<string, number[]> {
    if (this.byKey) return this.byKey;
    const byKey = (this.byKey = new Map<string, number[]>());
    this.list.forEach((item, i) => {
      const k = frameKey(item.frame);
      const at = byKey.get(k);
      if (at) at.push(i);
      else byKey.set(k, [i]);
    });
    return byKey;
  }

  /** Index from `from` on of the first item that matches `target` (tried as `match`), else -1. */
  seek(from: number, target: CapturedFrame, match: (f: CapturedFrame) => boolean): number {
    const end = Math.min(this.list.length, from + LOOKAHEAD);
    for (let i = from; i < end; i++) if (match(this.list[i]!.frame)) return i;
    const at = this.keys().get(frameKey(target));
    if (!at) return -1;
    let lo = 0;
    let hi = at.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (at[mid]! < end) lo = mid + 1;
      else hi = mid;
    }
    // Same key, payloads past the key may still differ: a bounded number of tries.
    for (let k = lo; k < at.length && k < lo + LOOKAHEAD; k++)
      if (match(this.list[at[k]!]!.frame)) return at[k]!;
    return -1;
  }
}

/**
 * Compares the hook's record of a socket with the network's data messages of the same socket (both in
 * order). `horizon` (epoch ms): frames of either witness after it are not compared yet.
 */
export function compareWitnesses(
  hook: HookWitness,
  network: readonly CapturedFrame[],
  horizon = Infinity,
): WitnessReport {
  const spans = hook.unrecorded ?? [];
  const report: WitnessReport = {
    agreed: 0,
    missing: 0,
    extra: 0,
    differs: 0,
    forgiven: 0,
    afterClose: 0,
    first: null,
    fuller: [],
  };
  const note = (f: FirstDisagreement) => {
    if (!report.first || f.time < report.first.time) report.first = f;
  };
  let forgive = Math.max(0, Math.floor(hook.dropped?.frames ?? 0));
  const keep = (f: CapturedFrame) => f.time <= horizon && !inSpans(f.time, spans);
  for (const dir of ['send', 'receive'] as const) {
    const h: Item[] = [];
    hook.frames.forEach((frame, index) => {
      if (frame.dir === dir && keep(frame)) h.push({ frame, index });
    });
    const n: Item[] = [];
    network.forEach((frame, index) => {
      if (frame.dir === dir && keep(frame)) n.push({ frame, index });
    });
    const inH = new Finder(h);
    const inN = new Finder(n);
    let i = 0;
    let j = 0;
    const missing = (item: Item) => {
      if (forgive > 0) {
        forgive--;
        report.forgiven++;
        return;
      }
      report.missing++;
      const next = h[j]?.index;
      note({
        kind: 'missing',
        dir,
        time: item.frame.time,
        message: item.index,
        ...(next === undefined ? {} : { frame: next }),
      });
    };
    const extra = (item: Item) => {
      report.extra++;
      note({ kind: 'extra', dir, time: item.frame.time, frame: item.index });
    };
    while (i < n.length && j < h.length) {
      const net = n[i]!;
      const own = h[j]!;
      if (sameFrame(own.frame, net.frame)) {
        report.agreed++;
        if (own.frame.truncated && net.frame.data.length > own.frame.data.length)
          report.fuller.push([own.index, net.index]);
        i++;
        j++;
        continue;
      }
      // Which side has frames the other lacks: the nearer match decides.
      const inHook = inH.seek(j + 1, net.frame, (f) => sameFrame(f, net.frame));
      const inNet = inN.seek(i + 1, own.frame, (f) => sameFrame(own.frame, f));
      if (inNet !== -1 && (inHook === -1 || inNet - i <= inHook - j)) {
        while (i < inNet) missing(n[i++]!);
      } else if (inHook !== -1) {
        while (j < inHook) extra(h[j++]!);
      } else {
        report.differs++;
        note({ kind: 'differs', dir, time: own.frame.time, frame: own.index, message: net.index });
        i++;
        j++;
      }
    }
    if (dir === 'receive' && hook.close !== undefined) {
      report.afterClose += n.length - i;
      i = n.length;
    }
    while (i < n.length) missing(n[i++]!);
    while (j < h.length) extra(h[j++]!);
  }
  return report;
}

/** True when the report holds a disagreement. */
export function disagrees(report: WitnessReport): boolean {
  return report.missing + report.extra + report.differs > 0;
}

const WHAT: Record<DisagreementKind, string> = {
  missing: 'the network carried a frame the page hook did not record',
  extra: 'the page hook recorded a frame the network never carried',
  differs: 'the two hold different payloads for the same frame',
};

/** The finding that says how the witnesses disagree, or null when they agree. */
export function mismatchFinding(report: WitnessReport): Finding | null {
  if (!disagrees(report)) return null;
  const parts: string[] = [];
  if (report.missing) parts.push(`${report.missing} frame(s) only the network saw`);
  if (report.extra) parts.push(`${report.extra} frame(s) only the page hook saw`);
  if (report.differs) parts.push(`${report.differs} frame(s) whose payloads differ`);
  const first = report.first!;
  const where =
    first.frame === undefined
      ? 'after the last recorded frame'
      : first.kind === 'missing'
        ? `before frame #${first.frame}`
        : `frame #${first.frame}`;
  const message =
    `The page hook and the network disagree: ${parts.join(', ')} (${report.agreed} agree). ` +
    `First: a ${first.dir === 'send' ? 'sent' : 'received'} frame, ${where}: ${WHAT[first.kind]}.`;
  return finding(MISMATCH_RULE, message, first.frame === undefined ? {} : { frame: first.frame });
}
