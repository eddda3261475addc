// @vitest-environment happy-dom
/**
 * The panel's keys: what it consumes stops inside the panel (Chromium's DevTools forwards keys that
 * reach the panel's document, defaultPrevented or not: Esc would toggle the console drawer), the
 * shortcuts of the table, none of them while typing, and the shortcuts help.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { cleanup, fireEvent, screen, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SHORTCUTS } from '../../../src/panel/store/shortcuts';
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

  it('works with the focus nowhere (on the body): Esc closes the detail, ? opens the help', () => {
    const { container } = renderPanel();
    openSocket(container, 'auth');
    key(document.body, 'Escape');
    expect(detail()).toBeNull();
    key(document.body, '?');
    expect(screen.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeTruthy();
    expect(reachedDocument).toEqual([]);
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

describe('shortcuts', () => {
  it('number keys show the detail tabs, from the list as from the detail', () => {
    const { container } = renderPanel();
    openSocket(container, 'auth');
    key(list(), '2');
    expect(screen.getByRole('tab', { name: /Messages/ }).getAttribute('aria-selected')).toBe('true');
    key(screen.getByRole('tab', { name: /Messages/ }), '5');
    expect(screen.getByRole('tab', { name: /Findings/ }).getAttribute('aria-selected')).toBe('true');
    key(list(), '1');
    expect(screen.getByRole('tab', { name: /Handshake/ }).getAttribute('aria-selected')).toBe('true');
    expect(reachedDocument).toEqual([]);
  });

  it('toolbar keys click their control: P and A toggle, Ctrl+F focuses the filter, X opens Export', () => {
    const { container, store } = renderPanel();
    key(list(), 'p');
    expect(store.getSnapshot().settings.preserveLog).toBe(true);
    key(list(), 'a');
    expect(store.getSnapshot().settings.fullCapture).toBe(true);
    key(list(), 'P', { shiftKey: true }); // Shift+P is another key
    expect(store.getSnapshot().settings.preserveLog).toBe(true);
    key(list(), 'f', { ctrlKey: true });
    expect(document.activeElement).toBe(screen.getByRole('searchbox', { name: 'Filter connections' }));
    key(list(), 'x');
    expect(screen.getByRole('menu', { name: 'Export' })).toBeTruthy();
    expect(reachedDocument).toEqual(['P']); // only the key the panel left alone
    expect(container.querySelector('[aria-keyshortcuts="Control+L"]')!.getAttribute('aria-label')).toBe(
      'Clear',
    );
  });

  it('does nothing while typing in the filter box', () => {
    const { store } = renderPanel();
    const box = screen.getByRole('searchbox', { name: 'Filter connections' });
    for (const k of ['p', 'a', 'x', '?', '2']) key(box, k);
    expect(store.getSnapshot().settings.preserveLog).toBe(false);
    expect(store.getSnapshot().settings.fullCapture).toBe(false);
    expect(screen.queryByRole('menu')).toBeNull();
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('every shortcut that clicks a control finds it in the panel', () => {
    const { container } = renderPanel();
    openSocket(container, 'auth');
    const declared = new Set(
      Array.from(container.querySelectorAll('[aria-keyshortcuts]'), (el) =>
        el.getAttribute('aria-keyshortcuts'),
      ),
    );
    // Back to live shows with an imported file only, Compare on a replay socket only.
    const expected = SHORTCUTS.flatMap((s) =>
      s.control && !['L', 'C'].includes(s.control) ? [s.control] : [],
    );
    for (const k of expected) expect(declared).toContain(k);
  });
});

describe('shortcuts help', () => {
  it('docs/panel.md lists every shortcut of the table, with its keys', () => {
    const doc = readFileSync(resolve(import.meta.dirname, '../../../docs/panel.md'), 'utf8');
    const section = doc.slice(
      doc.indexOf('## Keyboard'),
      doc.indexOf('\n## ', doc.indexOf('## Keyboard') + 1),
    );
    const rows = section.split('\n').filter((l) => l.startsWith('| '));
    for (const s of SHORTCUTS) {
      const keys = s.keys.map((combo) => combo.join('+').replace('Mod+', 'Ctrl+')).join(' / ');
      const row = rows.find((r) => r.includes(`| ${s.label} `));
      expect(row, `docs/panel.md lacks "${s.label}"`).toBeDefined();
      expect(row!.split('|')[1]!.trim().startsWith(keys), `${row} starts with ${keys}`).toBe(true);
    }
  });

  it('opens with ?, lists every shortcut, keeps the focus inside and gives it back on Esc', () => {
    const { container } = renderPanel();
    openSocket(container, 'auth');
    const tab = screen.getByRole('tab', { name: /Handshake/ });
    tab.focus();
    key(tab, '?');
    const help = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(reachedDocument).toEqual([]);
    expect(help.querySelectorAll('.shortcut')).toHaveLength(SHORTCUTS.length);
    expect(within(help).getByText('Focus the filter').parentElement!.textContent).toContain('Ctrl+F');
    const close = within(help).getByRole('button', { name: 'Close' });
    expect(document.activeElement).toBe(close);
    // Tab from the last focusable comes back to the first, Shift+Tab from the first to the last.
    const body = within(help).getByLabelText('Shortcuts');
    body.focus();
    key(body, 'Tab');
    expect(document.activeElement).toBe(close);
    key(close, 'Tab', { shiftKey: true });
    expect(document.activeElement).toBe(body);
    // Panel keys wait while it is open.
    key(body, '2');
    expect(screen.getByRole('tab', { name: /Handshake/ }).getAttribute('aria-selected')).toBe('true');
    reachedDocument = [];
    key(body, 'Escape');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(tab);
    expect(detail()).not.toBeNull(); // the Esc closed the help only
    expect(reachedDocument).toEqual([]);
  });

  it('opens from the toolbar button too', () => {
    renderPanel();
    fireEvent.click(screen.getByRole('button', { name: 'Keyboard shortcuts' }));
    expect(screen.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeTruthy();
    key(screen.getByRole('dialog'), '?');
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
