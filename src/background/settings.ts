/** Validation and merging of the panel's capture settings. */
import { type CaptureSettings, type HookSettings } from '../messaging/messages';

const MIN_TAB_BUFFER = 64 * 1024;

/** Applies the valid fields of `patch` to `current`; anything malformed is ignored. */
export function mergeSettings(current: CaptureSettings, patch: Partial<CaptureSettings>): CaptureSettings {
  const next = { ...current };
  if (typeof patch.fullCapture === 'boolean') next.fullCapture = patch.fullCapture;
  if (typeof patch.preserveLog === 'boolean') next.preserveLog = patch.preserveLog;
  if (Number.isInteger(patch.frameBudget) && patch.frameBudget! >= 0) next.frameBudget = patch.frameBudget!;
  if (Number.isInteger(patch.tabBufferBytes) && patch.tabBufferBytes! >= MIN_TAB_BUFFER)
    next.tabBufferBytes = patch.tabBufferBytes!;
  return next;
}

/** The part of the settings the hook applies; `live`: DevTools is open on the tab. */
export function hookSettingsOf(s: CaptureSettings, live: boolean): HookSettings {
  return { fullCapture: s.fullCapture, frameBudget: s.frameBudget, live };
}

/** True when two hook settings differ. */
export function hookSettingsDiffer(a: HookSettings, b: HookSettings): boolean {
  return a.fullCapture !== b.fullCapture || a.frameBudget !== b.frameBudget || a.live !== b.live;
}
