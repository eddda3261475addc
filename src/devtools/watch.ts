/** The devtools page's watch port: `watch {tabId}`, re-opened whenever the background restarts. */
import { DEVTOOLS_PORT, envelope, type FromDevtools } from '../messaging/messages';
import type { PortLike } from '../messaging/ports';

/** Opens the watch port for `tabId` with `connect`, and opens it again each time it drops. */
export function watchInspectedTab(tabId: number, connect: (name: string) => unknown): void {
  const open = () => {
    let port: PortLike;
    try {
      port = connect(DEVTOOLS_PORT) as PortLike;
    } catch {
      return; // the extension was reloaded or removed
    }
    // A stopped service worker closes the port; the next one must learn that DevTools is still open.
    port.onDisconnect.addListener(() => setTimeout(open, 50));
    const watch: FromDevtools = envelope('watch', { tabId });
    port.postMessage(watch);
  };
  open();
}
