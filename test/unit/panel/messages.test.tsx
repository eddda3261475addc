// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { FrameList, FRAME_ROW_HEIGHT } from '../../../src/panel/components/FrameList';
import type { CapturedFrame } from '../../../src/protocol/capture';
import type { FrameRole } from '../../../src/protocol/model';
import { renderPanel } from './render-panel';

afterEach(cleanup);

function openMessages(container: Element, id: string) {
  fireEvent.click(container.querySelector(`[data-id="${id}"]`)!);
  fireEvent.click(screen.getByRole('tab', { name: /Messages/ }));
  return screen.getByRole('listbox', { name: /Frames/ });
}

describe('messages', () => {
  it('labels roles and filters them with chips', () => {
    const { container } = renderPanel();
    const list = openMessages(container, 'auth');
    const roles = Array.from(list.querySelectorAll('.fr-role')).map((n) => n.textContent);
    expect(roles).toEqual([
      'balancer',
      'request',
      'response',
      'terminator',
      'request',
      'response',
      'terminator',
      'balancer',
      'data',
      'ping',
      'pong',
      'data',
    ]);
    expect(list.querySelector('#frame-row-9 .fr-data')!.textContent).toBe('\\x01\\x01\\x01\\x02\\x09\\x00');
    fireEvent.click(screen.getByRole('button', { name: /Handshake/, pressed: true }));
    fireEvent.click(screen.getByRole('button', { name: /Balancer/, pressed: true }));
    const shown = Array.from(list.querySelectorAll('.fr-role')).map((n) => n.textContent);
    expect(shown).toEqual(['data', 'ping', 'pong', 'data']);
    expect(screen.getByRole('button', { name: /Handshake/ }).getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(screen.getByRole('button', { name: /Ping\/pong/ }));
    expect(Array.from(list.querySelectorAll('.fr-role')).map((n) => n.textContent)).toEqual(['data', 'data']);
  });

  it('filters frames by payload with a count and marked matches; Esc empties the box first', () => {
    const { container } = renderPanel();
    const list = openMessages(container, 'auth');
    const box = screen.getByRole('searchbox', { name: 'Filter frames by payload' });
    fireEvent.input(box, { target: { value: 'HELLO' } });
    expect(Array.from(list.querySelectorAll('.frame-row'), (r) => r.id)).toEqual(['frame-row-8']);
    expect(list.querySelector('#frame-row-8 mark')!.textContent).toBe('hello');
    expect(container.querySelector('.frame-search-count')!.textContent).toBe('1 of 12 frames match');
    fireEvent.click(screen.getByRole('button', { name: 'Aa' }));
    expect(list.querySelectorAll('.frame-row')).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Aa' }));
    fireEvent.input(box, { target: { value: 'hex:ef83bf4e' } });
    expect(Array.from(list.querySelectorAll('.frame-row'), (r) => r.id)).toEqual([
      'frame-row-0',
      'frame-row-7',
    ]);
    fireEvent.input(box, { target: { value: '/HTTP.1.1 (401|101)/' } });
    expect(Array.from(list.querySelectorAll('.frame-row'), (r) => r.id)).toEqual([
      'frame-row-2',
      'frame-row-5',
    ]);
    fireEvent.input(box, { target: { value: '/(/' } });
    expect(box.getAttribute('aria-invalid')).toBe('true');
    expect(container.querySelector('.frame-search-count')!.textContent).toMatch(
      /Invalid regular expression/i,
    );
    fireEvent.keyDown(box, { key: 'Escape' });
    expect((box as HTMLInputElement).value).toBe('');
    expect(list.querySelectorAll('.frame-row')).toHaveLength(12);
    expect(screen.getByRole('region', { name: /Socket/ })).toBeTruthy();
  });

  it('shows a binary frame as hex + ASCII and a text frame as pretty JSON', () => {
    const { container } = renderPanel();
    const list = openMessages(container, 'auth');
    fireEvent.click(list.querySelector('#frame-row-0')!);
    const hex = screen.getByRole('table', { name: 'Payload bytes' });
    expect(hex.querySelector('.hex-bytes')!.textContent).toBe('ef 83 bf 4e');
    expect(hex.querySelector('.hex-ascii')!.textContent).toBe('...N');
    expect(hex.querySelector('.hex-offset')!.textContent).toBe('00000000');
    fireEvent.click(list.querySelector('#frame-row-8')!);
    fireEvent.click(screen.getByRole('tab', { name: 'JSON' }));
    expect(screen.getByLabelText('Payload JSON').textContent).toBe(
      '{\n  "hello": "world",\n  "n": [\n    1,\n    2\n  ]\n}',
    );
  });

  it('moves through frames with the keyboard', () => {
    const { container } = renderPanel();
    const list = openMessages(container, 'auth');
    fireEvent.click(list.querySelector('#frame-row-2')!);
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    expect(list.querySelector('#frame-row-3')!.getAttribute('aria-selected')).toBe('true');
    expect(list.getAttribute('aria-activedescendant')).toBe('frame-row-3');
    fireEvent.keyDown(list, { key: 'End' });
    expect(list.querySelector('#frame-row-11')!.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(list, { key: 'Home' });
    expect(screen.getByRole('region', { name: 'Frame 0' })).toBeTruthy();
  });

  it('marks where a malformed response broke, in the text and hex views', () => {
    const { container } = renderPanel();
    const list = openMessages(container, 'malformed');
    fireEvent.click(list.querySelector('#frame-row-1')!);
    expect(screen.getByRole('alert').textContent).toContain('at byte 10');
    fireEvent.click(screen.getByRole('tab', { name: 'Text' }));
    expect(screen.getByLabelText('Payload text').querySelector('mark')!.textContent).toBe('O');
    fireEvent.click(screen.getByRole('tab', { name: 'Hex' }));
    const hex = screen.getByRole('table', { name: 'Payload bytes' });
    const marks = hex.querySelectorAll('mark');
    expect(marks[0]!.textContent).toBe('4f');
    expect(marks[1]!.textContent).toBe('O');
  });
});

describe('payloads are text', () => {
  it('renders HTML from the page as text and injects no element', () => {
    (globalThis as Record<string, unknown>).__pwned = undefined;
    const { container } = renderPanel();
    fireEvent.click(container.querySelector('[data-id="forbidden"]')!);
    const detail = screen.getByRole('region', { name: /^Socket / });
    expect(within(detail).getByRole('table', { name: 'response headers' }).textContent).toContain('<script>');
    fireEvent.click(within(detail).getByRole('tab', { name: 'Raw' }));
    expect(within(detail).getByLabelText('Raw response').textContent).toContain('<img src=x onerror=');
    const list = openMessages(container, 'auth');
    fireEvent.click(list.querySelector('#frame-row-11')!);
    expect(list.querySelector('#frame-row-11 .fr-data')!.textContent).toContain('<b>bold</b>');
    expect(screen.getByLabelText('Payload text').textContent).toContain('<script>window.__pwned=2</script>');
    expect(container.querySelectorAll('img, script, b')).toHaveLength(0);
    expect((globalThis as Record<string, unknown>).__pwned).toBeUndefined();
  });
});

describe('virtualized frame list', () => {
  const N = 100_000;
  const frames: CapturedFrame[] = Array.from({ length: N }, (_, i) => ({
    dir: i % 2 ? 'receive' : 'send',
    time: i,
    opcode: 1,
    data: `message ${i}`,
    size: 8 + String(i).length,
  }));
  const roles: FrameRole[] = Array<FrameRole>(N).fill('data');
  const indexes = Array.from({ length: N }, (_, i) => i);

  it('renders only the rows near the viewport with 100,000 frames', () => {
    let selected: number | null = null;
    const { container, rerender } = render(
      <FrameList
        frames={frames}
        roles={roles}
        indexes={indexes}
        selected={null}
        onSelect={(i) => (selected = i)}
        startedAt={0}
      />,
    );
    const list = screen.getByRole('listbox');
    const count = list.querySelectorAll('[role=option]').length;
    expect(count).toBeGreaterThan(10);
    expect(count).toBeLessThan(60);
    expect(container.querySelector<HTMLElement>('.frame-spacer')!.style.height).toBe(
      `${N * FRAME_ROW_HEIGHT}px`,
    );
    list.scrollTop = 50_000 * FRAME_ROW_HEIGHT;
    fireEvent.scroll(list);
    const first = list.querySelector<HTMLElement>('[role=option]')!;
    expect(Number(first.getAttribute('aria-posinset'))).toBeGreaterThan(49_000);
    expect(first.getAttribute('aria-setsize')).toBe(String(N));
    expect(list.querySelectorAll('[role=option]').length).toBeLessThan(60);
    expect(list.textContent).toContain('message 50000');
    fireEvent.click(list.querySelector('#frame-row-50001')!);
    expect(selected).toBe(50_001);
    rerender(
      <FrameList
        frames={frames}
        roles={roles}
        indexes={indexes}
        selected={N - 1}
        onSelect={() => {}}
        startedAt={0}
      />,
    );
    expect(list.querySelector(`#frame-row-${N - 1}`)).not.toBeNull();
  });
});
