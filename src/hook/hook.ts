/**
 * The MAIN-world content script (entry point): links to the isolated relay, wraps `WebSocket` at
 * `document_start`, and posts what it observes to the relay in batches over the linked channel.
 *
 * The build names this script's IIFE `khpHook(khpWorker)` (scripts/build.mjs). In a page,
 * `khpWorker` is undefined. The page's hook starts its workers from a bootstrap that calls a copy of
 * `khpHook` with the worker's context (workers.ts): that copy hooks the worker's sockets and sends
 * their events to the page's hook (worker-link.ts), then loads the worker's script.
 */
import { DEFAULT_SETTINGS, envelope } from '../messaging/messages';
import { linkToRelay } from './channel';
import { Batcher } from './batcher';
import { blobWorkersAllowed } from './csp';
import { installHook } from './install';
import { installMasks, type Masks } from './masks';
import { captureNatives, type Natives } from './natives';
import { Recorder, type RecorderSettings } from './recorder';
import { joinWorkerLine, openWorkerHub, type WorkerHub } from './worker-link';
import { disguiseWorkerScope, locateScript } from './worker-scope';
import { installWorkerHook, type WorkerBoot, type WorkerLoadError } from './workers';

declare const khpHook: (boot?: WorkerBoot) => void;
declare const khpWorker: WorkerBoot | undefined;

const boot = typeof khpWorker === 'object' && khpWorker !== null ? khpWorker : undefined;
if (boot) runInWorker(boot);
else runInPage();

function runInPage(): void {
  try {
    const win = window;
    const n = captureNatives(win);
    const frameToken = token(n);
    let blobWorkers: boolean | undefined;
    let workers: (settings: RecorderSettings) => void = () => {};
    const link = linkToRelay(win, n, (kind, payload) => {
      if (kind === 'hook-settings') {
        recorder.apply(readSettings(payload, recorder.settings));
        workers(recorder.settings);
      } else if (kind === 'hook-policy') {
        blobWorkers = readPolicy(payload);
        // Test builds only: the hook says which verdict it holds, for the test relay's `policy`
        // answer (a verdict the relay has posted may not have reached the hook yet).
        if (__KHP_TEST__) link?.post(envelope('test-policy-held', { blobWorkers }));
      }
    });
    const schedule = (fn: () => void, ms: number) => void n.apply(n.setTimeout, win, [fn, ms]);
    const batcher = new Batcher(
      (events, count) => link?.post(envelope('batch', { events, count })),
      schedule,
    );
    const recorder = new Recorder(n, (event) => batcher.push(event), frameToken, initialSettings(), {
      schedule,
    });
    if (!link) return;
    const masks = installMasks(win, n);
    installHook(win, n, recorder, masks);
    workers = hookWorkers(win, n, masks, recorder, batcher, {
      pageUrl: n.locationHref,
      allowed: () => blobWorkersAllowed(n, blobWorkers),
      settingsKnown: link.linked,
    });
  } catch {
    // A hook that cannot install leaves the page exactly as it was.
  }
}

/**
 * In a worker started by the page's hook: find where the worker's script is (a worker the browser
 * would refuse is refused), disguise the scope, hook its sockets, then load the worker's script. The
 * script is loaded outside the guard, so its own errors reach the worker (and its page) exactly as
 * they would.
 */
