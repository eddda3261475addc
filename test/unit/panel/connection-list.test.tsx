// @vitest-environment happy-dom
import { cleanup, fireEvent, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { renderPanel, rows } from './render-panel';

afterEach(cleanup);

describe('connection list', () => {
  it('shows a row per socket with statuses, outcome, extensions, duration and frames', () => {
    const { container } = renderPanel();
    expect(rows(container)).toHaveLength(7);
    const auth = container.querySelector<HTMLElement>('[data-id="auth"]')!;
    expect(auth.querySelector('.col-status')!.textContent).toBe('401 → 101');
    expect(auth.querySelector('.col-outcome')!.textContent).toContain('open');
    expect(auth.querySelector('.col-ext')!.textContent).toBe('x-kaazing-idle-timeout, x-kaazing-ping-pong');
    expect(auth.querySelector('.col-frames')!.textContent).toBe('12');
    expect(auth.querySelector('.col-time')!.textContent).toBe('60 ms');
    expect(auth.querySelector('.col-proto')!.textContent).toBe('x-kaazing-handshake');
    const forbidden = container.querySelector<HTMLElement>('[data-id="forbidden"]')!;
    expect(forbidden.querySelector('.badge')!.className).toContain('outcome-failed');
    expect(forbidden.querySelector('.col-status')!.textContent).toBe('403');
    expect(container.querySelector('[data-id="plain"] .col-outcome')!.textContent).toContain('not KHP');
  });

  it('groups a redirect chain under its readable path', () => {
    const { container } = renderPanel();
    const group = screen.getByRole('group', { name: /Redirect chain/ });
    expect(group.querySelector('.chain-path')!.textContent).toBe('/redirect/1 → /redirect/0 → /echo');
    expect(Array.from(group.querySelectorAll('[role=option]')).map((r) => r.getAttribute('data-id'))).toEqual(
      ['r1', 'r0', 'r-end'],
    );
    expect(container.querySelector('[data-id="r1"] .col-status')!.textContent).toBe('302');
  });

  it('counts sockets, KHP, failed, frames and dropped in the status bar', () => {
    const { container } = renderPanel();
    const bar = container.querySelector('.status-bar')!.textContent!;
    expect(bar).toContain('7 sockets');
    expect(bar).toContain('6 KHP');
    expect(bar).toContain('2 failed');
    expect(bar).toContain('24 frames');
    expect(bar).toContain('0 dropped');
  });

  it('moves with the arrow keys, opens with Enter and closes with Escape', () => {
    const { container } = renderPanel();
    const list = screen.getByRole('listbox', { name: 'WebSocket connections' });
    list.focus();
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    const first = rows(container)[0]!;
    expect(first.getAttribute('aria-selected')).toBe('true');
    expect(list.getAttribute('aria-activedescendant')).toBe(first.id);
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    expect(rows(container)[1]!.getAttribute('aria-selected')).toBe('true');
    expect(first.getAttribute('aria-selected')).toBe('false');
    fireEvent.keyDown(list, { key: 'Enter' });
    const detail = screen.getByRole('region', { name: /^Socket / });
    expect(screen.getByRole('tab', { name: /Handshake/ }).getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(detail, { key: 'Escape' });
    expect(screen.queryByRole('region', { name: /^Socket / })).toBeNull();
    expect(document.activeElement).toBe(list);
  });
});
