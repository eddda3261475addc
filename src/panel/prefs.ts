/**
 * The panel's remembered view choices (column order and widths): small strings by key. Kept in the
 * panel page's `localStorage`: synchronous, so a reloaded panel lays out its columns before the first
 * paint, and the same in DevTools (the extension's origin, shared by every panel) and as a plain page.
 */

/** A key-value store for view preferences. */
export interface PrefStore {
  get(key: string): string | null;
  set(key: string, value: string): void;
}

/** Preferences in `localStorage`; in memory only where storage is unavailable or refuses. */
export function localPrefs(storage: () => Storage | null = () => globalThis.localStorage ?? null): PrefStore {
  const fallback = memoryPrefs();
  return {
    get(key) {
      try {
        return storage()?.getItem(key) ?? fallback.get(key);
      } catch {
        return fallback.get(key);
      }
    },
    set(key, value) {
      fallback.set(key, value);
      try {
        storage()?.setItem(key, value);
      } catch {
        // Storage disabled or full: the choice lasts until the panel closes.
      }
    },
  };
}

/** Preferences that last as long as the object (tests, and where nothing else works). */
export function memoryPrefs(): PrefStore {
  const values = new Map<string, string>();
  return {
    get: (key) => values.get(key) ?? null,
    set: (key, value) => void values.set(key, value),
  };
}
