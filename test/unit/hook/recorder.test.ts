import { describe, expect, it } from 'vitest';
import { captureNatives } from '../../../src/hook/natives';
import { Recorder, type RecorderSettings } from '../../../src/hook/recorder';
import { isCompletingResponse } from '../../../src/hook/payload';
import { readStatus } from '../../../src/protocol/status-codes';
import { utf8Encode } from '../../../src/protocol/bytes';
import type { CaptureEvent } from '../../../src/protocol/capture';
import { fakeWindow } from './fake-window';

function setup(settings: Partial<RecorderSettings> = {}, maxPayload?: number, preview?: number) {
  const events: CaptureEvent[] = [];
  const listening: boolean[] = [];
  const recorder = new Recorder(
    captureNatives(fakeWindow()),
    (e) => events.push(e),
    'f',
    { fullCapture: false, frameBudget: 1000, live: true, ...settings },
    { maxPayload, preview },
  );
  // As the background's answer to the relay's hello would: the settings are known from here on.
  recorder.apply(recorder.settings);
  const create = (url = 'wss://x/', protocols: string[] = []) => {
    const rec = recorder.create(url, protocols, 'p');
    rec.listen = (on) => void listening.push(on);
    return rec;
  };
  return { events, recorder, create, listening };
}

const kept = (events: CaptureEvent[]) =>
  events.filter((e) => e.type === 'frame').map((e) => (e.type === 'frame' ? e.data : ''));
const types = (events: CaptureEvent[]) => events.map((e) => e.type);

