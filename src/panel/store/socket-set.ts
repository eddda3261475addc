/**
 * One set of captured sockets (the live tab, or an imported file) with a decoder per socket fed
 * incrementally. Frames live only in the `CapturedSocket` arrays; decoded `Connection`s are
 * re-snapshotted only for sockets that changed since the last refresh, and redirect chains are
 * rebuilt only when something a chain depends on changed (a socket came or went, or a socket's
 * redirect target, outcome, protocol or close did).
 */
import type { CaptureEvent, CapturedFrame, CapturedSocket } from '../../protocol/capture';
import {
  applyEvent,
  captureStateFrom,
  createCaptureState,
  type CaptureState,
} from '../../protocol/capture-store';
import type { Chain, Connection, Finding, OpeningHandshake } from '../../protocol/model';
import { fallbackConnection } from './connection-stub';
import type { IncrementalDecoder, PanelCore } from './core-port';

export class SocketSet {
  private capture: CaptureState = createCaptureState();
  private decoders = new Map<string, IncrementalDecoder>();
  private decoded = new Map<string, Connection>();
  private dirty = new Set<string>();
  /** Sockets whose decoder threw: shown from the record alone from then on. */
  private broken = new Map<string, unknown>();
  private structureChanged = false;
  private chainList: Chain[] = [];
  /** The decoded connections in creation order, as of the last refresh (a new array per change). */
  private connectionList: Connection[] = [];
  /** Frames marked truncated, per socket and in all (kept as frames arrive, never recounted). */
  private truncatedBy = new Map<string, number>();
  private truncatedTotal = 0;
  /** The network's opening handshake of sockets it saw (network-witness.ts), by socket id. */
  private network = new Map<string, OpeningHandshake>();
  /** Sockets only the network saw. */
  private networkOnly = new Set<string>();
  /** Where the hook's and the network's frames of a socket disagree: the finding that says so. */
  private witnessFindings = new Map<string, Finding>();
  /** More of a payload than the hook kept, from the network: by socket, then by frame index. */
  private networkPayloads = new Map<string, Map<number, CapturedFrame>>();

  constructor(private readonly core: PanelCore) {}

  /** Replaces the contents with complete records (an imported file). */
  load(sockets: CapturedSocket[]): void {
    this.reset();
    this.capture = captureStateFrom(sockets);
    for (const socket of this.capture.order) {
      const decoder = this.rebuild(socket);
      // A file is a finished capture: nothing more will come for its sockets.
      this.guard(socket, () => decoder.end());
    }
  }

  /** Empties the set. */
  reset(): void {
    this.capture = createCaptureState();
    this.decoders.clear();
    this.decoded.clear();
    this.broken.clear();
    this.dirty.clear();
    this.chainList = [];
    this.connectionList = [];
    this.truncatedBy.clear();
    this.truncatedTotal = 0;
    this.network.clear();
    this.networkOnly.clear();
    this.witnessFindings.clear();
    this.networkPayloads.clear();
    this.structureChanged = true;
  }

  /**
   * Gives a socket the network's view of its opening handshake. Its decoder starts over from the
   * record, so the opening-handshake rules are judged on the real headers (once per socket).
   */
  attachNetwork(id: string, opening: OpeningHandshake): void {
    this.network.set(id, opening);
    const socket = this.capture.byId.get(id);
    if (!socket) return;
    socket.network = opening; // exports carry it
    this.rebuild(socket);
  }

  /** Folds events of a socket only the network saw (its id is the panel's own). */
  applyNetworkOnly(events: CaptureEvent[]): void {
    for (const event of events) {
      this.networkOnly.add(event.socketId);
      this.apply(event);
      const socket = this.capture.byId.get(event.socketId);
      if (socket) socket.networkOnly = true;
    }
  }

  /** The network reported the socket finished: nothing more will come for it. */
  end(id: string): void {
    const socket = this.capture.byId.get(id);
    const decoder = this.decoders.get(id);
    if (!socket || !decoder) return;
    this.dirty.add(id);
    this.guard(socket, () => decoder.end());
  }

