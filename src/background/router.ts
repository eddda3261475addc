/**
 * The background's per-tab router.
 *
 * Relays (one per document, port `khp-relay`) send `relay-hello`, the hook's `hello` and numbered
 * `batch`es; panels (port `khp-panel`) send `connect {tabId, lastSeq}`, `settings`, `clear`.
 *
 * - A batch goes into the tab's bounded buffer at once; the tab's batches are persisted together (one
 *   write per `persistDelayMs`), then acked to their relays and sent live to the tab's panels as one
 *   `events {events, seq}` (`seq` = the sequence number of its last event); see write-behind.ts.
 *   Batches already stored (re-sent after a reconnect) are acked again and otherwise ignored.
 * - The buffer's cap is the smaller of `tabBufferBytes` and what the storage quota can hold
 *   (`capBytes` in the backlog), so what is acked is what survives a restart.
 * - All tabs together keep at most `maxTotalBytes` (and what the storage quota can hold): past it,
 *   the tab holding the most gives up its oldest chunk first, so a flooding page pushes out its own
 *   capture, not a quiet tab's. Every event dropped on the way is counted in the tab's
 *   `droppedEvents`: evicted, refused by the batch check (capture-bounds.ts: the background does not
 *   trust the relay either), reported `lost` by a relay, or not stored (tab-store.ts).
 * - On `connect`, a panel gets `settings`, the last `hello`, then `backlog` (events after `lastSeq`; all
 *   of them when `lastSeq` is ahead of the tab, i.e. the state was lost), then live `events`.
 * - A top-frame relay of a new document means a top-level navigation: panels get `navigated`, and the
 *   buffer is cleared unless `preserveLog`; batches still arriving from older documents are dropped.
 * - Settings are stored per tab: the user's defaults (`defaults`, then `setDefaults`), with what the
 *   tab's panel set over them; their hook part is pushed to every frame of the tab.
 * - A relay's `relay-hello` is answered with its hook's settings and `hook-policy` (whether the
 *   document's CSP headers allow a `blob:` worker: `blobWorkers`, frame-policies.ts).
 * All work runs in one queue, after the stored state has loaded.
 */
import {
  DEVTOOLS_PORT,
  PANEL_PORT,
  RELAY_PORT,
  envelope,
  isEnvelope,
  type CaptureSettings,
  type Envelope,
} from '../messaging/messages';
import type { PortLike } from '../messaging/ports';
import type { CaptureEvent } from '../protocol/capture';
import { CAPTURE_LIMITS, checkBatch, cutString } from '../protocol/capture-bounds';
import { TabBuffer, type Chunk } from './tab-buffer';
import {
  loadAll,
  newTabRecord,
  removeTab,
  storageBudget,
  type SessionStore,
  type TabRecord,
} from './tab-store';
import { hookSettingsDiffer, hookSettingsOf, settingsDiffer, tabSettings, validSettings } from './settings';
import { PendingWrite, post } from './write-behind';

/** What the router needs from its context. */
export interface RouterDeps {
  storage: SessionStore;
  /** Sends a one-off message to a tab's content scripts (all frames, or one frame). */
  sendToTab(tabId: number, message: unknown, frameId?: number): void;
  /** True for URLs of the extension's own pages (only they may open a panel port). */
  isExtensionUrl(url: string | undefined): boolean;
  /** Milliseconds a tab's batches wait to be persisted together (default 0: the next turn). */
  persistDelayMs?: number;
  /** The storage's quota in bytes (`storage.session.QUOTA_BYTES`), when it has one. */
  storageQuotaBytes?: number;
  /** See `WATCH_GRACE_MS`. */
  watchGraceMs?: number;
  /** Estimated bytes all tabs' buffers keep together (default `MAX_TOTAL_BYTES`). */
  maxTotalBytes?: number;
  /** Opens the options page (the `options` test query). */
  openOptionsPage?: () => Promise<void>;
  /** The user's defaults (the options page's), read once at start; later changes: `setDefaults`. */
  defaults?: () => Promise<Partial<CaptureSettings>>;
  /**
   * Whether the document at `url` in the frame may start a `blob:` worker by its CSP headers
   * (frame-policies.ts `answer`); absent, the answer is no.
   */
  blobWorkers?: (tabId: number, frameId: number | undefined, url: string) => boolean | Promise<boolean>;
}

/** What all tabs' buffers hold together at most by default (estimated bytes). */
export const MAX_TOTAL_BYTES = 64 * 1024 * 1024;

