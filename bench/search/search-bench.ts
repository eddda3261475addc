/**
 * Section "search": the panel's payload search (src/panel/store/frame-search.ts) and the toolbar's
 * `data:` filter over 100,000 frames, in Node (the same pure code the panel runs). A query is timed
 * cold (first query over frames never searched: payloads decoded) and warm (the next keystroke),
 * as the median of several rounds on fresh frames.
 */
import { base64Encode, utf8Encode } from '../../src/protocol/bytes';
import type { CapturedFrame } from '../../src/protocol/capture';
import { parseFrameQuery, searchFrames } from '../../src/panel/store/frame-search';
import { matchesFilter, parseFilter } from '../../src/panel/store/filter';
import type { Connection } from '../../src/protocol/model';
import type { Figures } from '../lib/report';
import { median, nowMs } from '../lib/stats';

export interface SearchOptions {
  frames: number;
  sockets: number;
  rounds: number;
  log: (line: string) => void;
}

/** A keystroke's budget: a query over the whole capture should not take longer than this. */
const TARGET_MS = 100;

/** Frames as a busy socket carries them: JSON text messages, and one binary message in five. */
function makeFrames(n: number, seed: number): CapturedFrame[] {
  const frames: CapturedFrame[] = [];
  for (let i = 0; i < n; i++) {
    if (i % 5 === 4) {
      const bytes = utf8Encode(`AMQP\u0000\u0000\u0009\u0001 channel ${i} seed ${seed} ${'x'.repeat(24)}`);
      frames.push({ dir: 'receive', time: i, opcode: 2, data: base64Encode(bytes), size: bytes.length });
    } else {
      const data = `{"op":"tick","topic":"prices.${i % 97}","seq":${i},"seed":${seed},"px":${(i * 1.37).toFixed(2)}}`;
      frames.push({ dir: i % 2 ? 'send' : 'receive', time: i, opcode: 1, data, size: data.length });
    }
  }
  return frames;
}

function time(fn: () => unknown): number {
  const t = nowMs();
  fn();
  return nowMs() - t;
}

/** Runs the section and records its figures. */
export async function runSearchBench(figures: Figures, opts: SearchOptions): Promise<unknown> {
  const queries = {
    text: 'prices.42',
    regex: '/"seq":\\d*77,/',
    hex: 'hex:00000901',
  } as const;
  const out: Record<string, { cold: number[]; warm: number[]; hits: number }> = {};
  for (const [kind, input] of Object.entries(queries)) {
    const parsed = parseFrameQuery(input);
    if (!parsed.ok || !parsed.query) throw new Error(`bad bench query ${input}`);
    const query = parsed.query;
    const cold: number[] = [];
    const warm: number[] = [];
    let hits = 0;
    for (let r = 0; r < opts.rounds; r++) {
      const frames = makeFrames(opts.frames, r);
      const all = frames.map((_, i) => i);
      cold.push(time(() => (hits = searchFrames(frames, all, query).length)));
      warm.push(time(() => searchFrames(frames, all, query)));
    }
    out[kind] = { cold, warm, hits };
    opts.log(
      `search ${kind} ${input}: ${hits} hits in ${opts.frames} frames, cold ${median(cold).toFixed(1)} ms, warm ${median(warm).toFixed(1)} ms`,
    );
    figures.add(
      `search.frames.${kind}.coldMs`,
      `${kind} query, first search, ${opts.frames} frames`,
      median(cold),
      'ms',
      {
        op: '<=',
        value: TARGET_MS,
      },
    );
    figures.add(`search.frames.${kind}.warmMs`, `${kind} query, next keystroke`, median(warm), 'ms', {
      op: '<=',
      value: TARGET_MS,
    });
  }

  // The toolbar's data: key across sockets: the same frames spread over `sockets` sockets.
  const perSocket = Math.floor(opts.frames / opts.sockets);
  const filter = parseFilter('data:prices.42');
  const cold: number[] = [];
  const warm: number[] = [];
  let shown = 0;
  for (let r = 0; r < opts.rounds; r++) {
    const sockets = Array.from({ length: opts.sockets }, (_, s) => makeFrames(perSocket, r * 1000 + s));
    const conns = sockets.map(
      (_, s) => ({ id: `s${s}`, url: `ws://gw/${s}`, findings: [] }) as unknown as Connection,
    );
    const run = () => conns.filter((c, s) => matchesFilter(c, filter, { frames: sockets[s] })).length;
    cold.push(time(() => (shown = run())));
    warm.push(time(run));
  }
  opts.log(
    `toolbar data:prices.42 over ${opts.sockets} sockets: ${shown} shown, cold ${median(cold).toFixed(1)} ms, warm ${median(warm).toFixed(1)} ms`,
  );
  figures.add(
    'search.filter.data.coldMs',
    `toolbar data: over ${opts.sockets} sockets, first`,
    median(cold),
    'ms',
    {
      op: '<=',
      value: TARGET_MS,
    },
  );
  figures.add('search.filter.data.warmMs', 'toolbar data:, next keystroke', median(warm), 'ms', {
    op: '<=',
    value: TARGET_MS,
  });
  return { queries: out, filter: { cold, warm, shown } };
}
