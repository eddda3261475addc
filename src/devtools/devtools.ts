/** The devtools page: adds the KHP panel to the browser's DevTools. */
import { browser } from '../platform/browser';

void browser.devtools.panels.create('KHP', 'icons/icon-32.png', 'panel.html');
