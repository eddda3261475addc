/**
 * In-page code of the panel section (plain browser JavaScript, injected into the panel page):
 * generates capture events, feeds them through the panel's own transport (`__khpPanel.transport`,
 * the plain-page stand-in for the background port) and measures with `performance.now()` and
 * `requestAnimationFrame`.
 *
 * - `khpBench.firstRender(sockets, frames)`: one `backlog` with every event, as a panel opened on a
 *   busy tab gets; resolves with the ms until the list holds all sockets (rows in the DOM, or, for a
 *   virtual list, rows whose `aria-setsize` counts them all) and a frame was painted.
 * - `khpBench.frames(ms, mode)`: rAF deltas for `ms` while `mode` is `idle`, `live` (1,000 events/s
 *   in batches every 16 ms), `scroll-list` (the connection list scrolls every frame) or
 *   `scroll-frames` (the open socket's message list scrolls every frame).
 */
export const PANEL_BENCH_SCRIPT = String.raw`
(function () {
  var T0 = 1700000000000;
  var REQ = 'GET /feed?id=1 HTTP/1.1\r\nWebSocket-Protocol: \r\nSec-WebSocket-Protocol: amqp\r\n' +
    'Sec-WebSocket-Extensions: x-kaazing-idle-timeout,x-kaazing-ping-pong\r\n\r\n';
  var RESP = btoa('HTTP/1.1 101 Web Socket Protocol Handshake\r\nConnection: Upgrade\r\nDate: Tue, 14 May 2024 09:00:00 GMT\r\n' +
    'Sec-WebSocket-Extensions: x-kaazing-idle-timeout; timeout=30000\r\nUpgrade: WebSocket\r\nServer: Kaazing Gateway\r\n\r\n');
  var seq = 0, liveCount = 0, socketIds = [];
  function env(kind, payload) { return { source: 'khp-inspector', v: 1, kind: kind, payload: payload }; }
  function data(id, k, t) {
    var text = '{"seq":' + k + ',"symbol":"KZNG","bid":' + (100 + (k % 97) / 7).toFixed(2) + '}';
    return { type: 'frame', socketId: id, dir: k % 2 ? 'receive' : 'send', time: t, opcode: 1, data: text, size: text.length };
  }
  function generate(sockets, frames, bigShare) {
    var events = [];
    var big = Math.floor(frames * bigShare);
    var rest = frames - big;
    for (var s = 0; s < sockets; s++) {
      var id = 'bench:' + s, t = T0 + s * 10;
      socketIds.push(id);
      var n = s === 0 ? big : Math.floor(rest / (sockets - 1)) + (s - 1 < rest % (sockets - 1) ? 1 : 0);
      events.push({ type: 'create', socketId: id, time: t, url: 'ws://gw.example.com:8001/feed?id=' + s, protocols: ['x-kaazing-handshake', 'amqp'] });
      events.push({ type: 'open', socketId: id, time: t + 1, protocol: 'x-kaazing-handshake', extensions: '' });
      events.push({ type: 'frame', socketId: id, dir: 'send', time: t + 2, opcode: 1, data: REQ.replace('id=1', 'id=' + s), size: REQ.length });
      events.push({ type: 'frame', socketId: id, dir: 'receive', time: t + 3, opcode: 2, data: RESP, size: atob(RESP).length });
      for (var k = 2; k < n; k++) events.push(data(id, k, t + 3 + k));
    }
    return events;
  }
  function transport() { return globalThis.__khpPanel.transport; }
  function nextFrame() { return new Promise(function (r) { requestAnimationFrame(function () { r(performance.now()); }); }); }
  function listed() {
    var rows = document.querySelectorAll('.conn-row');
    var size = rows.length ? Number(rows[0].getAttribute('aria-setsize')) || 0 : 0;
    return Math.max(rows.length, size);
  }
  function wait(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }
  window.khpBench = {
    generate: function (sockets, frames, bigShare) {
      window.__khpEvents = generate(sockets, frames, bigShare);
      return window.__khpEvents.length;
    },
    firstRender: async function (sockets) {
      var events = window.__khpEvents;
      window.__khpEvents = null;
      seq = events.length;
      var t0 = performance.now();
      transport().deliver(env('backlog', { events: events, droppedEvents: 0, seq: seq }));
      var deliverMs = performance.now() - t0;
      while (listed() < sockets) {
        await nextFrame();
        if (performance.now() - t0 > 60000) throw new Error('rows never appeared');
      }
      await nextFrame();
      return { ms: performance.now() - t0, deliverMs: deliverMs, rows: listed(),
        status: (document.querySelector('.status-bar') || {}).textContent || '' };
    },
    openBig: async function () {
      var list = document.querySelector('.conn-list');
      if (list) { list.scrollTop = 0; await nextFrame(); await nextFrame(); }
      var row = document.querySelector('.conn-row[data-id="bench:0"]');
      row.click();
      await nextFrame();
      var tab = Array.prototype.find.call(document.querySelectorAll('[role=tab]'), function (t) { return t.textContent.indexOf('Messages') === 0; });
      tab.click();
      await nextFrame(); await nextFrame();
      return document.querySelectorAll('.frame-row').length;
    },
    frames: async function (ms, mode) {
      var deltas = [], last = await nextFrame(), end = last + ms, timer = null, delivered = 0;
      var list = document.querySelector(mode === 'scroll-frames' ? '.frame-list' : '.conn-list');
      var dirn = 1, longTasks = 0;
      if (mode === 'live') {
        var start = performance.now();
        timer = setInterval(function () {
          var due = Math.floor((performance.now() - start) / 1000 * 1000) - delivered;
          if (due <= 0) return;
          var batch = [];
          for (var i = 0; i < due; i++) {
            var id = socketIds[(liveCount * 7919) % socketIds.length];
            batch.push(data(id, 100000 + liveCount, Date.now()));
            liveCount++;
          }
          delivered += due;
          seq += batch.length;
          transport().deliver(env('events', { events: batch, seq: seq }));
        }, 16);
      }
      while (true) {
        if (list && (mode === 'scroll-list' || mode === 'scroll-frames')) {
          var maxTop = list.scrollHeight - list.clientHeight;
          if (list.scrollTop >= maxTop - 1) dirn = -1; else if (list.scrollTop <= 0) dirn = 1;
          list.scrollTop += dirn * 60;
        }
        var now = await nextFrame();
        deltas.push(now - last);
        if (now - last > 50) longTasks++;
        last = now;
        if (now >= end) break;
      }
      if (timer) clearInterval(timer);
      deltas.sort(function (a, b) { return a - b; });
      function pct(p) { return deltas[Math.min(deltas.length - 1, Math.ceil(p / 100 * deltas.length) - 1)]; }
      var total = 0; for (var j = 0; j < deltas.length; j++) total += deltas[j];
      return { frames: deltas.length, p50: pct(50), p95: pct(95), max: deltas[deltas.length - 1],
        fps: deltas.length / (total / 1000), over50ms: longTasks, delivered: delivered,
        scrollable: list ? list.scrollHeight - list.clientHeight : 0 };
    }
  };
})();
`;
