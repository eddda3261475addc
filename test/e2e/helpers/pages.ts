/**
 * Page scripts for the capture tests: a minimal KHP client, written once as plain browser JavaScript
 * and served inline, so sockets are opened by the page itself (the hook must see them).
 */

/** Defines `window.khpRun(url, {credentials, maxRedirects})`: resolves with the statuses it saw. */
export const KHP_CLIENT = String.raw`
window.khpRun = function khpRun(url, options) {
  options = options || {};
  var statuses = [];
  var redirects = 0;
  return new Promise(function (resolve) {
    function connect(target) {
      var ws = new WebSocket(target, ['x-kaazing-handshake', 'app-proto']);
      ws.binaryType = 'arraybuffer';
      var path = new URL(target).pathname;
      var parts = [];
      var done = false;
      function request(auth) {
        var lines = ['GET ' + path + ' HTTP/1.1', 'Sec-WebSocket-Protocol: app-proto',
          'Sec-WebSocket-Extensions: x-kaazing-ping-pong'];
        if (auth) lines.push('Authorization: ' + auth);
        ws.send(lines.join('\r\n') + '\r\n\r\n');
      }
      ws.onopen = function () { request(null); };
      ws.onmessage = function (e) {
        var text = typeof e.data === 'string' ? e.data : new TextDecoder().decode(e.data);
        if (done) { if (text === 'ping') { statuses.push('pong-received'); ws.close(1000, 'done'); } return; }
        if (text.length > 0) { parts.push(text); return; }
        var head = parts.join(''); parts = [];
        var code = Number(head.split(' ')[1]);
        statuses.push(code);
        if (code === 101) { done = true; ws.send('ping'); return; }
        if (code === 401 && options.credentials) { request('Basic ' + btoa(options.credentials)); return; }
        if (code >= 300 && code < 400) {
          var loc = /\r\nLocation: (\S+)/i.exec(head)[1].replace(/^http/, 'ws');
          ws.onclose = function () {
            if (++redirects > (options.maxRedirects || 5)) resolve(statuses); else connect(loc);
          };
          return;
        }
        ws.close(1011);
      };
      ws.onclose = function () { resolve(statuses); };
    }
    connect(url);
  });
};
`;

/** An HTML page that runs `body` (a script) after defining the KHP client. */
export function pageWith(script: string, extraHtml = ''): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>khp test</title>
<script>${KHP_CLIENT}</script><script>${script}</script></head><body>${extraHtml}</body></html>`;
}
