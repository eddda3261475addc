// @vitest-environment happy-dom
/**
 * The panel when narrow: the tab strip when its tabs do not fit, list and detail stacked or the
 * detail alone. happy-dom lays nothing out, so sizes are stubbed: every tab 100 px wide, the »
 * button 20 px, the strip `stripWidth`, the panel's main area `main`.
 */
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { useState } from 'preact/hooks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Tabs } from '../../../src/panel/components/Tabs';
import { renderPanel } from './render-panel';

let stripWidth = 1000;
let main = { width: 0, height: 0 };
beforeEach(() => {
  main = { width: 0, height: 0 };
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockImplementation(function (this: HTMLElement) {
    const width = this.classList.contains('tab') ? 100 : this.classList.contains('tab-more') ? 20 : 0;
    return { width, height: 20, top: 0, left: 0, right: width, bottom: 20, x: 0, y: 0 } as DOMRect;
  });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', {
    configurable: true,
    get(this: HTMLElement) {
      return this.classList.contains('tab-strip')
        ? stripWidth
        : this.classList.contains('main')
          ? main.width
          : 0;
    },
  });
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return this.classList.contains('main') ? main.height : 0;
    },
  });
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  delete (HTMLElement.prototype as { clientWidth?: number }).clientWidth;
  delete (HTMLElement.prototype as { clientHeight?: number }).clientHeight;
});

const TABS = ['Handshake', 'Messages', 'Extensions', 'Redirects', 'Findings'].map((label) => ({
  id: label.toLowerCase(),
  label,
}));

function Strip() {
  const [active, setActive] = useState('handshake');
  return (
    <Tabs tabs={TABS} active={active} onChange={setActive} idPrefix="t" label="Socket detail">
      <p>{active} content</p>
    </Tabs>
  );
}

const shownTabs = () => screen.getAllByRole('tab').map((t) => t.textContent);
const moreButton = () => screen.queryByRole('button', { name: 'More socket detail tabs' });

describe('tab strip overflow', () => {
  it('shows every tab and no » button when they fit', () => {
    stripWidth = 500;
    render(<Strip />);
    expect(shownTabs()).toEqual(['Handshake', 'Messages', 'Extensions', 'Redirects', 'Findings']);
    expect(moreButton()).toBeNull();
  });

  it('moves the tabs that do not fit to the » menu, and a tab picked there becomes active and shown', () => {
    stripWidth = 330; // 3 tabs and the button
    render(<Strip />);
    expect(shownTabs()).toEqual(['Handshake', 'Messages', 'Extensions']);
    fireEvent.click(moreButton()!);
    const menu = screen.getByRole('menu', { name: 'More socket detail tabs' });
    const items = screen.getAllByRole('menuitem');
    expect(items.map((i) => i.textContent)).toEqual(['Redirects', 'Findings']);
    expect(document.activeElement).toBe(items[0]);
    fireEvent.keyDown(menu, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(items[1]);
    fireEvent.click(items[1]!);
    expect(screen.queryByRole('menu')).toBeNull();
    expect(shownTabs()).toEqual(['Handshake', 'Messages', 'Findings']);
    const findings = screen.getByRole('tab', { name: 'Findings' });
    expect(findings.getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(findings);
    expect(screen.getByText('findings content')).toBeTruthy();
    fireEvent.click(moreButton()!);
    expect(screen.getAllByRole('menuitem').map((i) => i.textContent)).toEqual(['Extensions', 'Redirects']);
  });

  it('reaches hidden tabs with the arrow keys, which bring them into the strip', () => {
    stripWidth = 230; // 2 tabs and the button
    render(<Strip />);
    expect(shownTabs()).toEqual(['Handshake', 'Messages']);
    const strip = screen.getByRole('tablist');
    fireEvent.keyDown(strip, { key: 'End' });
    expect(shownTabs()).toEqual(['Handshake', 'Findings']);
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Findings' }));
    fireEvent.keyDown(strip, { key: 'ArrowLeft' });
    expect(shownTabs()).toEqual(['Handshake', 'Redirects']);
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Redirects' }));
  });

  it('closes the menu on Esc, giving the focus back to », and keeps the Esc from anything outside', () => {
    stripWidth = 330;
    const outside = vi.fn();
    render(
      <div onKeyDown={(e) => !e.defaultPrevented && outside()}>
        <Strip />
      </div>,
    );
    fireEvent.click(moreButton()!);
    fireEvent.keyDown(screen.getByRole('menu'), { key: 'Escape' });
    expect(screen.queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(moreButton());
    expect(outside).not.toHaveBeenCalled();
  });
});

describe('list and detail in a narrow panel', () => {
  const open = (container: Element) => fireEvent.click(container.querySelector('[data-id="auth"]')!);
  const split = (container: Element) => container.querySelector('.split')!;
  const listPane = (container: Element) =>
    container.querySelector('.conn-list')!.closest<HTMLElement>('.pane')!;

  it('stacks them when narrow, with a divider that ↑/↓ move', () => {
    main = { width: 360, height: 700 };
    const { container } = renderPanel();
    open(container);
    expect(split(container).className).toContain('split-stacked');
    const divider = screen.getByRole('separator');
    expect(divider.getAttribute('aria-orientation')).toBe('horizontal');
    fireEvent.keyDown(divider, { key: 'ArrowDown' });
    expect(divider.getAttribute('aria-valuenow')).toBe('47');
  });

  it('shows the detail alone when also short: the focus goes into it, Esc brings the list back', () => {
    main = { width: 360, height: 250 };
    const { container } = renderPanel();
    screen.getByRole('listbox', { name: 'WebSocket connections' }).focus();
    open(container);
    expect(split(container).className).toContain('split-detail');
    expect(listPane(container).hidden).toBe(true);
    expect(screen.queryByRole('separator')).toBeNull();
    const tab = screen.getByRole('tab', { name: /Handshake/ });
    expect(document.activeElement).toBe(tab);
    fireEvent.keyDown(tab, { key: 'Escape' });
    expect(container.querySelector('.detail')).toBeNull();
    expect(listPane(container).hidden).toBe(false);
    expect(document.activeElement).toBe(screen.getByRole('listbox', { name: 'WebSocket connections' }));
  });

  it('keeps them side by side when wide', () => {
    main = { width: 1200, height: 250 };
    const { container } = renderPanel();
    open(container);
    expect(split(container).className).toContain('split-side');
  });
});
