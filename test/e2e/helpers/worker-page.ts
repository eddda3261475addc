/**
 * The worker transparency suite: scripts a test server serves under `/w/`, and a page script that
 * starts workers in every way the hook treats differently and records what the page and the workers
 * observe. Run with and without the extension, the records must be the same.
 */
import type { TestServer } from './test-server';

/** What a worker reports of its scope (the same code for the classic and the module probe). */
const PROBE_BODY = String.raw`
  const out = {};
  const d = (o, k) => Object.getOwnPropertyDescriptor(o, k);
  out.location = String(location);
  for (const k of ['href', 'origin', 'protocol', 'host', 'hostname', 'port', 'pathname', 'search', 'hash'])
    out['location.' + k] = location[k];
  out.locationTag = Object.prototype.toString.call(location);
  out.locationInstance = location instanceof WorkerLocation;
  out.locationSame = self.location === location;
  out.locationOwn = Object.getOwnPropertyNames(location);
  out.locationGetter = [d(WorkerGlobalScope.prototype, 'location').get.name, String(d(WorkerGlobalScope.prototype, 'location').get)];
  out.hrefGetter = [d(WorkerLocation.prototype, 'href').get.name, d(WorkerLocation.prototype, 'href').get.length, String(d(WorkerLocation.prototype, 'href').get)];
  out.fns = ['fetch', 'importScripts', 'WebSocket', 'Request', 'EventSource', 'Worker'].map((k) =>
    typeof self[k] === 'function' ? [k, self[k].name, self[k].length, String(self[k]), 'prototype' in self[k]] : [k, typeof self[k]]);
  out.xhrOpen = [XMLHttpRequest.prototype.open.name, XMLHttpRequest.prototype.open.length, String(XMLHttpRequest.prototype.open)];
  out.resolved = new URL('x/y', location).href;
  out.request = new Request('data.txt?r').url;
  const ws = new WebSocket('/echo');
  out.wsUrl = ws.url;
  ws.close();
  const es = new EventSource('events');
  out.esUrl = es.url;
  es.close();
  // URL arguments that are objects: converted once, then resolved against the script.
  const rel = (path) => ({ toString: () => path });
  out.objRequest = new Request(rel('data.txt?o')).url;
  const ws2 = new WebSocket(rel('echo'));
  out.objWs = ws2.url;
  ws2.close();
  const es2 = new EventSource(rel('events'));
  out.objEs = es2.url;
  es2.close();
  out.objImport = (() => { try { importScripts(rel('lib.js')); return 'imported'; } catch (e) { return e.name; } })();
  out.objFetch = await fetch(rel('data.txt')).then((r) => r.text(), (e) => 'failed ' + e.name);
  out.name = self.name;

  out.fetched = await fetch('data.txt').then((r) => r.text(), (e) => 'fetch failed: ' + e.name);
  out.xhr = await new Promise((resolve) => {
    const x = new XMLHttpRequest();
    x.open('GET', 'data.txt?xhr');
    x.onload = () => resolve(x.responseURL + ' ' + x.responseText);
    x.onerror = () => resolve('xhr failed');
    x.send();
  });
  out.nested = await new Promise((resolve) => {
    if (typeof Worker !== 'function') return resolve('no nested workers');
    // Firefox: a nested worker sometimes never starts, the page's thread then stalling for 30 s, with
    // the hook standing aside too (docs/workers.md, under investigation): not run there.
    if (/Firefox\//.test(navigator.userAgent)) return resolve('not run in Firefox');
    const w = new Worker('nested.js');
    w.onmessage = (e) => resolve(e.data);
    w.onerror = (e) => resolve('nested error ' + e.type);
  });
  // The worker's own script in its resource timing (the browser lists none). Which other entries
  // are listed when depends on timing, so only the script's own is looked for, once every fetch
  // above has ended; the observer is sure to be called by the fetch after it.
  const own = (list) => list.some((e) => e.name === location.href || e.name === location.href.split('#')[0]);
  out.ownEntry = own(performance.getEntriesByType('resource'));
  out.ownObserved = await new Promise((resolve) => {
    const o = new PerformanceObserver((list) => {
      o.disconnect();
      resolve(own(list.getEntriesByType('resource')));
    });
    o.observe({ type: 'resource', buffered: true });
    fetch('data.txt?observed');
  });
`;

/**
 * Serves the suite's worker scripts on `server`; `other` (another origin) serves the scripts that
 * some of `server`'s paths redirect to.
 */
