/**
 * The network witness's state in the panel: the views of WebSockets read from DevTools' Network log,
 * paired with the sockets the page hook captured, and the sockets only the network saw. The reading
 * itself (when and how often) is network-feed.ts's; this module only folds what was read into a
 * `SocketSet`.
 *
 * - A view pairs with a hook socket by the rule of `matchNetwork` (URL, start time, protocols; one to
 *   one); the socket then gets the view's opening handshake, and keeps its own frames. The network's
 *   messages of the socket are read too, from where the last read stopped (`COMPARE_LIMITS` bound
 *   what is kept), and compared with the hook's frames (`compareWitnesses`): a disagreement becomes
 *   the socket's `capture-network-mismatch` finding.
 * - A view still unpaired `GRACE_MS` after the panel first read it, once the live capture's backlog
 *   is in, is a socket the hook did not see: it becomes a "network only" record, fed with the
 *   network's messages as they come. If the hook's record turns up after all, the record moves to it.
 * - Views read before the last reset (a navigation, Clear) are ignored from then on, as their sockets
 *   were cleared from the list.
 */
import {
  cutNetworkFrame,
  matchNetwork,
  networkOnlyEvents,
  readNetworkEntry,
  readNetworkFrames,
  type NetworkView,
} from '../../protocol/network-witness';
import type { CapturedFrame } from '../../protocol/capture';
import { compareWitnesses, mismatchFinding } from '../../protocol/witness-compare';
import type { SocketSet } from './socket-set';

/** How long a view waits for the hook's record of its socket before it is shown as network only. */
export const GRACE_MS = 1500;
/** See `NetworkWitness.reset`. */
export const RESET_SLACK_MS = 2000;
/** How long a network-only record may still move to a hook record that turns up late. */
export const CLAIM_MS = 10_000;

/**
 * What the comparison keeps of a paired socket's network messages: the first `frames` data messages,
 * whole while they total at most `wholeChars` characters, then cut to `cutChars` each (the whole size
 * kept); frames of either witness after the last kept message are not compared. `horizonMs`: frames
 * younger than this at a read wait for the next one (either witness may still be on its way), unless
 * both witnesses saw the socket end.
 */
export const COMPARE_LIMITS = {
  frames: 10_000,
  wholeChars: 8 * 1024 * 1024,
  cutChars: 1024,
  horizonMs: 2000,
} as const;

interface Tracked {
  view: NetworkView;
  /** Epoch ms the panel first read it. */
  seenAt: number;
  /** The hook socket it is paired with. */
  pairedTo?: string;
  /** The panel's id of its network-only record. */
  ownId?: string;
  /** Raw messages already folded into the network-only record. */
  read: number;
  /** The latest raw entry, kept only while undecided (its messages are read if it becomes network only). */
  entry?: unknown;
  finished: boolean;
  /** A paired socket's network messages read for the comparison (see `COMPARE_LIMITS`). */
  net?: CapturedFrame[];
  /** Characters of the messages read for the comparison (kept whole or not). */
  kept?: number;
  /** What the last comparison saw (network messages, hook frames, ended); undefined: none was final. */
  compared?: string;
}

export class NetworkWitness {
  private tracked = new Map<string, Tracked>();
  /** Views that may still pair with a hook record: undecided, or network only for less than `CLAIM_MS`. */
  private claimable = new Set<Tracked>();
  private ignored = new Set<string>();
  /** Views started before this (epoch ms) belong to a cleared list (see `reset`). */
  private since = -Infinity;
  private serial = 0;

  /**
   * Reads HAR entries (any kind; WebSockets are picked out). `finished` when the browser reported them
   * done (`onRequestFinished`). Returns true when something new was learnt.
   */
  ingest(set: SocketSet, entries: readonly unknown[], finished: boolean, now: number): boolean {
    let news = false;
    for (const entry of entries) {
      const view = readNetworkEntry(entry);
      if (!view || this.ignored.has(view.key) || view.startedAt < this.since) continue;
      let t = this.tracked.get(view.key);
      if (!t) {
        t = { view, seenAt: now, read: 0, finished: false };
        this.tracked.set(view.key, t);
        this.claimable.add(t);
        news = true;
      } else {
        const answered = t.view.opening.status !== view.opening.status;
        t.view = view;
        if (answered) {
          // The answer came after the first read: the decoder starts over with it.
          news = true;
          if (t.pairedTo !== undefined) set.attachNetwork(t.pairedTo, view.opening);
          else if (t.ownId !== undefined) set.applyNetworkOnly(networkOnlyEvents(view, t.ownId).slice(1));
        }
      }
      // Chromium reports a WebSocket finished when it closes; Firefox as soon as the 101 came (and its
      // entries hold no messages): there, finished says nothing about the socket's end.
      const ended = finished && view.messageCount !== null && !t.finished;
      if (ended) {
        t.finished = true;
        news = true;
      }
      if (t.ownId !== undefined) {
        news = this.feed(set, t, entry) || news;
        if (ended) set.end(t.ownId);
      } else if (t.pairedTo === undefined) t.entry = entry;
      else news = this.compare(set, t, entry, now) || news;
    }
    return news;
  }

