import { describe, expect, it } from 'vitest';
import { captureNatives } from '../../../src/hook/natives';
import { Recorder } from '../../../src/hook/recorder';
import { isCompletingResponse } from '../../../src/hook/payload';
import { utf8Encode } from '../../../src/protocol/bytes';
import type { CaptureEvent } from '../../../src/protocol/capture';
import { fakeWindow } from './fake-window';

function setup(frameBudget: number, maxPayload?: number, preview?: number) {
  const events: CaptureEvent[] = [];
  let wakes = 0;
  const recorder = new Recorder(
    captureNatives(fakeWindow()),
    (e) => events.push(e),
    'f',
    { fullCapture: false, frameBudget },
    { maxPayload, preview, wake: () => wakes++ },
  );
  return { events, recorder, wakes: () => wakes };
}

const kept = (events: CaptureEvent[]) =>
  events.filter((e) => e.type === 'frame').map((e) => (e.type === 'frame' ? e.data : ''));

describe('Recorder budget', () => {
  it('keeps frameBudget frames of a plain socket and counts the rest as running totals', () => {
    const { events, recorder, wakes } = setup(2);
    const rec = recorder.create('wss://x/', [], 'p');
    recorder.open(rec, '', '');
    for (const s of ['a', 'bb', 'ccc', 'dddd', 'eeeee']) recorder.frame(rec, 'receive', s);
    recorder.reportDropped();
    recorder.reportDropped();
    expect(kept(events)).toEqual(['a', 'bb']);
    const dropped = events.filter((e) => e.type === 'dropped');
    expect(dropped).toHaveLength(1);
    expect(dropped[0]).toMatchObject({ frames: 3, bytes: 12 });
    expect(wakes()).toBeGreaterThan(0);
  });

  it('keeps a KHP handshake whole (401 round, 101, terminator), then applies the budget', () => {
    const { events, recorder } = setup(1);
    const rec = recorder.create('wss://x/?.kl=Y', ['x-kaazing-handshake'], 'p');
    recorder.open(rec, 'x-kaazing-handshake', '');
    const script: ['send' | 'receive', unknown][] = [
      ['send', 'GET /x HTTP/1.1\r\n\r\n'],
      ['receive', utf8Encode('HTTP/1.1 401 Unauthorized\r\n\r\n').buffer],
      ['receive', new ArrayBuffer(0)],
      ['send', 'GET /x HTTP/1.1\r\nAuthorization: Basic eA==\r\n\r\n'],
      ['receive', utf8Encode('HTTP/1.1 101 Web Socket Protocol Handshake\r\n\r\n').buffer],
      ['receive', new ArrayBuffer(0)],
      ['receive', 'app-1'],
      ['receive', 'app-2'],
      ['receive', 'app-3'],
    ];
    for (const [dir, data] of script) recorder.frame(rec, dir, data);
    recorder.reportDropped();
    expect(kept(events)).toHaveLength(7);
    expect(kept(events).at(-1)).toBe('app-1');
    expect(events.at(-1)).toMatchObject({ type: 'dropped', frames: 2 });
  });

  it('keeps everything with fullCapture', () => {
    const { events, recorder } = setup(1);
    recorder.settings = { fullCapture: true, frameBudget: 1 };
    const rec = recorder.create('wss://x/', [], 'p');
    recorder.open(rec, '', '');
    for (let i = 0; i < 5; i++) recorder.frame(rec, 'send', `m${i}`);
    expect(kept(events)).toHaveLength(5);
  });

  it('cuts payloads past the cap and marks them truncated, keeping the full size', async () => {
    const { events, recorder } = setup(10, 4);
    const rec = recorder.create('wss://x/', [], 'p');
    recorder.open(rec, '', '');
    recorder.frame(rec, 'receive', 'abcdefgh');
    recorder.frame(rec, 'receive', new Uint8Array([1, 2, 3, 4, 5, 6]));
    recorder.frame(rec, 'receive', new Blob(['123456789']));
    recorder.close(rec, 1000, '', true);
    await new Promise((r) => setTimeout(r, 10));
    const frames = events.filter((e) => e.type === 'frame');
    expect(frames.map((f) => [f.data, f.size, f.truncated])).toEqual([
      ['abcd', 8, true],
      ['AQIDBA==', 6, true],
      ['MTIzNA==', 9, true],
    ]);
    expect(events.at(-1)?.type).toBe('close');
  });

  it('does not read a Blob that is over budget', () => {
    const { events, recorder } = setup(0);
    const rec = recorder.create('wss://x/', [], 'p');
    recorder.open(rec, '', '');
    recorder.frame(rec, 'receive', new Blob(['12345']));
    recorder.reportDropped();
    expect(events.at(-1)).toMatchObject({ type: 'dropped', frames: 1, bytes: 5 });
  });
});

