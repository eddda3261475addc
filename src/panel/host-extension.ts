/** The panel inside DevTools: a runtime port to the background, DevTools' theme and reload. */
import { browser } from '../platform/browser';
import { devtoolsNetwork } from '../platform/devtools-network';
import { evalInInspectedWindow } from '../platform/inspected-window';
import { SharedWorkerSwitch, sharedWorkersSupported } from './shared-workers';
import { PANEL_PORT, envelope } from '../messaging/messages';
import type { PortLike } from '../messaging/ports';
import { writeClipboard } from './clipboard';
import { localPrefs } from './prefs';
import { downloadText, portTransport, type PanelHost } from './transport';

/** A host backed by the extension APIs of the DevTools page this panel belongs to. */
export function createExtensionHost(): PanelHost {
  const shared = sharedWorkersSupported() ? new SharedWorkerSwitch(inspectedOrigin) : null;
  return {
    tabId: browser.devtools.inspectedWindow.tabId,
    openTransport: () => portTransport(browser.runtime.connect({ name: PANEL_PORT }) as unknown as PortLike),
    reloadInspected: () => {
      void browser.devtools.inspectedWindow.reload({});
      return true;
    },
    theme: () => {
      const name = (browser.devtools.panels as { themeName?: string }).themeName;
      if (name === 'dark') return 'dark';
      if (name === 'default' || name === 'light') return 'light';
      return null;
    },
    download: downloadText,
    copyText: (text) => writeClipboard(text),
    prefs: localPrefs(),
    evalInPage: evalInInspectedWindow,
    network: () => (shared ? shared.source(devtoolsNetwork()) : devtoolsNetwork()),
    ...(shared ? { sharedWorkers: shared } : {}),
    // Through the background: a DevTools panel may not open it itself in every browser.
    openOptions: () => void browser.runtime.sendMessage(envelope('open-options', {})).catch(() => {}),
  };
}

/** The inspected page's origin (its shared workers are the ones watched), or null. */
async function inspectedOrigin(): Promise<string | null> {
  const result = await evalInInspectedWindow('location.origin');
  return result.ok && typeof result.value === 'string' && result.value !== 'null' ? result.value : null;
}
