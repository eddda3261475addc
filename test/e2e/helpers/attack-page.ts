/**
 * A hostile page for the hook's attack tests, as one page script. Before anything else it saves the
 * natives it needs for itself (so its own flows and its test queries keep working whatever it breaks
 * later), then:
 *
 * - `attackChannel()`: tries to take the hook's channel over: posts a forged `hello` with its own port,
 *   dispatches the link events (a knock, to get the hook's port; an offer of its own port, in case the
 *   relay still listens), listens for any port that comes by, and pushes forged batches (a socket that
 *   never existed, with credentials) and `hook-settings` (full capture) through every port it has.
 * - `override(name)`: replaces one built-in (or all of them, `all`) with a version that corrupts or
 *   spies on what passes through it, the way a hostile page would after load.
 * - `runFlows(wsBase)`: a KHP socket (handshake, then short and long text, ArrayBuffer, typed-array
 *   view and DataView frames) and a plain socket with a Blob frame and Blob receipts; resolves when both have closed.
 * - `openHidden(wsBase)` / `sendHidden(text)`: a plain socket whose first page listener stops every
 *   message's immediate propagation; before the echo of `text` comes back, the page dispatches a
 *   forged message and a forged close on the socket. `sendHidden` closes it once the echo arrived.
 * - `runSlot(wsBase)`: a plain socket whose `onmessage` the page sets, clears, replaces by an object
 *   and sets again from a listener ahead of it, which also stops one message; resolves with what the
 *   page's listeners and handlers saw once the socket closed.
 * - `safeQuery(q)`: the extension's test query, through natives saved at load.
 */