describe('Recorder payload previews', () => {
  const big = (n: number) => Uint8Array.from({ length: n }, (_, i) => i & 255);
  const khpSocket = (recorder: Recorder) => {
    const rec = recorder.create('wss://x/', ['x-kaazing-handshake'], 'p');
    recorder.open(rec, 'x-kaazing-handshake', '');
    recorder.frame(rec, 'send', `GET /x HTTP/1.1\r\nX-Pad: ${'p'.repeat(600)}\r\n\r\n`);
    recorder.frame(rec, 'receive', utf8Encode(`HTTP/1.1 101 OK\r\nX-Pad: ${'q'.repeat(600)}\r\n\r\n`));
    recorder.frame(rec, 'receive', big(700)); // balancer message: still the handshake
    return rec;
  };

  it('keeps handshake frames whole and only a preview of later frames in default mode', () => {
    const { events, recorder } = setup(10, undefined, 8);
    const rec = khpSocket(recorder);
    recorder.frame(rec, 'send', 'héllo wörld, a longer text');
    recorder.frame(rec, 'receive', big(1000));
    recorder.frame(rec, 'receive', 'short');
    const frames = events.filter((e) => e.type === 'frame');
    expect(frames.slice(0, 3).map((f) => [f.size, f.data.length > 600, f.truncated])).toEqual([
      [frames[0]!.size, true, undefined],
      [frames[1]!.size, true, undefined],
      [700, true, undefined],
    ]);
    expect(frames.slice(3).map((f) => [f.data, f.size, f.truncated])).toEqual([
      ['héllo wö', 28, true],
      ['AAECAwQFBgc=', 1000, true],
      ['short', 5, undefined],
    ]);
  });

  it('keeps whole payloads after the handshake with fullCapture', () => {
    const { events, recorder } = setup(10, undefined, 8);
    recorder.settings = { fullCapture: true, frameBudget: 10 };
    const rec = khpSocket(recorder);
    recorder.frame(rec, 'receive', big(1000));
    const last = events.at(-1);
    expect(last).toMatchObject({ type: 'frame', size: 1000 });
    expect(last?.type === 'frame' && last.truncated).toBeFalsy();
    expect(last?.type === 'frame' && last.data.length).toBe(1336);
  });

  it('reads only the kept prefix of a Blob after the handshake, in order', async () => {
    const events: CaptureEvent[] = [];
    const n = captureNatives(fakeWindow());
    const sliced: unknown[][] = [];
    const nativeSlice = n.blobSlice!;
    n.blobSlice = function (this: Blob, ...args: unknown[]) {
      sliced.push(args);
      return Reflect.apply(nativeSlice, this, args) as Blob;
    } as Blob['slice'];
    const settings = { fullCapture: false, frameBudget: 10 };
    const recorder = new Recorder(n, (e) => events.push(e), 'f', settings, { preview: 4 });
    const rec = recorder.create('wss://x/', [], 'p');
    recorder.open(rec, '', '');
    const blob = new Blob(['0123456789']);
    recorder.frame(rec, 'receive', blob);
    recorder.frame(rec, 'receive', 'after');
    await new Promise((r) => setTimeout(r, 10));
    expect(sliced).toEqual([[0, 4]]);
    const frames = events.filter((e) => e.type === 'frame');
    expect(frames.map((f) => [f.data, f.size, f.truncated])).toEqual([
      ['MDEyMw==', 10, true],
      ['afte', 5, true],
    ]);
  });

  it('does not convert frames past the budget, only counts their bytes', () => {
    const { events, recorder } = setup(1);
    const rec = recorder.create('wss://x/', [], 'p');
    recorder.open(rec, '', '');
    recorder.frame(rec, 'receive', 'kept');
    const view = new Uint8Array(new ArrayBuffer(64), 8, 40);
    recorder.frame(rec, 'receive', view);
    recorder.frame(rec, 'receive', new ArrayBuffer(10));
    recorder.frame(rec, 'receive', 'ü');
    recorder.reportDropped();
    expect(kept(events)).toEqual(['kept']);
    expect(events.at(-1)).toMatchObject({ type: 'dropped', frames: 3, bytes: 52 });
  });
});

describe('isCompletingResponse', () => {
  it.each([
    ['HTTP/1.1 101 Web Socket Protocol Handshake', true],
    ['HTTP/1.1 201 Created', true],
    ['HTTP/1.1 204 No Content', true],
    ['HTTP/1.1 205 Reset', true],
    ['HTTP/1.1 200 OK', false],
    ['HTTP/1.1 401 Unauthorized', false],
    ['HTTP/1.1 1010', false],
    ['GET / HTTP/1.1', false],
  ])('%s -> %s', (line, expected) => {
    expect(isCompletingResponse(utf8Encode(`${line}\r\n`).slice(0, 16))).toBe(expected);
  });
});
