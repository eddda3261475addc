/**
 * The one place that imports webextension-polyfill: `browser.*` with promises in Chrome and Firefox
 * alike. Content scripts use `content-runtime.ts` instead, which stays small.
 */
import browser from 'webextension-polyfill';

export { browser };
export type { Runtime, Storage, Tabs } from 'webextension-polyfill';