export const ATTACK_SCRIPT = String.raw`
(function () {
  var W = WebSocket, P = Promise, U8 = Uint8Array, AB = ArrayBuffer, DV = DataView, B = Blob, MC = MessageChannel;
  var ME = MessageEvent, EV = Event, R = Reflect, OP = Object.prototype, defineProperty = Object.defineProperty;
  var addEventListener = EventTarget.prototype.addEventListener, removeEventListener = EventTarget.prototype.removeEventListener;
  var postMessage = window.postMessage.bind(window), portPost = MessagePort.prototype.postMessage;
  var setTimeoutSaved = setTimeout, random = Math.random, dispatch = EventTarget.prototype.dispatchEvent;
  // What reached the page that it should never see (a string: an array could meet the page's own setters).
  var portsSeen = '';
  R.apply(addEventListener, window, ['message', function (e) { if (e.ports && e.ports.length) portsSeen += 'window-message;'; }, true]);
  R.apply(addEventListener, window, ['khp-inspector:offer', function (e) { if (e.ports && e.ports.length) portsSeen += 'offer;'; }, true]);
  // The flows' payloads, made before any built-in is replaced.
  var long = 'long text, cut to a preview after the handshake: ';
  while (long.length < 400) long += 'é-✓-😀 ';
  var payloads = { long: long, buffer: new U8([1, 2, 3, 250]).buffer, view: new U8([9, 8, 7, 6, 5]).subarray(1, 3), dataView: new DV(new AB(2)), blob: new B(['blob-bytes']) };

  function forgedBatch() {
    var t = 1700000000000;
    return { source: 'khp-inspector', v: 1, kind: 'batch', payload: { count: 2, events: [
      { type: 'create', socketId: 'forged:1', time: t, url: 'wss://forged.test/', protocols: ['x-kaazing-handshake'], pageUrl: 'https://forged.test/' },
      { type: 'frame', socketId: 'forged:1', dir: 'send', time: t, opcode: 1, data: 'GET / HTTP/1.1\r\nAuthorization: Basic Zm9yZ2VkOnNlY3JldA==\r\n\r\n', size: 60, truncated: false }
    ] } };
  }
  var settings = { source: 'khp-inspector', v: 1, kind: 'hook-settings', payload: { fullCapture: true, frameBudget: 100000, live: true } };
  var hello = { source: 'khp-inspector', v: 1, kind: 'hello', payload: { hookVersion: 1, frameUrl: 'https://forged.test/' } };

  window.attackChannel = function () {
    var own = new MC();
    own.port1.onmessage = function () { portsSeen += 'reply-on-own-port;'; };
    postMessage(hello, '*', [own.port2]);
    postMessage(forgedBatch(), '*');
    postMessage(settings, '*');
    R.apply(dispatch, window, [new EV('khp-inspector:knock', { cancelable: true })]);
    var offered = new MC();
    R.apply(dispatch, window, [new ME('khp-inspector:offer', { ports: [offered.port2], cancelable: true })]);
    R.apply(portPost, offered.port1, [hello]);
    R.apply(portPost, offered.port1, [forgedBatch()]);
    R.apply(portPost, own.port1, [forgedBatch()]);
    R.apply(portPost, own.port1, [settings]);
    return portsSeen;
  };
  window.portsSeen = function () { return portsSeen; };

  var hits = 0;
  function spy(obj, key, value) { defineProperty(obj, key, { value: value, writable: true, configurable: true, enumerable: false }); }
  function setter(obj, key) { defineProperty(obj, key, { configurable: true, get: function () { hits++; return undefined; }, set: function () { hits++; } }); }
  var overrides = {
    push: function () { var orig = Array.prototype.push; spy(Array.prototype, 'push', function () { for (var i = 0; i < arguments.length; i++) { var x = arguments[i]; if (x && typeof x === 'object' && 'socketId' in x) { x.url = 'rewritten'; x.data = 'rewritten'; } } return R.apply(orig, this, arguments); }); },
    call: function () { var orig = Function.prototype.call; spy(Function.prototype, 'call', function (t) { var a = []; for (var i = 1; i < arguments.length; i++) a[i - 1] = arguments[i]; var r = R.apply(this, t, a); return typeof r === 'string' ? 'X' + r : r; }); void orig; },
    apply: function () { spy(Function.prototype, 'apply', function (t, args) { var r = R.apply(this, t, args || []); return typeof r === 'string' ? 'X' + r : r; }); },
    exec: function () { spy(RegExp.prototype, 'exec', function () { hits++; return null; }); spy(RegExp.prototype, 'test', function () { hits++; return false; }); },
    slice: function () { spy(String.prototype, 'slice', function () { hits++; return 'X'; }); spy(String.prototype, 'charCodeAt', function () { hits++; return 0; }); },
    math: function () { spy(Math, 'min', function () { hits++; return 0; }); spy(Math, 'max', function () { hits++; return 0; }); spy(Math, 'floor', function () { hits++; return 0; }); },
    blob: function () { spy(window, 'Blob', function FakeBlob() {}); defineProperty(B, Symbol.hasInstance, { value: function () { hits++; return false; }, configurable: true }); },
    hasInstance: function () { defineProperty(AB, Symbol.hasInstance, { value: function () { hits++; return false; }, configurable: true }); defineProperty(U8, Symbol.hasInstance, { value: function () { return false; }, configurable: true }); },
    setters: function () { ['truncated', 'replayOf', 'next', 'tail', 'head', 'data', 'url', 'events', 'count', 'payload', '0', '1', '2', '3'].forEach(function (k) { setter(OP, k); }); },
    typed: function () { var proto = Object.getPrototypeOf(U8.prototype); ['length', 'byteLength', 'byteOffset', 'buffer'].forEach(function (k) { defineProperty(proto, k, { configurable: true, get: function () { hits++; return 0; } }); }); defineProperty(AB.prototype, 'byteLength', { configurable: true, get: function () { hits++; return 0; } }); },
    promise: function () { var then = P.prototype.then; spy(P.prototype, 'then', function (f, r) { hits++; return R.apply(then, this, [function (v) { return f && f(v instanceof AB ? new AB(0) : v); }, r]); }); defineProperty(P.prototype, 'constructor', { configurable: true, get: function () { hits++; return P; } }); },
    events: function () { spy(EventTarget.prototype, 'addEventListener', function () { hits++; }); spy(EventTarget.prototype, 'removeEventListener', function () { hits++; }); spy(MessagePort.prototype, 'postMessage', function () { hits++; }); },
    collections: function () { spy(WeakMap.prototype, 'get', function () { hits++; return undefined; }); spy(WeakMap.prototype, 'set', function () { hits++; return this; }); spy(Set.prototype, 'add', function () { hits++; return this; }); },
    time: function () { spy(Date, 'now', function () { return 0; }); spy(window, 'setTimeout', function () { hits++; return 0; }); },
    // What the hook uses to start a worker and to hear from it.
    workers: function () {
      spy(URL, 'createObjectURL', function () { hits++; return 'blob:forged'; });
      spy(URL, 'revokeObjectURL', function () { hits++; });
      spy(window, 'Blob', function FakeBlob() { hits++; });
      spy(JSON, 'stringify', function () { hits++; return '{}'; });
      spy(Function.prototype, 'toString', function () { hits++; return 'function khpHook() {}'; });
      spy(BroadcastChannel.prototype, 'postMessage', function () { hits++; });
      spy(window, 'BroadcastChannel', function FakeChannel() { hits++; });
      spy(Object, 'create', function () { hits++; return {}; });
      ['k', 'line', 'settings', 'module', 'kind', 'worker', 'credentials', 'name', 'type'].forEach(function (k) { setter(OP, k); });
    }
  };
  // Tries to learn a worker's private line while the hook starts it: through an index setter on
  // Array.prototype, Object.prototype.toJSON, Array.prototype[Symbol.iterator], and the stack of a
  // getter the hook calls (V8's CallSite API). Returns what leaked ('' when nothing did).
  window.stealWorkerLine = function () {
    var leaks = '';
    var looks = function (v) { return typeof v === 'string' && /:[0-9]+$/.test(v) ? v : ''; };
    var chans = '';
    [0, 1, 2, 3].forEach(function (i) {
      defineProperty(Array.prototype, String(i), { configurable: true, set: function (v) {
        if (Object.prototype.toString.call(v) === '[object BroadcastChannel]') chans += 'channel;';
        defineProperty(this, String(i), { value: v, writable: true, enumerable: true, configurable: true });
      } });
    });
    defineProperty(OP, 'toJSON', { configurable: true, writable: true, value: function () { if (this && this.line) leaks += 'toJSON;'; return this; } });
    var iter = Array.prototype[Symbol.iterator];
    defineProperty(Array.prototype, Symbol.iterator, { configurable: true, writable: true, value: function () { if (typeof this[0] === 'string' && this[0].indexOf('khpBoot') >= 0) leaks += 'iterator;'; return R.apply(iter, this, []); } });
    var w = new Worker('/attack-worker.js', { get name() {
      Error.prepareStackTrace = function (e, sites) { return sites; };
      var sites = new Error().stack;
      Error.prepareStackTrace = undefined;
      if (typeof sites !== 'string') sites.forEach(function (c) {
        var f = c.getFunction();
        try { if (f && f.arguments) for (var j = 0; j < f.arguments.length; j++) { var a = f.arguments[j]; if (a && (a.construct || looks(a.line))) leaks += 'arguments;'; } } catch (e) {}
      });
      return undefined;
    } });
    [0, 1, 2, 3].forEach(function (i) { delete Array.prototype[i]; });
    delete OP.toJSON;
    defineProperty(Array.prototype, Symbol.iterator, { configurable: true, writable: true, value: iter });
    w.terminate();
    return P.resolve(leaks + chans);
  };
  // A worker of the page's origin opens a KHP socket, runs its handshake and one echo, and closes it.
  window.runWorkerFlow = function (base) {
    return new P(function (resolve) {
      var w = new Worker('/attack-worker.js');
      w.onmessage = function (e) { resolve(e.data); };
      w.postMessage(base);
    });
  };
  window.overrideNames = function () { return Object.keys(overrides); };
  window.override = function (name) {
    if (name === 'all') { for (var k in overrides) overrides[k](); return; }
    overrides[name]();
  };
  window.hitCount = function () { return hits; };

  var hidden = null, hiddenSeen = '';
  window.openHidden = function (base) {
    return new P(function (resolve) {
      hidden = new W(base + '/echo?hidden=1');
      R.apply(addEventListener, hidden, ['message', function (e) { hiddenSeen += e.data + ';'; e.stopImmediatePropagation(); }]);
      hidden.onopen = function () { hidden.send('before-resume'); resolve('open'); };
    });
  };
  window.sendHidden = function (text) {
    R.apply(dispatch, hidden, [new ME('message', { data: 'forged-message' })]);
    R.apply(dispatch, hidden, [new CloseEvent('close', { code: 4000, reason: 'forged-close' })]);
    hidden.send(text);
    return new P(function (resolve) {
      (function wait() {
        if (hiddenSeen.indexOf(text + ';') < 0) return setTimeoutSaved(wait, 10);
        hidden.onclose = function () { resolve(hiddenSeen); };
        hidden.close(1000, 'done');
      })();
    });
  };

  window.runSlot = function (base) {
    return new P(function (resolve) {
      var ws = new W(base + '/echo?slot=1');
      var seen = '';
      var texts = ['first', 'stop-me', 'swap', 'after-swap', 'obj', 'after-obj', 'clear', 'after-clear', 'again', 'last'];
      var i = 0;
      function next() { if (i < texts.length) ws.send(texts[i++]); else ws.close(1000, 'done'); }
      R.apply(addEventListener, ws, ['message', function (e) {
        seen += 'A:' + e.data + ';';
        if (e.data === 'stop-me') { e.stopImmediatePropagation(); setTimeoutSaved(next, 0); }
        if (e.data === 'swap') { ws.onmessage = null; ws.onmessage = function (m) { seen += 'H2:' + m.data + ';'; }; }
        if (e.data === 'obj') ws.onmessage = {};
        if (e.data === 'clear') ws.onmessage = null;
        if (e.data === 'again') ws.onmessage = function (m) { seen += 'H3:' + m.data + ';'; };
      }]);
      ws.onmessage = function (e) { seen += 'H1:' + e.data + ';'; };
      R.apply(addEventListener, ws, ['message', function (e) { seen += 'B:' + e.data + ';'; setTimeoutSaved(next, 0); }]);
      ws.onopen = next;
      ws.onclose = function () { resolve(seen); };
    });
  };

  window.runFlows = function (base) {
    return new P(function (resolve) {
      var left = 2;
      function done() { left--; if (left === 0) resolve('done'); }
      var k = new W(base + '/khp/ok', ['x-kaazing-handshake']);
      k.binaryType = 'arraybuffer';
      var got = 0;
      k.onopen = function () { k.send('GET /khp/ok HTTP/1.1\r\nX-Probe: 1\r\n\r\n'); };
      k.onmessage = function () {
        got++;
        if (got === 2) {
          k.send('text-after');
          k.send(payloads.long);
          k.send(payloads.buffer);
          k.send(payloads.view);
          k.send(payloads.dataView);
        }
        if (got === 7) k.close(1000, 'bye');
      };
      k.onclose = done;
      var p = new W(base + '/echo?plain=1');
      p.binaryType = 'blob';
      var pg = 0;
      p.onopen = function () { p.send('plain-1'); p.send(payloads.blob); };
      p.onmessage = function () { pg++; if (pg === 2) p.close(1000); };
      p.onclose = done;
    });
  };

  window.safeQuery = function (q) {
    return new P(function (resolve, reject) {
      var id = 'q' + random();
      var timer = setTimeoutSaved(function () { reject(new Error('no answer to test query ' + q.op)); }, 5000);
      function onReply(event) {
        var d = event.data;
        if (!d || d.source !== 'khp-inspector' || d.kind !== 'khp-test-reply' || !d.payload || d.payload.id !== id) return;
        R.apply(removeEventListener, window, ['message', onReply]);
        clearTimeout(timer);
        resolve(d.payload.result);
      }
      R.apply(addEventListener, window, ['message', onReply]);
      postMessage({ source: 'khp-inspector', v: 1, kind: 'khp-test-query', payload: { op: q.op, tabId: q.tabId, id: id } }, '*');
    });
  };
})();
`;
