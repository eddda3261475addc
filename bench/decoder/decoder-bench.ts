/**
 * Section "decoder": the project's HTTP/1.1 parser against llhttp on the same bytes, then the full
 * KHP decoder (`decodeSocket`) on captured sockets built from the same corpus.
 *
 * Fairness: both parsers read the very same memory (a Buffer view over each payload's bytes), parse
 * whole messages only (no sockets, streams or events), build header strings, are warmed up, and run
 * in alternating rounds of equal work; the figure is the median round.
 */
import { parseHttpRequest, parseHttpResponse } from '../../src/protocol/http1';
import { decodeSocket } from '../../src/protocol/decoder';
import type { CapturedSocket } from '../../src/protocol/capture';
import type { Figures } from '../lib/report';
import { median, nowMs } from '../lib/stats';
import { buildCorpus, corpusSize, corpusSockets, type Handshake } from './corpus';
import { LlhttpDriver } from './llhttp';

/** Knobs: milliseconds per round and number of measured rounds per side. */
export interface DecoderBenchOptions {
  roundMs: number;
  rounds: number;
  log: (line: string) => void;
}

type Pass = () => number;

function oursPass(corpus: Handshake[]): Pass {
  return () => {
    let sum = 0;
    for (const h of corpus)
      for (const p of h.payloads) {
        const r = p.kind === 'request' ? parseHttpRequest(p.bytes) : parseHttpResponse(p.bytes);
        if (r.status === 'complete') sum += r.message.headers.length;
      }
    return sum;
  };
}

function llhttpPass(corpus: Handshake[]): Pass {
  const driver = new LlhttpDriver();
  const views = corpus.map((h) =>
    h.payloads.map((p) => ({
      kind: p.kind,
      buf: Buffer.from(p.bytes.buffer, p.bytes.byteOffset, p.bytes.byteLength),
    })),
  );
  return () => {
    let sum = 0;
    for (const h of views) for (const p of h) sum += driver.parse(p.buf, p.kind).headers.length / 2;
    return sum;
  };
}

function decoderPass(sockets: CapturedSocket[]): Pass {
  return () => {
    let sum = 0;
    for (const s of sockets) sum += decodeSocket(s).rounds.length;
    return sum;
  };
}

/** Checks that both parsers accept every payload and see the same number of headers. */
function validate(corpus: Handshake[]): void {
  const driver = new LlhttpDriver();
  for (const h of corpus)
    for (const p of h.payloads) {
      const ours = p.kind === 'request' ? parseHttpRequest(p.bytes) : parseHttpResponse(p.bytes);
      const theirs = driver.parse(Buffer.from(p.bytes), p.kind);
      const oursCount = ours.status === 'complete' ? ours.message.headers.length : -1;
      if (oursCount !== p.headers || !theirs.complete || theirs.headers.length / 2 !== p.headers)
        throw new Error(
          `corpus ${h.label}: headers expected ${p.headers}, ours ${oursCount}, llhttp ${theirs.headers.length / 2} (complete ${theirs.complete})`,
        );
    }
}

/** Passes per round so that one round takes about `roundMs`. */
function calibrate(pass: Pass, roundMs: number): number {
  let n = 1;
  while (true) {
    const t0 = nowMs();
    for (let i = 0; i < n; i++) pass();
    const dt = nowMs() - t0;
    if (dt >= roundMs / 4) return Math.max(1, Math.round((n * roundMs) / dt));
    n *= 2;
  }
}

function timeRound(pass: Pass, n: number): number {
  (globalThis as { gc?: () => void }).gc?.();
  let sink = 0;
  const t0 = nowMs();
  for (let i = 0; i < n; i++) sink += pass();
  const dt = nowMs() - t0;
  if (sink < 0) console.log(sink); // keeps the work observable
  return dt / n;
}

/** Median milliseconds per pass of each contender, measured in alternating rounds. */
function sideBySide(passes: Pass[], opts: DecoderBenchOptions): number[] {
  const loops = passes.map((p) => calibrate(p, opts.roundMs));
  for (let w = 0; w < 2; w++) passes.forEach((p, i) => timeRound(p, loops[i]!)); // warm-up
  const times: number[][] = passes.map(() => []);
  for (let r = 0; r < opts.rounds; r++) {
    const order = r % 2 === 0 ? passes.map((_, i) => i) : passes.map((_, i) => passes.length - 1 - i);
    for (const i of order) times[i]!.push(timeRound(passes[i]!, loops[i]!));
  }
  return times.map(median);
}

/** Runs the section and records its figures. */
export function runDecoderBench(figures: Figures, opts: DecoderBenchOptions): Record<string, unknown> {
  const corpus = buildCorpus();
  validate(corpus);
  const { bytes, payloads } = corpusSize(corpus);
  const handshakes = corpus.length;
  opts.log(`decoder: corpus ${handshakes} handshakes, ${payloads} payloads, ${bytes} bytes`);

  const [oursMs, llMs] = sideBySide([oursPass(corpus), llhttpPass(corpus)], opts) as [number, number];
  const mbps = (ms: number) => bytes / 1e6 / (ms / 1000);
  const hps = (ms: number) => handshakes / (ms / 1000);
  figures.add('decoder.parse.ours.MBps', 'HTTP/1.1 parser (ours)', mbps(oursMs), 'MB/s');
  figures.add('decoder.parse.llhttp.MBps', "Node's llhttp, same bytes", mbps(llMs), 'MB/s');
  figures.add('decoder.parse.ours.handshakesPerSec', 'handshakes parsed/s (ours)', hps(oursMs), '1/s');
  figures.add('decoder.parse.llhttp.handshakesPerSec', 'handshakes parsed/s (llhttp)', hps(llMs), '1/s');
  figures.add('decoder.parse.ratio', 'ours / llhttp speed', llMs / oursMs, 'x', { op: '>=', value: 0.5 });

  const handshakeSockets = corpusSockets(corpus, 0);
  const dataFrames = 1000;
  const dataSockets = corpusSockets(corpus, dataFrames);
  const frameBytes = (ss: CapturedSocket[]) =>
    ss.reduce((n, s) => n + s.frames.reduce((m, f) => m + f.size, 0), 0);
  const [hsMs, dataMs] = sideBySide([decoderPass(handshakeSockets), decoderPass(dataSockets)], opts) as [
    number,
    number,
  ];
  figures.add('decoder.full.handshakesPerSec', 'decodeSocket: KHP sockets/s', hps(hsMs), '1/s');
  figures.add(
    'decoder.full.MBps',
    'decodeSocket: handshake MB/s',
    frameBytes(handshakeSockets) / 1e6 / (hsMs / 1000),
    'MB/s',
  );
  const extraFrames =
    dataSockets.reduce((n, s) => n + s.frames.length, 0) -
    handshakeSockets.reduce((n, s) => n + s.frames.length, 0);
  figures.add(
    'decoder.full.dataFramesPerSec',
    'decodeSocket: frames/s after handshake',
    extraFrames / ((dataMs - hsMs) / 1000),
    '1/s',
  );
  return {
    corpus: { handshakes, payloads, bytes, labels: corpus.map((h) => h.label) },
    oursMs,
    llMs,
    hsMs,
    dataMs,
  };
}
