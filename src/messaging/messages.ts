/**
 * Messages between the extension's contexts. Data flows one way, page to panel; commands come back
 * the same road. Every message crosses inside one envelope, checked on every receive.
 *
 *   page hook --MessageChannel--> relay --port--> background (per tab) --port--> panel
 */
import type { CaptureEvent } from '../protocol/capture';

/** Bumped whenever a message's shape changes; a mismatch makes the panel say "reload the page". */
export const BRIDGE_VERSION = 1;
export const ENVELOPE_SOURCE = 'khp-inspector';

export interface Envelope<K extends string = string, P = unknown> {
  source: typeof ENVELOPE_SOURCE;
  v: number;
  kind: K;
  payload: P;
}

/** Capture settings the panel can change for its tab. */
export interface CaptureSettings {
  /** Keep every frame, not only the handshake and a per-socket budget. */
  fullCapture: boolean;
  /** Frames kept per socket after the KHP handshake ends (default mode). */
  frameBudget: number;
  /** Bytes kept per tab in the background while no panel drains it. */
  tabBufferBytes: number;
  /** Keep entries across page reloads. */
  preserveLog: boolean;
}

export const DEFAULT_SETTINGS: CaptureSettings = {
  fullCapture: false,
  frameBudget: 1000,
  tabBufferBytes: 32 * 1024 * 1024,
  preserveLog: false,
};

/** Page (hook) and background to panel. */
export type ToPanel =
  | Envelope<'hello', { hookVersion: number; frameUrl: string }>
  | Envelope<'events', { events: CaptureEvent[]; seq: number }>
  | Envelope<
      'backlog',
      {
        events: CaptureEvent[];
        droppedEvents: number;
        seq: number;
        /** The tab buffer's effective cap in bytes: `tabBufferBytes`, or less if storage holds less. */
        capBytes?: number;
      }
    >
  | Envelope<'navigated', { url: string }>
  | Envelope<'settings', CaptureSettings>;

/** Panel to background / page. */
export type FromPanel =
  | Envelope<'connect', { tabId: number; lastSeq: number }>
  | Envelope<'settings', Partial<CaptureSettings>>
  | Envelope<'clear', Record<string, never>>;

/**
 * Options page to background, by `runtime.sendMessage`: register the capture scripts for the stored
 * options now; the answer is `{ registered: patterns }` or `{ error }` (background/options-link.ts).
 */
export type FromOptions = Envelope<'apply-options', Record<string, never>>;

/** The panel to background, by `runtime.sendMessage`: open the options page. */
export type FromPanelPage = Envelope<'open-options', Record<string, never>>;

/** Devtools page to background, over `DEVTOOLS_PORT`. */
export type FromDevtools = Envelope<'watch', { tabId: number }>;

/*
 * Replays never travel this road: the panel evaluates the replay runner in the inspected page through
 * devtools.inspectedWindow.eval (src/replay/), so nothing the page can post reaches a replay.
 */

/** Builds an envelope. */
export function envelope<K extends string, P>(kind: K, payload: P): Envelope<K, P> {
  return { source: ENVELOPE_SOURCE, v: BRIDGE_VERSION, kind, payload };
}

/** Type guard for anything that crosses a boundary: the page can forge window messages. */
export function isEnvelope(value: unknown): value is Envelope {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    v.source === ENVELOPE_SOURCE && typeof v.v === 'number' && typeof v.kind === 'string' && 'payload' in v
  );
}

/** Settings the hook applies to its sockets (a subset of `CaptureSettings`). */
export type HookSettings = Pick<CaptureSettings, 'fullCapture' | 'frameBudget'> & {
  /** DevTools is open on the tab: the hook records frames after the handshake (within the budget). */
  live: boolean;
};

/**
 * How the hook and the relay find each other, before any page script runs. Both content scripts are
 * injected at `document_start`, the MAIN-world hook first (manifest order; both browsers keep it).
 * The relay, while it is being injected, dispatches a `LINK_KNOCK` event on the window; the hook
 * answers, synchronously, by dispatching a `LINK_OFFER` MessageEvent carrying one port of its
 * MessageChannel, which the relay takes and cancels (the hook reads the cancel as "linked"). Both
 * stop listening at once; neither ever reads a window message again, so nothing the page posts or
 * dispatches later can reach the channel, and the page never sees the port.
 */