describe('Recorder: what is recorded after the handshake', () => {
  it('with DevTools open, keeps frameBudget frames, then pauses (stops listening) and counts sends', () => {
    const { events, recorder, create, listening } = setup({ frameBudget: 2 });
    const rec = create();
    recorder.open(rec, '', '');
    for (const s of ['a', 'bb']) recorder.frame(rec, 'receive', s);
    expect(listening).toEqual([false]);
    recorder.frame(rec, 'send', 'ccc');
    recorder.frame(rec, 'send', 'dddd');
    recorder.close(rec, 1000, '', true);
    expect(kept(events)).toEqual(['a', 'bb']);
    expect(types(events)).toEqual(['create', 'open', 'frame', 'frame', 'paused', 'resumed', 'close']);
    expect(events[4]).toMatchObject({ reason: 'budget' });
    expect(events[5]).toMatchObject({ sent: 2 });
  });

  it('with DevTools closed, pauses a plain socket at open and a KHP socket when its handshake is over', () => {
    const { events, recorder, create } = setup({ live: false });
    const plain = create();
    recorder.open(plain, '', '');
    recorder.frame(plain, 'receive', 'not recorded');
    const khp = create('wss://x/?.kl=Y', ['x-kaazing-handshake']);
    recorder.open(khp, 'x-kaazing-handshake', '');
    const script: ['send' | 'receive', unknown][] = [
      ['send', 'GET /x HTTP/1.1\r\n\r\n'],
      ['receive', utf8Encode('HTTP/1.1 401 Unauthorized\r\n\r\n').buffer],
      ['receive', new ArrayBuffer(0)],
      ['send', 'GET /x HTTP/1.1\r\nAuthorization: Basic eA==\r\n\r\n'],
      ['receive', utf8Encode('HTTP/1.1 101 Web Socket Protocol Handshake\r\n\r\n').buffer],
      ['receive', new ArrayBuffer(0)],
      ['receive', 'app-1'],
    ];
    for (const [dir, data] of script) recorder.frame(khp, dir, data);
    expect(kept(events)).toHaveLength(6);
    const paused = events.filter((e) => e.type === 'paused');
    expect(paused.map((e) => [e.socketId, e.type === 'paused' && e.reason])).toEqual([
      ['f:1', 'no-devtools'],
      ['f:2', 'no-devtools'],
    ]);
  });

  it('resumes paused sockets when DevTools opens, and pauses them again when it closes', () => {
    const { events, recorder, create, listening } = setup({ live: false });
    const rec = create();
    recorder.open(rec, '', '');
    recorder.frame(rec, 'send', 'while paused');
    recorder.apply({ fullCapture: false, frameBudget: 1000, live: true });
    recorder.frame(rec, 'receive', 'recorded');
    recorder.apply({ fullCapture: false, frameBudget: 1000, live: false });
    expect(listening).toEqual([false, true, false]);
    expect(types(events)).toEqual(['create', 'open', 'paused', 'resumed', 'frame', 'paused']);
    expect(events[3]).toMatchObject({ sent: 1 });
    expect(kept(events)).toEqual(['recorded']);
  });

  it('keeps everything with fullCapture, DevTools open or not (closed: held until it opens)', () => {
    const { events, recorder, create } = setup({ fullCapture: true, frameBudget: 1, live: false });
    const rec = create();
    recorder.open(rec, '', '');
    for (let i = 0; i < 5; i++) recorder.frame(rec, 'send', `m${i}`);
    expect(kept(events)).toEqual([]);
    expect(recorder.heldEntries).toBe(5);
    recorder.apply({ ...recorder.settings, live: true });
    expect(kept(events)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    expect(types(events)).not.toContain('paused');
    recorder.frame(rec, 'send', 'live');
    expect(kept(events)).toHaveLength(6);
  });

  it('cuts payloads past the cap and marks them truncated, keeping the full size', async () => {
    const { events, recorder, create } = setup({ fullCapture: true }, 4);
    const rec = create();
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
});

describe('Recorder before its settings arrive', () => {
  it('records as if DevTools were open (within the budget) until the first settings, then follows them', () => {
    const events: CaptureEvent[] = [];
    const settings = { fullCapture: false, frameBudget: 1000, live: false };
    const recorder = new Recorder(captureNatives(fakeWindow()), (e) => events.push(e), 'f', settings);
    const rec = recorder.create('wss://x/', [], 'p');
    recorder.open(rec, '', '');
    recorder.frame(rec, 'receive', 'early');
    recorder.apply(settings);
    recorder.frame(rec, 'receive', 'late');
    expect(kept(events)).toEqual(['early']);
    expect(types(events)).toEqual(['create', 'open', 'frame', 'paused']);
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
    const { events, recorder } = setup({ frameBudget: 10 }, undefined, 8);
    const rec = khpSocket(recorder);
    recorder.frame(rec, 'send', 'héllo wörld, a longer text');
    recorder.frame(rec, 'receive', big(1000));
    recorder.frame(rec, 'receive', 'short');
    const frames = events.filter((e) => e.type === 'frame');
    expect(frames.slice(0, 3).map((f) => [f.size, f.data.length > 600, f.truncated])).toEqual([
      [frames[0]!.size, true, false],
      [frames[1]!.size, true, false],
      [700, true, false],
    ]);
    expect(frames.slice(3).map((f) => [f.data, f.size, f.truncated])).toEqual([
      ['héllo wö', 28, true],
      ['AAECAwQFBgc=', 1000, true],
      ['short', 5, false],
    ]);
  });

  it('keeps whole payloads after the handshake with fullCapture', () => {
    const { events, recorder } = setup({ fullCapture: true, frameBudget: 10 }, undefined, 8);
    const rec = khpSocket(recorder);
    recorder.frame(rec, 'receive', big(1000));
    const last = events.at(-1);
    expect(last).toMatchObject({ type: 'frame', size: 1000, truncated: false });
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
    const settings = { fullCapture: false, frameBudget: 10, live: true };
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

  it('reads typed-array views and DataViews by brand, only their own bytes', () => {
    const { events, recorder, create } = setup({ fullCapture: true });
    const rec = create();
    recorder.open(rec, '', '');
    const buffer = new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7]).buffer;
    recorder.frame(rec, 'send', new Uint8Array(buffer, 2, 3));
    recorder.frame(rec, 'send', new DataView(buffer, 5, 2));
    recorder.frame(rec, 'send', { byteLength: 3 });
    expect(
      events.filter((e) => e.type === 'frame').map((f) => f.type === 'frame' && [f.data, f.size]),
    ).toEqual([
      ['AgME', 3],
      ['BQY=', 2],
      ['', 0],
    ]);
  });
});

describe('isCompletingResponse', () => {
  const n = captureNatives(fakeWindow());
  it.each([
    ['HTTP/1.1 101 Web Socket Protocol Handshake', true],
    ['HTTP/1.1 201 Created', true],
    ['HTTP/1.1 204 No Content', true],
    ['HTTP/1.0 205 Reset', true],
    ['HTTP/1.1 101\r\n', true],
    ['HTTP/1.1 200 OK', false],
    ['HTTP/1.1 401 Unauthorized', false],
    ['HTTP/1.1 1010', false],
    ['HTTP/1.2 101 x', false],
    ['GET / HTTP/1.1', false],
  ])('%s -> %s', (line, expected) => {
    expect(isCompletingResponse(utf8Encode(`${line}\r\n`).slice(0, 16), n)).toBe(expected);
    expect(isCompletingResponse(`${line}\r\n`, n)).toBe(expected);
  });

  it("is the hook's hardened twin of the status table: the same codes complete, 000 to 999", () => {
    for (let code = 0; code <= 999; code++) {
      const written = String(code).padStart(3, '0');
      const completes = readStatus(written).action === 'completed';
      expect(isCompletingResponse(`HTTP/1.1 ${written} Reason\r\n`, n), written).toBe(completes);
    }
  });
});