export interface Tab {
  rec: Omit<TabRecord, 'buffer'>;
  buffer: TabBuffer;
  panels: Set<PortLike>;
  /** Devtools pages open on the tab (their hooks record frames after the handshake while any is). */
  watchers: Set<PortLike>;
  pending: PendingWrite;
}

/** A relay's document id and URLs, bounded like the events' (a relay is not trusted blindly). */
const idOf = (v: unknown) => cutString(String(v), CAPTURE_LIMITS.socketIdChars);
const urlOf = (v: unknown) => (typeof v === 'string' ? cutString(v, CAPTURE_LIMITS.urlChars) : '');

const BACKLOG_SLICE = 2000;
/** A stored chunk grows up to this size (or an eighth of the cap) while its batches wait. */
const MAX_CHUNK_BYTES = 1024 * 1024;
/** Batches waiting past this size are written at once (bounds what relays and the worker hold). */
const FLUSH_BYTES = 2 * 1024 * 1024;

/** After a worker (re)start, how long a tab watched before stays live without its devtools page. */
export const WATCH_GRACE_MS = 5000;

/** Routes relays' events to panels, per tab. */
export class Router {
  protected readonly tabs = new Map<number, Tab>();
  private queue: Promise<unknown>;
  private defaults: Partial<CaptureSettings> = {};

  constructor(protected readonly deps: RouterDeps) {
    const defaults = (deps.defaults?.() ?? Promise.resolve({})).catch(() => ({}));
    this.queue = Promise.all([loadAll(deps.storage), defaults])
      .then(([loaded, d]) => {
        for (const [id, { rec, buffer }] of loaded)
          this.tabs.set(id, {
            rec,
            buffer,
            panels: new Set(),
            watchers: new Set(),
            pending: new PendingWrite(),
          });
        this.evictAcrossTabs();
        this.applyDefaults(d); // they may have changed while no worker ran
      })
      .catch(() => {});
    // Devtools pages reconnect at once after a restart; a tab whose page did not was closed meanwhile.
    setTimeout(() => this.run(() => this.expireWatches()), deps.watchGraceMs ?? WATCH_GRACE_MS);
  }

  private expireWatches(): void {
    for (const [tabId, tab] of this.tabs)
      if (tab.rec.watched && tab.watchers.size === 0) this.setLive(tabId, tab, () => {});
  }

  /** Resolves when all work queued so far is done (tests). */
  idle(): Promise<unknown> {
    return this.queue;
  }

  /** Estimated bytes all tabs' buffers hold together (tests). */
  bufferedBytes(): number {
    let total = 0;
    for (const tab of this.tabs.values()) total += tab.buffer.bytes;
    return total;
  }

  /** `runtime.onConnect`: attach a relay or a panel port. */
  onConnect(port: PortLike): void {
    if (port.name === RELAY_PORT) this.attachRelay(port);
    else if (port.name === PANEL_PORT) this.attachPanel(port);
    else if (port.name === DEVTOOLS_PORT) this.attachDevtools(port);
  }

  /**
   * The user's defaults changed: every tab takes them, except for what its panel set; tabs whose
   * settings change are saved, their hooks and panels told.
   */
  setDefaults(defaults: Partial<CaptureSettings>): void {
    this.run(() => this.applyDefaults(defaults));
  }

  private applyDefaults(defaults: Partial<CaptureSettings>): void {
    this.defaults = validSettings(defaults);
    for (const [tabId, tab] of this.tabs) {
      const next = tabSettings(this.defaults, tab.rec.overrides);
      if (!settingsDiffer(next, tab.rec.settings)) continue;
      const before = hookSettingsOf(tab.rec.settings, this.isLive(tab));
      tab.rec.settings = next;
      tab.pending.removeChunks(tab.buffer.evict(this.cap(tab)));
      tab.pending.dirty = true;
      this.arm(tabId, tab);
      const after = hookSettingsOf(next, this.isLive(tab));
      if (hookSettingsDiffer(before, after)) this.deps.sendToTab(tabId, envelope('hook-settings', after));
      this.toPanels(tab, envelope('settings', next));
    }
  }

  /** `tabs.onRemoved`: forget the tab. */
  onTabRemoved(tabId: number): void {
    this.run(async () => {
      const tab = this.tabs.get(tabId);
      this.tabs.delete(tabId);
      await removeTab(this.deps.storage, tabId, tab?.buffer);
    });
  }

  private run(fn: () => Promise<void> | void): void {
    this.queue = this.queue.then(fn).catch(() => {});
  }

