/**
 * Page scripts for the flood tests (flood-attacks.test.ts), plain browser JavaScript served inline:
 *
 * - `window.oversized(base, n, urlChars)`: opens `n` sockets to `/echo` with URLs of `urlChars`
 *   characters in one task (each closes once open), then in the next task one normal socket that sends
 *   one message and waits for its echo. Resolves with what the page saw of every socket (the events
 *   the hook records for them) and how long each step took.
 * - `window.flood(seconds, mibPerSecond, lastBurst)`: forges capture events through the test-only
 *   `inject` query (the relay takes them as a batch from its hook) at `mibPerSecond`, paced on the
 *   clock, for `seconds`, 12 MiB bursts among them. Resolves with what it offered and the longest gap
 *   between its ticks.
 * - `window.summary()`: the tab's state as the background holds it, summarised in the page (the state
 *   of a flooded tab is megabytes; only the figures cross to the test).
 */

export const OVERSIZED_SCRIPT = String.raw`
window.oversized = function (base, n, urlChars) {
  var seen = { create: 0, open: 0, error: 0, close: 0, frame: 0 };
  var big = [];
  var closed = 0;
  var prefix = base + '/echo?big=';
  var t0 = performance.now();
  for (var i = 0; i < n; i++) {
    var head = prefix + String(i).padStart(3, '0') + '&pad=';
    var url = head + 'q'.repeat(urlChars - head.length);
    big.push(url);
    var ws = new WebSocket(url);
    seen.create++;
    ws.onopen = function () { seen.open++; this.close(1000); };
    ws.onerror = function () { seen.error++; };
    ws.onclose = function () { seen.close++; closed++; };
  }
  var createMs = performance.now() - t0;
  return new Promise(function (resolve, reject) {
    setTimeout(function () {
      var t1 = performance.now();
      var echo = null;
      var echoMs = null;
      var ws = new WebSocket(base + '/echo?normal=1');
      seen.create++;
      ws.onopen = function () { seen.open++; seen.frame++; ws.send('after the oversized sockets'); };
      ws.onmessage = function (e) { seen.frame++; echo = e.data; echoMs = performance.now() - t1; ws.close(1000); };
      ws.onerror = function () { seen.error++; };
      ws.onclose = function () {
        seen.close++;
        var wait = setInterval(function () {
          if (closed < n) return;
          clearInterval(wait);
          resolve({ seen: seen, urls: big, createMs: createMs, echo: echo, echoMs: echoMs,
            allClosedMs: performance.now() - t0 });
        }, 20);
      };
      setTimeout(function () { reject(new Error('timed out: ' + JSON.stringify(seen))); }, 60000);
    }, 0);
  });
};
`;

