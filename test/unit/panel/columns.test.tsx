// @vitest-environment happy-dom
/**
 * Sorting and resizing the panel's columns: header buttons with aria-sort, redirect chains kept
 * together, widths moved by the keyboard, and both remembered across a reload of the panel.
 */
import { cleanup, fireEvent, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryPrefs } from '../../../src/panel/prefs';
import { renderPanel, rows } from './render-panel';

afterEach(cleanup);

const ids = (container: Element) => rows(container).map((r) => r.dataset.id);
const headers = () => screen.getByRole('table', { name: 'Connection list columns' });
const header = (name: string) => within(headers()).getByRole('columnheader', { name });

describe('sortable columns', () => {
  it('sorts ascending, descending, then back to the original order, chains kept together', () => {
    const { container } = renderPanel();
    const original = ['auth', 'r1', 'r0', 'r-end', 'forbidden', 'plain', 'malformed'];
    expect(ids(container)).toEqual(original);
    expect(header('URL').getAttribute('aria-sort')).toBeNull();
    fireEvent.click(within(header('URL')).getByRole('button'));
    expect(header('URL').getAttribute('aria-sort')).toBe('ascending');
    // By host and path; the chain by its first hop (/redirect/1), its hops in chain order.
    expect(ids(container)).toEqual(['plain', 'malformed', 'auth', 'r1', 'r0', 'r-end', 'forbidden']);
    fireEvent.click(within(header('URL')).getByRole('button'));
    expect(header('URL').getAttribute('aria-sort')).toBe('descending');
    expect(ids(container)).toEqual(['forbidden', 'r1', 'r0', 'r-end', 'auth', 'malformed', 'plain']);
    fireEvent.click(within(header('URL')).getByRole('button'));
    expect(header('URL').getAttribute('aria-sort')).toBeNull();
    expect(ids(container)).toEqual(original);
    // Another column: the previous one is no longer sorted. The chain sorts by its last hop (open).
    fireEvent.click(within(header('Outcome')).getByRole('button'));
    expect(
      within(headers())
        .getAllByRole('columnheader')
        .filter((h) => h.hasAttribute('aria-sort')),
    ).toHaveLength(1);
    expect(ids(container)).toEqual(['forbidden', 'malformed', 'plain', 'auth', 'r1', 'r0', 'r-end']);
    expect(
      screen.getByRole('group', { name: /Redirect chain/ }).querySelectorAll('[role=option]'),
    ).toHaveLength(3);
  });

  it('keeps the keyboard moving through rows in their sorted order', () => {
    const { container } = renderPanel();
    fireEvent.click(within(header('Frames')).getByRole('button'));
    fireEvent.click(within(header('Frames')).getByRole('button'));
    const list = screen.getByRole('listbox', { name: 'WebSocket connections' });
    list.focus();
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    expect(container.querySelector('.conn-row.selected')!.getAttribute('data-id')).toBe('auth');
    expect(rows(container)[0]!.dataset.id).toBe('auth');
  });

  it('sorts the frame list by a column', () => {
    const { container } = renderPanel();
    fireEvent.click(container.querySelector('[data-id="auth"]')!);
    fireEvent.click(screen.getByRole('tab', { name: /Messages/ }));
    const frameHeaders = screen.getByRole('table', { name: 'Frame list columns' });
    const size = within(frameHeaders).getByRole('columnheader', { name: 'Size' });
    fireEvent.click(within(size).getByRole('button'));
    expect(size.getAttribute('aria-sort')).toBe('ascending');
    const list = screen.getByRole('listbox', { name: /Frames/ });
    const order = Array.from(list.querySelectorAll<HTMLElement>('.frame-row'), (r) =>
      Number(r.dataset.index),
    );
    // The two empty terminators first, the 101 response (the largest) last.
    expect(order.slice(0, 2)).toEqual([3, 6]);
    expect(order[order.length - 1]).toBe(5);
    expect(within(frameHeaders).getByRole('columnheader', { name: 'Direction' })).toBeTruthy();
  });
});

describe('resizable columns', () => {
  it('moves a border with ←/→ on its separator, in pixels kept as grid weights', () => {
    const { container } = renderPanel();
    const sep = within(headers()).getByRole('separator', { name: 'Resize the URL column' });
    expect(sep.getAttribute('aria-valuenow')).toBe('320');
    sep.focus();
    fireEvent.keyDown(sep, { key: 'ArrowRight' });
    fireEvent.keyDown(sep, { key: 'ArrowRight', shiftKey: true });
    expect(sep.getAttribute('aria-valuenow')).toBe('380');
    const wrap = container.querySelector<HTMLElement>('.conn-list-wrap')!;
    expect(wrap.style.getPropertyValue('--col-url')).toBe('minmax(80px, 380fr)');
    // The Protocol column gave the room.
    expect(wrap.style.getPropertyValue('--col-proto')).toBe('minmax(40px, 50fr)');
    fireEvent.keyDown(sep, { key: 'ArrowLeft' });
    expect(sep.getAttribute('aria-valuenow')).toBe('370');
    // No column goes below its minimum: the Outcome badge keeps its room.
    const outcome = within(headers()).getByRole('separator', { name: 'Resize the Outcome column' });
    expect(outcome.getAttribute('aria-valuemin')).toBe('92');
    fireEvent.keyDown(outcome, { key: 'ArrowLeft', shiftKey: true });
    expect(outcome.getAttribute('aria-valuenow')).toBe('92');
  });

  it('skips columns a narrow list hides, and gives them a width on the same scale', () => {
    const { container } = renderPanel();
    // As the narrow layout's stylesheet does.
    header('Protocol').style.display = 'none';
    header('Extensions').style.display = 'none';
    const sep = within(headers()).getByRole('separator', { name: 'Resize the URL column' });
    fireEvent.keyDown(sep, { key: 'ArrowRight' });
    const wrap = container.querySelector<HTMLElement>('.conn-list-wrap')!;
    // The border moved between URL and Status, the next column shown.
    expect(wrap.style.getPropertyValue('--col-url')).toBe('minmax(80px, 330fr)');
    expect(wrap.style.getPropertyValue('--col-status')).toBe('minmax(44px, 80fr)');
    expect(wrap.style.getPropertyValue('--col-proto')).toBe('minmax(40px, 110fr)');
    expect(wrap.style.getPropertyValue('--col-ext')).toBe('minmax(40px, 220fr)');
  });
});

describe('remembered column choices', () => {
  it('restores the sort and the widths when the panel is loaded again', () => {
    const prefs = memoryPrefs();
    const first = renderPanel(undefined, prefs);
    fireEvent.click(within(header('Status')).getByRole('button'));
    fireEvent.click(within(header('Status')).getByRole('button'));
    const sep = within(headers()).getByRole('separator', { name: 'Resize the Extensions column' });
    fireEvent.keyDown(sep, { key: 'ArrowLeft' });
    const sorted = ids(first.container);
    first.unmount();
    cleanup();

    const again = renderPanel(undefined, prefs);
    expect(header('Status').getAttribute('aria-sort')).toBe('descending');
    expect(ids(again.container)).toEqual(sorted);
    expect(
      again.container.querySelector<HTMLElement>('.conn-list-wrap')!.style.getPropertyValue('--col-ext'),
    ).toBe('minmax(40px, 210fr)');
    expect(JSON.parse(prefs.get('khp.columns.connections')!)).toEqual({
      sort: { column: 'status', direction: 'descending' },
      widths: { url: 320, proto: 110, status: 90, outcome: 100, ext: 210, time: 70, frames: 50 },
    });
  });
});
