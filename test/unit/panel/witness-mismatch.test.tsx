// @vitest-environment happy-dom
/** The panel over the real core, where the hook's and the network's frames of a socket disagree. */
import { act, cleanup, fireEvent, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultCore } from '../../../src/panel/core';
import { memoryPrefs } from '../../../src/panel/prefs';
import { renderPanel } from './render-panel';
import type { CaptureEvent } from '../../../src/protocol/capture';
import { base64Encode, utf8Encode } from '../../../src/protocol/bytes';

afterEach(cleanup);

const KHP = 'x-kaazing-handshake';
const T0 = Date.parse('2026-01-02T03:04:05.000Z');
const URL_ = 'ws://h.test/khp';
const RESPONSE = utf8Encode('HTTP/1.1 101 OK\r\n\r\n');
const LONG = 'A'.repeat(1000);

const frame = (dir: 'send' | 'receive', at: number, opcode: 1 | 2, data: string, more = {}) =>
  ({
    type: 'frame',
    socketId: 'p:1',
    dir,
    time: T0 + at,
    opcode,
    data,
    size: data.length,
    ...more,
  }) as CaptureEvent;
const message = (type: 'send' | 'receive', at: number, opcode: 1 | 2, data: string) => ({
  type,
  time: (T0 + at) / 1000,
  opcode,
  data,
});

/** The hook's record: a KHP handshake, a received frame kept as a 256-character preview, a send. */
const HOOK: CaptureEvent[] = [
  { type: 'create', socketId: 'p:1', time: T0, url: URL_, protocols: [KHP] },
  { type: 'open', socketId: 'p:1', time: T0 + 5, protocol: KHP, extensions: '' },
  frame('send', 10, 1, 'GET /khp HTTP/1.1\r\n\r\n'),
  frame('receive', 20, 2, base64Encode(RESPONSE), { size: RESPONSE.length }),
  frame('receive', 30, 2, ''),
  frame('receive', 100, 1, LONG.slice(0, 256), { size: 1000, truncated: true }),
  frame('send', 300, 1, 'seen'),
];

/** The network's entry of the same socket: the whole payload, and a send the hook never saw. */
const ENTRY = {
  _resourceType: 'websocket',
  startedDateTime: new Date(T0 + 1).toISOString(),
  request: {
    method: 'GET',
    url: URL_,
    headers: [
      { name: 'Sec-WebSocket-Key', value: 'k1' },
      { name: 'Sec-WebSocket-Protocol', value: KHP },
    ],
  },
  response: { status: 101, headers: [{ name: 'Sec-WebSocket-Protocol', value: KHP }] },
  timings: { wait: 3 },
  _webSocketMessages: [
    message('send', 11, 1, 'GET /khp HTTP/1.1\r\n\r\n'),
    message('receive', 21, 2, base64Encode(RESPONSE)),
    message('receive', 31, 2, ''),
    message('receive', 101, 1, LONG),
    message('send', 200, 1, 'past the hook'),
    message('send', 301, 1, 'seen'),
  ],
};

function renderWitnessed() {
  const utils = renderPanel([], memoryPrefs(), { core: defaultCore, now: () => T0 + 9000, events: HOOK });
  act(() => void utils.store.network([ENTRY], true));
  return utils;
}

describe('a socket whose hook and network records disagree', () => {
  it('is marked in its row and explained in Findings, with a way to the first frame concerned', () => {
    const { container } = renderWitnessed();
    const row = container.querySelector<HTMLElement>('[data-id="p:1"]')!;
    const tag = row.querySelector('.tag.mismatch')!;
    expect(tag.textContent).toBe('network disagrees');
    fireEvent.click(row);
    fireEvent.click(screen.getByRole('tab', { name: /Findings/ }));
    const finding = Array.from(container.querySelectorAll('.finding')).find((f) =>
      f.textContent!.includes('capture-network-mismatch'),
    )!;
    expect(finding.querySelector('.finding-msg')!.textContent).toBe(
      'The page hook and the network disagree: 1 frame(s) only the network saw (5 agree). ' +
        'First: a sent frame, before frame #4: the network carried a frame the page hook did not record.',
    );
    fireEvent.click(screen.getByRole('button', { name: 'frame #4' }));
    expect(screen.getByRole('region', { name: 'Frame 4' })).toBeTruthy();
  });

  it("says so in Messages too, and offers the network's whole payload of a frame the hook kept a preview of", () => {
    const { container } = renderWitnessed();
    fireEvent.click(container.querySelector('[data-id="p:1"]')!);
    fireEvent.click(screen.getByRole('tab', { name: /Messages/ }));
    const note = container.querySelector('.mismatch-note')!;
    expect(note.textContent).toContain('1 frame(s) only the network saw');
    fireEvent.click(within(note as HTMLElement).getByRole('button', { name: 'Show frame #4' }));
    expect(screen.getByRole('region', { name: 'Frame 4' })).toBeTruthy();
    fireEvent.click(container.querySelector('#frame-row-3')!);
    const viewer = screen.getByRole('region', { name: 'Frame 3' });
    expect(viewer.querySelector('.banner')!.textContent).toContain('Only the first 256 B of');
    fireEvent.click(screen.getByRole('button', { name: 'Show the payload from the network' }));
    expect(viewer.querySelector('.banner')!.textContent).toContain('Payload from the network, whole.');
    expect(viewer.textContent).toContain(LONG);
    fireEvent.click(screen.getByRole('button', { name: 'Show the captured preview' }));
    expect(viewer.textContent).not.toContain(LONG);
  });
});
