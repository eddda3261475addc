/**
 * The background (entry point): Chrome's service worker, Firefox's event page. Listeners are added
 * synchronously at start, so a port that wakes a stopped worker is not missed; the router queues
 * their work until the state stored in `storage.session` has loaded (see tab-store.ts).
 */
import { browser } from '../platform/browser';
import type { PortLike } from '../messaging/ports';
import { captureDefaults, capturePatterns } from '../settings/defaults';
import { FramePolicies, type HeadersDetails } from './frame-policies';
import { changedOptions, loadOptions, needsAccess, optionsMessageHandler } from './options-link';
import { Router, type RouterDeps } from './router';
import { SiteAccess, type ScriptingApi } from './site-access';
import { TestRouter } from './test-router';
import { sessionQuotaBytes } from './tab-store';

const extensionBase = browser.runtime.getURL('');
const isExtensionUrl = (url: string | undefined) => typeof url === 'string' && url.startsWith(extensionBase);
const openOptionsPage = () => browser.runtime.openOptionsPage();
const options = loadOptions(browser.storage.local);
const access = new SiteAccess(browser.scripting as unknown as ScriptingApi);
const policies = new FramePolicies();
const deps: RouterDeps = {
  storage: browser.storage.session,
  sendToTab: (tabId, message, frameId) => {
    browser.tabs.sendMessage(tabId, message, frameId === undefined ? {} : { frameId }).catch(() => {});
  },
  isExtensionUrl,
  persistDelayMs: 250,
  storageQuotaBytes: sessionQuotaBytes(browser.storage.session),
  defaults: () => options.then(captureDefaults),
  openOptionsPage,
  blobWorkers: (tabId, frameId, url) => policies.answer(tabId, frameId, url),
};
// Test builds answer the test relay's queries (build-flags.ts); production bundles hold none of that.
const router = __KHP_TEST__ ? new TestRouter(deps) : new Router(deps);
browser.runtime.onConnect.addListener((port) => router.onConnect(port as unknown as PortLike));
browser.tabs.onRemoved.addListener((tabId) => {
  router.onTabRemoved(tabId);
  policies.onTabRemoved(tabId);
});
// Documents' CSP headers, for the hook's workers (frame-policies.ts): read, never blocked or changed.
const onHeaders = (details: unknown) => policies.onHeadersReceived(details as HeadersDetails);
const observeHeaders = () => {
  const event = browser.webRequest.onHeadersReceived;
  event.removeListener(onHeaders);
  event.addListener(onHeaders, { urls: ['<all_urls>'], types: ['main_frame', 'sub_frame'] }, [
    'responseHeaders',
  ]);
};
observeHeaders();
// Chromium dispatches nothing to a listener added before the sites were granted, until the worker
// restarts (seen in the browser tests, Chromium 156): add it again when a permission is granted.
browser.permissions.onAdded.addListener(observeHeaders);
void options.then((o) => access.apply(capturePatterns(o)));
// storage.local's own event: the router's many storage.session writes are not dispatched to it.
browser.storage.local.onChanged.addListener((changes) => {
  const o = changedOptions(changes);
  if (!o) return;
  router.setDefaults(captureDefaults(o));
  void access.apply(capturePatterns(o));
});
browser.runtime.onMessage.addListener(
  optionsMessageHandler({ area: browser.storage.local, access, isExtensionUrl, openOptionsPage }),
);
browser.runtime.onInstalled.addListener(async ({ reason }) => {
  if (reason === 'install' && (await needsAccess(await options, (p) => browser.permissions.contains(p))))
    await openOptionsPage();
});
