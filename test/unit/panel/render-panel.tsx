/** Renders the whole panel over the fixture core, fed through an in-memory transport. */
import { act, render } from '@testing-library/preact';
import { vi } from 'vitest';
import { App } from '../../../src/panel/components/App';
import { PanelContext } from '../../../src/panel/store/context';
import { PanelStore } from '../../../src/panel/store/panel-store';
import { MemoryTransport, type PanelHost } from '../../../src/panel/transport';
import { memoryPrefs, type PrefStore } from '../../../src/panel/prefs';
import { envelope } from '../../../src/messaging/messages';
import type { CaptureEvent, CapturedSocket } from '../../../src/protocol/capture';
import { socketsToEvents } from '../../../src/protocol/capture-store';
import { ALL_SOCKETS, fixtureCore } from '../../fixtures/panel/decoded';
import type { PanelCore } from '../../../src/panel/store/core-port';

/** Beyond the defaults: the core (the fixture's), the store's clock, the backlog's events as sent. */
export interface RenderOptions {
  core?: PanelCore;
  now?: () => number;
  /** The live backlog's events (default: `sockets` as events). */
  events?: CaptureEvent[];
  /** The host's shared-worker switch (Chromium DevTools only; absent by default). */
  sharedWorkers?: PanelHost['sharedWorkers'];
}

/** Renders the panel; `prefs` stands for the remembered view choices (a fresh store by default). */
export function renderPanel(
  sockets: CapturedSocket[] = ALL_SOCKETS,
  prefs: PrefStore = memoryPrefs(),
  options: RenderOptions = {},
) {
  const core = options.core ?? fixtureCore();
  const store = new PanelStore(core, (flush) => flush(), options.now);
  const transport = new MemoryTransport();
  const host = {
    tabId: 7,
    openTransport: () => transport,
    reloadInspected: vi.fn(() => true),
    theme: () => null,
    download: vi.fn(),
    copyText: vi.fn(async (_text: string) => true),
    prefs,
    ...(options.sharedWorkers ? { sharedWorkers: options.sharedWorkers } : {}),
  } satisfies PanelHost;
  store.attach(transport, 7);
  const events = options.events ?? socketsToEvents(sockets);
  transport.deliver(envelope('backlog', { events, droppedEvents: 0, seq: 1 }));
  const utils = render(
    <PanelContext.Provider value={{ store, core, host }}>
      <App />
    </PanelContext.Provider>,
  );
  const deliver = (msg: Parameters<MemoryTransport['deliver']>[0]) => act(() => transport.deliver(msg));
  return { ...utils, store, transport, host, core, deliver };
}

/** The connection rows currently in the list. */
export function rows(container: Element): HTMLElement[] {
  return Array.from(container.querySelectorAll<HTMLElement>('.conn-list [role=option]'));
}