function runInWorker(boot: WorkerBoot): void {
  const g = self as unknown as typeof globalThis;
  let load: () => void = () => {};
  // Where the script is, first: the one URL the worker may load, the hook installed or not.
  const script = locateScript(g, boot.url);
  try {
    // The bootstrap's context leaves no trace for the worker's scripts (workers.ts).
    delete (g as { khpBoot?: unknown }).khpBoot;
    const n = captureNatives(g);
    const masks = installMasks(g, n);
    const scriptUrl = script ?? boot.url;
    // The hook's own fetches of the script: the check, then the bootstrap's load (a module's static
    // `import` fetched it before this ran).
    const fetched = [boot.url, boot.module ? boot.url : scriptUrl];
    const resolveUrl = disguiseWorkerScope(g, n, masks, scriptUrl, fetched);
    let workers: (settings: RecorderSettings) => void = () => {};
    const line = joinWorkerLine(n, boot.line, (payload) => {
      recorder.apply(readSettings(payload, recorder.settings));
      workers(recorder.settings);
    });
    const schedule = (fn: () => void, ms: number) => void n.apply(n.setTimeout, g, [fn, ms]);
    const batcher = new Batcher((events, count) => line?.batch(events, count), schedule);
    const settings = readSettings(boot.settings, initialSettings());
    const recorder = new Recorder(n, (event) => batcher.push(event), token(n), settings, {
      worker: { kind: boot.kind, url: boot.url },
      schedule,
    });
    if (boot.settings) recorder.apply(settings);
    installHook(g, n, recorder, masks, { resolveUrl, pageUrl: () => boot.pageUrl });
    // The worker's own workers: hooked like the page's, their capture forwarded through this line.
    workers = hookWorkers(g, n, masks, recorder, batcher, {
      pageUrl: () => boot.pageUrl,
      allowed: () => boot.blobWorkers === true,
      settingsKnown: () => !!boot.settings,
    });
    line?.ready();
    if (script === null) load = refuse(g, n, boot.module, line);
    else if (!boot.module)
      load = line
        ? classicLoader(g, n, scriptUrl, line.failed)
        : () => (g as unknown as { importScripts(url: string): void }).importScripts(script);
  } catch {
    // A hook that cannot install leaves the worker as it was: its script still loads, unless the
    // browser would have refused it (then the worker fails, loudly but safely).
    if (script === null)
      load = () => {
        throw new Error('worker script refused');
      };
    else if (!boot.module)
      load = () => (g as unknown as { importScripts(url: string): void }).importScripts(script);
  }
  load();
}

/**
 * Ends a worker whose script the browser would have refused (`locateScript`) before the script
 * runs: the page hears of it as of any script that did not load (an `error` Event, workers.ts) and
 * the worker closes. A classic worker then loads nothing. A module worker's bootstrap has fetched
 * the script already and evaluates it right after the hook's copy, unless this copy's evaluation
 * throws: it throws an error of its own, which its listener keeps from the worker's scripts and
 * from the page.
 */
function refuse(
  g: typeof globalThis,
  n: Natives,
  module: boolean,
  line: { failed(error: WorkerLoadError | null): void } | null,
): () => void {
  line?.failed(null);
  n.apply((g as unknown as { close(): void }).close, g, []);
  if (!module) return () => {};
  const refusal = n.construct(Error, ['refused']) as Error;
  n.apply(n.addEventListener!, g, [
    'error',
    (event: Event) => {
      if (n.errorEventError(event) !== refusal) return;
      n.apply(n.preventDefault!, event, []);
      n.apply(n.stopImmediatePropagation!, event, []);
    },
    true,
  ]);
  return () => {
    throw refusal;
  };
}

/**
 * Loads a classic worker's script with the browser's `importScripts`. Had the browser loaded the
 * script as the worker's own, a script that fails to load or to parse would have failed the worker
 * before it ran: the page gets a plain `error` Event (Chromium: an ErrorEvent for a syntax error).
 * Loaded by `importScripts`, those failures are exceptions in the bootstrap instead; they are kept
 * from the page here, and the page's hook dispatches what the browser would have (workers.ts).
 * An error whose stack runs through the script is the script's own: it is left as it is.
 */
