// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { renderPanel } from './render-panel';
import { ALL_SOCKETS } from '../../fixtures/panel/decoded';
import type { TruncatedField } from '../../../src/protocol/capture';

afterEach(cleanup);

function openSocket(container: Element, id: string): HTMLElement {
  fireEvent.click(container.querySelector(`[data-id="${id}"]`)!);
  return screen.getByRole('region', { name: /^Socket / });
}

function tab(name: RegExp): void {
  fireEvent.click(screen.getByRole('tab', { name }));
}

describe('socket detail', () => {
  it('shows the handshake waterfall and the deciding response with its spec action', () => {
    const { container } = renderPanel();
    const detail = openSocket(container, 'auth');
    const steps = within(detail).getByRole('list', { name: 'Handshake timeline' });
    const labels = Array.from(steps.querySelectorAll('.wf-label')).map((n) => n.textContent);
    expect(labels).toContain('401 Unauthorized');
    expect(labels).toContain('Extended handshake completed');
    expect(steps.querySelector('[aria-current=step] .wf-label')!.textContent).toBe(
      '101 Web Socket Protocol Handshake',
    );
    const meaning = within(detail).getByLabelText('Status code meaning');
    expect(meaning.textContent).toContain('101 Switching Protocols');
    expect(meaning.textContent).toContain('MUST consider the extended handshake completed');
    const headers = within(detail).getByRole('table', { name: 'response headers' });
    expect(headers.textContent).toContain('x-kaazing-ping-pong; 01010102');
  });

  it('opens the request behind a step, with headers, raw text and hex', () => {
    const { container } = renderPanel();
    const detail = openSocket(container, 'auth');
    fireEvent.click(within(detail).getByText('Replayed request with Authorization'));
    const table = within(detail).getByRole('table', { name: 'request headers' });
    expect(table.textContent).toContain('Authorization');
    fireEvent.click(within(detail).getByRole('tab', { name: 'Raw' }));
    expect(within(detail).getByLabelText('Raw request').textContent).toContain('GET /echo HTTP/1.1');
    fireEvent.click(within(detail).getByRole('tab', { name: /Hex/ }));
    const hex = within(detail).getByRole('table', { name: 'request bytes' });
    expect(hex.querySelector('.hex-bytes')!.textContent!.startsWith('47 45 54 20')).toBe(true);
    expect(hex.querySelector('.hex-ascii')!.textContent!.startsWith('GET /echo')).toBe(true);
  });

  it('lists extensions at each stage with parsed parameters and passing checks', () => {
    const { container } = renderPanel();
    openSocket(container, 'auth');
    tab(/Extensions/);
    const granted = screen.getByRole('table', { name: 'Granted in the extended response' });
    expect(granted.textContent).toContain('idle timeout 30000 ms');
    expect(granted.textContent).toContain('control prefix 01 01 01 02');
    expect(screen.getByRole('table', { name: 'Requested in the extended request' }).textContent).toContain(
      'x-kaazing-ping-pong',
    );
    expect(screen.getByRole('table', { name: 'Granted in the opening handshake' }).textContent).toContain(
      'permessage-deflate',
    );
    expect(container.querySelectorAll('.checks li.fail')).toHaveLength(0);
    expect(container.querySelector('.checks')!.textContent).toContain('subset of those requested');
  });

  it('shows the redirect chain hop by hop with Location', () => {
    const { container } = renderPanel();
    openSocket(container, 'r0');
    tab(/Redirects/);
    const table = screen.getByRole('table', { name: 'Redirect hops' });
    const bodyRows = table.querySelectorAll('tbody tr');
    expect(bodyRows).toHaveLength(3);
    expect(bodyRows[0]!.textContent).toContain('http://gw.example.com/redirect/0');
    expect(bodyRows[1]!.className).toBe('current');
    expect(bodyRows[2]!.textContent).toContain('101');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('lists findings with severity, rule id, spec clause and explanation', () => {
    const { container } = renderPanel();
    openSocket(container, 'forbidden');
    tab(/Findings/);
    const list = screen.getByRole('list', { name: 'Findings' });
    expect(list.querySelector('.rule-id')!.textContent).toBe('handshake-failed');
    expect(list.querySelector('.sev-text')!.textContent).toBe('error');
    expect(list.textContent).toContain('Spec: Kaazing Extended Handshake Response Codes: 403');
    expect(list.textContent).toContain('The status code is not actionable');
  });

  it('switches tabs with the arrow keys', () => {
    const { container } = renderPanel();
    openSocket(container, 'auth');
    const handshake = screen.getByRole('tab', { name: /Handshake/ });
    handshake.focus();
    fireEvent.keyDown(handshake, { key: 'ArrowRight' });
    const messages = screen.getByRole('tab', { name: /Messages/ });
    expect(messages.getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(messages);
    fireEvent.keyDown(messages, { key: 'End' });
    expect(screen.getByRole('tab', { name: /Findings/ }).getAttribute('aria-selected')).toBe('true');
  });

  it('says a socket is not KHP and still shows its frames', () => {
    const { container } = renderPanel();
    openSocket(container, 'plain');
    expect(screen.getByText(/This socket is not KHP/)).toBeTruthy();
    tab(/Messages/);
    const list = screen.getByRole('listbox', { name: /Frames/ });
    expect(list.querySelectorAll('[role=option]')).toHaveLength(2);
    expect(list.textContent).toContain('hello back');
  });
});

describe('fields the capture cut', () => {
  it('says which fields were cut and what was kept of each, and nothing when none was', () => {
    const cut = ALL_SOCKETS.map((s) =>
      s.id === 'auth' ? { ...s, truncatedFields: ['protocols', 'url'] as TruncatedField[] } : s,
    );
    const { container } = renderPanel(cut);
    const detail = openSocket(container, 'auth');
    const note = within(detail).getByRole('note');
    expect(note.textContent).toContain('the URL (its first 65,536 characters)');
    expect(note.textContent).toContain(
      'the requested protocols (at most 64, each its first 1,024 characters)',
    );
    expect(note.textContent!.indexOf('URL')).toBeLessThan(note.textContent!.indexOf('requested protocols'));
    cleanup();
    const plain = renderPanel();
    expect(within(openSocket(plain.container, 'auth')).queryByRole('note')).toBeNull();
  });
});
