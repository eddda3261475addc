// @vitest-environment happy-dom
/** The panel over the real protocol core (decoder, chains, rules, HTTP parser) and the recorded captures. */
import { act, cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../../src/panel/components/App';
import { defaultCore } from '../../../src/panel/core';
import { createPlainHost } from '../../../src/panel/host-plain';
import { connectLive } from '../../../src/panel/live';
import { PanelContext } from '../../../src/panel/store/context';
import { PanelStore } from '../../../src/panel/store/panel-store';
import { socketsToEvents } from '../../../src/protocol/capture-store';
import { ALL_SOCKETS } from '../../fixtures/panel/captures';

afterEach(cleanup);

function renderReal() {
  const store = new PanelStore(defaultCore, (f) => f());
  const host = createPlainHost(socketsToEvents(ALL_SOCKETS), null);
  host.download = vi.fn();
  const utils = render(
    <PanelContext.Provider value={{ store, core: defaultCore, host }}>
      <App />
    </PanelContext.Provider>,
  );
  act(() => void connectLive(store, host));
  return { ...utils, store, host };
}

describe('panel over the real core', () => {
  it('decodes the recorded captures into rows', () => {
    const { container } = renderReal();
    const row = (id: string) => container.querySelector<HTMLElement>(`[data-id="${id}"]`)!;
    expect(row('auth').querySelector('.col-status')!.textContent).toBe('401 → 101');
    expect(row('auth').querySelector('.col-outcome')!.textContent).toContain('open');
    expect(row('auth').querySelector('.col-ext')!.textContent).toContain('x-kaazing-ping-pong');
    expect(row('forbidden').querySelector('.col-outcome')!.textContent).toContain('failed');
    expect(row('plain').querySelector('.col-outcome')!.textContent).toContain('not KHP');
    expect(
      screen.getByRole('group', { name: /Redirect chain/ }).querySelector('.chain-path')!.textContent,
    ).toBe('/redirect/1 → /redirect/0 → /echo');
  });

  it('labels control frames from the granted control prefix, and explains findings from the catalogue', () => {
    const { container } = renderReal();
    fireEvent.click(container.querySelector('[data-id="auth"]')!);
    fireEvent.click(screen.getByRole('tab', { name: /Messages/ }));
    const roles = Array.from(container.querySelectorAll('.fr-role')).map((n) => n.textContent);
    expect(roles).toContain('ping');
    expect(roles).toContain('pong');
    expect(roles[0]).toBe('balancer');
    fireEvent.click(screen.getByRole('tab', { name: /Extensions/ }));
    expect(screen.getByRole('table', { name: 'Granted in the extended response' }).textContent).toContain(
      'idle timeout 30000 ms',
    );
  });

  it('shows where the real HTTP parser stopped in a malformed response', () => {
    const { container } = renderReal();
    fireEvent.click(container.querySelector('[data-id="malformed"]')!);
    fireEvent.click(screen.getByRole('tab', { name: /Messages/ }));
    fireEvent.click(container.querySelector('#frame-row-1')!);
    expect(
      screen.getAllByRole('alert').some((a) => /Malformed response: .* at byte \d+/.test(a.textContent!)),
    ).toBe(true);
    const mark = screen.getByRole('table', { name: 'Payload bytes' }).querySelector('mark');
    expect(mark!.textContent).toBe('4f');
    fireEvent.click(screen.getByRole('tab', { name: 'Text' }));
    expect(screen.getByLabelText('Payload text').querySelector('mark')!.textContent).toBe('O');
  });

  it('exports a real HAR with credentials redacted by default', () => {
    const { host } = renderReal();
    fireEvent.click(screen.getByRole('button', { name: 'Export' }));
    fireEvent.click(screen.getByRole('menuitem', { name: /Export HAR/ }));
    const text = (host.download as ReturnType<typeof vi.fn>).mock.calls[0]![1] as string;
    const har = JSON.parse(text) as { log: { entries: { _webSocketMessages?: unknown[] }[] } };
    expect(har.log.entries.length).toBe(ALL_SOCKETS.length);
    expect(har.log.entries[0]!._webSocketMessages).toBeDefined();
    expect(text).not.toContain('am9lOndlbGNvbWU=');
  });
});

describe('a redirect loop over the real core', () => {
  it('marks the group head and the last hop, lists the chain finding there, and counts one failure', async () => {
    const { importHar } = await import('../../../src/protocol/har');
    const { buildFixtures } = await import('../../fixtures/make-fixtures');
    const har = buildFixtures()['redirect-loop'];
    const store = new PanelStore(defaultCore, (f) => f());
    const host = createPlainHost([], null);
    const { container } = render(
      <PanelContext.Provider value={{ store, core: defaultCore, host }}>
        <App />
      </PanelContext.Provider>,
    );
    act(() => store.showImported('redirect-loop.har', importHar(har).sockets, []));
    const head = screen.getByRole('group', { name: /Redirect chain/ });
    expect(head.querySelector('.chain-head')?.textContent).toContain('redirect loop');
    const rows = Array.from(container.querySelectorAll<HTMLElement>('.conn-row'));
    expect(rows).toHaveLength(2);
    expect(rows[0]!.querySelector('.col-outcome')!.textContent).toBe('redirected');
    expect(rows[1]!.querySelector('.col-outcome')!.textContent).toBe('redirect loop');
    expect(container.querySelector('.status-bar')!.textContent).toContain('1 failed');
    fireEvent.click(rows[1]!);
    fireEvent.click(screen.getByRole('tab', { name: /Findings/ }));
    const finding = container.querySelector('.finding')!;
    expect(finding.querySelector('.rule-id')!.textContent).toBe('redirect-loop');
    expect(finding.textContent).toContain('redirect chain');
  });
});