export const FLOOD_SCRIPT = String.raw`
window.flood = function (seconds, mibPerSecond, lastBurst) {
  var MIB = 1024 * 1024;
  var TICK_MS = 50;
  // Most messages are the size of a hook's batch; every 2 s (not in the last 3 s) one is 12 MiB,
  // which the relay must split under its 8 MiB batch limit; with lastBurst, the last one is too (its
  // events on sockets named 'last:').
  var MESSAGE_BYTES = 3 * MIB;
  var BURST_BYTES = 12 * MIB;
  var ascii = 'f'.repeat(64 * 1024);
  var wide = '\u00e9\u4e2d'.repeat(32 * 1024); // two-byte characters: twice the memory, more storage
  var url = 'ws://flood.test/?' + 'u'.repeat(MIB);
  var offered = { events: 0, malformed: 0, bytes: 0, messages: 0, bursts: 0 };
  var n = 0;
  var nextBurst = 2;
  var start = performance.now();
  var last = start;
  var maxGapMs = 0;
  var prefix = 'flood:';
  function next() {
    var i = n++;
    var id = prefix + (i % 50);
    if (i % 40 === 0) return { type: 'create', socketId: id, time: Date.now(), url: url, protocols: ['x'] };
    // Malformed: a frame that goes nowhere (the relay drops and counts it).
    if (i % 40 === 20)
      return { type: 'frame', socketId: id, time: Date.now(), dir: 'sideways', opcode: 1, data: ascii, size: 1 };
    var data = i % 8 === 3 ? wide : ascii;
    return { type: 'frame', socketId: id, time: Date.now(), dir: i % 2 ? 'send' : 'receive', opcode: 1,
      data: data, size: data.length };
  }
  function weight(e) { return 128 + (e.url ? e.url.length : e.data.length); }
  function inject(bytes) {
    var events = [];
    var size = 0;
    while (size < bytes) {
      var e = next();
      events.push(e);
      size += weight(e);
      if (e.dir === 'sideways') offered.malformed++;
    }
    offered.bytes += size;
    offered.events += events.length;
    offered.messages++;
    window.postMessage({ source: 'khp-inspector', v: 1, kind: 'khp-test-query',
      payload: { id: 'inject', op: 'inject', events: events } }, '*');
  }
  return new Promise(function (resolve) {
    function tick() {
      var now = performance.now();
      maxGapMs = Math.max(maxGapMs, now - last);
      last = now;
      var elapsed = (now - start) / 1000;
      if (elapsed >= seconds) {
        if (lastBurst) {
          prefix = 'last:';
          offered.bursts++;
          inject(BURST_BYTES);
        }
        resolve({ offered: offered, seconds: elapsed, maxGapMs: maxGapMs });
        return;
      }
      if (elapsed >= nextBurst && elapsed < seconds - 3) {
        nextBurst += 2;
        offered.bursts++;
        inject(BURST_BYTES);
      }
      // Catch up with the clock, at most four messages at once.
      var due = mibPerSecond * MIB * elapsed;
      for (var k = 0; k < 4 && offered.bytes < due; k++) inject(MESSAGE_BYTES);
      setTimeout(tick, TICK_MS);
    }
    tick();
  });
};
`;

export const SUMMARY_SCRIPT = String.raw`
window.summary = function () {
  return new Promise(function (resolve, reject) {
    var id = 'summary-' + Math.random().toString(36).slice(2);
    var timer = setTimeout(function () { reject(new Error('no answer to the state query')); }, 20000);
    window.addEventListener('message', function onReply(event) {
      var d = event.data;
      if (!d || d.source !== 'khp-inspector' || d.kind !== 'khp-test-reply' || !d.payload || d.payload.id !== id)
        return;
      window.removeEventListener('message', onReply);
      clearTimeout(timer);
      var s = d.payload.result;
      var bytes = 0;
      var types = {};
      var sockets = {};
      var len = function (v) { return typeof v === 'string' ? v.length : 0; };
      for (var i = 0; i < s.events.length; i++) {
        var e = s.events[i];
        types[e.type] = (types[e.type] || 0) + 1;
        var name = String(e.socketId).split(':')[0];
        sockets[name] = (sockets[name] || 0) + 1;
        // The capture path's own estimate (capture-bounds.ts eventBytes), which its caps are in.
        bytes += 128 + len(e.socketId) + len(e.url) + len(e.pageUrl) + len(e.replayOf) + len(e.protocol) +
          len(e.extensions) + len(e.data) + len(e.reason) + len(e.message);
        if (e.protocols) for (var p = 0; p < e.protocols.length; p++) bytes += 8 + len(e.protocols[p]);
        if (e.truncatedFields) bytes += 24 + 16 * e.truncatedFields.length;
      }
      resolve({ stored: s.events.length, droppedEvents: s.droppedEvents, seq: s.seq, capBytes: s.capBytes,
        bytes: bytes, types: types, sockets: sockets, totalBytes: s.totalBytes, totalCapBytes: s.totalCapBytes });
    });
    window.postMessage({ source: 'khp-inspector', v: 1, kind: 'khp-test-query', payload: { id: id, op: 'state' } }, '*');
  });
};
`;
