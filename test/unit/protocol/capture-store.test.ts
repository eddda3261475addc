import { describe, expect, it } from 'vitest';
import type { CaptureEvent, CapturedSocket } from '../../../src/protocol/capture';
import { readCaptureFile, writeCaptureFile } from '../../../src/protocol/capture-file';
import { exportHar, importHar } from '../../../src/protocol/har';
import {
  applyEvent,
  applyEvents,
  captureStateFrom,
  createCaptureState,
  socketsToEvents,
} from '../../../src/protocol/capture-store';

const create: CaptureEvent = {
  type: 'create',
  socketId: 'f:1',
  time: 1000,
  url: 'ws://h/echo',
  protocols: ['x-kaazing-handshake'],
  pageUrl: 'http://h/',
};

describe('capture-store', () => {
  it('folds a socket life into one record', () => {
    const state = createCaptureState();
    applyEvents(state, [
      create,
      { type: 'open', socketId: 'f:1', time: 1010, protocol: 'x-kaazing-handshake', extensions: '' },
      {
        type: 'frame',
        socketId: 'f:1',
        dir: 'send',
        time: 1011,
        opcode: 1,
        data: 'GET / HTTP/1.1\r\n\r\n',
        size: 18,
      },
      { type: 'frame', socketId: 'f:1', dir: 'receive', time: 1012, opcode: 2, data: '', size: 0 },
      { type: 'close', socketId: 'f:1', time: 1100, code: 1000, reason: 'bye', wasClean: true },
    ]);
    expect(state.order).toHaveLength(1);
    const s = state.byId.get('f:1')!;
    expect(s.url).toBe('ws://h/echo');
    expect(s.pageUrl).toBe('http://h/');
    expect(s.protocol).toBe('x-kaazing-handshake');
    expect(s.frames.map((f) => f.dir)).toEqual(['send', 'receive']);
    expect(s.frames[0]).not.toHaveProperty('socketId');
    expect(s.close).toEqual({ time: 1100, code: 1000, reason: 'bye', wasClean: true });
  });

  it('keeps frames whose create was lost, and fills the record when create comes late', () => {
    const state = createCaptureState();
    const frame: CaptureEvent = {
      type: 'frame',
      socketId: 'x',
      dir: 'receive',
      time: 5,
      opcode: 1,
      data: 'a',
      size: 1,
    };
    expect(applyEvent(state, frame)?.frames).toHaveLength(1);
    expect(state.byId.get('x')!.url).toBe('');
    applyEvent(state, { ...create, socketId: 'x' });
    expect(state.byId.get('x')!.url).toBe('ws://h/echo');
    expect(state.byId.get('x')!.frames).toHaveLength(1);
    expect(applyEvent(state, { ...create, socketId: 'x', url: 'ws://other/' })).toBeNull();
    expect(state.byId.get('x')!.url).toBe('ws://h/echo');
  });

  it('ignores malformed events instead of throwing', () => {
    const state = createCaptureState();
    expect(applyEvent(state, null as unknown as CaptureEvent)).toBeNull();
    expect(applyEvent(state, { type: 'nope', socketId: 'a', time: 1 } as unknown as CaptureEvent)).toBeNull();
    expect(state.order).toHaveLength(0);
  });

  it('keeps dropped counts as running totals', () => {
    const state = createCaptureState();
    applyEvent(state, create);
    applyEvent(state, { type: 'dropped', socketId: 'f:1', time: 1, frames: 10, bytes: 100 });
    applyEvent(state, { type: 'dropped', socketId: 'f:1', time: 2, frames: 25, bytes: 300 });
    expect(state.byId.get('f:1')!.dropped).toEqual({ frames: 25, bytes: 300 });
  });

  it('socketsToEvents replays into equal records', () => {
    const sockets: CapturedSocket[] = [
      {
        id: 'a',
        url: 'ws://h/a',
        requestedProtocols: ['x-kaazing-handshake'],
        createdAt: 10,
        openedAt: 12,
        protocol: 'x-kaazing-handshake',
        extensions: 'permessage-deflate',
        frames: [
          { dir: 'send', time: 13, opcode: 1, data: 'hi', size: 2 },
          { dir: 'receive', time: 14, opcode: 2, data: 'AAE=', size: 2, truncated: true },
        ],
        close: { time: 20, code: 1000, reason: '', wasClean: true },
        dropped: { frames: 3, bytes: 9 },
      },
      { id: 'b', url: 'ws://h/b', requestedProtocols: [], createdAt: 11, frames: [], error: { time: 15 } },
    ];
    const state = captureStateFrom([]);
    applyEvents(state, socketsToEvents(sockets));
    expect(state.order.map((s) => s.id)).toEqual(['a', 'b']);
    expect(state.byId.get('a')).toEqual(sockets[0]);
    expect(state.byId.get('b')).toEqual(sockets[1]);
  });

  it('carries truncation marks onto the socket, and back into events, files and HAR', () => {
    const state = createCaptureState();
    applyEvents(state, [
      { ...create, truncatedFields: ['url', 'protocols'] },
      {
        type: 'open',
        socketId: 'f:1',
        time: 1010,
        protocol: 'p',
        extensions: 'e',
        truncatedFields: ['extensions', 'bogus' as 'url'],
      },
      { type: 'error', socketId: 'f:1', time: 1090, message: 'm', truncatedFields: ['message'] },
      {
        type: 'close',
        socketId: 'f:1',
        time: 1100,
        code: 1000,
        reason: 'r',
        wasClean: true,
        truncatedFields: ['reason', 'url'],
      },
    ]);
    const socket = state.byId.get('f:1')!;
    expect(socket.truncatedFields).toEqual(['url', 'protocols', 'extensions', 'message', 'reason']);
    const events = socketsToEvents([socket]);
    expect(events.map((e) => [e.type, 'truncatedFields' in e ? e.truncatedFields : undefined])).toEqual([
      ['create', ['url', 'protocols']],
      ['open', ['extensions']],
      ['error', ['message']],
      ['close', ['reason']],
    ]);
    const again = createCaptureState();
    applyEvents(again, events);
    expect(again.byId.get('f:1')).toEqual(socket);
    const file = JSON.parse(JSON.stringify(writeCaptureFile([socket], { redact: false })));
    expect(readCaptureFile(file)[0]!.truncatedFields).toEqual(socket.truncatedFields);
    const har = importHar(JSON.parse(JSON.stringify(exportHar([socket], { redact: false }))));
    expect(har.sockets[0]!.truncatedFields).toEqual(socket.truncatedFields);
  });

  it('folds paused/resumed into unrecorded spans, and keeps them through events, files (redacted too) and HAR', () => {
    const state = createCaptureState();
    applyEvents(state, [
      { type: 'create', socketId: 'f:2', time: 1000, url: 'wss://h.test/x', protocols: [] },
      { type: 'open', socketId: 'f:2', time: 1005, protocol: '', extensions: '' },
      { type: 'paused', socketId: 'f:2', time: 1005, reason: 'no-devtools' },
      { type: 'resumed', socketId: 'f:2', time: 2000, sent: 7 },
      { type: 'resumed', socketId: 'f:2', time: 2001, sent: 9 }, // no open span: ignored
      { type: 'paused', socketId: 'f:2', time: 2200, reason: 'held-full' },
      { type: 'resumed', socketId: 'f:2', time: 2300, sent: 3, received: 4 },
      { type: 'paused', socketId: 'f:2', time: 2500, reason: 'budget' },
    ]);
    const socket = state.byId.get('f:2')!;
    expect(socket.unrecorded).toEqual([
      { from: 1005, to: 2000, reason: 'no-devtools', sent: 7 },
      { from: 2200, to: 2300, reason: 'held-full', sent: 3, received: 4 },
      { from: 2500, reason: 'budget', sent: 0 },
    ]);
    const again = createCaptureState();
    applyEvents(again, socketsToEvents([socket]));
    expect(again.byId.get('f:2')!.unrecorded).toEqual(socket.unrecorded);
    for (const redact of [false, true]) {
      const file = JSON.parse(JSON.stringify(writeCaptureFile([socket], { redact })));
      expect(readCaptureFile(file)[0]!.unrecorded).toEqual(socket.unrecorded);
    }
    const har = importHar(JSON.parse(JSON.stringify(exportHar([socket], { redact: false }))));
    expect(har.sockets[0]!.unrecorded).toEqual(socket.unrecorded);
    const bad = JSON.parse(JSON.stringify(writeCaptureFile([socket], { redact: false })));
    bad.sockets[0].unrecorded = [
      { from: 'x', reason: 'budget' },
      { from: 1, reason: 'other' },
      5,
      { from: 3, reason: 'budget', sent: -2 },
    ];
    expect(readCaptureFile(bad)[0]!.unrecorded).toEqual([{ from: 3, reason: 'budget', sent: 0 }]);
  });

  it('is O(1) per frame: 100,000 frames fold quickly', () => {
    const state = createCaptureState();
    applyEvent(state, create);
    const t0 = performance.now();
    for (let i = 0; i < 100_000; i++) {
      applyEvent(state, {
        type: 'frame',
        socketId: 'f:1',
        dir: 'receive',
        time: i,
        opcode: 1,
        data: 'x',
        size: 1,
      });
    }
    expect(state.byId.get('f:1')!.frames).toHaveLength(100_000);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
