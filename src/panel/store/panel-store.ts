/**
 * The panel's state: the live capture of the inspected tab (fed by the transport), an optional
 * imported file shown instead of it, the capture settings and the bridge's health. Changes are
 * coalesced: however many events arrive, subscribers hear about them once per animation frame.
 */
import type { CapturedFrame, CapturedSocket } from '../../protocol/capture';
import type { Chain, Connection } from '../../protocol/model';
import {
  BRIDGE_VERSION,
  DEFAULT_SETTINGS,
  envelope,
  isEnvelope,
  type CaptureSettings,
  type ToPanel,
} from '../../messaging/messages';
import type { PanelTransport } from '../transport';
import type { PanelCore } from './core-port';
import { SocketSet } from './socket-set';
import { NetworkWitness } from './witness';

/** Where the shown sockets come from. */
export type DataSource = { kind: 'live' } | { kind: 'imported'; name: string; warnings: string[] };

/** An immutable view of the store for rendering; a new object after every change. */
export interface PanelSnapshot {
  version: number;
  source: DataSource;
  sockets: CapturedSocket[];
  connections: Connection[];
  connectionById: Map<string, Connection>;
  chains: Chain[];
  settings: CaptureSettings;
  /** The page hook's bridge version, once it said hello. */
  hookVersion: number | null;
  versionMismatch: boolean;
  /** True while a live channel is up. */
  connected: boolean;
  /** Events the background could not keep before the panel connected. */
  droppedEvents: number;
  /** Frames of the shown sockets whose payload the capture cut short (a running total). */
  truncatedFrames: number;
  /** Top-level navigations seen while the log was preserved (live only), oldest first. */
  navigations: Navigation[];
}

/** A top-level navigation of the inspected tab, kept in the list when the log is preserved. */
export interface Navigation {
  /** Epoch ms the panel heard of it. */
  time: number;
  url: string;
}

/** Navigation marks kept at most (the oldest go first). */
const MAX_NAVIGATIONS = 200;

export type Schedule = (flush: () => void) => void;

/** The default schedule: one flush per animation frame (a timer where there are no frames). */
export const frameSchedule: Schedule = (flush) => {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => flush());
  else setTimeout(flush, 16);
};

export class PanelStore {
  private live: SocketSet;
  private imported: SocketSet | null = null;
  private navigations: Navigation[] = [];
  private source: DataSource = { kind: 'live' };
  private settings: CaptureSettings = { ...DEFAULT_SETTINGS };
  private hookVersion: number | null = null;
  private connected = false;
  private droppedEvents = 0;
  private lastSeq = 0;
  private transport: PanelTransport | null = null;
  private unsubscribe: (() => void)[] = [];
  private listeners = new Set<() => void>();
  private scheduled = false;
  private snapshot: PanelSnapshot;
  private witness = new NetworkWitness();
  /** The live capture's backlog arrived (the hook's records that network views wait for are in). */
  private backlogSeen = false;
  /** Epoch ms the network witness first delivered (it stops waiting for a backlog 3 s later). */
  private witnessSince: number | null = null;

  constructor(
    private readonly core: PanelCore,
    private readonly schedule: Schedule = frameSchedule,
    /** Wall-clock epoch ms (the network witness's grace is timed with it). */
    private readonly now: () => number = Date.now,
  ) {
    this.live = new SocketSet(core);
    this.snapshot = this.build(0);
  }

  getSnapshot = (): PanelSnapshot => this.snapshot;

  subscribe = (cb: () => void): (() => void) => {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  };

  /** Connects to a live channel and asks for everything after what we already have. */
  attach(transport: PanelTransport, tabId: number): void {
    this.detach();
    this.transport = transport;
    this.connected = true;
    this.unsubscribe.push(
      transport.onMessage((msg) => this.receive(msg)),
      transport.onDisconnect(() => {
        this.connected = false;
        this.transport = null;
        this.changed();
      }),
    );
    transport.send(envelope('connect', { tabId, lastSeq: this.lastSeq }));
    this.changed();
  }

  /** Drops the live channel (the data stays). */
  detach(): void {
    for (const u of this.unsubscribe.splice(0)) u();
    this.transport = null;
    this.connected = false;
  }

