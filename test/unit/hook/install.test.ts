import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installHook } from '../../../src/hook/install';
import { installMasks } from '../../../src/hook/masks';
import { captureNatives } from '../../../src/hook/natives';
import { Recorder } from '../../../src/hook/recorder';
import type { CaptureEvent } from '../../../src/protocol/capture';
import { FakeWebSocket, constructed, fakeWindow } from './fake-window';

const nativeToString = Function.prototype.toString;
const sendDescriptor = Object.getOwnPropertyDescriptor(FakeWebSocket.prototype, 'send')!;
const ctorDescriptor = Object.getOwnPropertyDescriptor(FakeWebSocket.prototype, 'constructor')!;
const stopDescriptor = Object.getOwnPropertyDescriptor(Event.prototype, 'stopImmediatePropagation')!;
const messageDescriptor = Object.getOwnPropertyDescriptor(FakeWebSocket.prototype, 'onmessage')!;

let win: typeof globalThis;
let events: CaptureEvent[];
let WS: typeof WebSocket;

beforeEach(() => {
  win = fakeWindow();
  events = [];
  constructed.length = 0;
  const n = captureNatives(win);
  const recorder = new Recorder(n, (e) => events.push(e), 'tok', {
    fullCapture: false,
    frameBudget: 1000,
    live: true,
  });
  expect(installHook(win, n, recorder, installMasks(win, n))).toBe(true);
  WS = win.WebSocket;
});

afterEach(() => {
  Object.defineProperty(Function.prototype, 'toString', { value: nativeToString });
  Object.defineProperty(FakeWebSocket.prototype, 'send', sendDescriptor);
  Object.defineProperty(FakeWebSocket.prototype, 'constructor', ctorDescriptor);
  Object.defineProperty(Event.prototype, 'stopImmediatePropagation', stopDescriptor);
  Object.defineProperty(FakeWebSocket.prototype, 'onmessage', messageDescriptor);
});

