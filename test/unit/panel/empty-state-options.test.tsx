// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { EmptyState } from '../../../src/panel/components/EmptyState';

afterEach(cleanup);

const props = { live: true, connected: true, canReload: true, onReload() {}, onImport() {}, filtered: false };

describe('empty panel: site access', () => {
  it('points to the options, where the sites captured on are chosen', () => {
    let opened = 0;
    render(<EmptyState {...props} onOptions={() => opened++} />);
    expect(screen.getByText(/captures only on the sites its options allow/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Options…' }));
    expect(opened).toBe(1);
  });

  it('says nothing of options where it cannot open them (the panel as a plain page)', () => {
    render(<EmptyState {...props} />);
    expect(screen.queryByRole('button', { name: 'Options…' })).toBeNull();
  });
});
