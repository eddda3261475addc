// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { Waterfall, handshakeSpan } from '../../../src/panel/components/Waterfall';
import type { TimelineStep } from '../../../src/protocol/model';

afterEach(cleanup);

const steps: TimelineStep[] = [
  { kind: 'create', at: 0, label: 'new WebSocket' },
  { kind: 'open', at: 10, label: 'Open' },
  { kind: 'request', at: 12, label: 'GET /echo' },
  { kind: 'response', at: 28, label: '101' },
  { kind: 'completed', at: 30, label: 'Extended handshake completed' },
  { kind: 'close', at: 600, label: 'Closed 1000' },
];

const bars = (container: Element) =>
  Array.from(container.querySelectorAll<HTMLElement>('.wf-bar'), (b) => [
    parseFloat(b.style.left),
    parseFloat(b.style.width),
  ]);

describe('the handshake waterfall', () => {
  it('scales to the extended handshake by default; the whole life is one click away', () => {
    expect(handshakeSpan(steps)).toBe(30);
    const { container } = render(<Waterfall steps={steps} selected={0} onSelect={() => {}} />);
    // The response bar (12 → 28 ms) spans more than half of a 30 ms scale.
    expect(bars(container)[3]![1]).toBeGreaterThan(50);
    expect(container.querySelectorAll('.wf-step.beyond')).toHaveLength(1);
    expect(container.querySelector('.wf-step.beyond .wf-beyond')).not.toBeNull();
    fireEvent.click(screen.getByRole('button', { name: /whole life/ }));
    expect(screen.getByRole('button', { name: /whole life/ }).getAttribute('aria-pressed')).toBe('true');
    // On the 600 ms scale the same bar is under 3 %.
    expect(bars(container)[3]![1]).toBeLessThan(3);
    expect(container.querySelectorAll('.wf-step.beyond')).toHaveLength(0);
  });

  it('falls back to the whole life when there is no handshake to scale to', () => {
    const plain: TimelineStep[] = [
      { kind: 'create', at: 0, label: 'new WebSocket' },
      { kind: 'open', at: 5, label: 'Open' },
      { kind: 'close', at: 50, label: 'Closed' },
    ];
    expect(handshakeSpan(plain)).toBeNull();
    render(<Waterfall steps={plain} selected={0} onSelect={() => {}} />);
    expect(screen.getByRole('button', { name: /^handshake/ }).hasAttribute('disabled')).toBe(true);
    expect(screen.getByRole('button', { name: /whole life/ }).getAttribute('aria-pressed')).toBe('true');
  });
});
