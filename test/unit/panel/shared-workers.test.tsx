// @vitest-environment happy-dom
/** The panel over the real core: a shared worker's socket read through the debugger, and the switch. */
import { act, cleanup, fireEvent, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultCore } from '../../../src/panel/core';
import { memoryPrefs } from '../../../src/panel/prefs';
import { GRACE_MS } from '../../../src/panel/store/witness';
import { base64Encode, utf8Encode } from '../../../src/protocol/bytes';
import { renderPanel } from './render-panel';

afterEach(cleanup);

const KHP = 'x-kaazing-handshake';
const T0 = Date.parse('2026-01-02T03:04:05.000Z');
const WORKER = { kind: 'shared', url: 'http://h.test/shared.js' } as const;

/** What the debugger's watch gives for a shared worker's KHP socket (cdp-sockets.ts). */
const ENTRY = {
  _resourceType: 'websocket',
  _khpWorker: WORKER,
  startedDateTime: new Date(T0).toISOString(),
  request: {
    method: 'GET',
    url: 'ws://h.test/khp',
    headers: [
      { name: 'Sec-WebSocket-Key', value: 'k1' },
      { name: 'Sec-WebSocket-Protocol', value: KHP },
    ],
  },
  response: { status: 101, headers: [{ name: 'Sec-WebSocket-Protocol', value: KHP }] },
  timings: { wait: 3 },
  _webSocketMessages: [
    { type: 'send', time: T0 / 1000 + 0.01, opcode: 1, data: 'GET /khp HTTP/1.1\r\n\r\n' },
    {
      type: 'receive',
      time: T0 / 1000 + 0.02,
      opcode: 2,
      data: base64Encode(utf8Encode('HTTP/1.1 101 OK\r\n\r\n')),
    },
    { type: 'receive', time: T0 / 1000 + 0.03, opcode: 2, data: '' },
  ],
};

describe("a shared worker's socket", () => {
  it("is listed as the worker's and network only, and its Handshake tab says where it came from", () => {
    let now = T0 + 100;
    const { container, store } = renderPanel([], memoryPrefs(), {
      core: defaultCore,
      now: () => now,
      events: [],
    });
    act(() => void store.network([ENTRY], false));
    now += GRACE_MS;
    act(() => void store.network([ENTRY], false));
    const row = container.querySelector<HTMLElement>('.conn-row')!;
    expect(Array.from(row.querySelectorAll('.tag')).map((t) => t.textContent)).toEqual([
      'worker',
      'network only',
    ]);
    expect(row.querySelector('.tag.worker')!.getAttribute('title')).toBe(
      'Opened in a shared worker: http://h.test/shared.js',
    );
    fireEvent.click(row);
    fireEvent.click(screen.getByRole('tab', { name: /Handshake/ }));
    const banner = Array.from(container.querySelectorAll('.banner')).find((b) =>
      b.textContent!.includes('Only the network saw this socket'),
    )!;
    expect(banner.textContent).toContain("a shared worker's, which the page hook does not go into");
  });
});

describe('the Shared workers switch', () => {
  it('is absent where the host has none, and follows the host where it has one', async () => {
    const plain = renderPanel([], memoryPrefs(), { core: defaultCore, events: [] });
    expect(screen.queryByLabelText('Shared workers')).toBeNull();
    plain.unmount();

    let notify: (on: boolean) => void = () => {};
    const set = vi.fn(async (on: boolean) => on);
    renderPanel([], memoryPrefs(), {
      core: defaultCore,
      events: [],
      sharedWorkers: {
        isOn: () => false,
        set,
        subscribe: (cb) => ((notify = cb), () => {}),
      },
    });
    const box = screen.getByLabelText('Shared workers') as HTMLInputElement;
    expect(box.checked).toBe(false);
    await act(async () => void fireEvent.click(box));
    expect(set).toHaveBeenCalledWith(true);
    expect((screen.getByLabelText('Shared workers') as HTMLInputElement).checked).toBe(true);
    // The user closed the browser's debugging bar: the watch ended.
    act(() => notify(false));
    expect((screen.getByLabelText('Shared workers') as HTMLInputElement).checked).toBe(false);
  });
});
