/**
 * Hooks the sockets of a page's dedicated workers: `Worker` becomes a Proxy that, where it is safe,
 * starts the worker from a `blob:` bootstrap that runs a copy of the hook (this very script, read
 * back as the function `khpHook`, see scripts/build.mjs) and then the worker's own script. Inside the
 * worker, the copy disguises the scope as the script's (worker-scope.ts), wraps `WebSocket` as here,
 * and sends its capture to this page's hook over a private line (worker-link.ts).
 *
 * It is safe, and done, only when all of these hold; otherwise the browser's own `Worker` is called
 * with the page's arguments, as without the extension (the network witness may still see the
 * worker's sockets):
 * - the script URL is http(s) and of the page's origin (the browser refuses others anyway;
 *   `data:` and `blob:` scripts are left alone, a page may revoke its `blob:` URL at once);
 * - the options are absent or an object whose `type` is absent or a string;
 * - the document's Content-Security-Policy allows `blob:` workers (csp.ts): a refused bootstrap is not
 *   silent;
 * - fewer than `MAX_HOOKED_WORKERS` workers were started so.
 *
 * Conversions happen once and in the browser's order: the URL argument is converted to a string
 * first, then the options' `credentials`, `name` and `type` are read (in that order, as the
 * browser's dictionary conversion does), and the browser's constructor gets the string and a copy.
 *
 * A classic worker's bootstrap calls `importScripts` with the script URL; a module worker's imports
 * the hook's module and then the script. What differs from a worker the browser started from the
 * script URL is documented in docs/workers.md: a classic script that fails to load reaches the page
 * as an `error` Event the hook dispatches (not trusted), and the worker starts a few milliseconds
 * later (the hook's copy is parsed first).
 */
import type { Masks } from './masks';
import { redefine } from './masks';
import type { Natives } from './natives';
import type { WorkerHub } from './worker-link';

/** What a worker's copy of the hook is started with (a JSON literal in its bootstrap). */
export interface WorkerBoot {
  v: 1;
  /** The worker's line: `<hub secret>:<id>`. */
  line: string;
  kind: 'dedicated';
  /** The absolute script URL. */
  url: string;
  module: boolean;
  /** The document that started the worker. */
  pageUrl: string;
  /** The page's settings when the worker started (null: none yet). */
  settings: unknown;
  /** The document's CSP lets `blob:` workers start (a worker's own workers inherit its policy). */
  blobWorkers: boolean;
}

/** A classic script's syntax error as Chromium reports it to the page (an ErrorEvent's fields). */
export interface WorkerLoadError {
  message: string;
  filename: string;
  lineno: number;
  colno: number;
}

export interface WorkerHookDeps {
  /** This script's source (`khpHook`, read with the native `Function.prototype.toString`). */
  source: () => string;
  /** True when the document's CSP lets a `blob:` worker start (csp.ts). */
  allowed: () => boolean;
  /** The hub of worker lines (opened on first use). */
  hub: () => WorkerHub | null;
  /** The document the workers belong to. */
  pageUrl: () => string;
}