  /** Handles one message from the background; anything malformed is ignored. */
  receive(msg: ToPanel): void {
    if (!isEnvelope(msg)) return;
    switch (msg.kind) {
      case 'hello':
        this.hookVersion = typeof msg.payload.hookVersion === 'number' ? msg.payload.hookVersion : null;
        break;
      case 'backlog':
        // A backlog that ends before what we already hold means the background lost its state and
        // starts over from its first event: start over too, or every socket would appear twice.
        if (msg.payload.seq < this.lastSeq) {
          this.resetLive();
        }
        this.backlogSeen = true;
        this.droppedEvents = msg.payload.droppedEvents || 0;
        this.ingest(msg.payload.events);
        this.lastSeq = msg.payload.seq;
        break;
      case 'events':
        if (msg.payload.seq <= this.lastSeq) return; // already seen (a replay after reconnect)
        this.ingest(msg.payload.events);
        this.lastSeq = msg.payload.seq;
        break;
      case 'navigated':
        if (!this.settings.preserveLog) {
          this.resetLive();
        } else if (typeof msg.payload.url === 'string') {
          this.navigations = [...this.navigations, { time: Date.now(), url: msg.payload.url }].slice(
            -MAX_NAVIGATIONS,
          );
        }
        break;
      case 'settings':
        this.settings = { ...this.settings, ...msg.payload };
        break;
      default:
        return;
    }
    this.changed();
  }

  /** Empties the live capture here and in the background. */
  clear(): void {
    this.resetLive();
    this.droppedEvents = 0;
    this.transport?.send(envelope('clear', {}));
    this.changed();
  }

  /**
   * Takes HAR entries read from DevTools' Network log (the network witness, network-feed.ts);
   * `finished` for entries the browser reported done. Returns true when they brought something new.
   */
  network(entries: readonly unknown[], finished = false): boolean {
    const now = this.now();
    this.witnessSince ??= now;
    const news = this.witness.ingest(this.live, entries, finished, now);
    if (this.reconcileNetwork(now) || news) this.changed();
    return news;
  }

  /**
   * The network's fuller payload of a frame the hook kept only a preview of (live capture, Chromium),
   * or undefined.
   */
  networkPayload(socketId: string, index: number): CapturedFrame | undefined {
    return this.imported ? undefined : this.live.networkPayload(socketId, index);
  }

  /** True while a view of the network waits to be paired with the hook's record or shown. */
  networkUndecided(): boolean {
    return this.witness.undecided();
  }

  /** Changes capture settings (applied locally at once, then sent). */
  updateSettings(patch: Partial<CaptureSettings>): void {
    this.settings = { ...this.settings, ...patch };
    this.transport?.send(envelope('settings', patch));
    this.changed();
  }

  /** Shows sockets read from a file instead of the live capture (which keeps recording). */
  showImported(name: string, sockets: CapturedSocket[], warnings: string[]): void {
    const set = new SocketSet(this.core);
    set.load(sockets);
    this.imported = set;
    this.source = { kind: 'imported', name, warnings };
    this.changed();
  }

  /** Back to the live capture. */
  showLive(): void {
    this.imported = null;
    this.source = { kind: 'live' };
    this.changed();
  }

  /** Applies pending changes now (tests call it instead of waiting for a frame). */
  flush(): void {
    this.scheduled = false;
    this.reconcileNetwork();
    this.live.refresh();
    this.imported?.refresh();
    this.snapshot = this.build(this.snapshot.version + 1);
    for (const cb of [...this.listeners]) cb();
  }

  private resetLive(): void {
    this.live.reset();
    this.witness.reset(this.now());
    this.navigations = [];
  }

  private reconcileNetwork(now = this.now()): boolean {
    if (this.witnessSince === null) return false;
    const ready = this.backlogSeen || now - this.witnessSince > 3000;
    return this.witness.reconcile(this.live, now, ready);
  }

  private ingest(events: unknown): void {
    if (!Array.isArray(events)) return;
    for (const event of events) this.live.apply(event);
  }

  private changed(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => {
      if (this.scheduled) this.flush();
    });
  }

  private build(version: number): PanelSnapshot {
    const set = this.imported ?? this.live;
    const connections = set.connections();
    // Same connections array (a settings or status change): keep the map, so views keyed on it stay.
    const prev = this.snapshot as PanelSnapshot | undefined;
    const connectionById =
      prev && prev.connections === connections
        ? prev.connectionById
        : new Map(connections.map((c) => [c.id, c]));
    return {
      version,
      source: this.source,
      sockets: set.sockets(),
      connections,
      connectionById,
      chains: set.chains(),
      settings: this.settings,
      hookVersion: this.hookVersion,
      versionMismatch: this.hookVersion !== null && this.hookVersion !== BRIDGE_VERSION,
      connected: this.connected,
      droppedEvents: this.droppedEvents,
      truncatedFrames: set.truncatedFrames(),
      navigations: this.imported ? [] : this.navigations,
    };
  }
}
