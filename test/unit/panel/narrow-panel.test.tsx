// @vitest-environment happy-dom
/**
 * The panel when narrow: the tab strip when its tabs do not fit. happy-dom lays nothing out, so
 * sizes are stubbed: every tab 100 px wide, the » button 20 px, the strip `stripWidth`.
 */
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { useState } from 'preact/hooks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Tabs } from '../../../src/panel/components/Tabs';

let stripWidth = 1000;
beforeEach(() => {
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockImplementation(function (this: HTMLElement) {
    const width = this.classList.contains('tab') ? 100 : this.classList.contains('tab-more') ? 20 : 0;
    return { width, height: 20, top: 0, left: 0, right: width, bottom: 20, x: 0, y: 0 } as DOMRect;
  });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', {
    configurable: true,
    get(this: HTMLElement) {
      return this.classList.contains('tab-strip') ? stripWidth : 0;
    },
  });
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  delete (HTMLElement.prototype as { clientWidth?: number }).clientWidth;
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
