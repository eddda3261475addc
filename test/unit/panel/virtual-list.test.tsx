// @vitest-environment happy-dom
/**
 * The connection list at scale: only the rows around the viewport are in the DOM, with their
 * place announced (aria-posinset / aria-setsize), the keyboard reaching rows outside it, and the
 * store rebuilding redirect chains only when something they depend on changed.
 */
import { cleanup, fireEvent, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { envelope } from '../../../src/messaging/messages';
import type { CaptureEvent, CapturedSocket } from '../../../src/protocol/capture';
import { PanelStore } from '../../../src/panel/store/panel-store';
import { MemoryTransport } from '../../../src/panel/transport';
import { socketsToEvents } from '../../../src/protocol/capture-store';
import { fixtureCore } from '../../fixtures/panel/decoded';
import { ALL_SOCKETS, plain } from '../../fixtures/panel/captures';
import { renderPanel, rows } from './render-panel';

afterEach(cleanup);

/** `n` plain sockets after the fixture's, each with one frame. */
function many(n: number): CapturedSocket[] {
  const out: CapturedSocket[] = [...ALL_SOCKETS];
  for (let i = 0; i < n; i++)
    out.push({ ...plain, id: `p${i}`, url: `ws://many.test/s/${i}`, createdAt: plain.createdAt + 1000 + i });
  return out;
}

describe('virtual connection list', () => {
  it('keeps a few dozen rows in the DOM for 2,000 sockets and says where each sits', () => {
    const { container } = renderPanel(many(2000));
    const shown = rows(container);
    expect(shown.length).toBeGreaterThan(10);
    expect(shown.length).toBeLessThan(80);
    expect(shown[0]!.getAttribute('aria-posinset')).toBe('1');
    expect(shown[0]!.getAttribute('aria-setsize')).toBe('2007');
    expect(container.querySelector('.status-bar')!.textContent).toContain('2007 sockets');
    const spacer = container.querySelector<HTMLElement>('.conn-spacer')!;
    // 2,007 rows and one chain header, 21 px each.
    expect(spacer.style.height).toBe(`${2008 * 21}px`);
  });

  it('reaches the last row with End and the first with Home, scrolling them into view', () => {
    const { container } = renderPanel(many(2000));
    const list = screen.getByRole('listbox', { name: 'WebSocket connections' });
    list.focus();
    fireEvent.keyDown(list, { key: 'End' });
    const last = container.querySelector<HTMLElement>('[data-id="p1999"]')!;
    expect(last.getAttribute('aria-selected')).toBe('true');
    expect(last.getAttribute('aria-posinset')).toBe('2007');
    expect(list.getAttribute('aria-activedescendant')).toBe(last.id);
    expect(list.scrollTop).toBeGreaterThan(2000 * 21 - 1000);
    expect(container.querySelector('[data-id="auth"]')).toBeNull();
    fireEvent.keyDown(list, { key: 'ArrowUp' });
    expect(container.querySelector('[data-id="p1998"]')!.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(list, { key: 'Home' });
    expect(list.scrollTop).toBe(0);
    expect(container.querySelector('[data-id="auth"]')!.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(list, { key: 'Enter' });
    expect(screen.getByRole('region', { name: /^Socket / })).toBeTruthy();
  });
});

describe('store: chains', () => {
  function setup() {
    const pending: (() => void)[] = [];
    const store = new PanelStore(fixtureCore(), (flush) => pending.push(flush));
    const transport = new MemoryTransport();
    store.attach(transport, 1);
    const tick = () => pending.splice(0).forEach((f) => f());
    transport.deliver(
      envelope('backlog', { events: socketsToEvents(ALL_SOCKETS), droppedEvents: 0, seq: 1 }),
    );
    tick();
    return { store, transport, tick };
  }

  it('keeps the same chains while only data frames arrive, and rebuilds when a socket is added', () => {
    const { store, transport, tick } = setup();
    const chains = store.getSnapshot().chains;
    const frame = {
      type: 'frame',
      socketId: 'plain',
      dir: 'receive',
      opcode: 1,
      data: 'x',
      size: 1,
    } as const;
    transport.deliver(envelope('events', { events: [{ ...frame, time: 1 }], seq: 2 }));
    tick();
    const after = store.getSnapshot();
    expect(after.connections.find((c) => c.id === 'plain')!.frameCount).toBe(plain.frames.length + 1);
    expect(after.chains).toBe(chains);
    transport.deliver(
      envelope('events', {
        events: [
          { type: 'create', socketId: 'new', time: 5, url: 'ws://new.test/', protocols: [] } as CaptureEvent,
        ],
        seq: 3,
      }),
    );
    tick();
    expect(store.getSnapshot().chains).not.toBe(chains);
    expect(store.getSnapshot().chains.some((c) => c.connections.includes('new'))).toBe(true);
  });

  it('counts truncated frames as they arrive', () => {
    const { store, transport, tick } = setup();
    const before = store.getSnapshot().truncatedFrames;
    const cut: CaptureEvent = {
      type: 'frame',
      socketId: 'plain',
      dir: 'receive',
      opcode: 1,
      data: 'x',
      size: 9,
      truncated: true,
      time: 1,
    };
    transport.deliver(
      envelope('events', {
        events: [
          { ...cut, time: 1 },
          { ...cut, time: 2 },
        ],
        seq: 2,
      }),
    );
    tick();
    expect(store.getSnapshot().truncatedFrames).toBe(before + 2);
  });
});
