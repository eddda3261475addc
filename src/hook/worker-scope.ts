/**
 * Inside a worker the hook started from a `blob:` bootstrap (workers.ts), makes the worker's scripts
 * see what they would see had the browser loaded their script directly:
 *
 * - `self.location` is the script's URL: `WorkerGlobalScope.prototype.location` answers a
 *   `WorkerLocation` whose getters (and `toString`) give the script URL's parts; the same getters on
 *   any other object still reach the browser's own.
 * - Relative URLs resolve against the script's URL, not against the bootstrap's `blob:` URL (which
 *   no relative URL can be resolved against): the URL argument of `importScripts`, `fetch`,
 *   `Request`, `XMLHttpRequest.prototype.open`, `EventSource`, `Worker` and `WebSocket` (the last in
 *   install.ts) is resolved first when it is a string that is not already an absolute URL. A URL
 *   argument that is not a string (an object with a `toString`, a number) is converted to one first,
 *   once, as the browser would (a `Request` given to `fetch` or `Request` is left as it is; a symbol
 *   is left for the browser to refuse); the other arguments are passed on untouched.
 *
 * - The script's own fetches are not in the worker's resource timing: the browser loads a worker's
 *   script before the worker runs and lists no entry for it, while the hook's check of where the
 *   script is (`locateScript`) and the bootstrap's `importScripts` (or `import`) of it leave one each.
 *   The first resource entry named as each of them is left out of `getEntries`, `getEntriesByType`
 *   and `getEntriesByName`, of `performance` and of a PerformanceObserver's entry lists.
 *
 * Every stand-in has the native's name and length and prints as the native (masks.ts). This runs
 * before any of the worker's own scripts, so every native it keeps is the browser's.
 */
import { redefine, redefineGetter, type Masks } from './masks';
import { defineIndex, type Natives } from './natives';

const LOCATION_PARTS = [
  'href',
  'origin',
  'protocol',
  'host',
  'hostname',
  'port',
  'pathname',
  'search',
  'hash',
] as const;

/**
 * Where a worker's script is, as the browser would load it: the URL its redirects end at (with the
 * fragment of `scriptUrl`), or null when the browser would refuse the worker. The browser fetches a
 * worker's script in the mode "same-origin" (HTML, "fetch a classic worker script" and "fetch a
 * module worker script graph": destination "worker"), so a redirect to another origin fails the
 * worker, as does a status that is not ok (200 to 299). The bootstrap's `importScripts` fetches in
 * the mode "no-cors" and would run a script of another origin, and a module's `import` would where
 * that origin allows CORS: the hook loads the script only once this check has found it same-origin,
 * and then from the URL found, so the redirect is not followed a second time.
 *
 * The check is a synchronous `XMLHttpRequest` of the script (the worker runs nothing before its
 * script in any case; the page's thread does not wait): a second fetch, which the HTTP cache may
 * answer. Its request is subject to the document's `connect-src`, which the hook checked before it
 * started the bootstrap (src/protocol/csp-policy.ts).
 */
export function locateScript(g: typeof globalThis, scriptUrl: string): string | null {
  // Before any of the worker's scripts: the built-ins are the browser's, used as they are.
  const XHR = (g as { XMLHttpRequest?: typeof XMLHttpRequest }).XMLHttpRequest;
  if (typeof XHR !== 'function') return null;
  try {
    const request = new XHR();
    request.open('GET', scriptUrl, false);
    request.send();
    if (request.status < 200 || request.status > 299) return null;
    const found = request.responseURL;
    const hash = scriptUrl.indexOf('#');
    if (found === (hash < 0 ? scriptUrl : scriptUrl.slice(0, hash))) return scriptUrl;
    if (new URL(found).origin !== new URL(scriptUrl).origin) return null;
    // A redirect keeps the request's fragment when its `Location` has none (Fetch, "HTTP-redirect
    // fetch"); `responseURL` leaves fragments out, so a `Location`'s own is not known here.
    return hash < 0 ? found : found + scriptUrl.slice(hash);
  } catch {
    return null; // a network error: the browser's own fetch would have failed too
  }
}

/**
 * Disguises the worker scope `g` as the one of `scriptUrl`; `fetched` names the hook's own fetches
 * of the script, whose resource entries are left out. Returns the URL resolver.
 */
