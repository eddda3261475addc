/**
 * Persistence of the per-tab state in session storage (`storage.session`, in Chrome and Firefox
 * >= 115), so a stopped service worker or suspended event page loses nothing.
 *
 * Layout: `khp:tab:<tabId>` holds a `TabRecord` (settings, navigation, relay acks, the buffer's
 * summary); `khp:chunk:<tabId>:<id>` holds a run of consecutive events (the batches of one write,
 * `firstSeq` onwards). Chunks are written once, append-only, and removed when evicted; the record is
 * small. A batch is written before the relay's batch is acknowledged (write-behind.ts), so after a
 * restart the background holds every acknowledged batch and the relays re-send the rest. The router
 * keeps each tab's buffer, and all tabs together, within `storageBudget`; should a write still fail,
 * the tab's oldest chunks are dropped (counted as dropped events) until it fits, down to none. Every
 * event the store does not hold is counted: chunks a record lists but storage lacks (a write that
 * removed them and then failed) are counted as dropped when the record is loaded.
 */
import { DEFAULT_SETTINGS, type CaptureSettings } from '../messaging/messages';
import { TabBuffer, type BufferMeta, type Chunk } from './tab-buffer';

/** What the router needs of `storage.session`. */
export interface SessionStore {
  get(keys: string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string[]): Promise<void>;
}

/** Per document (relay): its navigation generation, the last batch stored, the lost events counted. */
export interface DocRecord {
  gen: number;
  acked: number;
  /** The relay's running total of lost events already added to the tab's dropped events. */
  lost?: number;
}

/** The persisted part of a tab's state. */
export interface TabRecord {
  /** In effect: the defaults, with `overrides` over them (settings.ts `tabSettings`). */
  settings: CaptureSettings;
  /** What the tab's panel set (each field overrides the user's default for this tab). */
  overrides?: Partial<CaptureSettings>;
  gen: number;
  topDoc: string | null;
  topUrl: string;
  docs: Record<string, DocRecord>;
  hello: { hookVersion: number; frameUrl: string } | null;
  /**
   * DevTools was open on the tab when last heard of (kept across a worker restart: the devtools page
   * reconnects within moments; until then, and for `WATCH_GRACE_MS`, the tab stays live).
   */
  watched?: boolean;
  /** Test builds only (test-router.ts): the tab counts as watched (`watch` test query). */
  testLive?: boolean;
  buffer: BufferMeta;
}

export const tabKey = (tabId: number) => `khp:tab:${tabId}`;
export const chunkKey = (tabId: number, id: number) => `khp:chunk:${tabId}:${id}`;

/**
 * `storage.session`'s quota in both browsers (10 MiB). Firefox enforces it (pref
 * `webextensions.storage.session.enforceQuota`, measured as each value's structured-clone size plus
 * its key's length) but does not expose `QUOTA_BYTES` to the background page: its schema gives the
 * property no value and the child's API does not define it.
 */
export const SESSION_QUOTA_BYTES = 10 * 1024 * 1024;

/** The session store's quota: its `QUOTA_BYTES` when it says, else `SESSION_QUOTA_BYTES`. */
export function sessionQuotaBytes(store: object): number {
  const q = (store as { QUOTA_BYTES?: unknown }).QUOTA_BYTES;
  return typeof q === 'number' && Number.isFinite(q) && q > 0 ? q : SESSION_QUOTA_BYTES;
}

/**
 * The buffer size (the buffer's own estimate) one tab may keep in a store with quota `quotaBytes`:
 * stored JSON is somewhat larger than the estimate, and the record and other tabs need room too.
 */
export function storageBudget(quotaBytes: number | undefined): number {
  return quotaBytes !== undefined && quotaBytes > 0 ? Math.floor(quotaBytes * 0.7) : Infinity;
}

/** A fresh tab record, with `settings` (default: the built-in ones). */
export function newTabRecord(settings: CaptureSettings = DEFAULT_SETTINGS): Omit<TabRecord, 'buffer'> {
  return { settings: { ...settings }, gen: 0, topDoc: null, topUrl: '', docs: {}, hello: null };
}

/** Everything stored, as tab records and rebuilt buffers. */
export async function loadAll(
  store: SessionStore,
): Promise<Map<number, { rec: TabRecord; buffer: TabBuffer }>> {
  const all = await store.get(null);
  const out = new Map<number, { rec: TabRecord; buffer: TabBuffer }>();
  for (const [key, value] of Object.entries(all)) {
    const m = /^khp:tab:(\d+)$/.exec(key);
    if (!m || typeof value !== 'object' || value === null) continue;
    const tabId = Number(m[1]);
    const rec = value as TabRecord;
    const chunks = new Map<number, Chunk>();
    for (const id of rec.buffer.chunkIds) {
      const c = all[chunkKey(tabId, id)] as Chunk | undefined;
      if (c) chunks.set(id, c);
    }
    out.set(tabId, { rec, buffer: TabBuffer.restore(rec.buffer, chunks) });
  }
  return out;
}

/** Writes tried per save before it gives up (each failure drops a quarter of the tab's chunks). */
const SAVE_ATTEMPTS = 32;

/**
 * Writes a tab's record and new chunks, removing evicted chunks. On a failed write (the quota),
 * drops the tab's oldest chunks, counted as dropped events, and tries again, down to the record
 * alone: what stays in memory (and is acked) is what is stored. Should even that fail, the buffer is
 * emptied (its events counted in memory only). Returns the chunks it could not remove from storage,
 * for the next write to remove.
 */
export async function saveTab(
  store: SessionStore,
  tabId: number,
  rec: Omit<TabRecord, 'buffer'>,
  buffer: TabBuffer,
  added: Chunk[],
  removed: Chunk[],
): Promise<Chunk[]> {
  const gone = removed.slice();
  for (let attempt = 1; ; attempt++) {
    const items: Record<string, unknown> = { [tabKey(tabId)]: { ...rec, buffer: buffer.meta() } };
    const kept = new Set(buffer.chunks);
    for (const c of added) if (kept.has(c)) items[chunkKey(tabId, c.id)] = c;
    try {
      if (gone.length > 0) {
        await store.remove(gone.map((c) => chunkKey(tabId, c.id)));
        gone.length = 0;
      }
      await store.set(items);
      return [];
    } catch {
      if (buffer.chunks.length === 0 || attempt >= SAVE_ATTEMPTS) {
        // Nothing left to give up, or the store keeps failing: keep nothing unstored in memory.
        for (let c = buffer.dropOldest(); c; c = buffer.dropOldest()) gone.push(c);
        return gone;
      }
      const dropCount = Math.max(1, Math.floor(buffer.chunks.length / 4));
      for (let i = 0; i < dropCount; i++) {
        const c = buffer.dropOldest();
        if (c) gone.push(c);
      }
    }
  }
}

/** Removes everything stored for a tab. */
export async function removeTab(
  store: SessionStore,
  tabId: number,
  buffer: TabBuffer | undefined,
): Promise<void> {
  const keys = [tabKey(tabId), ...(buffer?.chunks.map((c) => chunkKey(tabId, c.id)) ?? [])];
  await store.remove(keys);
}