  /** Removes a socket (a network-only record the page hook turned out to have seen after all). */
  remove(id: string): void {
    if (!this.capture.byId.delete(id)) return;
    this.capture.order = this.capture.order.filter((s) => s.id !== id);
    this.decoders.delete(id);
    this.decoded.delete(id);
    this.broken.delete(id);
    this.dirty.delete(id);
    this.network.delete(id);
    this.networkOnly.delete(id);
    this.witnessFindings.delete(id);
    this.networkPayloads.delete(id);
    this.countTruncated(id, -(this.truncatedBy.get(id) ?? 0));
    this.truncatedBy.delete(id);
    this.structureChanged = true;
  }

  /**
   * Sets (or clears, with null) the finding that the hook's and the network's frames of a socket
   * disagree (witness-compare.ts); true when it changed.
   */
  setWitnessFinding(id: string, f: Finding | null): boolean {
    const before = this.witnessFindings.get(id);
    if (before?.message === f?.message && before?.frame === f?.frame) return false;
    if (f) this.witnessFindings.set(id, f);
    else this.witnessFindings.delete(id);
    this.dirty.add(id);
    return true;
  }

  /** Sets the network's fuller payloads of frames the hook kept only a preview of (by frame index). */
  setNetworkPayloads(id: string, payloads: Map<number, CapturedFrame>): void {
    if (payloads.size === 0 && !this.networkPayloads.has(id)) return;
    if (payloads.size === 0) this.networkPayloads.delete(id);
    else this.networkPayloads.set(id, payloads);
    this.dirty.add(id);
  }

  /** The network's fuller payload of frame `index` of socket `id`, when it holds more than the hook. */
  networkPayload(id: string, index: number): CapturedFrame | undefined {
    return this.networkPayloads.get(id)?.get(index);
  }

  /** True for a socket only the network saw. */
  isNetworkOnly(id: string): boolean {
    return this.networkOnly.has(id);
  }

  /** True when the socket already has the network's view. */
  hasNetwork(id: string): boolean {
    return this.network.has(id);
  }

  /** Folds one live event into the records and the socket's decoder. */
  apply(event: CaptureEvent): void {
    const known = this.capture.byId.get(event?.socketId);
    // Plain numbers, not an object: this runs for every event of a large backlog.
    const droppedFrames = known?.dropped?.frames ?? 0;
    const droppedBytes = known?.dropped?.bytes ?? 0;
    const socket = applyEvent(this.capture, event);
    if (!socket) return;
    this.dirty.add(socket.id);
    if (!known) this.structureChanged = true;
    const decoder = this.decoders.get(socket.id);
    // A new socket, or a create that arrives after other events (lost from the buffer): build the
    // decoder from the record, which already holds this event.
    if (event.type === 'create' || !decoder) {
      this.rebuild(socket);
      return;
    }
    try {
      switch (event.type) {
        case 'open':
          decoder.open(event.time, event.protocol, event.extensions);
          break;
        case 'frame': {
          const frame = socket.frames[socket.frames.length - 1]!;
          if (frame.truncated) this.countTruncated(socket.id, 1);
          decoder.frame(frame);
          break;
        }
        case 'close':
          decoder.close(socket.close!);
          break;
        case 'error':
          decoder.error(event.time, event.message);
          break;
        case 'dropped':
          // Events carry running totals; the decoder adds what it is given.
          decoder.dropped(socket.dropped!.frames - droppedFrames, socket.dropped!.bytes - droppedBytes);
          break;
      }
    } catch (err) {
      this.fail(socket, err);
    }
  }

