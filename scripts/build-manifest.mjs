/**
 * Manifest assembly: the root `manifest.json` holds every key both browsers share; each browser's
 * overlay (`extension/<browser>/manifest.json`) holds only what differs. Objects merge key by key,
 * anything else (arrays included) in the overlay replaces the base value; `null` deletes a key.
 */
import { readFileSync } from 'node:fs';

const clone = (value) => JSON.parse(JSON.stringify(value));

function isPlainObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep-merges `overlay` into a copy of `base` (see the module comment for the rules). */
export function deepMerge(base, overlay) {
  if (!isPlainObject(base) || !isPlainObject(overlay)) return clone(overlay);
  const out = clone(base);
  for (const [key, value] of Object.entries(overlay)) {
    if (value === null) delete out[key];
    else out[key] = key in out ? deepMerge(out[key], value) : clone(value);
  }
  return out;
}

/** Reads the shared manifest and the browser's overlay; the version comes from package.json. */
export function buildManifest(root, browser, version) {
  const read = (p) => JSON.parse(readFileSync(`${root}/${p}`, 'utf8'));
  const merged = deepMerge(read('manifest.json'), read(`extension/${browser}/manifest.json`));
  merged.version = version;
  return merged;
}