/** Wraps `win.Worker`; returns false when there is none to wrap. */
export function installWorkerHook(
  win: typeof globalThis,
  n: Natives,
  masks: Masks,
  deps: WorkerHookDeps,
): boolean {
  const Native = (win as { Worker?: typeof Worker }).Worker;
  if (typeof Native !== 'function' || !n.URL || !n.Blob || !n.createObjectURL) return false;
  let counter = 0;
  let hookUrl: string | undefined;

  const Wrapped: typeof Worker = new Proxy(Native, {
    construct(target, args, newTarget): object {
      const nt = newTarget === Wrapped ? target : newTarget;
      // Leave symbols (and no arguments) to the browser, which throws its own TypeError.
      if (args.length === 0 || typeof args[0] === 'symbol') return n.construct(target, args, nt) as object;
      // The conversions the browser would make, once, in its order (a throw here is the page's own).
      const text = `${args[0] as string}`;
      const options = args.length > 1 ? copyOptions(args[1], n) : NO_OPTIONS;
      const plain = options === NO_OPTIONS ? [text] : [text, options.copy];
      let plan: Plan | null = null;
      try {
        plan = planBootstrap(text, options);
      } catch {
        plan = null;
      }
      if (!plan) return n.construct(target, plain, nt) as object;
      const id = `${++counter}`;
      const hub = deps.hub();
      let worker: object | null = null;
      let revokeLater = () => {};
      const added = hub?.add(id, {
        failed: (error) => failed(worker, error),
        ready: () => revokeLater(),
      });
      if (!hub || !added) return n.construct(target, plain, nt) as object;
      const boot: WorkerBoot = {
        v: 1,
        line: `${hub.secret}:${id}`,
        kind: 'dedicated',
        url: plan.url,
        module: plan.module,
        pageUrl: deps.pageUrl(),
        settings: hub.current(),
        blobWorkers: true,
      };
      const { url, urls } = bootstrap(boot);
      const revoke = () => {
        for (let i = 0; i < urls.length; i++) n.apply(n.revokeObjectURL!, n.URL, [urls[i]]);
      };
      try {
        const bootArgs = options === NO_OPTIONS ? [url] : [url, options.copy];
        worker = n.construct(target, bootArgs, nt) as object;
        return worker;
      } finally {
        // The constructor took a classic worker's script; a module's imports are fetched later,
        // and revoked once the worker's hook says it runs.
        if (boot.module) revokeLater = revoke;
        else revoke();
      }
    },
  });

  /** A classic script that did not load: the page hears of it as it would (an `error` event). */
  function failed(worker: object | null, error: WorkerLoadError | null): void {
    if (!worker || !n.dispatchEvent || !n.Event || !n.ErrorEvent) return;
    try {
      // Dictionaries without a prototype: the constructors read nothing the page put on Object's.
      const event = error
        ? n.construct(n.ErrorEvent, ['error', { __proto__: null, ...error, cancelable: true }])
        : n.construct(n.Event, ['error', { __proto__: null }]);
      n.apply(n.dispatchEvent, worker, [event]);
    } catch {
      // Never into the page.
    }
  }

  interface Plan {
    url: string;
    module: boolean;
  }

  function planBootstrap(text: string, options: Options): Plan | null {
    if (options.bad) return null;
    const type = options === NO_OPTIONS ? undefined : options.type;
    if (type !== undefined && type !== 'classic' && type !== 'module') return null;
    const doc = n.document();
    const base = doc ? n.baseURI(doc) : n.locationHref();
    const parsed = n.construct(n.URL!, [text, base]) as URL;
    const protocol = n.urlProtocol(parsed);
    if (protocol !== 'http:' && protocol !== 'https:') return null;
    if (n.urlOrigin(parsed) !== n.origin || n.origin === 'null') return null;
    if (!deps.allowed()) return null;
    return { url: n.urlHref(parsed), module: type === 'module' };
  }

  /** The worker's bootstrap `blob:` URL, and every `blob:` URL it needs. */
  function bootstrap(boot: WorkerBoot): { url: string; urls: string[] } {
    // Objects without a prototype: `JSON.stringify` finds no `toJSON` the page put on Object's.
    const json = (v: unknown) => n.stringify(v) as string;
    const settings = boot.settings as Record<string, unknown> | null;
    const context = `self.khpBoot = ${json({
      __proto__: null,
      v: boot.v,
      line: boot.line,
      kind: boot.kind,
      url: boot.url,
      module: boot.module,
      pageUrl: boot.pageUrl,
      settings:
        settings === null
          ? null
          : {
              __proto__: null,
              fullCapture: settings.fullCapture,
              frameBudget: settings.frameBudget,
              live: settings.live,
            },
      blobWorkers: boot.blobWorkers,
    })};\n`;
    // The hook's copy is one `blob:` URL for every worker of this document (the browser copies a
    // Blob's text when it is made: about 1 ms for the hook's 20 KB, which each worker would pay).
    // It takes its context from `self.khpBoot`, which each worker's own small bootstrap sets first.
    hookUrl ??= blob(`(${deps.source()})(self.khpBoot);\n`);
    if (!boot.module) {
      const url = blob(`${context}importScripts(${json(hookUrl)});\n`);
      return { url, urls: [url] };
    }
    // Static imports run in order: the context, the hook's copy, then the script (its relative
    // imports and `import.meta.url` are its own).
    const first = blob(context);
    const url = blob(`import ${json(first)};\nimport ${json(hookUrl)};\nimport ${json(boot.url)};\n`);
    return { url, urls: [first, url] };
  }

  /**
   * A `blob:` URL of JavaScript `text`. The parts are an iterable of the hook's own (an array would
   * be read through the page's `Array.prototype[Symbol.iterator]`, which Firefox calls), and the
   * dictionary and the iterator's results have no prototype.
   */
  function blob(text: string): string {
    let done = false;
    const iterator = {
      __proto__: null,
      next: () => {
        const result = { __proto__: null, value: done ? undefined : text, done };
        done = true;
        return result;
      },
    };
    const parts = { __proto__: null, [n.iteratorSymbol]: () => iterator };
    const type = { __proto__: null, type: 'text/javascript' };
    return n.apply(n.createObjectURL!, n.URL, [n.construct(n.Blob!, [parts, type])]) as string;
  }

  masks.mask(Wrapped, Native);
  redefine(n, Native.prototype, 'constructor', Wrapped);
  redefine(n, win, 'Worker', Wrapped);
  return true;
}

interface Options {
  copy: unknown;
  type: unknown;
  /** Not a dictionary: left for the browser to refuse. */
  bad: boolean;
}
const NO_OPTIONS: Options = { copy: undefined, type: undefined, bad: false };

/**
 * The `WorkerOptions` dictionary as the browser reads it: for an object, `credentials`, `name` and
 * `type`, each read once, in that order (a Proxy answers them to the browser from memory);
 * undefined and null read nothing. Anything else is left for
 * the browser to refuse (kept as given, marked `bad`).
 */
function copyOptions(value: unknown, n: Natives): Options {
  if (value === undefined || value === null) return { copy: value, type: undefined, bad: false };
  if (typeof value !== 'object' && typeof value !== 'function')
    return { copy: value, type: undefined, bad: true };
  const o = value as Record<string, unknown>;
  const credentials = o.credentials;
  const name = o.name;
  const type = o.type;
  // The browser reads the dictionary again from the copy: the three members already read answer
  // from memory; any other member it knows is read from the page's object then, once.
  const copy = n.construct(n.Proxy, [
    o,
    {
      __proto__: null,
      get: (target: object, key: string | symbol) =>
        key === 'credentials'
          ? credentials
          : key === 'name'
            ? name
            : key === 'type'
              ? type
              : n.get(target, key),
    },
  ]);
  return { copy, type, bad: false };
}