  /**
   * Pairs unpaired views with the hook's sockets and turns views that waited long enough into
   * network-only records; true when it changed the set. `ready` once the live capture's backlog
   * arrived (before that, the hook's records of the views' sockets may still be on their way).
   */
  reconcile(set: SocketSet, now: number, ready: boolean): boolean {
    if (this.claimable.size === 0) return false;
    let changed = false;
    const open = [...this.claimable];
    const hookSockets = set.sockets().filter((s) => !set.isNetworkOnly(s.id) && !set.hasNetwork(s.id));
    const byKey = new Map(open.map((t) => [t.view.key, t]));
    // A worker's socket the hook cannot record (a shared worker's) pairs with nothing.
    const views = open.map((t) => t.view).filter((v) => v.worker === undefined);
    for (const [key, socketId] of matchNetwork(hookSockets, views)) {
      const t = byKey.get(key)!;
      if (t.ownId !== undefined) set.remove(t.ownId);
      t.pairedTo = socketId;
      delete t.ownId;
      t.read = 0;
      this.claimable.delete(t);
      set.attachNetwork(socketId, t.view.opening);
      this.compare(set, t, t.entry, now);
      delete t.entry;
      changed = true;
    }
    for (const t of open) {
      if (t.pairedTo !== undefined) continue;
      if (t.ownId !== undefined) {
        if (now - t.seenAt > CLAIM_MS) this.claimable.delete(t);
        continue;
      }
      if (!ready || now - t.seenAt < GRACE_MS) continue;
      t.ownId = `net:${++this.serial}`;
      set.applyNetworkOnly(networkOnlyEvents(t.view, t.ownId));
      this.feed(set, t, t.entry);
      if (t.finished) set.end(t.ownId);
      delete t.entry;
      changed = true;
    }
    return changed;
  }

  /** True when some view is still waiting to be paired or shown (the feed reads again soon then). */
  undecided(): boolean {
    for (const t of this.claimable) if (t.ownId === undefined) return true;
    return false;
  }

  /**
   * Forgets every view read so far, and ignores them if read again (their sockets left the list), and
   * views of sockets started more than `RESET_SLACK_MS` before `now` (an old page's socket that closes
   * after the navigation is reported finished then). The slack keeps the sockets a new page opened
   * before the panel heard of the navigation.
   */
  reset(now: number): void {
    this.since = now - RESET_SLACK_MS;
    for (const key of this.tracked.keys()) this.ignored.add(key);
    this.tracked.clear();
    this.claimable.clear();
  }

  /**
   * Reads a paired socket's new network messages and compares them with the hook's frames when either
   * changed since the last final comparison; true when the socket's finding changed.
   */
  private compare(set: SocketSet, t: Tracked, entry: unknown, now: number): boolean {
    const socket = set.socket(t.pairedTo!);
    if (!socket || t.view.messageCount === null) return false;
    const net = (t.net ??= []);
    const count = t.view.messageCount;
    if (entry !== undefined && count > t.read && net.length < COMPARE_LIMITS.frames) {
      for (const f of readNetworkFrames(entry, t.read).slice(0, COMPARE_LIMITS.frames - net.length)) {
        t.kept = (t.kept ?? 0) + f.data.length;
        if (t.kept > COMPARE_LIMITS.wholeChars) cutNetworkFrame(f, COMPARE_LIMITS.cutChars);
        net.push(f);
      }
      t.read = count;
    }
    const ended = t.finished && socket.close !== undefined;
    const seen = `${net.length}|${socket.frames.length}|${ended}`;
    if (t.compared === seen) return false;
    let horizon = ended ? Infinity : now - COMPARE_LIMITS.horizonMs;
    if (net.length >= COMPARE_LIMITS.frames) horizon = Math.min(horizon, net[net.length - 1]!.time);
    const report = compareWitnesses(socket, net, horizon);
    // Final once nothing either witness holds is past the horizon (or the network's share is full).
    const last = Math.max(socket.frames.at(-1)?.time ?? -Infinity, net.at(-1)?.time ?? -Infinity);
    if (last <= horizon || net.length >= COMPARE_LIMITS.frames) t.compared = seen;
    else delete t.compared;
    set.setNetworkPayloads(
      socket.id,
      new Map(report.fuller.map(([frame, message]) => [frame, net[message]!])),
    );
    return set.setWitnessFinding(socket.id, mismatchFinding(report));
  }

  /** Feeds a network-only record the entry's messages it does not have yet; true when there were any. */
  private feed(set: SocketSet, t: Tracked, entry: unknown): boolean {
    const count = t.view.messageCount ?? 0;
    if (entry === undefined || count <= t.read) return false;
    const id = t.ownId!;
    const frames = readNetworkFrames(entry, t.read);
    t.read = count;
    set.applyNetworkOnly(frames.map((f) => ({ type: 'frame' as const, socketId: id, ...f })));
    return true;
  }
}
