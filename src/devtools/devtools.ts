/**
 * The devtools page: adds the KHP panel to the browser's DevTools, and keeps a port open to the
 * background for as long as DevTools is open on the tab, so the tab's hooks record frames after the
 * handshake meanwhile (and pause, costing the page nothing, once DevTools closes).
 */
import { browser } from '../platform/browser';
import { watchInspectedTab } from './watch';

void browser.devtools.panels.create('KHP', 'icons/icon-32.png', 'panel.html');
watchInspectedTab(browser.devtools.inspectedWindow.tabId, (name) => browser.runtime.connect({ name }));
