/**
 * The page the overhead and memory sections drive: a minimal KHP client written as plain browser
 * JavaScript. `benchEcho(options)` opens `x-kaazing-handshake`, completes the extended handshake
 * (request, 101), then exchanges `count` echo messages with `window` of them in flight, timing
 * each round trip with `performance.now()`; it resolves with the totals and RTT percentiles.
 */

/** Options of `benchEcho` (JSON-safe: passed through `page.evaluate`). */
export interface EchoOptions {
  url: string;
  count: number;
  /** Payload bytes: text of this length, or binary of this size. */
  size: number;
  binary: boolean;
  /** Messages in flight at once (1 = ping-pong). */
  window: number;
}

/** What `benchEcho` resolves with. */
export interface EchoResult {
  count: number;
  ms: number;
  messagesPerSec: number;
  rttP50: number;
  rttP99: number;
  rttMean: number;
  handshakeStatus: number;
}

const SCRIPT = String.raw`
window.benchEcho = function benchEcho(o) {
  return new Promise(function (resolve, reject) {
    var ws = new WebSocket(o.url, ['x-kaazing-handshake']);
    ws.binaryType = 'arraybuffer';
    var payload;
    if (o.binary) {
      payload = new Uint8Array(o.size);
      for (var i = 0; i < o.size; i++) payload[i] = (i * 31) & 255;
    } else {
      payload = 'm'.repeat(o.size);
    }
    var sendAt = new Float64Array(o.count);
    var rtt = new Float64Array(o.count);
    var sent = 0, received = 0, start = 0, status = 0, open = false;
    function sendOne() { sendAt[sent++] = performance.now(); ws.send(payload); }
    ws.onopen = function () {
      var path = new URL(o.url).pathname;
      ws.send('GET ' + path + ' HTTP/1.1\r\nWebSocket-Protocol: \r\nSec-WebSocket-Protocol: \r\n\r\n');
    };
    ws.onerror = function () { reject(new Error('socket error')); };
    ws.onclose = function (e) { if (received < o.count) reject(new Error('closed ' + e.code + ' after ' + received)); };
    ws.onmessage = function (e) {
      if (!open) {
        var head = typeof e.data === 'string' ? e.data : new TextDecoder().decode(e.data);
        if (head.length === 0) return;
        status = Number(head.split(' ')[1]);
        if (status !== 101) { reject(new Error('extended handshake answered ' + status)); return; }
        open = true;
        start = performance.now();
        while (sent < o.window && sent < o.count) sendOne();
        return;
      }
      rtt[received] = performance.now() - sendAt[received];
      received++;
      if (sent < o.count) sendOne();
      if (received === o.count) {
        var ms = performance.now() - start;
        ws.onclose = null;
        ws.close(1000);
        var sorted = rtt.slice().sort();
        var sum = 0;
        for (var k = 0; k < o.count; k++) sum += rtt[k];
        resolve({
          count: o.count, ms: ms, messagesPerSec: o.count / (ms / 1000),
          rttP50: sorted[Math.ceil(0.5 * o.count) - 1], rttP99: sorted[Math.ceil(0.99 * o.count) - 1],
          rttMean: sum / o.count, handshakeStatus: status
        });
      }
    };
  });
};
`;

/** The page's HTML. */
export const ECHO_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>khp bench echo</title>
<script>${SCRIPT}</script></head><body>echo bench</body></html>`;
