/**
 * Shared workers' WebSockets, in Chromium, for the network witness. A shared worker is not the tab's:
 * DevTools' Network log of the tab leaves its sockets out, and the page hook does not go into it
 * (docs/workers.md). Chromium lists it as a debug target, though, and its `Network` domain reports
 * its sockets as the tab's log does (protocol/cdp-sockets.ts keeps them as HAR entries).
 *
 * This needs the `debugger` permission, which the extension asks for only when the user turns shared
 * workers on in the panel (it is optional: Chromium shows a bar saying the extension is debugging
 * the browser while it is attached). While the panel is open and the permission is held, every
 * `POLL_MS` it lists the targets and, for each worker target it has not looked at yet, asks the
 * inspected page its origin (only then), attaches to the target if it is of that origin, keeps it if
 * it is a shared worker (and detaches from any other kind), and enables `Network` on it.
 * Sockets a worker opened before it was attached are not reported (as with DevTools' own log).
 * The panel detaches from every target when it closes; a user who closes the bar ends the watch and
 * gives the permission back (the switch is off for the next panel too).
 */
import { CdpSockets, type CdpSocketEntry } from '../protocol/cdp-sockets';
import type { NetworkSource } from '../platform/devtools-network';

/** How often the targets are listed (ms). */
export const POLL_MS = 2000;

interface Debuggee {
  targetId?: string;
}
interface TargetInfo {
  id: string;
  type: string;
  url: string;
}
interface DebuggerApi {
  getTargets(): Promise<TargetInfo[]>;
  attach(target: Debuggee, version: string): Promise<void>;
  detach(target: Debuggee): Promise<void>;
  sendCommand(target: Debuggee, method: string, params?: object): Promise<unknown>;
  onEvent: {
    addListener(cb: (source: Debuggee, method: string, params?: unknown) => void): void;
    removeListener(cb: (source: Debuggee, method: string, params?: unknown) => void): void;
  };
  onDetach: {
    addListener(cb: (source: Debuggee, reason: string) => void): void;
    removeListener(cb: (source: Debuggee, reason: string) => void): void;
  };
}
interface PermissionsApi {
  contains(p: { permissions: string[] }): Promise<boolean>;
  request(p: { permissions: string[] }): Promise<boolean>;
  remove(p: { permissions: string[] }): Promise<boolean>;
}

const DEBUGGER = { permissions: ['debugger'] };

function chromeApi(): { debugger?: DebuggerApi; permissions?: PermissionsApi } | undefined {
  return (globalThis as { chrome?: { debugger?: DebuggerApi; permissions?: PermissionsApi } }).chrome;
}

/** Whether this browser can watch shared workers at all (Chromium, with `debugger` optional). */
export function sharedWorkersSupported(): boolean {
  const api = chromeApi();
  return !!api?.permissions && typeof navigator !== 'undefined' && /Chrome\//.test(navigator.userAgent);
}

/** Whether the user has granted the permission (the watch runs then). */
export async function sharedWorkersGranted(): Promise<boolean> {
  try {
    return (await chromeApi()?.permissions?.contains(DEBUGGER)) === true;
  } catch {
    return false;
  }
}

/** Asks for the permission (call from a click); true when granted. */
export async function requestSharedWorkers(): Promise<boolean> {
  try {
    return (await chromeApi()?.permissions?.request(DEBUGGER)) === true;
  } catch {
    return false;
  }
}

/** Gives the permission back (the watch stops: every session ends with it). */
export async function releaseSharedWorkers(): Promise<void> {
  try {
    await chromeApi()?.permissions?.remove(DEBUGGER);
  } catch {
    // Already gone.
  }
}

/** A running watch: its sockets' entries, and how to end it. */
export interface SharedWorkerWatch {
  entries(): CdpSocketEntry[];
  onFinished(cb: (entry: unknown) => void): () => void;
  /** Calls `cb` when a socket gets its opening request (it is listed from then on). */
  onNewSocket(cb: () => void): () => void;
  stop(): Promise<void>;
  /** True once stopped (by `stop`, or by the user closing the browser's debugging bar). */
  stopped(): boolean;
}

/** Workers that ended whose sockets stay listed, at most. */
const ENDED_WORKERS = 50;

/**
 * Starts watching the shared workers of the origin `origin()` gives (null: none yet). Returns null
 * where `chrome.debugger` is missing (the permission not held).
 */
