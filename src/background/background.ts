/**
 * The background (entry point): Chrome's service worker, Firefox's event page. Listeners are added
 * synchronously at start, so a port that wakes a stopped worker is not missed; the router queues
 * their work until the state stored in `storage.session` has loaded (see tab-store.ts).
 */
import { browser } from '../platform/browser';
import { TEST_BUILD } from '../platform/build-flags';
import type { PortLike } from '../messaging/ports';
import { Router } from './router';
import { sessionQuotaBytes } from './tab-store';

const extensionBase = browser.runtime.getURL('');
const router = new Router({
  storage: browser.storage.session,
  sendToTab: (tabId, message, frameId) => {
    browser.tabs.sendMessage(tabId, message, frameId === undefined ? {} : { frameId }).catch(() => {});
  },
  isExtensionUrl: (url) => typeof url === 'string' && url.startsWith(extensionBase),
  testQueries: TEST_BUILD,
  persistDelayMs: 250,
  storageQuotaBytes: sessionQuotaBytes(browser.storage.session),
});
browser.runtime.onConnect.addListener((port) => router.onConnect(port as unknown as PortLike));
browser.tabs.onRemoved.addListener((tabId) => router.onTabRemoved(tabId));
