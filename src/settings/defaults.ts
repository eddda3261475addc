/**
 * The defaults the options page edits: what a tab starts with (preserve log, full capture, frame
 * budget) and where the extension captures at all (every site, or only listed ones). Stored in
 * `storage.local` under `OPTIONS_KEY` (local, not sync: host permissions belong to one browser, so a
 * site list synced to another would not hold there). Pure: no browser API.
 */
import { DEFAULT_SETTINGS, type CaptureSettings } from '../messaging/messages';
import { isSitePattern } from './sites';

/** The `storage.local` key. */
export const OPTIONS_KEY = 'khp:options';

/** `all`: every site the browser lets the extension see; `listed`: only `sites`. */
export type SiteMode = 'all' | 'listed';

/** The stored options. */
export interface Options {
  preserveLog: boolean;
  fullCapture: boolean;
  /** Frames kept per socket after its handshake while DevTools is open (see `CaptureSettings`). */
  frameBudget: number;
  siteMode: SiteMode;
  /** Site patterns (see sites.ts), in the order they were added; used when `siteMode` is `listed`. */
  sites: string[];
}

/** The part of the options a tab's capture settings start from. */
export type CaptureDefaults = Pick<CaptureSettings, 'preserveLog' | 'fullCapture' | 'frameBudget'>;

export const FRAME_BUDGET_MIN = 0;
export const FRAME_BUDGET_MAX = 100_000;
/** Sites a list may hold. */
export const MAX_SITES = 100;

/** What a fresh install starts with: today's behaviour, on every site. */
export const DEFAULT_OPTIONS: Options = {
  preserveLog: DEFAULT_SETTINGS.preserveLog,
  fullCapture: DEFAULT_SETTINGS.fullCapture,
  frameBudget: DEFAULT_SETTINGS.frameBudget,
  siteMode: 'all',
  sites: [],
};

/** True for a frame budget in range. */
export function isFrameBudget(value: unknown): value is number {
  return (
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= FRAME_BUDGET_MIN &&
    value <= FRAME_BUDGET_MAX
  );
}

/** What the user typed as a frame budget: the number, or why it is not one. */
export function parseFrameBudget(text: string): { ok: true; value: number } | { ok: false; error: string } {
  const t = text.trim();
  const range = `a whole number from ${FRAME_BUDGET_MIN} to ${FRAME_BUDGET_MAX.toLocaleString('en-US')}`;
  if (!/^\d+$/.test(t)) return { ok: false, error: `Enter ${range}.` };
  const value = Number(t);
  if (value > FRAME_BUDGET_MAX)
    return { ok: false, error: `${value.toLocaleString('en-US')} is out of range: enter ${range}.` };
  return { ok: true, value };
}

/**
 * Options from whatever storage holds (another version's, or damaged): each field that is not valid
 * takes its default; sites that are not patterns, repeats and those past `MAX_SITES` are left out.
 */
export function readOptions(stored: unknown): Options {
  const s = (typeof stored === 'object' && stored !== null ? stored : {}) as Record<string, unknown>;
  const d = DEFAULT_OPTIONS;
  const sites = Array.isArray(s.sites) ? [...new Set(s.sites.filter(isSitePattern))].slice(0, MAX_SITES) : [];
  return {
    preserveLog: typeof s.preserveLog === 'boolean' ? s.preserveLog : d.preserveLog,
    fullCapture: typeof s.fullCapture === 'boolean' ? s.fullCapture : d.fullCapture,
    frameBudget: isFrameBudget(s.frameBudget) ? s.frameBudget : d.frameBudget,
    siteMode: s.siteMode === 'listed' || s.siteMode === 'all' ? s.siteMode : d.siteMode,
    sites,
  };
}

/** The capture settings a tab starts from. */
export function captureDefaults(o: Options): CaptureDefaults {
  return { preserveLog: o.preserveLog, fullCapture: o.fullCapture, frameBudget: o.frameBudget };
}

/** The match patterns the capture scripts are registered for (none: capture nowhere). */
export function capturePatterns(o: Options): string[] {
  return o.siteMode === 'all' ? ['<all_urls>'] : o.sites.slice();
}
