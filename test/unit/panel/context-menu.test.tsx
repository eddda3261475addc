// @vitest-environment happy-dom
/**
 * Context menus in the rendered panel: opened by right-click, the context-menu key, Shift+F10 and
 * the ⋯ buttons; moved through and used from the keyboard; closed by Esc with the focus given back;
 * kept inside the viewport; every copy going through the host's `copyText` with the exact text.
 */
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderPanel } from './render-panel';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const menu = () => screen.getByRole('menu');
const itemLabels = () =>
  within(menu())
    .getAllByRole('menuitem')
    .map((i) => i.textContent);
const focused = () => document.activeElement as HTMLElement;

/** Presses a key on the focused element (as a user's key press arrives there). */
function press(key: string, init: KeyboardEventInit = {}) {
  fireEvent.keyDown(focused(), { key, ...init });
}

/** The text the host was asked to copy last. */
function lastCopy(host: { copyText: ReturnType<typeof vi.fn> }): string {
  return host.copyText.mock.lastCall![0] as string;
}

function openDetail(container: Element, id: string) {
  fireEvent.click(container.querySelector(`[data-id="${id}"]`)!);
  return screen.getByRole('region', { name: /^Socket / });
}

describe('context menus', () => {
  it('opens on a right-click on a row, selects it, and copies the URL with Enter', async () => {
    const { container, host } = renderPanel();
    const row = container.querySelector<HTMLElement>('[data-id="auth"]')!;
    fireEvent.contextMenu(row, { clientX: 40, clientY: 50 });
    expect(row.getAttribute('aria-selected')).toBe('true');
    expect(menu().getAttribute('aria-label')).toBe('Socket');
    expect(itemLabels()).toEqual([
      'Copy URL',
      'Copy extended request',
      'Copy extended response',
      'Copy as HAR (credentials redacted)',
      'Copy as HAR with credentials',
      'Copy as probe command',
      'Copy as probe command with credentials',
    ]);
    expect(within(menu()).getAllByRole('separator')).toHaveLength(2);
    expect(focused().textContent).toBe('Copy URL');
    press('Enter');
    expect(screen.queryByRole('menu')).toBeNull();
    expect(lastCopy(host)).toBe('ws://gw.example.com/echo?.kl=Y');
    // The focus goes back to the list, and a note says what was copied.
    expect(focused()).toBe(screen.getByRole('listbox', { name: 'WebSocket connections' }));
    await waitFor(() => expect(container.querySelector('.copy-status')!.textContent).toBe('Copied URL'));
  });

  it('moves with ↑/↓ (wrapping), Home and End; Esc closes it and gives the focus back', () => {
    const { container, host } = renderPanel();
    const list = screen.getByRole('listbox', { name: 'WebSocket connections' });
    list.focus();
    press('ArrowDown');
    press('F10', { shiftKey: true });
    const items = within(menu()).getAllByRole('menuitem');
    expect(focused()).toBe(items[0]);
    press('ArrowUp');
    expect(focused()).toBe(items[items.length - 1]);
    press('ArrowDown');
    expect(focused()).toBe(items[0]);
    press('End');
    press('Home');
    press('ArrowDown');
    expect(focused().textContent).toBe('Copy extended request');
    press('Escape');
    expect(screen.queryByRole('menu')).toBeNull();
    expect(focused()).toBe(list);
    expect(host.copyText).not.toHaveBeenCalled();
    // The context-menu key opens it too; Tab closes it.
    press('ContextMenu');
    expect(menu()).toBeTruthy();
    press('Tab');
    expect(screen.queryByRole('menu')).toBeNull();
    expect(focused()).toBe(list);
    expect(container.querySelector('.conn-row.selected')!.getAttribute('data-id')).toBe('auth');
  });

  it('copies the extended request as sent (CRLF) and the probe command from the row menu', () => {
    const { container, host } = renderPanel();
    fireEvent.contextMenu(container.querySelector('[data-id="auth"]')!);
    fireEvent.click(screen.getByRole('menuitem', { name: 'Copy extended request' }));
    expect(lastCopy(host)).toBe(
      'GET /echo HTTP/1.1\r\nSec-WebSocket-Protocol: amqp\r\n' +
        'Sec-WebSocket-Extensions: x-kaazing-idle-timeout,x-kaazing-ping-pong\r\n' +
        'Authorization: Basic am9lOndlbGNvbWU=\r\n\r\n',
    );
    fireEvent.contextMenu(container.querySelector('[data-id="auth"]')!);
    fireEvent.click(screen.getByRole('menuitem', { name: 'Copy as probe command' }));
    expect(lastCopy(host)).toBe(
      'npx khp-inspect probe ws://gw.example.com/echo --protocol amqp --ext x-kaazing-idle-timeout --ext x-kaazing-ping-pong',
    );
    fireEvent.contextMenu(container.querySelector('[data-id="auth"]')!);
    fireEvent.click(screen.getByRole('menuitem', { name: 'Copy as probe command with credentials' }));
    expect(lastCopy(host)).toMatch(/ --user joe:welcome$/);
  });

  it('copies one socket as HAR through the core, redacted unless the credentials item is used', () => {
    const { container, host } = renderPanel();
    fireEvent.contextMenu(container.querySelector('[data-id="forbidden"]')!);
    fireEvent.click(screen.getByRole('menuitem', { name: 'Copy as HAR (credentials redacted)' }));
    // The fixture core's exportHar answers what it was asked for.
    expect(JSON.parse(lastCopy(host))).toEqual({ har: true, n: 1, redact: true });
    fireEvent.contextMenu(container.querySelector('[data-id="forbidden"]')!);
    fireEvent.click(screen.getByRole('menuitem', { name: 'Copy as HAR with credentials' }));
    expect(JSON.parse(lastCopy(host))).toEqual({ har: true, n: 1, redact: false });
    // No credentials captured: no "with credentials" probe command.
    fireEvent.contextMenu(container.querySelector('[data-id="forbidden"]')!);
    expect(itemLabels()).not.toContain('Copy as probe command with credentials');
  });

  it('copies a frame as text, hex or base64 from its row, by mouse or keyboard', () => {
    const { container, host } = renderPanel();
    openDetail(container, 'auth');
    fireEvent.click(screen.getByRole('tab', { name: /Messages/ }));
    const frames = screen.getByRole('listbox', { name: /Frames/ });
    fireEvent.contextMenu(frames.querySelector('#frame-row-0')!);
    expect(frames.querySelector('#frame-row-0')!.getAttribute('aria-selected')).toBe('true');
    expect(itemLabels()).toEqual(['Copy as text', 'Copy as hex', 'Copy as base64']);
    fireEvent.click(screen.getByRole('menuitem', { name: 'Copy as hex' }));
    expect(lastCopy(host)).toBe('ef 83 bf 4e');
    expect(focused()).toBe(frames);
    press('ArrowDown'); // frame 1, the extended request
    press('ContextMenu');
    press('ArrowDown');
    press('ArrowDown');
    press(' ');
    expect(lastCopy(host)).toBe(
      btoa(
        'GET /echo HTTP/1.1\r\nWebSocket-Protocol: \r\nSec-WebSocket-Protocol: amqp\r\n' +
          'Sec-WebSocket-Extensions: x-kaazing-idle-timeout,x-kaazing-ping-pong\r\n\r\n',
      ),
    );
    fireEvent.contextMenu(frames.querySelector('#frame-row-8')!);
    fireEvent.click(screen.getByRole('menuitem', { name: 'Copy as text' }));
    expect(lastCopy(host)).toBe('{"hello":"world","n":[1,2]}');
  });

  it('copies a handshake message from its waterfall step and from the ⋯ buttons', () => {
    const { container, host } = renderPanel();
    const detail = openDetail(container, 'auth');
    const step = within(detail).getByText('401 Unauthorized').closest('button')!;
    fireEvent.contextMenu(step);
    expect(itemLabels()).toEqual(['Copy extended response', 'Copy as hex', 'Copy as base64']);
    fireEvent.click(screen.getByRole('menuitem', { name: 'Copy extended response' }));
    expect(lastCopy(host)).toBe(
      'HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Application Basic realm="demo"\r\n\r\n',
    );
    // From the keyboard on a focused step.
    const request = within(detail).getByText('Extended request GET /echo').closest('button')!;
    request.focus();
    press('F10', { shiftKey: true });
    expect(itemLabels()[0]).toBe('Copy extended request');
    press('Escape');
    expect(focused()).toBe(request);
    // The message view's ⋯ button, and the socket's in the detail header.
    const more = within(detail).getByRole('button', { name: 'Copy the extended response' });
    fireEvent.click(more);
    expect(more.getAttribute('aria-expanded')).toBe('true');
    fireEvent.click(screen.getByRole('menuitem', { name: 'Copy as hex' }));
    // The 401 step was picked by the right-click: its response is the one shown.
    expect(lastCopy(host).startsWith('48 54 54 50 2f 31 2e 31 20 34 30 31')).toBe(true);
    fireEvent.click(within(detail).getByRole('button', { name: 'Copy this socket' }));
    fireEvent.click(screen.getByRole('menuitem', { name: 'Copy URL' }));
    expect(lastCopy(host)).toBe('ws://gw.example.com/echo?.kl=Y');
  });

  it('keeps the menu inside the viewport, and closes it on a click elsewhere', () => {
    const { container } = renderPanel();
    vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockImplementation(function (this: HTMLElement) {
      const menuBox = this.classList.contains('context-menu');
      return {
        x: 0,
        y: 0,
        left: 0,
        top: 0,
        right: 0,
        bottom: 0,
        width: menuBox ? 220 : 0,
        height: menuBox ? 160 : 0,
        toJSON: () => ({}),
      } as DOMRect;
    });
    const row = container.querySelector('[data-id="plain"]')!;
    fireEvent.contextMenu(row, { clientX: window.innerWidth - 10, clientY: window.innerHeight - 5 });
    expect(menu().style.left).toBe(`${window.innerWidth - 10 - 220}px`);
    expect(menu().style.top).toBe(`${window.innerHeight - 5 - 160}px`);
    fireEvent.contextMenu(row, { clientX: 30, clientY: 40 });
    expect(menu().style.left).toBe('30px');
    expect(menu().style.top).toBe('40px');
    fireEvent.pointerDown(container.querySelector('.status-bar')!);
    expect(screen.queryByRole('menu')).toBeNull();
  });

  it('says so when the clipboard refuses', async () => {
    const { container, host } = renderPanel();
    host.copyText.mockResolvedValueOnce(false);
    fireEvent.contextMenu(container.querySelector('[data-id="plain"]')!);
    await act(async () => {
      fireEvent.click(screen.getByRole('menuitem', { name: 'Copy URL' }));
    });
    expect(container.querySelector('.copy-status')!.textContent).toMatch(/^Could not copy URL/);
  });
});