  protected tab(tabId: number): Tab {
    let tab = this.tabs.get(tabId);
    if (!tab) {
      tab = {
        rec: newTabRecord(tabSettings(this.defaults, undefined)),
        buffer: new TabBuffer(),
        panels: new Set(),
        watchers: new Set(),
        pending: new PendingWrite(),
      };
      this.tabs.set(tabId, tab);
    }
    return tab;
  }

  /** The tab buffer's effective cap: the setting, or less when the storage quota cannot hold it. */
  protected cap(tab: Tab): number {
    return Math.min(tab.rec.settings.tabBufferBytes, storageBudget(this.deps.storageQuotaBytes));
  }

  /** What all tabs keep together: `maxTotalBytes`, or less when the storage quota cannot hold it. */
  protected totalCap(): number {
    return Math.min(this.deps.maxTotalBytes ?? MAX_TOTAL_BYTES, storageBudget(this.deps.storageQuotaBytes));
  }

  /**
   * Keeps all tabs' buffers within `totalCap`: drops the oldest chunk of the tab holding the most
   * bytes until they fit (counted in that tab's dropped events), and schedules the tabs' writes.
   */
  private evictAcrossTabs(): void {
    const cap = this.totalCap();
    let total = this.bufferedBytes();
    const touched = new Map<number, Tab>();
    while (total > cap) {
      let biggest: [number, Tab] | undefined;
      for (const [id, t] of this.tabs)
        if (t.buffer.chunks.length > 0 && t.buffer.bytes > (biggest?.[1].buffer.bytes ?? -1))
          biggest = [id, t];
      if (!biggest) break;
      const [tabId, tab] = biggest;
      const chunk = tab.buffer.dropOldest()!;
      total -= chunk.bytes;
      tab.pending.removeChunks([chunk]);
      tab.pending.dirty = true;
      touched.set(tabId, tab);
    }
    for (const [tabId, tab] of touched) this.arm(tabId, tab);
  }

  /** Persists the tab now, with whatever is pending (then sends held acks and live events). */
  private save(tabId: number, tab: Tab, removed: Chunk[] = []): Promise<void> {
    tab.pending.removeChunks(removed);
    tab.pending.dirty = true;
    return this.flush(tabId, tab);
  }

  protected flush(tabId: number, tab: Tab): Promise<void> {
    return tab.pending.flush(this.deps.storage, tabId, tab.rec, tab.buffer, tab.panels);
  }

  /** Schedules the tab's next write (one per `persistDelayMs`). */
  private arm(tabId: number, tab: Tab): void {
    if (tab.pending.armed) return;
    tab.pending.armed = true;
    setTimeout(() => {
      tab.pending.armed = false;
      this.run(() => (this.tabs.get(tabId) === tab ? this.flush(tabId, tab) : undefined));
    }, this.deps.persistDelayMs ?? 0);
  }

  private attachRelay(port: PortLike): void {
    const tabId = port.sender?.tab?.id;
    if (typeof tabId !== 'number') return;
    let docId = '';
    port.onMessage.addListener((msg) => {
      if (!isEnvelope(msg)) return;
      this.run(async () => {
        const tab = this.tab(tabId);
        const p = msg.payload as Record<string, unknown>;
        if (msg.kind === 'relay-hello') {
          docId = idOf(p.docId);
          await this.relayHello(tabId, tab, port, docId, urlOf(p.frameUrl), p.top === true);
        } else if (msg.kind === 'hello') {
          tab.rec.hello = { hookVersion: Number(p.hookVersion), frameUrl: urlOf(p.frameUrl) };
          this.toPanels(tab, envelope('hello', tab.rec.hello));
        } else if (msg.kind === 'batch') {
          await this.batch(tabId, tab, port, idOf(p.docId ?? docId), Number(p.seq), p.events);
        } else if (msg.kind === 'lost') {
          this.lost(tabId, tab, idOf(p.docId ?? docId), p.events);
        } else {
          await this.onOtherRelayMessage(tabId, tab, port, msg);
        }
      });
    });
  }

