/**
 * The background (entry point): Chrome's service worker, Firefox's event page. Listeners are added
 * synchronously at start, so a port that wakes a stopped worker is not missed; the router queues
 * their work until the state stored in `storage.session` has loaded (see tab-store.ts).
 */
import { browser } from '../platform/browser';
import type { PortLike } from '../messaging/ports';
import { Router, type RouterDeps } from './router';
import { TestRouter } from './test-router';
import { sessionQuotaBytes } from './tab-store';

const extensionBase = browser.runtime.getURL('');
const deps: RouterDeps = {
  storage: browser.storage.session,
  sendToTab: (tabId, message, frameId) => {
    browser.tabs.sendMessage(tabId, message, frameId === undefined ? {} : { frameId }).catch(() => {});
  },
  isExtensionUrl: (url) => typeof url === 'string' && url.startsWith(extensionBase),
  persistDelayMs: 250,
  storageQuotaBytes: sessionQuotaBytes(browser.storage.session),
};
// Test builds answer the test relay's queries (build-flags.ts); production bundles hold none of that.
const router = __KHP_TEST__ ? new TestRouter(deps) : new Router(deps);
browser.runtime.onConnect.addListener((port) => router.onConnect(port as unknown as PortLike));
browser.tabs.onRemoved.addListener((tabId) => router.onTabRemoved(tabId));
