// @vitest-environment happy-dom
/**
 * The replay dialog inside the whole panel (real core): Replay and Edit-and-replay from a socket's
 * detail, edits explained before anything is sent, the confirm step, credentials stripped by default,
 * and what reaches `evalInPage` only after "Send replay".
 */
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../../src/panel/components/App';
import { defaultCore } from '../../../src/panel/core';
import { PanelContext } from '../../../src/panel/store/context';
import { PanelStore } from '../../../src/panel/store/panel-store';
import { MemoryTransport, type PanelHost } from '../../../src/panel/transport';
import { envelope } from '../../../src/messaging/messages';
import type { CapturedSocket } from '../../../src/protocol/capture';
import { socketsToEvents } from '../../../src/protocol/capture-store';
import { replayMarker } from '../../../src/replay/marker';
import type { RunnerCommand } from '../../../src/replay/types';
import { authSocket, plain } from '../../fixtures/panel/captures';

afterEach(cleanup);

/** The auth socket, opened from a page, whose first request also carried a cookie header. */
const withCookie: CapturedSocket = {
  ...authSocket,
  pageUrl: 'http://app.example.com/chat',
  frames: authSocket.frames.map((f, i) =>
    i === 1 ? { ...f, data: f.data.replace('\r\n\r\n', '\r\nCookie: sid=42\r\n\r\n') } : f,
  ),
};

function setup(sockets: CapturedSocket[] = [withCookie, plain], page = 'http://app.example.com/chat') {
  const evalInPage = vi.fn(async (code: string) =>
    code === 'location.href'
      ? { ok: true as const, value: page }
      : { ok: true as const, value: { ok: true, url: 'ws://gw.example.com/echo?.kl=Y' } },
  );
  const store = new PanelStore(defaultCore, (flush) => flush());
  const transport = new MemoryTransport();
  const host: PanelHost = {
    tabId: 3,
    openTransport: () => transport,
    reloadInspected: () => true,
    theme: () => null,
    download: () => {},
    evalInPage,
  };
  store.attach(transport, 3);
  transport.deliver(envelope('backlog', { events: socketsToEvents(sockets), droppedEvents: 0, seq: 1 }));
  const utils = render(
    <PanelContext.Provider value={{ store, core: defaultCore, host }}>
      <App />
    </PanelContext.Provider>,
  );
  const runnerCalls = () => evalInPage.mock.calls.map((c) => c[0]).filter((c) => c !== 'location.href');
  return { ...utils, store, transport, evalInPage, runnerCalls };
}

/** The command a runner expression carries: its last argument, JSON (see `runnerExpression`). */
function commandIn(code: string): RunnerCommand {
  return JSON.parse(code.slice(code.lastIndexOf('})(), ') + 6, -1));
}

function openDetail(container: Element, id: string): HTMLElement {
  fireEvent.click(container.querySelector(`[data-id="${id}"]`)!);
  fireEvent.keyDown(container.querySelector('[role=listbox]')!, { key: 'Enter' });
  return container.querySelector<HTMLElement>('.detail')!;
}

const dialog = () => screen.getByRole('dialog');
const flush = () => act(async () => new Promise((r) => setTimeout(r, 0)));