function classicLoader(
  g: typeof globalThis,
  n: Natives,
  url: string,
  failed: (error: WorkerLoadError | null) => void,
): () => void {
  const importScripts = n.getOwnPropertyDescriptor(
    (g as unknown as { WorkerGlobalScope: { prototype: object } }).WorkerGlobalScope.prototype,
    'importScripts',
  )?.value as (...urls: string[]) => void;
  const close = (g as unknown as { close(): void }).close;
  const SyntaxErrorProto = SyntaxError.prototype;
  const stackGetter = n.getOwnPropertyDescriptor(Error.prototype, 'stack')?.get;
  const hash = n.apply(n.stringIndexOf, url, ['#']) as number;
  const frameOfScript = `${hash < 0 ? url : (n.apply(n.stringSlice, url, [0, hash]) as string)}:`;
  let loading = false;
  const stackOf = (error: object): string => {
    const own = n.getOwnPropertyDescriptor(error, 'stack');
    const stack = own && 'value' in own ? own.value : stackGetter ? n.apply(stackGetter, error, []) : '';
    return typeof stack === 'string' ? stack : '';
  };
  const onError = (event: Event) => {
    try {
      if (!loading || event.isTrusted !== true) return;
      const error = n.errorEventError(event);
      if (typeof error !== 'object' || error === null) return;
      if (n.apply(n.includes, stackOf(error), [frameOfScript]) as boolean) return; // the script ran
      let report: WorkerLoadError | null;
      let network = false;
      try {
        network = n.domExceptionName(error) === 'NetworkError';
      } catch {
        network = false; // not a DOMException
      }
      if (network) report = null;
      else if (n.getPrototypeOf(error) === SyntaxErrorProto) {
        const message = n.errorEventMessage(event);
        const prefix = "Failed to execute 'importScripts' on 'WorkerGlobalScope': ";
        const at = n.apply(n.stringIndexOf, message, [prefix]) as number;
        // Chromium reports a worker script's syntax error as an ErrorEvent (its message without the
        // `importScripts` prefix); Firefox as a plain Event.
        report =
          at < 0
            ? null
            : {
                message: `${n.apply(n.stringSlice, message, [0, at]) as string}${n.apply(n.stringSlice, message, [at + prefix.length]) as string}`,
                filename: n.errorEventFilename(event),
                lineno: n.errorEventLineno(event),
                colno: n.errorEventColno(event),
              };
      } else return;
      n.apply(n.preventDefault!, event, []);
      n.apply(n.stopImmediatePropagation!, event, []);
      failed(report);
      n.apply(close, g, []);
    } catch {
      // Not the script's load failure: the worker's own error, left as it is.
    }
  };
  n.apply(n.addEventListener!, g, ['error', onError, true]);
  const done = () => {
    loading = false;
    n.apply(n.removeEventListener!, g, ['error', onError, true]);
  };
  return () => {
    loading = true;
    // The error of a script that failed (to load, or at its top level) is reported when this task
    // ends, before any timer: `done` runs after it either way.
    n.apply(n.setTimeout, g, [done, 0]);
    n.apply(importScripts, g, [url]);
  };
}

/**
 * Hooks the workers of `g` (workers.ts). Their lines open with the first worker, from a secret drawn
 * now; a new worker starts with the recorder's settings once they are known. Returns what passes
 * later settings on to every worker.
 */
function hookWorkers(
  g: typeof globalThis,
  n: Natives,
  masks: Masks,
  recorder: Recorder,
  batcher: Batcher,
  how: { pageUrl: () => string; allowed: () => boolean; settingsKnown: () => boolean },
): (settings: RecorderSettings) => void {
  const secret = token(n) + token(n);
  let hub: WorkerHub | null | undefined;
  installWorkerHook(g, n, masks, {
    source: () => n.apply(n.fnToString, khpHook, []) as string,
    pageUrl: how.pageUrl,
    allowed: how.allowed,
    hub: () => {
      if (hub === undefined) {
        hub = openWorkerHub(n, secret, (event) => batcher.push(event));
        if (hub && how.settingsKnown()) hub.settings(recorder.settings);
      }
      return hub;
    },
  });
  return (settings) => hub?.settings(settings);
}

/** What a recorder starts with, before the background's settings arrive. */
function initialSettings(): RecorderSettings {
  return {
    fullCapture: DEFAULT_SETTINGS.fullCapture,
    frameBudget: DEFAULT_SETTINGS.frameBudget,
    live: false,
  };
}

function token(n: Natives): string {
  return Math.floor(n.random() * 2 ** 48).toString(36);
}

/** The valid fields of a `hook-settings` payload over `current` (a structured clone from the relay). */
function readSettings(payload: unknown, current: RecorderSettings): RecorderSettings {
  const p = (typeof payload === 'object' && payload !== null ? payload : {}) as Partial<RecorderSettings>;
  return {
    fullCapture: typeof p.fullCapture === 'boolean' ? p.fullCapture : current.fullCapture,
    frameBudget:
      typeof p.frameBudget === 'number' && p.frameBudget >= 0 ? p.frameBudget : current.frameBudget,
    live: typeof p.live === 'boolean' ? p.live : current.live,
  };
}

/** A `hook-policy` payload's verdict (false unless it says true). */
function readPolicy(payload: unknown): boolean {
  return (
    typeof payload === 'object' &&
    payload !== null &&
    (payload as { blobWorkers?: unknown }).blobWorkers === true
  );
}
