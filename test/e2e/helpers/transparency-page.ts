/**
 * The WebSocket API checks of the transparency suite, as one page script. It runs the same in a page
 * with and without the extension; `window.transparency(wsBase)` resolves with a JSON-safe record of
 * everything observed (no times, no stacks), so two runs can be compared with deep equality.
 */
export const TRANSPARENCY_SCRIPT = String.raw`
window.windowMessages = [];
window.addEventListener('message', function (e) {
  var d = e.data;
  if (d && (d.kind === 'khp-test-reply' || d.kind === 'khp-test-query')) return; // the test's own queries
  window.windowMessages.push(d && typeof d === 'object' ? d.source + ':' + d.kind : typeof d);
});
window.transparency = async function transparency(base) {
  var out = {};
  function err(fn) {
    try { var v = fn(); if (v instanceof WebSocket) v.close(); return { ok: true }; }
    catch (e) { return { ok: false, name: e && e.name, message: e && e.message, ctor: e && e.constructor && e.constructor.name, dom: e instanceof DOMException, code: e && e.code }; }
  }
  function desc(o, k) { var d = Object.getOwnPropertyDescriptor(o, k); return d ? { w: d.writable, e: d.enumerable, c: d.configurable, get: typeof d.get, value: typeof d.value } : null; }
  function wait(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }
  async function replyCount(n) { for (var k = 0; k < 100 && replies.length < n; k++) await wait(20); }
  function until(ws, type) { return new Promise(function (r) { ws.addEventListener(type, r, { once: true }); }); }

  // Constructor errors: name, message and class must match the native ones.
  var cases = [[], ['not a url'], ['ftp://127.0.0.1/'], ['ws://127.0.0.1:1/#frag'], [base + '/echo', 'a b'],
    [base + '/echo', ['p', 'p']], [base + '/echo', ['ok', '']], [base + '/echo', [1, {}]], ['ws://[::1/'], [base + '/echo', 'ok']];
  out.ctorErrors = cases.map(function (args) { return err(function () { return new (Function.prototype.bind.apply(WebSocket, [null].concat(args)))(); }); });
  out.callWithoutNew = err(function () { return WebSocket(base + '/echo'); });

  // The constructor as an object.
  out.ctor = {
    typeof: typeof WebSocket, name: WebSocket.name, length: WebSocket.length,
    string: String(WebSocket), fnToString: Function.prototype.toString.call(WebSocket),
    toStringOfToString: Function.prototype.toString.toString(), toStringName: Function.prototype.toString.name,
    toStringOnObject: err(function () { return Function.prototype.toString.call({}); }),
    constants: [WebSocket.CONNECTING, WebSocket.OPEN, WebSocket.CLOSING, WebSocket.CLOSED],
    protoConstants: [WebSocket.prototype.CONNECTING, WebSocket.prototype.CLOSED],
    ownNames: Object.getOwnPropertyNames(WebSocket).sort(), ownSymbols: Object.getOwnPropertySymbols(WebSocket).length,
    protoNames: Object.getOwnPropertyNames(WebSocket.prototype).sort(),
    parentIsEventTarget: Object.getPrototypeOf(WebSocket) === EventTarget,
    protoParent: Object.getPrototypeOf(WebSocket.prototype) === EventTarget.prototype,
    protoCtor: WebSocket.prototype.constructor === WebSocket,
    windowDesc: desc(window, 'WebSocket'), protoDesc: desc(WebSocket, 'prototype'), ctorDesc: desc(WebSocket.prototype, 'constructor'),
    openDesc: desc(WebSocket, 'OPEN'), sendDesc: desc(WebSocket.prototype, 'send'),
    send: { name: WebSocket.prototype.send.name, length: WebSocket.prototype.send.length, hasPrototype: 'prototype' in WebSocket.prototype.send,
      string: Function.prototype.toString.call(WebSocket.prototype.send), construct: err(function () { return new WebSocket.prototype.send(); }) },
    sendOnNonSocket: err(function () { return WebSocket.prototype.send.call({}, 'x'); }),
    stopDesc: desc(Event.prototype, 'stopImmediatePropagation'),
    stop: { name: Event.prototype.stopImmediatePropagation.name, length: Event.prototype.stopImmediatePropagation.length,
      hasPrototype: 'prototype' in Event.prototype.stopImmediatePropagation,
      string: Function.prototype.toString.call(Event.prototype.stopImmediatePropagation),
      construct: err(function () { return new Event.prototype.stopImmediatePropagation(); }),
      onNonEvent: err(function () { return Event.prototype.stopImmediatePropagation.call({}); }),
      onNothing: err(function () { return Event.prototype.stopImmediatePropagation.call(undefined); }) },
    windowKeys: Object.keys(window).length, windowSymbols: Object.getOwnPropertySymbols(window).length,
  };

  // A live socket against the echo server.
  var log = [];
  var replies = [];
  var ws = new WebSocket(base + '/echo');
  out.instance = { isInstance: ws instanceof WebSocket, proto: Object.getPrototypeOf(ws) === WebSocket.prototype,
    ctor: ws.constructor === WebSocket, tag: Object.prototype.toString.call(ws), ownKeys: Object.keys(ws).length,
    url: ws.url, protocol: ws.protocol, extensions: ws.extensions, binaryType: ws.binaryType, readyState: ws.readyState };
  out.sendBeforeOpen = err(function () { ws.send('early'); });
  ws.binaryType = 'bogus';
  out.binaryTypeAfterBogus = ws.binaryType;
  ws.addEventListener('open', function (e) { log.push('open:listener:' + e.isTrusted + ':' + ws.readyState); });
  ws.addEventListener('open', { handleEvent: function (e) { log.push('open:handleEvent:' + (this !== ws)); } });
  ws.addEventListener('message', function () { log.push('message:once'); }, { once: true });
  ws.onopen = function () { log.push('open:onopen'); };
  ws.onmessage = function (e) { log.push('message:onmessage:' + Object.prototype.toString.call(e.data) + ':' + e.isTrusted + ':' + (e.target === ws)); };
  ws.addEventListener('message', function (e) { log.push('message:listener:' + (e instanceof MessageEvent) + ':' + e.origin.slice(0, 5)); });
  ws.addEventListener('message', function (e) { if (e.data === 'stop') e.stopImmediatePropagation(); });
  ws.addEventListener('message', function () { log.push('message:after-stop'); });
  await until(ws, 'open');
  out.afterOpen = { readyState: ws.readyState, protocol: ws.protocol, extensions: ws.extensions };
  ws.addEventListener('message', function (e) { replies.push(e.data); });
  ws.send('hello');
  out.bufferedAmountAfterSend = ws.bufferedAmount >= 0;
  await replyCount(1);
  ws.send('stop');
  await replyCount(2);
  // No argument: the browser's TypeError; an argument past the first: never converted, nothing sent.
  out.sendNoArgument = err(function () { ws.send(); });
  out.sendNoArgumentNonSocket = err(function () { WebSocket.prototype.send.call({}); });
  var converted = [];
  ws.send('first', { toString: function () { converted.push('second'); return 'second'; } });
  await replyCount(3);
  out.sendExtraConverted = converted;
  ws.binaryType = 'arraybuffer';
  ws.send(new Uint8Array([1, 2, 3, 250]).buffer);
  ws.send(new Uint8Array([9, 8, 7, 6, 5]).subarray(1, 3));
  await replyCount(5);
  ws.binaryType = 'blob';
  ws.send(new Blob([new Uint8Array([4, 5])]));
  ws.send(new Uint8Array([66]));
  await replyCount(7);
  out.replies = [];
  for (var i = 0; i < replies.length; i++) {
    var d = replies[i];
    if (typeof d === 'string') out.replies.push('text:' + d);
    else if (d instanceof ArrayBuffer) out.replies.push('ab:' + Array.from(new Uint8Array(d)).join(','));
    else out.replies.push('blob:' + d.size + ':' + Array.from(new Uint8Array(await d.arrayBuffer())).join(','));
  }
  out.badClose = [err(function () { ws.close(999); }), err(function () { ws.close(1000, 'x'.repeat(124)); })];
  var closed = until(ws, 'close');
  ws.onclose = function (e) { log.push('close:onclose:' + e.code + ':' + e.reason + ':' + e.wasClean + ':' + (e instanceof CloseEvent)); };
  ws.close(4000, 'bye');
  out.readyStateClosing = ws.readyState;
  await closed;
  out.readyStateClosed = ws.readyState;
  out.sendAfterClose = err(function () { ws.send('late'); });
  out.bufferedAfterClose = ws.bufferedAmount;
  out.log = log;

  // The onmessage slot: what it answers, and where the handler runs among the listeners as it is set,
  // cleared, replaced by an object (never called) and set again from a listener.
  var om = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage');
  out.onmessageDesc = { d: desc(WebSocket.prototype, 'onmessage'), getName: om.get.name, setName: om.set.name,
    getLength: om.get.length, setLength: om.set.length, getString: Function.prototype.toString.call(om.get),
    setString: Function.prototype.toString.call(om.set), getHasPrototype: 'prototype' in om.get,
    onProto: err(function () { return WebSocket.prototype.onmessage; }),
    getOnObject: err(function () { return om.get.call({}); }), setOnObject: err(function () { om.set.call({}, null); }),
    construct: err(function () { return new om.get(); }) };
  var slot = new WebSocket(base + '/echo?slot=1');
  var slotLog = [];
  var values = [];
  function H1(e) { slotLog.push('H1:' + e.data + ':' + (this === slot) + ':' + arguments.length); return false; }
  function H2(e) { slotLog.push('H2:' + e.data); }
  function H3(e) { slotLog.push('H3:' + e.data); if (e.data === 'boom') throw new Error('thrown by H3'); }
  var obj = { handleEvent: function () { slotLog.push('handleEvent'); } };
  values.push(slot.onmessage === null);
  slot.onmessage = 'text'; values.push(slot.onmessage === null);
  slot.onmessage = 5; values.push(slot.onmessage === null);
  slot.onmessage = obj; values.push(slot.onmessage === obj);
  slot.onmessage = undefined; values.push(slot.onmessage === null);
  var errors = [];
  function onError(e) { errors.push(e.message + ':' + (e.error && e.error.message)); e.preventDefault(); }
  window.addEventListener('error', onError);
  var slotTexts = ['first', 'stop-me', 'swap', 'after-swap', 'obj', 'after-obj', 'clear', 'after-clear', 'again', 'boom', 'last'];
  var slotNext = 0;
  var slotDone = new Promise(function (resolve) {
    function next() { if (slotNext < slotTexts.length) slot.send(slotTexts[slotNext++]); else resolve(); }
    slot.addEventListener('message', function (e) {
      slotLog.push('A:' + e.data);
      if (e.data === 'stop-me') { e.stopImmediatePropagation(); setTimeout(next, 0); }
      if (e.data === 'swap') { slot.onmessage = null; slot.onmessage = H2; values.push(slot.onmessage === H2); }
      if (e.data === 'obj') { slot.onmessage = obj; values.push(slot.onmessage === obj); }
      if (e.data === 'clear') { slot.onmessage = null; values.push(slot.onmessage === null); }
      if (e.data === 'again') { slot.onmessage = H3; values.push(slot.onmessage === H3); }
    });
    slot.onmessage = H1;
    values.push(slot.onmessage === H1);
    slot.addEventListener('message', function (e) { slotLog.push('B:' + e.data + ':' + e.defaultPrevented); setTimeout(next, 0); });
    slot.onopen = next;
  });
  await slotDone;
  window.removeEventListener('error', onError);
  slot.close();
  out.slot = { log: slotLog, values: values, errors: errors };

  // A server-initiated close and a refused connection.
  var sc = new WebSocket(base + '/close');
  var scLog = [];
  sc.onerror = function () { scLog.push('error'); };
  sc.onclose = function (e) { scLog.push('close:' + e.code + ':' + e.reason + ':' + e.wasClean); };
  await until(sc, 'close');
  out.serverClose = scLog;
  var refused = new WebSocket('ws://127.0.0.1:1/');
  var rLog = [];
  refused.onerror = function (e) { rLog.push('error:' + e.constructor.name + ':' + refused.readyState); };
  refused.onclose = function (e) { rLog.push('close:' + e.code + ':' + e.wasClean); };
  await until(refused, 'close');
  out.refused = rLog;

  // Sub-protocols and subclasses.
  var proto = new WebSocket(base + '/echo', ['x-kaazing-handshake', 'other']);
  await until(proto, 'open');
  out.negotiated = proto.protocol;
  proto.close();
  class Sub extends WebSocket { hello() { return 'sub'; } }
  var sub = new Sub(base + '/echo');
  out.subclass = { isSub: sub instanceof Sub, isWs: sub instanceof WebSocket, hello: sub.hello(), ctor: sub.constructor === Sub };
  sub.close();
  return JSON.parse(JSON.stringify(out));
};
`;