export const LINK_KNOCK = 'khp-inspector:knock';
export const LINK_OFFER = 'khp-inspector:offer';

/** Hook (MAIN world) to relay, over the linked MessageChannel. */
export type FromHook =
  | Envelope<'hello', { hookVersion: number; frameUrl: string }>
  /** `events[0..count)` are the batch (the hook reuses one array; the rest of it is padding). */
  | Envelope<'batch', { events: (CaptureEvent | null)[]; count: number }>
  /** Test builds only: the verdict the hook now holds, just received as `hook-policy`. */
  | Envelope<'test-policy-held', HookPolicy>;

/**
 * What the background read of the frame's document Content-Security-Policy headers (enforced and
 * report-only), sent once per relay connection: whether a `blob:` worker can start without a
 * violation. Absent or false, the hook leaves workers alone (src/hook/csp.ts).
 */
export interface HookPolicy {
  blobWorkers: boolean;
}

/** Relay to hook, over the linked MessageChannel. */
export type ToHook = Envelope<'hook-settings', HookSettings> | Envelope<'hook-policy', HookPolicy>;

/**
 * Relay to background, over the `khp-relay` port. `docId` names one document's relay; batch `seq`
 * numbers count up from 1 per relay, so a batch re-sent after a reconnect is recognised and acked
 * again instead of being stored twice. `lost` is the running total of events the relay dropped
 * (malformed, or undeliverable); the background adds what it has not counted yet to the tab's
 * dropped events.
 */
export type FromRelay =
  | Envelope<'relay-hello', { docId: string; frameUrl: string; top: boolean }>
  | Envelope<'hello', { hookVersion: number; frameUrl: string }>
  | Envelope<'batch', { docId: string; seq: number; events: CaptureEvent[] }>
  | Envelope<'lost', { docId: string; events: number }>
  | Envelope<'test-query', TestQuery>;

/** Background to relay. */
export type ToRelay =
  | Envelope<'ack', { docId: string; seq: number }>
  | Envelope<'hook-settings', HookSettings>
  | Envelope<'hook-policy', HookPolicy>
  | Envelope<'test-reply', { id: string; result: unknown }>;

/**
 * Test-only queries (only in builds made with `--test`): the page posts `khp-test-query` on its window,
 * the relay forwards it, the background answers and the relay posts `khp-test-reply` back. Answered by
 * src/relay/test-relay.ts and src/background/test-router.ts, which real builds do not contain.
 */
export interface TestQuery {
  id: string;
  /**
   * `state`: the tab's buffer and settings, and the bytes all tabs' buffers hold with their cap;
   * `whoami`: the tab and frame ids; `panel`: the relay opens a `khp-panel` port like a panel, sends
   * `connect {tabId, lastSeq}` and answers with every message it received within `waitMs` (then sends
   * `send`, if given, and waits again); `watch`: the tab's hooks record frames after the handshake as
   * if DevTools were open on it (`on: false` undoes it);
   * `inject`: the relay takes `events` as if its hook had sent them in one batch (checked, capped,
   * re-batched and sent on like the hook's), so a test can forge and flood the capture path now that
   * the page cannot reach the hook's channel. Answered by the relay alone, with no reply.
   * `options`: the background opens the options page (`runtime.openOptionsPage`), which a test
   * cannot navigate to in Firefox.
   * `policy`: the relay answers with the last `hook-policy` payload it passed on to its hook (null
   * before one came).
   */
  op: 'state' | 'whoami' | 'panel' | 'watch' | 'inject' | 'options' | 'policy';
  /** `watch`: the tab counts as having DevTools open (`on`, default true) or not. */
  on?: boolean;
  tabId?: number;
  lastSeq?: number;
  waitMs?: number;
  send?: unknown[];
  /** `inject`: the forged batch, as the hook's `events` (anything: the relay checks it). */
  events?: unknown;
}

/** Names of the runtime ports. */
export const RELAY_PORT = 'khp-relay';
export const PANEL_PORT = 'khp-panel';
/**
 * The devtools page's port: open while DevTools is open on a tab (it sends `watch {tabId}`), so the
 * background can tell the tab's hooks to record frames after the handshake.
 */
export const DEVTOOLS_PORT = 'khp-devtools';
