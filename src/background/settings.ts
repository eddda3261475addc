/** Validation and merging of the panel's capture settings, and of the defaults tabs start from. */
import { DEFAULT_SETTINGS, type CaptureSettings, type HookSettings } from '../messaging/messages';

const MIN_TAB_BUFFER = 64 * 1024;

/** The valid fields of `patch` (anything malformed is left out). */
export function validSettings(patch: Partial<CaptureSettings>): Partial<CaptureSettings> {
  const valid: Partial<CaptureSettings> = {};
  if (typeof patch.fullCapture === 'boolean') valid.fullCapture = patch.fullCapture;
  if (typeof patch.preserveLog === 'boolean') valid.preserveLog = patch.preserveLog;
  if (Number.isInteger(patch.frameBudget) && patch.frameBudget! >= 0) valid.frameBudget = patch.frameBudget!;
  if (Number.isInteger(patch.tabBufferBytes) && patch.tabBufferBytes! >= MIN_TAB_BUFFER)
    valid.tabBufferBytes = patch.tabBufferBytes!;
  return valid;
}

/** Applies the valid fields of `patch` to `current`; anything malformed is ignored. */
export function mergeSettings(current: CaptureSettings, patch: Partial<CaptureSettings>): CaptureSettings {
  return { ...current, ...validSettings(patch) };
}

/**
 * A tab's settings: the built-in ones, then the user's defaults (options page), then what the panel
 * set for this tab (`overrides`), each field from the last that has it.
 */
export function tabSettings(
  defaults: Partial<CaptureSettings>,
  overrides: Partial<CaptureSettings> | undefined,
): CaptureSettings {
  return mergeSettings(mergeSettings(DEFAULT_SETTINGS, defaults), overrides ?? {});
}

/** The part of the settings the hook applies; `live`: DevTools is open on the tab. */
export function hookSettingsOf(s: CaptureSettings, live: boolean): HookSettings {
  return { fullCapture: s.fullCapture, frameBudget: s.frameBudget, live };
}

/** True when two hook settings differ. */
export function hookSettingsDiffer(a: HookSettings, b: HookSettings): boolean {
  return a.fullCapture !== b.fullCapture || a.frameBudget !== b.frameBudget || a.live !== b.live;
}

/** True when two settings differ in any field. */
export function settingsDiffer(a: CaptureSettings, b: CaptureSettings): boolean {
  return (
    a.fullCapture !== b.fullCapture ||
    a.frameBudget !== b.frameBudget ||
    a.preserveLog !== b.preserveLog ||
    a.tabBufferBytes !== b.tabBufferBytes
  );
}