describe('Replay from the detail', () => {
  it('offers Replay on a KHP socket only', () => {
    const { container } = setup();
    expect(within(openDetail(container, 'auth')).getByRole('button', { name: /Replay/ })).toBeTruthy();
    expect(within(openDetail(container, 'plain')).queryByRole('button', { name: /Replay/ })).toBeNull();
  });

  it('confirms first, showing exactly what will be sent, with captured credentials stripped', async () => {
    const { container, runnerCalls } = setup();
    fireEvent.click(within(openDetail(container, 'auth')).getByRole('button', { name: '⟳ Replay' }));
    await flush();
    const d = dialog();
    expect(within(d).getByRole('heading').textContent).toBe('Confirm the replay');
    expect(d.textContent).toContain('ws://gw.example.com/echo?.kl=Y');
    expect(d.textContent).toContain('x-kaazing-handshake, amqp');
    const request = within(d).getByLabelText('Request to send').textContent!;
    expect(request).toBe(
      'GET /echo HTTP/1.1\r\nWebSocket-Protocol: \r\nSec-WebSocket-Protocol: amqp\r\nSec-WebSocket-Extensions: x-kaazing-idle-timeout,x-kaazing-ping-pong\r\n\r\n',
    );
    expect(request).not.toContain('Cookie');
    const removed = within(d).getByLabelText('Captured credentials removed').textContent!;
    expect(removed).toContain('Cookie');
    expect(removed).toContain('Authorization (the answer to 401)');
    expect(d.textContent).toContain('stop at a 401');
    // Nothing was sent to the page yet: only its URL was asked.
    expect(runnerCalls()).toEqual([]);
  });

  it('sends only on "Send replay", then compares the replay socket when it is captured', async () => {
    const { container, runnerCalls, transport } = setup();
    fireEvent.click(within(openDetail(container, 'auth')).getByRole('button', { name: '⟳ Replay' }));
    await flush();
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Send replay' }));
    await flush();
    expect(runnerCalls()).toHaveLength(1);
    const code = runnerCalls()[0]!;
    expect(code).toMatch(/^\(function pageRunner\(/);
    const cmd = commandIn(code);
    expect(cmd).toMatchObject({
      replayOf: 'auth',
      url: 'ws://gw.example.com/echo?.kl=Y',
      authorization: null,
    });
    expect(cmd.marker).toBe(replayMarker('auth'));
    expect(cmd.request).not.toContain('Cookie');
    expect(within(dialog()).getByRole('status').textContent).toContain('waiting for its socket');
    // The page's hook captures the replay socket: the comparison fills in.
    const replay: CapturedSocket = {
      ...authSocket,
      id: 'rp:1',
      replayOf: 'auth',
      createdAt: Date.now(),
      openedAt: Date.now() + 1,
    };
    replay.frames = authSocket.frames.map((f) => ({
      ...f,
      time: f.time - authSocket.createdAt + replay.createdAt,
    }));
    await act(() => transport.deliver(envelope('events', { events: socketsToEvents([replay]), seq: 2 })));
    expect(within(dialog()).getByRole('status').textContent).toContain('1 socket opened');
    expect(within(dialog()).getByTestId('replay-path').textContent).toBe('401 → 101');
    expect(dialog().textContent).toContain('same result');
  });

  it('opens the confirm step with the R key in the detail', async () => {
    const { container } = setup();
    const detail = openDetail(container, 'auth');
    fireEvent.keyDown(detail.querySelector('[role=tablist]') ?? detail, { key: 'r' });
    await flush();
    expect(within(dialog()).getByRole('heading').textContent).toBe('Confirm the replay');
    fireEvent.keyDown(dialog(), { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('notes when the inspected page is on another origin than the capture', async () => {
    const { container } = setup([withCookie], 'https://elsewhere.example.org/');
    fireEvent.click(within(openDetail(container, 'auth')).getByRole('button', { name: '⟳ Replay' }));
    await flush();
    expect(within(dialog()).getByRole('note').textContent).toContain(
      'captured on http://app.example.com, but the inspected page is on https://elsewhere.example.org',
    );
  });
});

describe('Edit and replay', () => {
  async function edit() {
    const ctx = setup();
    fireEvent.click(
      within(openDetail(ctx.container, 'auth')).getByRole('button', { name: /Edit and replay/ }),
    );
    await flush();
    return { ...ctx, d: dialog() };
  }
  const type = (el: HTMLElement, value: string) => fireEvent.input(el, { target: { value } });

  it('keeps the panel’s shortcuts off while typing in the editor', async () => {
    const { d, store } = await edit();
    const url = within(d).getByLabelText('URL');
    for (const key of ['p', 'a', 'x', 'r', '2', '?']) fireEvent.keyDown(url, { key });
    fireEvent.keyDown(within(d).getByRole('button', { name: 'Review…' }), { key: 'p' });
    expect(store.getSnapshot().settings.preserveLog).toBe(false);
    expect(screen.getAllByRole('dialog')).toHaveLength(1);
    expect(screen.queryByRole('menu')).toBeNull();
    expect(within(dialog()).getByRole('heading').textContent).toBe('Edit and replay');
  });

  it('explains invalid edits before anything can be sent', async () => {
    const { d, runnerCalls } = await edit();
    const review = within(d).getByRole('button', { name: 'Review…' }) as HTMLButtonElement;
    expect(review.disabled).toBe(false);
    type(within(d).getByLabelText('URL'), 'http://gw.example.com/echo');
    expect(within(d).getByRole('alert').textContent).toContain(
      'The URL must be ws:// or wss:// (use ws://).',
    );
    expect(review.disabled).toBe(true);
    type(within(d).getByLabelText('URL'), 'ws://gw.example.com/echo');
    type(within(d).getByLabelText('Protocols'), 'amqp');
    expect(within(d).getByRole('alert').textContent).toContain(
      'The protocols must include x-kaazing-handshake.',
    );
    type(within(d).getByLabelText('Protocols'), 'x-kaazing-handshake, amqp');
    type(within(d).getByLabelText('Target'), '/elsewhere');
    expect(within(d).getByRole('alert').textContent).toContain('differs from the URL path /echo');
    expect(review.disabled).toBe(false);
    fireEvent.click(within(d).getByRole('button', { name: 'Raw' }));
    type(within(d).getByLabelText('Raw request'), 'GET /echo HTTP/1.1\nbroken header line\n');
    expect(within(d).getByRole('alert').textContent).toMatch(/error.*Line 2:/);
    expect(review.disabled).toBe(true);
    fireEvent.click(within(d).getByRole('button', { name: 'Table' }));
    expect(d.textContent).toContain('not a valid request yet');
    expect(runnerCalls()).toEqual([]);
  });

  it('builds Authorization with the Basic helper and sends it after confirmation', async () => {
    const { d, runnerCalls } = await edit();
    type(within(d).getByLabelText('Authorization user'), 'joe');
    type(within(d).getByLabelText('Authorization password'), 'welcome');
    fireEvent.click(within(d).getByRole('button', { name: 'Set Authorization' }));
    const names = within(d)
      .getAllByLabelText(/Header \d+ name/)
      .map((i) => (i as HTMLInputElement).value);
    expect(names.at(-1)).toBe('Authorization');
    const values = within(d).getAllByLabelText(/Header \d+ value/) as HTMLInputElement[];
    expect(values.at(-1)!.value).toBe('Basic am9lOndlbGNvbWU=');
    fireEvent.click(within(d).getByRole('checkbox', { name: 'x-kaazing-ping-pong' }));
    fireEvent.submit(d.querySelector('form')!);
    await flush();
    const confirm = dialog();
    expect(within(confirm).getByLabelText('Request to send').textContent).toBe(
      'GET /echo HTTP/1.1\r\nWebSocket-Protocol: \r\nSec-WebSocket-Protocol: amqp\r\nSec-WebSocket-Extensions: x-kaazing-idle-timeout\r\nAuthorization: Basic am9lOndlbGNvbWU=\r\n\r\n',
    );
    expect(runnerCalls()).toEqual([]);
    fireEvent.click(within(confirm).getByRole('button', { name: 'Send replay' }));
    await flush();
    expect(runnerCalls()[0]).toContain('Authorization: Basic am9lOndlbGNvbWU=');
  });

  it('sends captured credentials only when "keep captured credentials" is ticked', async () => {
    const { d } = await edit();
    expect(d.textContent).toContain('Captured credentials removed: Cookie');
    fireEvent.click(within(d).getByRole('checkbox', { name: 'keep captured credentials' }));
    fireEvent.submit(d.querySelector('form')!);
    await flush();
    const confirm = dialog();
    expect(within(confirm).getByLabelText('Request to send').textContent).toContain('\r\nCookie: sid=42\r\n');
    expect(confirm.textContent).toContain('Captured credentials sent: Cookie');
    expect(confirm.textContent).toContain('Authorization: Basic am9lOndlbGNvbWU=');
  });

  it('sets the options: 401 answer with a Token, no redirects, keep open', async () => {
    const { d, runnerCalls } = await edit();
    fireEvent.change(within(d).getByLabelText('401 answer scheme'), { target: { value: 'Token' } });
    await flush();
    type(within(d).getByLabelText('401 answer token'), 'joe:welcome');
    fireEvent.click(within(d).getByRole('checkbox', { name: /follow 3xx redirects/ }));
    fireEvent.click(within(d).getByRole('checkbox', { name: /keep the socket open/ }));
    fireEvent.submit(d.querySelector('form')!);
    await flush();
    expect(dialog().textContent).toContain('Authorization: Token joe:welcome');
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Send replay' }));
    await flush();
    const code = runnerCalls()[0]!;
    const cmd = commandIn(code);
    expect(cmd).toMatchObject({
      authorization: 'Token joe:welcome',
      followRedirects: false,
      maxRedirects: 0,
      keepOpen: true,
    });
  });
});

describe('Replay from an imported file', () => {
  it('replays in the inspected page, says when its origin differs, and shows the live capture', async () => {
    const { container, store, runnerCalls } = setup([plain], 'http://localhost:8080/');
    const imported = { ...withCookie, id: 'har-1' };
    await act(() => store.showImported('capture.har', [imported], []));
    fireEvent.click(within(openDetail(container, 'har-1')).getByRole('button', { name: '⟳ Replay' }));
    await flush();
    const note = within(dialog()).getByRole('note').textContent!;
    expect(note).toContain(
      'captured on http://app.example.com, but the inspected page is on http://localhost:8080',
    );
    expect(note).toContain('imported file');
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Send replay' }));
    await flush();
    expect(store.getSnapshot().source.kind).toBe('live');
    const code = runnerCalls()[0]!;
    expect(commandIn(code)).toMatchObject({ replayOf: 'har-1' });
    // The comparison keeps the imported original although the list now shows the live capture.
    expect(dialog().textContent).toContain('Original: 401 → 101');
  });
});