export function disguiseWorkerScope(
  g: typeof globalThis,
  n: Natives,
  masks: Masks,
  scriptUrl: string,
  fetched: readonly string[],
): (url: unknown) => unknown {
  const URLCtor = n.URL!;
  const parsed = n.construct(URLCtor, [scriptUrl]) as URL;

  const resolveText = (url: string): string => {
    if (n.urlCanParse ? (n.urlCanParse(url) as boolean) : absolute(url)) return url;
    try {
      return n.urlHref(n.construct(URLCtor, [url, scriptUrl]) as object);
    } catch {
      return url; // not a URL against either base: the native gives its own error
    }
  };
  const absolute = (url: string): boolean => {
    try {
      n.construct(URLCtor, [url]);
      return true;
    } catch {
      return false;
    }
  };

  /**
   * A URL argument as the browser reads it: converted to a string once (the page's own `toString`
   * may throw; that is the page's error, thrown as the browser would), then resolved.
   */
  const urlArgument = (value: unknown, requests: boolean): unknown => {
    if (typeof value === 'string') return resolveText(value);
    if (typeof value === 'symbol') return value;
    if (requests && isRequest(value)) return value;
    return resolveText(`${value as string}`);
  };
  const isRequest = (value: unknown): boolean => {
    if (typeof value !== 'object' || value === null || !n.requestUrl) return false;
    try {
      n.requestUrl(value);
      return true;
    } catch {
      return false;
    }
  };

  disguiseLocation(g, n, masks, parsed);

  const scope = (g as { WorkerGlobalScope?: { prototype: object } }).WorkerGlobalScope?.prototype;
  if (scope) {
    wrapNative(n, masks, scope, 'importScripts', {
      before: (args) => {
        for (let i = 0; i < args.length; i++) {
          if (typeof args[i] === 'symbol') break; // the browser throws here, the rest unread
          args[i] = urlArgument(args[i], false);
        }
      },
    });
    wrapNative(n, masks, scope, 'fetch', {
      before: (args) => {
        if (args.length > 0) args[0] = urlArgument(args[0], true);
      },
    });
  }
  const xhr = (g as { XMLHttpRequest?: { prototype: object } }).XMLHttpRequest?.prototype;
  if (xhr)
    wrapNative(n, masks, xhr, 'open', {
      before: (args) => {
        // The method is converted before the URL: both here, in that order.
        if (args.length < 2 || typeof args[0] === 'symbol') return;
        args[0] = `${args[0] as string}`;
        args[1] = urlArgument(args[1], false);
      },
    });
  wrapConstructor(g, n, masks, 'Request', (url) => urlArgument(url, true));
  for (const name of ['EventSource', 'Worker'] as const)
    wrapConstructor(g, n, masks, name, (url) => urlArgument(url, false));
  hideScriptEntries(g, n, masks, fetched);
  return (url) => urlArgument(url, false);
}

/** `self.location` and its getters (see the module comment). */
function disguiseLocation(g: typeof globalThis, n: Natives, masks: Masks, parsed: URL): void {
  const WorkerLocation = (g as { WorkerLocation?: { prototype: object } }).WorkerLocation;
  const scope = (g as { WorkerGlobalScope?: { prototype: object } }).WorkerGlobalScope?.prototype;
  if (!WorkerLocation || !scope) return;
  const proto = WorkerLocation.prototype;
  const fake = Object.create(proto) as object;
  for (const part of LOCATION_PARTS) {
    const desc = n.getOwnPropertyDescriptor(proto, part);
    const native = desc?.get;
    const value = String(Reflect.get(n.URL!.prototype, part, parsed) ?? '');
    if (!native) continue;
    const get = getterNamed(n, native, function (this: unknown) {
      return this === fake ? value : n.apply(native, this, []);
    });
    masks.mask(get, native);
    redefineGetter(n, proto, part, get);
  }
  const nativeToString = n.getOwnPropertyDescriptor(proto, 'toString')?.value as (() => string) | undefined;
  if (nativeToString) {
    const href = n.urlHref(parsed);
    const toString = {
      toString(this: unknown): string {
        return this === fake ? href : (n.apply(nativeToString, this, []) as string);
      },
    }.toString;
    masks.mask(toString, nativeToString);
    redefine(n, proto, 'toString', toString);
  }
  const nativeLocation = n.getOwnPropertyDescriptor(scope, 'location')?.get;
  if (nativeLocation) {
    const get = getterNamed(n, nativeLocation, function (this: unknown) {
      // The scope's own `location`; on anything else the native answers (and throws as it would).
      return this === g || this === undefined ? fake : n.apply(nativeLocation, this, []);
    });
    masks.mask(get, nativeLocation);
    redefineGetter(n, scope, 'location', get);
  }
}

/**
 * Leaves the resource entries of the hook's own fetches of the script out of the entry lists: for
 * each URL of `fetched`, the first entry named so (with or without its fragment) that no other URL
 * took (see the module comment).
 */
