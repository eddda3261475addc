/**
 * The page the overhead and memory sections drive: a minimal echo client written as plain browser
 * JavaScript, in two steps so a measurement can start once the socket is ready.
 *
 * - `benchOpen(options)` opens the socket and resolves when messages can flow: a KHP socket
 *   (`x-kaazing-handshake`) after its extended handshake (request, 101); a plain socket (no
 *   protocols, `plain: true`) on `open`.
 * - `benchRun()` exchanges `count` echo messages on it with `window` of them in flight, timing each
 *   round trip with `performance.now()`, closes it and resolves with the totals and RTT percentiles.
 *   `benchRun({ keepOpen: true })` leaves the socket open for the next run (a slice of a longer run).
 * - `benchClose()` closes a socket that runs left open.
 * - `benchEcho(options)` opens and runs once.
 */

/** Options of `benchOpen` / `benchEcho` (JSON-safe: passed through `page.evaluate`). */
export interface EchoOptions {
  url: string;
  count: number;
  /** Payload bytes: text of this length, or binary of this size. */
  size: number;
  binary: boolean;
  /** Messages in flight at once (1 = ping-pong). */
  window: number;
  /** A plain WebSocket (no sub-protocol offered, no extended handshake) instead of KHP. */
  plain?: boolean;
}

/** What `benchRun` / `benchEcho` resolve with. */
export interface EchoResult {
  count: number;
  ms: number;
  messagesPerSec: number;
  rttP50: number;
  rttP99: number;
  rttMean: number;
  /** The extended handshake's status (101), or 0 for a plain socket. */
  handshakeStatus: number;
  /** The sub-protocol the server chose (`x-kaazing-handshake`, or '' for a plain socket). */
  protocol: string;
}

/** The page's functions, as `page.evaluate` sees them. */
export interface EchoWindow {
  benchOpen(o: EchoOptions): Promise<{ handshakeStatus: number; protocol: string }>;
  benchRun(o?: { keepOpen?: boolean }): Promise<EchoResult>;
  benchClose(): void;
  benchEcho(o: EchoOptions): Promise<EchoResult>;
}

const SCRIPT = String.raw`
(function () {
  var state = null;
  window.benchOpen = function benchOpen(o) {
    return new Promise(function (resolve, reject) {
      var ws = o.plain ? new WebSocket(o.url) : new WebSocket(o.url, ['x-kaazing-handshake']);
      ws.binaryType = 'arraybuffer';
      var s = { o: o, ws: ws, status: 0, onData: null, fail: reject };
      state = s;
      var ready = function () { resolve({ handshakeStatus: s.status, protocol: ws.protocol }); };
      ws.onopen = function () {
        if (o.plain) { ready(); return; }
        var path = new URL(o.url).pathname;
        ws.send('GET ' + path + ' HTTP/1.1\r\nWebSocket-Protocol: \r\nSec-WebSocket-Protocol: \r\n\r\n');
      };
      ws.onerror = function () { s.fail(new Error('socket error')); };
      ws.onclose = function (e) { s.fail(new Error('closed ' + e.code)); };
      ws.onmessage = function (e) {
        if (s.onData) { s.onData(); return; }
        if (o.plain || s.status) return;
        var head = typeof e.data === 'string' ? e.data : new TextDecoder().decode(e.data);
        if (head.length === 0) return;
        s.status = Number(head.split(' ')[1]);
        if (s.status !== 101) { reject(new Error('extended handshake answered ' + s.status)); return; }
        ready();
      };
    });
  };
  window.benchRun = function benchRun(runOptions) {
    var keepOpen = !!(runOptions && runOptions.keepOpen);
    return new Promise(function (resolve, reject) {
      var s = state, o = s.o, ws = s.ws;
      s.fail = reject;
      var payload;
      if (o.binary) {
        payload = new Uint8Array(o.size);
        for (var i = 0; i < o.size; i++) payload[i] = (i * 31) & 255;
      } else {
        payload = 'm'.repeat(o.size);
      }
      var sendAt = new Float64Array(o.count);
      var rtt = new Float64Array(o.count);
      var sent = 0, received = 0;
      function sendOne() { sendAt[sent++] = performance.now(); ws.send(payload); }
      ws.onclose = function (e) { reject(new Error('closed ' + e.code + ' after ' + received)); };
      s.onData = function () {
        rtt[received] = performance.now() - sendAt[received];
        received++;
        if (sent < o.count) sendOne();
        if (received < o.count) return;
        var ms = performance.now() - start;
        s.onData = null;
        if (!keepOpen) window.benchClose();
        var sorted = rtt.slice().sort();
        var sum = 0;
        for (var k = 0; k < o.count; k++) sum += rtt[k];
        resolve({
          count: o.count, ms: ms, messagesPerSec: o.count / (ms / 1000),
          rttP50: sorted[Math.ceil(0.5 * o.count) - 1], rttP99: sorted[Math.ceil(0.99 * o.count) - 1],
          rttMean: sum / o.count, handshakeStatus: s.status, protocol: ws.protocol
        });
      };
      var start = performance.now();
      while (sent < o.window && sent < o.count) sendOne();
    });
  };
  window.benchClose = function benchClose() {
    var ws = state.ws;
    ws.onclose = null;
    ws.close(1000);
  };
  window.benchEcho = function benchEcho(o) {
    return window.benchOpen(o).then(function () { return window.benchRun(); });
  };
})();
`;

/** The page's HTML. */
export const ECHO_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>khp bench echo</title>
<script>${SCRIPT}</script></head><body>echo bench</body></html>`;
