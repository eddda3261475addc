/** Keeps the store attached to the host's live channel, reconnecting when the channel drops. */
import type { PanelStore } from './store/panel-store';
import type { PanelHost } from './transport';

/** Attaches now; after a disconnect, retries with a growing delay (the service worker restarts). */
export function connectLive(store: PanelStore, host: PanelHost, retryMs = 500): () => void {
  let stopped = false;
  let attempts = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const attach = () => {
    if (stopped) return;
    const transport = host.openTransport();
    if (!transport) return;
    store.attach(transport, host.tabId);
    transport.onDisconnect(() => {
      if (stopped) return;
      attempts++;
      timer = setTimeout(attach, Math.min(10_000, retryMs * attempts));
    });
    transport.onMessage(() => {
      attempts = 0;
    });
  };
  attach();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    store.detach();
  };
}
