/** Validation and merging of the panel's capture settings. */
import { DEFAULT_SETTINGS, type CaptureSettings, type HookSettings } from '../messaging/messages';

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

/** The part of the settings the hook applies. */
export function hookSettingsOf(s: CaptureSettings): HookSettings {
  return { fullCapture: s.fullCapture, frameBudget: s.frameBudget };
}

/** True when the hook part equals the defaults the hook starts with (nothing to push). */
export function sameHookSettings(s: CaptureSettings): boolean {
  return s.fullCapture === DEFAULT_SETTINGS.fullCapture && s.frameBudget === DEFAULT_SETTINGS.frameBudget;
}
