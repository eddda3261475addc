/**
 * Section "witness": what the network witness costs the panel as a socket's network log grows, in
 * Node (the same store code the panel runs over what `getHAR` returns). One KHP socket only the
 * network saw, `frames` messages long: the first read (paired, shown as network only, every message
 * decoded), then one refresh with `step` new messages, read from where the last read stopped, next to
 * a fresh store reading the whole log again (what a reader without offsets would pay per update).
 */
import { base64Encode, utf8Encode } from '../../src/protocol/bytes';
import { defaultCore } from '../../src/panel/core';
import { PanelStore } from '../../src/panel/store/panel-store';
import { GRACE_MS } from '../../src/panel/store/witness';
import type { Figures } from '../lib/report';
import { median, nowMs } from '../lib/stats';

export interface WitnessOptions {
  frames: number;
  step: number;
  rounds: number;
  log: (line: string) => void;
}

/** A refresh should fit in one animation frame. */
const TARGET_MS = 16;

const T0 = Date.UTC(2026, 11, 3, 12);
const RESPONSE =
  'HTTP/1.1 101 Web Socket Protocol Handshake\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n';

/** Chromium's HAR entry of a KHP socket whose log holds `count` messages (handshake, then data). */
function entry(count: number): unknown {
  const messages: unknown[] = [
    { type: 'send', time: (T0 + 5) / 1000, opcode: 1, data: 'GET /khp HTTP/1.1\r\n\r\n' },
    { type: 'receive', time: (T0 + 6) / 1000, opcode: 2, data: base64Encode(utf8Encode(RESPONSE)) },
  ];
  for (let i = messages.length; i < count; i++) {
    const data = `{"op":"tick","topic":"prices.${i % 97}","seq":${i}}`;
    messages.push({ type: i % 2 ? 'send' : 'receive', time: (T0 + 10 + i) / 1000, opcode: 1, data });
  }
  return {
    _resourceType: 'websocket',
    startedDateTime: new Date(T0).toISOString(),
    request: {
      method: 'GET',
      url: 'ws://gw.test/khp',
      httpVersion: 'HTTP/1.1',
      headers: [
        { name: 'Sec-WebSocket-Key', value: 'bench==' },
        { name: 'Sec-WebSocket-Protocol', value: 'x-kaazing-handshake' },
      ],
    },
    response: {
      status: 101,
      statusText: 'Switching Protocols',
      headers: [{ name: 'Sec-WebSocket-Protocol', value: 'x-kaazing-handshake' }],
    },
    timings: { wait: 1 },
    _webSocketMessages: messages,
  };
}

/** A store that has read `log` and shown its socket as network only; returns it and the time taken. */
function firstRead(log: unknown): { store: PanelStore; ms: number; clock: { now: number } } {
  const clock = { now: T0 + 1000 };
  const store = new PanelStore(
    defaultCore,
    (flush) => flush(),
    () => clock.now,
  );
  const t = nowMs();
  store.network([log]);
  clock.now += GRACE_MS + 3100; // past the grace, and past waiting for a backlog that never comes
  store.network([log]);
  store.flush();
  const ms = nowMs() - t;
  const shown = store.getSnapshot().connections.length;
  if (shown !== 1) throw new Error(`witness bench: ${shown} sockets shown, expected 1`);
  return { store, ms, clock };
}

/** Runs the section and records its figures. */
export async function runWitnessBench(figures: Figures, opts: WitnessOptions): Promise<unknown> {
  const first: number[] = [];
  const step: number[] = [];
  const reread: number[] = [];
  for (let r = 0; r < opts.rounds; r++) {
    const before = entry(opts.frames);
    const after = entry(opts.frames + opts.step);
    const { store, ms } = firstRead(before);
    first.push(ms);
    const t = nowMs();
    store.network([after]);
    store.flush();
    step.push(nowMs() - t);
    const frames = store.getSnapshot().connections[0]!.frameCount;
    if (frames !== opts.frames + opts.step) throw new Error(`witness bench: ${frames} frames after the step`);
    reread.push(firstRead(after).ms);
  }
  const m = { first: median(first), step: median(step), reread: median(reread) };
  opts.log(
    `witness: first read of ${opts.frames} messages ${m.first.toFixed(1)} ms; +${opts.step} read from the offset ${m.step.toFixed(2)} ms, the whole log again ${m.reread.toFixed(1)} ms`,
  );
  figures.add('witness.firstReadMs', `first read, ${opts.frames} messages, decoded`, m.first, 'ms');
  figures.add('witness.stepMs', `refresh with ${opts.step} new messages (from the offset)`, m.step, 'ms', {
    op: '<=',
    value: TARGET_MS,
  });
  figures.add('witness.rereadMs', 'the same refresh reading the whole log again', m.reread, 'ms');
  figures.add(
    'witness.ratio.stepVsReread',
    'refresh from the offset / whole log again',
    m.step / m.reread,
    'x',
  );
  return { first, step, reread };
}
