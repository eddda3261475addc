/**
 * What the options page needs from the browser, behind one interface so the page renders under a fake
 * in component tests. `request` must be called from a user gesture, before anything is awaited: both
 * browsers refuse `permissions.request` otherwise (Firefox only within the input event itself).
 */
import { browser } from '../platform/browser';
import { envelope } from '../messaging/messages';
import { OPTIONS_KEY, readOptions, type Options } from '../settings/defaults';

/** What the background registered after a change: the patterns, or why it could not. */
export type Applied = { registered: string[] } | { error: string };

export interface OptionsApi {
  load(): Promise<Options>;
  save(options: Options): Promise<void>;
  /** Asks the background to register the capture scripts for the stored options; resolves when done. */
  apply(): Promise<Applied>;
  /** `permissions.request` for host patterns (user gesture only). */
  request(origins: string[]): Promise<boolean>;
  remove(origins: string[]): Promise<boolean>;
  contains(origins: string[]): Promise<boolean>;
  /** Calls `fn` when the stored options or the granted permissions change (another tab, the browser's UI). */
  onExternalChange(fn: () => void): void;
}

/** The real thing. */
export function browserOptionsApi(): OptionsApi {
  return {
    load: async () => readOptions((await browser.storage.local.get(OPTIONS_KEY))[OPTIONS_KEY]),
    save: (options) => browser.storage.local.set({ [OPTIONS_KEY]: options }),
    apply: async () => {
      const answer = (await browser.runtime.sendMessage(envelope('apply-options', {}))) as
        Applied | undefined;
      return answer ?? { error: 'the background did not answer' };
    },
    request: (origins) => browser.permissions.request({ origins }),
    remove: (origins) => browser.permissions.remove({ origins }),
    contains: (origins) => browser.permissions.contains({ origins }),
    onExternalChange: (fn) => {
      // storage.local's own event, not storage.onChanged: the capture's storage.session writes (large,
      // many) would be copied to this page too.
      browser.storage.local.onChanged.addListener((changes) => {
        if (OPTIONS_KEY in changes) fn();
      });
      browser.permissions.onAdded.addListener(fn);
      browser.permissions.onRemoved.addListener(fn);
    },
  };
}