export function serveWorkerScripts(server: TestServer, other: TestServer): void {
  // A script that redirects within the origin: where it ran, and whether the URL the page gave is
  // among its resource entries (the browser lists none for a worker's script).
  server.script(
    '/w/where.js',
    `postMessage(location.href + ' ' + new URL('rel', location.href).pathname + ' ' +
       performance.getEntriesByType('resource').some((e) => e.name.includes('/moved.js')));`,
  );
  server.redirect('/w/moved.js', '/w/where.js?moved=1');
  for (const ext of ['js', 'mjs']) {
    other.script(`/w/elsewhere.${ext}`, 'postMessage("a script of another origin ran");');
    server.redirect(`/w/away.${ext}`, `${other.url}/w/elsewhere.${ext}`);
  }
  server.script('/w/data.txt', 'the data');
  server.script('/w/lib.js', 'self.libLoaded = "lib loaded from " + location.pathname;');
  server.script('/w/nested.js', 'postMessage("nested at " + location.href);');
  server.script(
    '/w/probe.js',
    `const early = [];
     self.onmessage = (e) => early.push(e.data);
     importScripts('lib.js');
     (async () => {
       ${PROBE_BODY}
       out.lib = self.libLoaded;
       out.classicImport = await import('./dep.mjs').then((m) => m.dep, (e) => 'import failed: ' + e.name);
       out.early = early;
       postMessage(out);
     })();`,
  );
  // A worker whose own worker opens the socket (nested workers are hooked through their parent).
  server.script(
    '/w/khp-parent.js',
    'const w = new Worker("khp.js"); w.onmessage = (e) => postMessage(e.data); self.onmessage = (e) => w.postMessage(e.data);',
  );
  server.script('/w/dep.mjs', 'export const dep = "dep of " + import.meta.url;');
  server.script(
    '/w/probe.mjs',
    `import { dep } from './dep.mjs';
     const early = [];
     self.onmessage = (e) => early.push(e.data);
     ${PROBE_BODY}
     out.dep = dep;
     out.meta = import.meta.url;
     out.early = early;
     postMessage(out);`,
  );
  server.script('/w/throws.js', '\n\nthrow new TypeError("thrown at the top");');
  server.script('/w/syntax.js', 'let a = ;');
  server.script(
    '/w/khp.js',
    'self.onmessage = (e) => { const ws = new WebSocket(e.data, "x-kaazing-handshake"); ws.binaryType = "arraybuffer"; ws.onopen = () => ws.send("GET /khp/ok HTTP/1.1\\r\\nHost: worker\\r\\n\\r\\n"); ws.onmessage = (m) => { const text = typeof m.data === "string" ? m.data : new TextDecoder().decode(m.data); if (text) postMessage(text.split("\\r\\n")[0]); }; };',
  );
}

/** The page script: `window.workerSuite()` resolves to the record of every case. */
export const WORKER_SUITE_SCRIPT = String.raw`
window.violations = [];
document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective + ' ' + e.blockedURI));
// Each case ends with the worker's first message or error, or a synchronous throw: no case waits on
// a timer (a slow machine would make a timed-out case differ from one run to the next).
function run(make) {
  return new Promise((resolve) => {
    const seen = [];
    let w;
    try {
      w = make();
    } catch (e) {
      seen.push('threw ' + e.name + ': ' + e.message);
      return resolve(seen);
    }
    w.postMessage('early 1');
    w.postMessage('early 2');
    w.onmessage = (e) => { seen.push(e.data); resolve(seen); };
    w.onerror = (e) => {
      seen.push({ type: e.type, trusted: e.isTrusted, ctor: e.constructor.name, message: e.message, filename: e.filename, lineno: e.lineno, colno: e.colno });
      resolve(seen);
    };
  });
}
window.workerSuite = async function () {
  const out = {};
  window.suiteProgress = out; // what was recorded so far (for a case that never ends)
  out.classic = await run(() => new Worker('/w/probe.js?q=1#frag', { name: 'probe' }));
  out.module = await run(() => new Worker('/w/probe.mjs', { type: 'module', name: 'mod' }));
  out.urlObject = await run(() => new Worker(new URL('/w/probe.js', location)));
  out.missing = await run(() => new Worker('/w/missing.js'));
  out.missingModule = await run(() => new Worker('/w/missing.mjs', { type: 'module' }));
  out.throws = await run(() => new Worker('/w/throws.js'));
  out.syntax = await run(() => new Worker('/w/syntax.js'));
  const reads = [];
  const options = new Proxy({ name: 'proxied' }, { get(t, k) { reads.push(String(k)); return t[k]; } });
  out.proxied = await run(() => new Worker({ toString() { reads.push('toString'); return '/w/nested.js'; } }, options));
  out.reads = reads;
  out.badType = await run(() => new Worker('/w/lib.js', { type: 'nonsense' }));
  out.crossOrigin = await run(() => new Worker('http://localhost:1/w.js'));
  out.ctor = [Worker.name, Worker.length, String(Worker), Worker.prototype.constructor === Worker];
  out.violations = violations;
  return out;
};
`;
