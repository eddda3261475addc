// @vitest-environment happy-dom
/**
 * The panel's keys: what it consumes stops inside the panel (Chromium's DevTools forwards keys that
 * reach the panel's document, defaultPrevented or not: Esc would toggle the console drawer).
 */
import { cleanup, fireEvent, screen, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderPanel } from './render-panel';

/** Keys that reached the document, as DevTools' forwarder in an extension panel would see them. */
let reachedDocument: string[] = [];
const forwarder = (e: KeyboardEvent) => reachedDocument.push(e.key);
beforeEach(() => {
  reachedDocument = [];
  document.addEventListener('keydown', forwarder);
});
afterEach(() => {
  document.removeEventListener('keydown', forwarder);
  cleanup();
});

const list = () => screen.getByRole('listbox', { name: 'WebSocket connections' });
const detail = () => screen.queryByRole('region', { name: /^Socket / });
const key = (el: Element, k: string, init: KeyboardEventInit = {}) =>
  fireEvent.keyDown(el, { key: k, ...init });

function openSocket(container: Element, id: string): HTMLElement {
  fireEvent.click(container.querySelector(`[data-id="${id}"]`)!);
  return detail()!;
}

describe('keys the panel consumes stay in the panel', () => {
  it('Esc in the detail closes it, focuses the list and never reaches the document', () => {
    const { container } = renderPanel();
    const d = openSocket(container, 'auth');
    key(within(d).getByRole('tab', { name: /Handshake/ }), 'Escape');
    expect(detail()).toBeNull();
    expect(document.activeElement).toBe(list());
    expect(reachedDocument).toEqual([]);
  });

  it('Esc in the list closes the open detail and stays in the panel; with nothing to close it goes on', () => {
    const { container } = renderPanel();
    openSocket(container, 'auth');
    key(list(), 'Escape');
    expect(detail()).toBeNull();
    expect(reachedDocument).toEqual([]);
    key(list(), 'Escape');
    expect(reachedDocument).toEqual(['Escape']);
  });

  it('arrow keys that move in the list or the tabs stay in the panel; keys it ignores go on', () => {
    const { container } = renderPanel();
    openSocket(container, 'auth');
    key(list(), 'ArrowDown');
    key(screen.getByRole('tab', { name: /Handshake/ }), 'ArrowRight');
    expect(reachedDocument).toEqual([]);
    key(list(), 'p', { ctrlKey: true, shiftKey: true });
    key(list(), 'F1');
    expect(reachedDocument).toEqual(['p', 'F1']);
  });
});
