/**
 * The line between a worker's hook and its page's hook: one BroadcastChannel per worker, named
 * `<hub secret>:<worker id>`. The secret is drawn by the page's hook and travels only inside the
 * worker's bootstrap (workers.ts), whose `blob:` URL is revoked as soon as the worker has it: page
 * scripts and the worker's own scripts never learn the name, so they can neither read nor write
 * this line. The worker's hook sends its capture in batches; the page's hook forwards them with its
 * own to the relay, and sends each worker the settings it gets.
 *
 * Messages (structured clones; each side checks what it reads):
 * - worker to page: `{k: 'ready'}` (the hook runs), `{k: 'batch', events, count}`, `{k: 'failed'}`
 *   (the worker's classic script did not load)
 * - page to worker: `{k: 'settings', settings}`
 */
import type { CaptureEvent } from '../protocol/capture';
import { defineIndex, type Natives } from './natives';
import type { RecorderSettings } from './recorder';
import type { WorkerLoadError } from './workers';

/** Workers the hook starts per document at most; past it, workers start as they would without it. */
export const MAX_HOOKED_WORKERS = 64;

/** What a worker's hook tells its page besides its capture. */
export interface WorkerSignals {
  /** The worker's hook runs. */
  ready(): void;
  /** The worker's classic script did not load (`error`: what Chromium reports of a syntax error). */
  failed(error: WorkerLoadError | null): void;
}

/** The page's side: the workers it started, their lines, and the settings they follow. */
export interface WorkerHub {
  /** The secret the workers' channel names start with. */
  readonly secret: string;
  /** Opens the line of a new worker; false once `MAX_HOOKED_WORKERS` lines are open. */
  add(id: string, on: WorkerSignals): boolean;
  /** Sends every worker new settings (and remembers them for workers started later). */
  settings(settings: RecorderSettings): void;
  /** The settings a new worker starts with (null until the background sent some). */
  current(): RecorderSettings | null;
}

/** Opens the page's hub; `forward` receives each worker's events in order. */
export function openWorkerHub(
  n: Natives,
  secret: string,
  forward: (event: CaptureEvent) => void,
): WorkerHub | null {
  if (!canOpenLines(n)) return null;
  const lines: Line[] = [];
  let latest: RecorderSettings | null = null;
  return {
    secret,
    add(id, on) {
      if (lines.length >= MAX_HOOKED_WORKERS) return false;
      const line = openLine(n, `${secret}:${id}`, (data) => {
        const msg = data as { k?: unknown; events?: unknown; count?: unknown; error?: unknown };
        if (typeof msg !== 'object' || msg === null) return;
        if (msg.k === 'failed') return on.failed(readLoadError(msg.error));
        if (msg.k === 'ready') return on.ready();
        if (msg.k !== 'batch' || !n.isArray(msg.events) || typeof msg.count !== 'number') return;
        const events = msg.events as unknown[];
        const count = msg.count < events.length ? msg.count : events.length;
        for (let i = 0; i < count; i++) {
          const e = events[i];
          // The relay checks every event's shape; here only what forwarding needs.
          if (typeof e === 'object' && e !== null) forward(e as CaptureEvent);
        }
      });
      // Defined, not assigned: a setter on an index of Array.prototype cannot see the line.
      defineIndex(n, lines, lines.length, line);
      if (latest) line.post({ k: 'settings', settings: latest });
      return true;
    },
    settings(settings) {
      latest = settings;
      for (let i = 0; i < lines.length; i++) lines[i]!.post({ k: 'settings', settings });
    },
    current: () => latest,
  };
}

/** The worker's side of its line. */
export interface WorkerLine {
  ready(): void;
  batch(events: (CaptureEvent | null)[], count: number): void;
  failed(error: WorkerLoadError | null): void;
}

/** Joins the line `name`; `onSettings` receives the page's settings. */
export function joinWorkerLine(
  n: Natives,
  name: string,
  onSettings: (settings: unknown) => void,
): WorkerLine | null {
  if (!canOpenLines(n)) return null;
  const { post } = openLine(n, name, (data) => {
    const msg = data as { k?: unknown; settings?: unknown };
    if (typeof msg === 'object' && msg !== null && msg.k === 'settings') onSettings(msg.settings);
  });
  return {
    ready: () => post({ k: 'ready' }),
    batch: (events, count) => post({ k: 'batch', events, count }),
    failed: (error) => post({ k: 'failed', error }),
  };
}

/** One end of a line. */
interface Line {
  post(message: unknown): void;
}

function canOpenLines(n: Natives): boolean {
  return !!n.BroadcastChannel && !!n.channelPost && !!n.addEventListener;
}

/** Opens the line `name` (after `canOpenLines`); its messages' data reach `onData`, whose errors stay here. */
function openLine(n: Natives, name: string, onData: (data: unknown) => void): Line {
  const channel = n.construct(n.BroadcastChannel!, [name]) as BroadcastChannel;
  n.apply(n.addEventListener!, channel, [
    'message',
    (event: MessageEvent) => {
      try {
        onData(n.messageData(event));
      } catch {
        // Never into the page or the worker's scripts.
      }
    },
  ]);
  return { post: (message) => void n.apply(n.channelPost!, channel, [message]) };
}

/** A `failed` message's error (checked), or null. */
function readLoadError(raw: unknown): WorkerLoadError | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { message, filename, lineno, colno } = raw as Record<string, unknown>;
  if (typeof message !== 'string' || typeof filename !== 'string') return null;
  if (typeof lineno !== 'number' || typeof colno !== 'number') return null;
  return { message, filename, lineno, colno };
}