function hideScriptEntries(g: typeof globalThis, n: Natives, masks: Masks, fetched: readonly string[]): void {
  const scope = g as unknown as Record<string, { prototype: object } | undefined>;
  const entryName = n.getOwnPropertyDescriptor(scope.PerformanceEntry?.prototype ?? {}, 'name')?.get;
  if (!entryName) return;
  // Own arrays of a fixed length, written by index only: nothing the worker's scripts change later.
  const names: string[] = [];
  const bares: string[] = [];
  const hidden: (object | null)[] = [];
  for (let i = 0; i < fetched.length; i++) {
    const url = fetched[i]!;
    const hash = n.apply(n.stringIndexOf, url, ['#']) as number;
    defineIndex(n, names, i, url);
    defineIndex(n, bares, i, hash < 0 ? url : (n.apply(n.stringSlice, url, [0, hash]) as string));
    defineIndex(n, hidden, i, null);
  }
  const count = fetched.length;
  let left = count;
  const isHidden = (entry: object): boolean => {
    for (let i = 0; i < count; i++) if (hidden[i] === entry) return true;
    if (left === 0) return false;
    const name = n.apply(entryName, entry, []) as string;
    for (let i = 0; i < count; i++)
      if (hidden[i] === null && (name === names[i] || name === bares[i])) {
        hidden[i] = entry;
        left--;
        return true;
      }
    return false;
  };
  const filter = (list: unknown): unknown => {
    if (!n.isArray(list)) return list;
    const all = list as object[];
    const len = all.length;
    let cut = false;
    for (let i = 0; i < len && !cut; i++) cut = isHidden(all[i]!);
    if (!cut) return list;
    // Defined, not assigned: a setter on an index of Array.prototype cannot see the copy.
    const out: object[] = [];
    let k = 0;
    for (let i = 0; i < len; i++) if (!isHidden(all[i]!)) defineIndex(n, out, k++, all[i]);
    return out;
  };
  for (const owner of [scope.Performance?.prototype, scope.PerformanceObserverEntryList?.prototype])
    if (owner)
      for (const key of ['getEntries', 'getEntriesByType', 'getEntriesByName'])
        wrapNative(n, masks, owner, key, { after: filter });
}

/** A getter-like function (no `prototype`, not a constructor) with the native's name and length. */
function getterNamed(n: Natives, native: (...args: never[]) => unknown, body: (this: unknown) => unknown) {
  const get = {
    get(this: unknown): unknown {
      return n.apply(body, this, []);
    },
  }.get;
  n.defineProperty(get, 'name', { value: native.name, configurable: true });
  n.defineProperty(get, 'length', { value: native.length, configurable: true });
  return get;
}

/**
 * Replaces the method `owner[key]` with a stand-in that maps its arguments (`before`: conversions as
 * the browser would make them, so an error is the page's own, thrown where the browser would throw
 * it), calls the native, and maps its result (`after`: any error of its own gives the native's).
 */
function wrapNative(
  n: Natives,
  masks: Masks,
  owner: object,
  key: string,
  { before, after }: { before?: (args: unknown[]) => void; after?: (result: unknown) => unknown },
): void {
  const native = n.getOwnPropertyDescriptor(owner, key)?.value as
    ((...args: unknown[]) => unknown) | undefined;
  if (typeof native !== 'function') return;
  const wrapped = {
    [key](this: unknown, ...args: unknown[]): unknown {
      if (before) before(args);
      const result = n.apply(native, this, args);
      if (!after) return result;
      try {
        return after(result);
      } catch {
        return result;
      }
    },
  }[key]!;
  n.defineProperty(wrapped, 'length', { value: native.length, configurable: true });
  masks.mask(wrapped, native);
  redefine(n, owner, key, wrapped);
}

/** Replaces the global constructor `name` with a Proxy that resolves its first argument. */
function wrapConstructor(
  g: typeof globalThis,
  n: Natives,
  masks: Masks,
  name: string,
  resolve: (url: unknown) => unknown,
): void {
  const Native = (g as unknown as Record<string, unknown>)[name];
  if (typeof Native !== 'function') return;
  const Wrapped: unknown = new Proxy(Native, {
    construct(target, args, newTarget) {
      // As in `wrapNative`: a conversion error is the page's own.
      if (args.length > 0) args[0] = resolve(args[0]);
      return n.construct(target, args, newTarget === Wrapped ? target : newTarget) as object;
    },
  });
  masks.mask(Wrapped as object, Native);
  const proto = (Native as { prototype?: object }).prototype;
  if (proto) redefine(n, proto, 'constructor', Wrapped);
  redefine(n, g, name, Wrapped);
}