  /**
   * Snapshots changed sockets and, when needed, rebuilds chains. Returns true when anything changed
   * (the caller re-renders then).
   */
  refresh(): boolean {
    if (this.dirty.size === 0 && !this.structureChanged) return false;
    let chainsStale = this.structureChanged;
    for (const id of this.dirty) {
      const socket = this.capture.byId.get(id);
      const decoder = this.decoders.get(id);
      if (!socket || !decoder) continue;
      const before = this.decoded.get(id);
      const failure = this.broken.get(id);
      if (failure !== undefined) this.decoded.set(id, fallbackConnection(socket, failure));
      else this.guard(socket, () => this.decoded.set(id, decoder.snapshot()));
      const witness = this.witnessFindings.get(id);
      const got = this.decoded.get(id);
      if (witness && got) this.decoded.set(id, { ...got, findings: [...got.findings, witness] });
      const after = this.decoded.get(id);
      if (!before || !after || chainKey(before) !== chainKey(after)) chainsStale = true;
    }
    this.dirty.clear();
    this.structureChanged = false;
    const list: Connection[] = [];
    for (const s of this.capture.order) {
      const c = this.decoded.get(s.id);
      if (c) list.push(c);
    }
    this.connectionList = list;
    if (chainsStale) this.rebuildChains();
    return true;
  }

  /** Frames marked truncated across the set. */
  truncatedFrames(): number {
    return this.truncatedTotal;
  }

  /** Sockets in creation order. */
  sockets(): CapturedSocket[] {
    return this.capture.order;
  }

  socket(id: string): CapturedSocket | undefined {
    return this.capture.byId.get(id);
  }

  /** Decoded connections in creation order (as of the last refresh; the same array until the next change). */
  connections(): Connection[] {
    return this.connectionList;
  }

  chains(): Chain[] {
    return this.chainList;
  }

  /** Creates a decoder for the socket and feeds it everything recorded so far. */
  private rebuild(socket: CapturedSocket): IncrementalDecoder {
    const meta = {
      id: socket.id,
      url: socket.url,
      requestedProtocols: socket.requestedProtocols,
      createdAt: socket.createdAt,
    };
    // A socket read from a file brings its network view on its record.
    const network = this.network.get(socket.id) ?? socket.network;
    const decoder = this.core.createDecoder({
      ...meta,
      ...(socket.replayOf === undefined ? {} : { replayOf: socket.replayOf }),
      ...(network ? { network } : {}),
      ...(this.networkOnly.has(socket.id) || socket.networkOnly ? { networkOnly: true } : {}),
      ...(socket.worker ? { worker: socket.worker } : {}),
    });
    this.decoders.set(socket.id, decoder);
    this.broken.delete(socket.id);
    this.dirty.add(socket.id);
    let truncated = 0;
    for (const frame of socket.frames) if (frame.truncated) truncated++;
    this.countTruncated(socket.id, truncated - (this.truncatedBy.get(socket.id) ?? 0));
    this.guard(socket, () => {
      if (socket.openedAt !== undefined)
        decoder.open(socket.openedAt, socket.protocol ?? '', socket.extensions ?? '');
      for (const frame of socket.frames) decoder.frame(frame);
      if (socket.dropped) decoder.dropped(socket.dropped.frames, socket.dropped.bytes);
      if (socket.error) decoder.error(socket.error.time, socket.error.message);
      if (socket.close) decoder.close(socket.close);
    });
    return decoder;
  }

  private rebuildChains(): void {
    try {
      this.chainList = this.core.buildChains(this.connectionList);
    } catch {
      this.chainList = this.connectionList.map((c) => ({
        connections: [c.id],
        outcome: 'pending',
        loop: false,
        findings: [],
      }));
    }
  }

  private countTruncated(id: string, delta: number): void {
    if (delta === 0) return;
    this.truncatedBy.set(id, (this.truncatedBy.get(id) ?? 0) + delta);
    this.truncatedTotal += delta;
  }

  /** The core must not throw; if it does anyway, the socket still shows, with the failure as a finding. */
  private guard(socket: CapturedSocket, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.fail(socket, err);
    }
  }

  private fail(socket: CapturedSocket, err: unknown): void {
    this.broken.set(socket.id, err ?? 'unknown error');
    this.decoded.set(socket.id, fallbackConnection(socket, err));
  }
}

/** What a socket's place in the redirect chains depends on (see `buildChains`). */
function chainKey(c: Connection): string {
  return `${c.outcome}|${c.redirectTo ?? ''}|${c.close ? 1 : 0}|${c.protocol ?? '-'}|${c.startedAt}|${c.url}`;
}