export function watchSharedWorkers(
  origin: () => Promise<string | null>,
  onStop: (byUser: boolean) => void = () => {},
): SharedWorkerWatch | null {
  const api = chromeApi()?.debugger;
  if (!api) return null;
  const workers = new Map<string, CdpSockets>();
  /** Targets looked at and left alone (another kind of worker, another origin's, or failed). */
  const skipped = new Set<string>();
  /** Workers that ended: their sockets stay listed. */
  const ended: CdpSockets[] = [];
  const finished = new Set<(entry: unknown) => void>();
  const fresh = new Set<() => void>();
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const onEvent = (source: Debuggee, method: string, params?: unknown) => {
    const sockets = source.targetId ? workers.get(source.targetId) : undefined;
    if (!sockets) return;
    const changed = sockets.event(method, params);
    if (changed === true && method === 'Network.webSocketWillSendHandshakeRequest')
      for (const cb of fresh) cb();
    if (changed !== 'closed') return;
    const entry = sockets.entry((params as { requestId: string }).requestId);
    if (entry) for (const cb of finished) cb(entry);
  };
  const onDetach = (source: Debuggee, reason: string) => {
    const id = source.targetId;
    const sockets = id ? workers.get(id) : undefined;
    if (!id || !sockets) return;
    workers.delete(id);
    skipped.add(id);
    retire(sockets);
    // The user closed the bar (or DevTools took the target over): no new attach behind their back.
    if (reason === 'canceled_by_user') void stop(true);
  };
  const retire = (sockets: CdpSockets) => {
    ended.push(sockets);
    if (ended.length > ENDED_WORKERS) ended.shift();
  };
  api.onEvent.addListener(onEvent);
  api.onDetach.addListener(onDetach);

  const adopt = async (t: TargetInfo) => {
    skipped.add(t.id); // until it proves a shared worker
    const target = { targetId: t.id };
    try {
      await api.attach(target, '1.3');
    } catch {
      return; // attached elsewhere in a way that excludes us, or gone
    }
    try {
      const info = (await api.sendCommand(target, 'Target.getTargetInfo')) as {
        targetInfo?: { type?: string };
      };
      if (stopped || info?.targetInfo?.type !== 'shared_worker') throw new Error('not a shared worker');
      workers.set(t.id, new CdpSockets({ kind: 'shared', url: t.url }));
      skipped.delete(t.id);
      await api.sendCommand(target, 'Network.enable');
    } catch {
      workers.delete(t.id);
      skipped.add(t.id);
      await api.detach(target).catch(() => {});
    }
  };

  const poll = async () => {
    timer = undefined;
    if (stopped) return;
    try {
      const targets = (await api.getTargets()).filter(
        (t) => t.type === 'worker' && !workers.has(t.id) && !skipped.has(t.id),
      );
      // The inspected page is asked its origin only when there is a new target to look at.
      const want = targets.length > 0 ? await origin() : null;
      for (const t of want ? targets : []) {
        if (stopped) break;
        let from = '';
        try {
          from = new URL(t.url).origin;
        } catch {
          // not a URL: another origin's
        }
        // Another origin's target is not looked at again (a shared worker of an origin the tab
        // navigates to later, started before by another tab, is missed).
        if (from === want) await adopt(t);
        else skipped.add(t.id);
      }
    } catch {
      // The inspected page or the target list could not be read this time: next round.
    }
    if (!stopped) timer = setTimeout(() => void poll(), POLL_MS);
  };

  const stop = async (byUser = false) => {
    if (stopped) return;
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
    api.onEvent.removeListener(onEvent);
    api.onDetach.removeListener(onDetach);
    const ids = [...workers.keys()];
    for (const [id, sockets] of workers) {
      retire(sockets);
      workers.delete(id);
    }
    onStop(byUser);
    await Promise.all(ids.map((targetId) => api.detach({ targetId }).catch(() => {})));
  };

  void poll();
  return {
    entries: () => [...ended, ...workers.values()].flatMap((s) => s.entries()),
    onFinished(cb) {
      finished.add(cb);
      return () => finished.delete(cb);
    },
    onNewSocket(cb) {
      fresh.add(cb);
      return () => fresh.delete(cb);
    },
    stop,
    stopped: () => stopped,
  };
}

/**
 * The panel's shared-worker switch: starts the watch when the permission is held (at once if it was
 * granted before), gives the permission back when turned off, and adds the sockets of every watch it
 * ran to the network source the witness reads.
 */
export class SharedWorkerSwitch {
  private watches: SharedWorkerWatch[] = [];
  private active: SharedWorkerWatch | null = null;
  private finished = new Set<(entry: unknown) => void>();
  private fresh = new Set<() => void>();
  private listeners = new Set<(on: boolean) => void>();

  constructor(private readonly origin: () => Promise<string | null>) {
    void sharedWorkersGranted().then((granted) => {
      if (granted) this.start();
    });
    // The sessions end with the panel (a new panel attaches again).
    globalThis.addEventListener?.('pagehide', () => void this.active?.stop());
  }

  isOn(): boolean {
    return this.active !== null && !this.active.stopped();
  }

  /** Calls `cb` when the switch turns on or off (the user may end the watch from the browser's bar). */
  subscribe(cb: (on: boolean) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  /** Turns the watch on (asks for the permission: call from a click) or off; resolves to the new state. */
  async set(on: boolean): Promise<boolean> {
    if (on) {
      if (!(await requestSharedWorkers())) return this.isOn();
      // A page open before the grant may not have the API yet: a new panel page starts the watch.
      if (!chromeApi()?.debugger) location.reload();
      this.start();
      return this.isOn();
    }
    await this.active?.stop();
    await releaseSharedWorkers();
    return this.isOn();
  }

  /** `base` (the tab's Network log) with the watched sockets added to every read. */
  source(base: NetworkSource | null): NetworkSource {
    return {
      entries: async () => [
        ...(base ? await base.entries() : []),
        ...this.watches.flatMap((w) => w.entries()),
      ],
      onFinished: (cb) => {
        const offBase = base?.onFinished(cb);
        this.finished.add(cb);
        return () => {
          offBase?.();
          this.finished.delete(cb);
        };
      },
      onNewSocket: (cb) => {
        this.fresh.add(cb);
        return () => this.fresh.delete(cb);
      },
    };
  }

  private start(): void {
    if (this.isOn()) return;
    const watch = watchSharedWorkers(this.origin, (byUser) => {
      if (this.active === watch) this.active = null;
      // The user closed the browser's debugging bar: the permission goes too, so the next panel does
      // not attach again unasked.
      if (byUser) void releaseSharedWorkers();
      for (const cb of this.listeners) cb(false);
    });
    if (!watch) return;
    watch.onFinished((entry) => {
      for (const cb of this.finished) cb(entry);
    });
    watch.onNewSocket(() => {
      for (const cb of this.fresh) cb();
    });
    this.watches.push(watch);
    this.active = watch;
    for (const cb of this.listeners) cb(true);
  }
}
