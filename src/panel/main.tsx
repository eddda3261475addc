/**
 * Panel entry: picks where the data comes from, then renders. Inside DevTools (an extension page
 * without `?fixture=`) the live port to the background; anywhere else, a plain page fed by an
 * optional fixture file (`?fixture=<url of a HAR or capture file>`, `?theme=dark`).
 */
import { render } from 'preact';
import './styles/theme.css';
import './styles/base.css';
import './styles/list.css';
import './styles/detail.css';
import './styles/messages.css';
import { App } from './components/App';
import { defaultCore } from './core';
import { createPlainHost, loadFixture, themeParam } from './host-plain';
import { connectLive } from './live';
import { startNetworkFeed } from './network-feed';
import { PanelContext } from './store/context';
import { PanelStore } from './store/panel-store';
import type { PanelHost } from './transport';

async function pickHost(): Promise<PanelHost> {
  const params = new URLSearchParams(location.search);
  const extensionPage = /^(chrome|moz)-extension:$/.test(location.protocol);
  if (extensionPage && !params.has('fixture'))
    return (await import('./host-extension')).createExtensionHost();
  const fixture = params.get('fixture');
  const loaded = fixture ? await loadFixture(fixture, defaultCore) : { events: [] };
  if ('error' in loaded && loaded.error) console.warn(loaded.error);
  const host = createPlainHost(loaded.events, themeParam(location.search));
  (globalThis as Record<string, unknown>).__khpPanel = { transport: host.transport, store };
  return host;
}

const store = new PanelStore(defaultCore);
void pickHost().then((host) => {
  connectLive(store, host);
  // The network as a second witness of the tab's WebSockets, read while the panel is open.
  const network = host.network?.();
  if (network) startNetworkFeed(store, network);
  const root = document.getElementById('app')!;
  render(
    <PanelContext.Provider value={{ store, core: defaultCore, host }}>
      <App />
    </PanelContext.Provider>,
    root,
  );
  // Test builds only: report what the list shows to the inspected page (see test-report.ts); the
  // build flag drops this branch and the module from real builds (src/platform/build-flags.ts).
  const evalInPage = host.evalInPage;
  if (__KHP_TEST__ && evalInPage)
    void import('./test-report').then((m) => m.startTestReport(document, evalInPage));
});
