/**
 * The background's side of the options: it reads them from `storage.local` at start and follows their
 * changes there (whoever wrote them), so new tabs start from the user's defaults and the capture
 * scripts run where the user chose. The options page asks `apply-options` to learn when its change
 * took effect; the answer is what is registered now.
 */
import { isEnvelope } from '../messaging/messages';
import {
  DEFAULT_OPTIONS,
  OPTIONS_KEY,
  capturePatterns,
  readOptions,
  type Options,
} from '../settings/defaults';
import type { SiteAccess } from './site-access';

/** The part of `storage.local` read here. */
export interface LocalArea {
  get(key: string): Promise<Record<string, unknown>>;
}

/** The stored options (the defaults when none are stored or storage fails). */
export async function loadOptions(area: LocalArea): Promise<Options> {
  try {
    return readOptions((await area.get(OPTIONS_KEY))[OPTIONS_KEY]);
  } catch {
    return { ...DEFAULT_OPTIONS };
  }
}

/** From a `storage.local.onChanged` event: the new options, or null when they did not change. */
export function changedOptions(changes: Record<string, { newValue?: unknown }>): Options | null {
  if (!(OPTIONS_KEY in changes)) return null;
  return readOptions(changes[OPTIONS_KEY]!.newValue);
}

/** What `onMessage` needs to answer the options page. */
export interface OptionsLinkDeps {
  area: LocalArea;
  access: SiteAccess;
  /** True for URLs of the extension's own pages (a content script may not ask). */
  isExtensionUrl(url: string | undefined): boolean;
  /** `runtime.openOptionsPage`. */
  openOptionsPage(): Promise<void>;
}

/**
 * A `runtime.onMessage` listener for the extension's own pages: `apply-options` registers the capture
 * scripts for the stored options and answers with the patterns registered (or the error);
 * `open-options` (the panel) opens the options page. Anything else is left to other listeners
 * (undefined).
 */
export function optionsMessageHandler(deps: OptionsLinkDeps) {
  return (message: unknown, sender: { url?: string }) => {
    if (!isEnvelope(message) || !deps.isExtensionUrl(sender.url)) return undefined;
    if (message.kind === 'apply-options')
      return loadOptions(deps.area).then((o) => deps.access.apply(capturePatterns(o)));
    if (message.kind === 'open-options') return deps.openOptionsPage().then(() => ({ opened: true }));
    return undefined;
  };
}

/**
 * After a first install: when the options say "all sites" but the browser has not granted them (Chrome
 * asks for host permissions at run time; Firefox grants them at install unless the user said no),
 * nothing would be captured, so the options page opens to ask.
 */
export async function needsAccess(
  options: Options,
  contains: (p: { origins: string[] }) => Promise<boolean>,
): Promise<boolean> {
  if (options.siteMode !== 'all') return false;
  try {
    return !(await contains({ origins: ['<all_urls>'] }));
  } catch {
    return false;
  }
}