  private async relayHello(
    tabId: number,
    tab: Tab,
    port: PortLike,
    docId: string,
    url: string,
    top: boolean,
  ) {
    const rec = tab.rec;
    if (top && docId !== rec.topDoc) {
      await this.flush(tabId, tab); // the old page's pending events reach panels before `navigated`
      rec.gen++;
      rec.topDoc = docId;
      rec.topUrl = url;
      // Keep the acks of this generation and the one before (its late batches are recognised).
      for (const [id, d] of Object.entries(rec.docs)) if (d.gen < rec.gen - 1) delete rec.docs[id];
      const removed = rec.settings.preserveLog ? [] : tab.buffer.clear();
      this.toPanels(tab, envelope('navigated', { url }));
      rec.docs[docId] = { gen: rec.gen, acked: 0 };
      await this.save(tabId, tab, removed);
    } else if (!rec.docs[docId]) {
      rec.docs[docId] = { gen: rec.gen, acked: 0 };
    }
    // Always: until the hook hears its settings, it keeps recording (so nothing is lost to the race
    // between a page's first socket and this answer).
    post(port, envelope('hook-settings', hookSettingsOf(rec.settings, this.isLive(tab))));
    // What the document's CSP headers allow, for the hook's workers (src/hook/csp.ts): outside the
    // queue, as the answer may wait for the headers.
    const tell = (blobWorkers: boolean) => post(port, envelope('hook-policy', { blobWorkers }));
    Promise.resolve(this.deps.blobWorkers?.(tabId, port.sender?.frameId, url)).then(
      (allowed) => tell(allowed === true),
      () => tell(false),
    );
  }

  /**
   * A batch from a relay: checked (a batch too large or too long is refused whole, malformed events
   * are left out, both counted as dropped), stored, and acked either way so it is not re-sent.
   */
  private async batch(tabId: number, tab: Tab, port: PortLike, docId: string, seq: number, raw: unknown) {
    const rec = tab.rec;
    const doc = (rec.docs[docId] ??= { gen: rec.gen, acked: 0 });
    // A re-sent batch: ack again (once the write that holds it is done, if it is still pending).
    if (!(seq > doc.acked)) {
      if (tab.pending.ack(port, docId, doc.acked)) this.arm(tabId, tab);
      return;
    }
    doc.acked = seq;
    const { events, refused } = checkBatch(raw);
    if (doc.gen < rec.gen && !rec.settings.preserveLog) {
      // A document the tab has navigated away from: its late events belong to a cleared log.
      tab.pending.dirty = true;
    } else {
      if (refused > 0) {
        tab.buffer.droppedEvents += refused;
        tab.pending.dirty = true;
      }
      if (events.length > 0) this.append(tab, events);
    }
    tab.pending.ack(port, docId, seq);
    if (tab.pending.bytes >= FLUSH_BYTES) await this.flush(tabId, tab);
    else this.arm(tabId, tab);
  }

  /** Appends checked events to the tab's buffer, within its cap and the total cap. */
  private append(tab: Tab, events: CaptureEvent[]): void {
    const cap = this.cap(tab);
    const last = tab.buffer.chunks.at(-1);
    const { chunk, evicted } = tab.buffer.append(
      events,
      cap,
      tab.pending.isUnsaved(last),
      Math.min(MAX_CHUNK_BYTES, cap / 8),
    );
    tab.pending.appended(chunk, evicted, events, tab.buffer.seq);
    this.evictAcrossTabs();
  }

  /**
   * A relay's running total of events it dropped: what this tab has not counted yet of it is added
   * to its dropped events (a total re-sent on a new port adds nothing).
   */
  private lost(tabId: number, tab: Tab, docId: string, total: unknown): void {
    if (typeof total !== 'number' || !Number.isSafeInteger(total) || total < 0) return;
    const rec = tab.rec;
    const doc = (rec.docs[docId] ??= { gen: rec.gen, acked: 0 });
    const counted = doc.lost ?? 0;
    if (total <= counted) return;
    doc.lost = total;
    // Losses of a document the tab has navigated away from belong to a cleared log, like its events.
    if (doc.gen >= rec.gen || rec.settings.preserveLog) tab.buffer.droppedEvents += total - counted;
    tab.pending.dirty = true;
    this.arm(tabId, tab);
  }

  /** A relay message of a kind the router does not know: ignored (see test-router.ts). */
  protected onOtherRelayMessage(
    _tabId: number,
    _tab: Tab,
    _port: PortLike,
    _msg: Envelope,
  ): Promise<void> | void {}

  /** Only the extension's own pages may open panel and devtools ports. */
  protected acceptsPagePort(port: PortLike): boolean {
    return this.deps.isExtensionUrl(port.sender?.url);
  }

