/** The hook reads the replay marker of the page runner and puts `replayOf` on the socket's create event. */
import { beforeEach, expect, it } from 'vitest';
import { installHook } from '../../../src/hook/install';
import { installMasks } from '../../../src/hook/masks';
import { captureNatives } from '../../../src/hook/natives';
import { Recorder } from '../../../src/hook/recorder';
import type { CaptureEvent } from '../../../src/protocol/capture';
import { replayMarker } from '../../../src/replay/marker';
import { constructed, fakeWindow } from '../hook/fake-window';

let events: CaptureEvent[];
let WS: new (...args: unknown[]) => WebSocket;

beforeEach(() => {
  const win = fakeWindow();
  events = [];
  constructed.length = 0;
  const n = captureNatives(win);
  installHook(
    win,
    n,
    new Recorder(n, (e) => events.push(e), 'tok', { fullCapture: false, frameBudget: 1000, live: true }),
    installMasks(win, n),
  );
  WS = win.WebSocket as unknown as new (...args: unknown[]) => WebSocket;
});

it('marks a socket created with the replay marker, and only that one', () => {
  new WS('wss://h.test/a', ['x-kaazing-handshake']);
  new WS('wss://h.test/b', ['x-kaazing-handshake'], replayMarker('tok:1'));
  new WS('wss://h.test/c', ['x-kaazing-handshake'], 'something else');
  const creates = events.filter((e) => e.type === 'create');
  expect(creates.map((e) => (e.type === 'create' ? e.replayOf : null))).toEqual([
    undefined,
    'tok:1',
    undefined,
  ]);
  expect(creates[0]).not.toHaveProperty('replayOf');
  // The native constructor gets the arguments as given (it ignores the third).
  expect(constructed[1]!.args).toEqual(['wss://h.test/b', ['x-kaazing-handshake'], replayMarker('tok:1')]);
});