describe('installHook: the page cannot tell', () => {
  it('returns the native instance with the native prototype, constants and instanceof', () => {
    expect(WS).not.toBe(FakeWebSocket);
    const ws = new WS('wss://h.test/x');
    expect(Object.getPrototypeOf(ws)).toBe(FakeWebSocket.prototype);
    expect(ws).toBeInstanceOf(WS);
    expect(ws).toBeInstanceOf(FakeWebSocket);
    expect(ws.constructor).toBe(WS);
    expect(WS.prototype).toBe(FakeWebSocket.prototype);
    expect([WS.CONNECTING, WS.OPEN, WS.CLOSING, WS.CLOSED]).toEqual([0, 1, 2, 3]);
    expect(WS.name).toBe('FakeWebSocket');
    expect(WS.length).toBe(FakeWebSocket.length);
    expect(Object.getOwnPropertyNames(WS)).toEqual(Object.getOwnPropertyNames(FakeWebSocket));
  });

  it('prints as the native function through Function.prototype.toString', () => {
    expect(Function.prototype.toString.call(WS)).toBe(nativeToString.call(FakeWebSocket));
    expect(String(WS.prototype.send)).toBe(nativeToString.call(sendDescriptor.value));
    expect(Function.prototype.toString.toString()).toBe(nativeToString.call(nativeToString));
    expect(() => Function.prototype.toString.call({})).toThrow(TypeError);
  });

  it('passes the arguments list on untouched: absent protocols stay absent', () => {
    new WS('wss://h.test/a');
    new WS('wss://h.test/b', undefined);
    new WS('wss://h.test/c', ['p1', 'p2']);
    expect(constructed.map((c) => c.argc)).toEqual([1, 2, 2]);
    expect(constructed[2]!.args[1]).toEqual(['p1', 'p2']);
    const creates = events.filter((e) => e.type === 'create');
    expect(creates.map((e) => (e.type === 'create' ? e.protocols : null))).toEqual([[], [], ['p1', 'p2']]);
  });

  it('lets constructor errors through unchanged and records nothing for them', () => {
    expect(() => new WS('http://bad')).toThrow(SyntaxError);
    expect(() => new WS('http://bad')).toThrow("The URL 'http://bad' is invalid.");
    expect(() => (WS as unknown as () => void)()).toThrow(TypeError);
    expect(events).toEqual([]);
  });

  it('supports subclasses', () => {
    class Sub extends WS {}
    const s = new Sub('wss://h.test/s');
    expect(s).toBeInstanceOf(Sub);
    expect(s).toBeInstanceOf(WS);
    expect(events[0]?.type).toBe('create');
  });

  it('propagates send exceptions as they are and records only accepted sends', () => {
    const ws = new WS('wss://h.test/x') as unknown as FakeWebSocket;
    let thrown: unknown;
    try {
      ws.send('early');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(DOMException);
    expect((thrown as DOMException).name).toBe('InvalidStateError');
    ws.fakeOpen('');
    ws.send('hello');
    expect(ws.sent).toEqual(['hello']);
    ws.fakeClose(1000, '');
    ws.send('discarded after close');
    expect(events.filter((e) => e.type === 'frame')).toHaveLength(1);
  });

  it('records open, frames and close in order without re-dispatching page listeners', async () => {
    const ws = new WS('wss://h.test/x') as unknown as FakeWebSocket;
    const seen: string[] = [];
    ws.addEventListener('message', (e) => seen.push(String((e as MessageEvent).data)));
    ws.fakeOpen('x-kaazing-handshake', 'permessage-deflate');
    ws.send(new Uint8Array([1, 2, 3]));
    ws.fakeReceive(new Blob([new Uint8Array([9, 8])]));
    ws.fakeReceive('after-blob');
    ws.fakeClose(1000, 'bye');
    await new Promise((r) => setTimeout(r, 10));
    expect(seen).toEqual(['[object Blob]', 'after-blob']);
    expect(events.map((e) => e.type)).toEqual(['create', 'open', 'frame', 'frame', 'frame', 'close']);
    const frames = events.filter((e) => e.type === 'frame');
    expect(frames.map((f) => [f.dir, f.opcode, f.data])).toEqual([
      ['send', 2, 'AQID'],
      ['receive', 2, 'CQg='],
      ['receive', 1, 'after-blob'],
    ]);
    expect(events[1]).toMatchObject({ protocol: 'x-kaazing-handshake', extensions: 'permessage-deflate' });
    expect(events[5]).toMatchObject({ code: 1000, reason: 'bye', wasClean: true });
    expect(events[0]).toMatchObject({ url: 'wss://h.test/x', pageUrl: 'https://page.test/app' });
    expect(events[0]!.socketId).toMatch(/^tok:\d+$/);
  });
});

describe('installHook: never throws into the page', () => {
  it('keeps send and events working when the recorder fails', () => {
    win = fakeWindow();
    const n = captureNatives(win);
    const recorder = new Recorder(
      n,
      () => {
        throw new Error('sink broke');
      },
      't',
      { fullCapture: false, frameBudget: 10, live: true },
    );
    installHook(win, n, recorder, installMasks(win, n));
    recorder.apply({ fullCapture: false, frameBudget: 1000, live: false });
    const ws = new win.WebSocket('wss://h.test/x') as unknown as FakeWebSocket;
    ws.fakeOpen('');
    expect(() => ws.send('x')).not.toThrow();
    expect(() => ws.fakeReceive('y')).not.toThrow();
    expect(ws.sent).toEqual(['x']);
  });
});

/** A fresh window whose hook knows that DevTools is closed (default capture): sockets pause at open. */
function hookWithDevToolsClosed(): Recorder {
  win = fakeWindow();
  events = [];
  const n = captureNatives(win);
  const settings = { fullCapture: false, frameBudget: 1000, live: false };
  const recorder = new Recorder(n, (e) => events.push(e), 'tok', settings);
  installHook(win, n, recorder, installMasks(win, n));
  recorder.apply(settings);
  return recorder;
}

describe('installHook: the onmessage slot', () => {
  const frames = () => events.filter((e) => e.type === 'frame').map((f) => f.type === 'frame' && f.data);
  /** What the browser's own slot holds (the native getter). */
  const browserSlot = (ws: object) => messageDescriptor.get!.call(ws);

  it('answers with what the page set, prints as the native accessor, and passes other receivers on', () => {
    const ws = new WS('wss://h.test/x');
    const fn = () => {};
    const obj = {};
    const seen: unknown[] = [ws.onmessage];
    for (const v of ['text', fn, 5, obj, undefined, fn]) {
      (ws as unknown as { onmessage: unknown }).onmessage = v;
      seen.push(ws.onmessage);
    }
    expect(seen).toEqual([null, null, fn, null, obj, null, fn]);
    const d = Object.getOwnPropertyDescriptor(FakeWebSocket.prototype, 'onmessage')!;
    expect(d.get).not.toBe(messageDescriptor.get);
    expect([d.get!.name, d.set!.name, d.get!.length, d.set!.length]).toEqual([
      'get onmessage',
      'set onmessage',
      0,
      1,
    ]);
    expect(Function.prototype.toString.call(d.set)).toBe(nativeToString.call(messageDescriptor.set));
    expect([d.enumerable, d.configurable]).toEqual([
      messageDescriptor.enumerable,
      messageDescriptor.configurable,
    ]);
    // Not a socket of this hook: the native accessor answers (here: the fake's private field throws).
    expect(() => d.get!.call({})).toThrow(TypeError);
  });

  it("records each message once and calls the page's handler as the browser would", () => {
    const ws = new WS('wss://h.test/x') as unknown as FakeWebSocket;
    const calls: unknown[] = [];
    ws.onmessage = function (this: unknown, e: MessageEvent) {
      calls.push([this === ws, e.data, arguments.length]);
      return false;
    };
    ws.fakeOpen('x-kaazing-handshake');
    ws.fakeReceive('one');
    (ws as unknown as { onmessage: unknown }).onmessage = { handleEvent: () => calls.push('handleEvent') };
    ws.fakeReceive('two');
    expect(calls).toEqual([[true, 'one', 1]]);
    expect(frames()).toEqual(['one', 'two']);
  });

  it("leaves the page's own handler in the browser's slot while the socket is paused", () => {
    const paused = hookWithDevToolsClosed();
    const ws = new win.WebSocket('wss://h.test/x') as unknown as FakeWebSocket;
    const fn = () => {};
    ws.onmessage = fn;
    expect(browserSlot(ws)).not.toBe(fn); // before open: wanted (the handshake, if any)
    ws.fakeOpen(''); // not KHP, DevTools closed: paused
    expect(browserSlot(ws)).toBe(fn);
    ws.onmessage = null;
    expect(browserSlot(ws)).toBe(null);
    paused.apply({ fullCapture: false, frameBudget: 1000, live: true });
    expect(browserSlot(ws)).toBe(null); // resumed: the hook's own listener, the page's slot still empty
    expect(ws.onmessage).toBe(null);
    ws.fakeReceive('after-resume');
    expect(frames()).toEqual(['after-resume']);
  });
});

describe('installHook: what the page dispatches or stops', () => {
  // The browsers' order (the hook's handler, set again on resume, runs after the page's listeners) is
  // tested in real Chromium and Firefox (test/e2e/hook-attacks.test.ts): Node's EventTarget puts a
  // listener removed and added back where it was.
  it("records a message once when the hook's handler ran before the page stopped it", () => {
    const ws = new WS('wss://h.test/x') as unknown as FakeWebSocket;
    ws.addEventListener('message', (e) => e.stopImmediatePropagation());
    ws.fakeOpen('x-kaazing-handshake');
    ws.fakeReceive('once');
    expect(events.filter((e) => e.type === 'frame').map((f) => f.type === 'frame' && f.data)).toEqual([
      'once',
    ]);
  });

  it("records a message once when a page listener stops it before the hook's, added back on resume, has run", () => {
    const recorder = hookWithDevToolsClosed();
    const ws = new win.WebSocket('wss://h.test/x') as unknown as FakeWebSocket;
    ws.addEventListener('message', (e) => e.stopImmediatePropagation());
    ws.fakeOpen(''); // not KHP, DevTools closed: paused from its open
    recorder.apply({ fullCapture: false, frameBudget: 1000, live: true });
    ws.fakeReceive('after-resume');
    expect(events.map((e) => e.type)).toEqual(['create', 'open', 'paused', 'resumed', 'frame']);
  });

  it('ignores events the page dispatches on a socket, stopped or not', () => {
    const ws = new WS('wss://h.test/x') as unknown as FakeWebSocket;
    ws.addEventListener('message', (e) => e.stopImmediatePropagation());
    ws.fakeOpen('x-kaazing-handshake');
    ws.dispatchEvent(new MessageEvent('message', { data: 'forged' }));
    ws.dispatchEvent(new Event('close'));
    ws.dispatchEvent(new Event('error'));
    ws.dispatchEvent(new Event('open'));
    expect(events.map((e) => e.type)).toEqual(['create', 'open']);
  });

  it('stops as the native does, for any event, and prints as the native', () => {
    const target = new EventTarget();
    const calls: string[] = [];
    target.addEventListener('x', (e) => {
      calls.push('first');
      e.stopImmediatePropagation();
    });
    target.addEventListener('x', () => calls.push('second'));
    target.dispatchEvent(new Event('x'));
    expect(calls).toEqual(['first']);
    expect(Event.prototype.stopImmediatePropagation).not.toBe(stopDescriptor.value);
    expect(Function.prototype.toString.call(Event.prototype.stopImmediatePropagation)).toBe(
      nativeToString.call(stopDescriptor.value),
    );
    expect(Event.prototype.stopImmediatePropagation.length).toBe(0);
  });
});