  private attachPanel(port: PortLike): void {
    if (!this.acceptsPagePort(port)) return port.disconnect();
    let tabId: number | null = null;
    port.onDisconnect.addListener(() => {
      if (tabId !== null) this.tabs.get(tabId)?.panels.delete(port);
    });
    port.onMessage.addListener((msg) => {
      if (!isEnvelope(msg)) return;
      this.run(async () => {
        const p = msg.payload as Record<string, unknown>;
        if (msg.kind === 'connect' && typeof p.tabId === 'number') {
          if (tabId !== null) this.tabs.get(tabId)?.panels.delete(port);
          tabId = p.tabId;
          const tab = this.tab(tabId);
          await this.flush(tabId, tab); // the backlog holds only what is stored
          this.connectPanel(tab, port, typeof p.lastSeq === 'number' ? p.lastSeq : 0);
          return;
        }
        if (tabId === null) return;
        const tab = this.tab(tabId);
        if (msg.kind === 'settings') await this.updateSettings(tabId, tab, p as Partial<CaptureSettings>);
        else if (msg.kind === 'clear') {
          await this.flush(tabId, tab);
          await this.save(tabId, tab, tab.buffer.clear());
        }
      });
    });
  }

  private connectPanel(tab: Tab, port: PortLike, lastSeq: number): void {
    tab.panels.add(port);
    post(port, envelope('settings', tab.rec.settings));
    if (tab.rec.hello) post(port, envelope('hello', tab.rec.hello));
    const from = lastSeq > tab.buffer.seq ? 0 : lastSeq;
    const { events } = tab.buffer.since(from);
    // Large backlogs go in slices: the first as `backlog`, the rest as `events`.
    let end = Math.min(events.length, BACKLOG_SLICE);
    const lastSeqOf = (n: number) => tab.buffer.seq - (events.length - n);
    post(
      port,
      envelope('backlog', {
        events: events.slice(0, end),
        droppedEvents: tab.buffer.droppedEvents,
        seq: lastSeqOf(end),
        capBytes: this.cap(tab),
      }),
    );
    while (end < events.length) {
      const next = Math.min(events.length, end + BACKLOG_SLICE);
      post(port, envelope('events', { events: events.slice(end, next), seq: lastSeqOf(next) }));
      end = next;
    }
  }

  private async updateSettings(tabId: number, tab: Tab, patch: Partial<CaptureSettings>): Promise<void> {
    const live = this.isLive(tab);
    const before = hookSettingsOf(tab.rec.settings, live);
    tab.rec.overrides = { ...tab.rec.overrides, ...validSettings(patch) };
    tab.rec.settings = tabSettings(this.defaults, tab.rec.overrides);
    const evicted = tab.buffer.evict(this.cap(tab));
    await this.save(tabId, tab, evicted);
    const after = hookSettingsOf(tab.rec.settings, live);
    if (hookSettingsDiffer(before, after)) this.deps.sendToTab(tabId, envelope('hook-settings', after));
    this.toPanels(tab, envelope('settings', tab.rec.settings));
  }

  /**
   * A devtools page: `watch {tabId}` adds it to the tab's watchers until its port closes. The first
   * watcher and the last one leaving switch the tab's hooks between recording frames after the
   * handshake and pausing them.
   */
  private attachDevtools(port: PortLike): void {
    if (!this.acceptsPagePort(port)) return port.disconnect();
    let tabId: number | null = null;
    const change = (id: number, add: boolean) => {
      const tab = this.tab(id);
      this.setLive(id, tab, () => {
        if (add) tab.watchers.add(port);
        else tab.watchers.delete(port);
      });
    };
    port.onDisconnect.addListener(() => {
      if (tabId !== null) {
        const id = tabId;
        this.run(() => change(id, false));
      }
    });
    port.onMessage.addListener((msg) => {
      if (!isEnvelope(msg) || msg.kind !== 'watch') return;
      const p = msg.payload as { tabId?: unknown };
      if (typeof p.tabId !== 'number' || tabId !== null) return;
      const id = p.tabId;
      tabId = id;
      this.run(() => change(id, true));
    });
  }

  private toPanels(tab: Tab, message: unknown): void {
    for (const p of tab.panels) post(p, message);
  }

  /** True while DevTools is open on the tab. */
  protected isLive(tab: Tab): boolean {
    return tab.watchers.size > 0 || tab.rec.watched === true;
  }

  /** Runs `change` on the tab's watchers; tells the tab's hooks when that changed whether it is live. */
  protected setLive(tabId: number, tab: Tab, change: () => void): void {
    const before = this.isLive(tab);
    change();
    const watched = tab.watchers.size > 0;
    if (tab.rec.watched !== watched) {
      tab.rec.watched = watched;
      tab.pending.dirty = true;
      this.arm(tabId, tab);
    }
    const live = this.isLive(tab);
    if (live !== before)
      this.deps.sendToTab(tabId, envelope('hook-settings', hookSettingsOf(tab.rec.settings, live)));
  }
}
