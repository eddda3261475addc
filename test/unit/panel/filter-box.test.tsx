// @vitest-environment happy-dom
import { cleanup, fireEvent, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { renderPanel, rows } from './render-panel';

afterEach(cleanup);

const type = (text: string) =>
  fireEvent.input(screen.getByRole('searchbox', { name: 'Filter connections' }), { target: { value: text } });

describe('filter box', () => {
  it('filters rows by key, regex and negation, and counts what is shown', () => {
    const { container } = renderPanel();
    type('status:401');
    expect(rows(container).map((r) => r.dataset.id)).toEqual(['auth']);
    expect(container.querySelector('.status-bar')!.textContent).toContain('1 / 7 sockets');
    type('/redirect/');
    expect(rows(container).map((r) => r.dataset.id)).toEqual(['r1', 'r0']);
    type('-outcome:failed -khp:no');
    expect(rows(container).map((r) => r.dataset.id)).toEqual(['auth', 'r1', 'r0', 'r-end']);
  });

  it('marks an invalid regex and says so when nothing matches', () => {
    const { container } = renderPanel();
    type('/(/');
    expect(screen.getByRole('searchbox').className).toContain('invalid');
    expect(rows(container)).toHaveLength(0);
    expect(screen.getByText('No socket matches the filter.')).toBeTruthy();
  });

  it('clears with Escape', () => {
    const { container } = renderPanel();
    type('status:401');
    fireEvent.keyDown(screen.getByRole('searchbox'), { key: 'Escape' });
    expect(rows(container)).toHaveLength(7);
  });
});
