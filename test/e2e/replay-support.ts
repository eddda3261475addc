/**
 * Shared pieces of the replay browser tests: the inspected page (a small KHP client that follows
 * redirects and answers 401 only when told), and reading the background's capture of a replay.
 */
import { base64Decode, utf8Decode } from '../../src/protocol/bytes';
import type { CaptureEvent } from '../../src/protocol/capture';
import type { TabState } from './helpers/extension-query';

/** `window.khpOpen(url, follow)`: one KHP attempt (following 3xx when `follow`), resolves with the statuses. */
export const REPLAY_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>replay test</title><script>
window.khpOpen = function (url, follow) {
  return new Promise(function (resolve) {
    var statuses = [];
    var hops = 0;
    function connect(u) {
      var ws = new WebSocket(u, ['x-kaazing-handshake', 'app-proto']);
      ws.binaryType = 'arraybuffer';
      var parts = [];
      ws.onopen = function () {
        ws.send('GET ' + new URL(u).pathname + ' HTTP/1.1\\r\\nSec-WebSocket-Protocol: app-proto\\r\\n' +
          'Sec-WebSocket-Extensions: x-kaazing-ping-pong\\r\\n\\r\\n');
      };
      ws.onclose = function () { resolve(statuses); };
      ws.onmessage = function (e) {
        var text = typeof e.data === 'string' ? e.data : new TextDecoder().decode(e.data);
        if (text.charCodeAt(0) === 0xf0ff) return;
        if (text.length > 0) { parts.push(text); return; }
        var head = parts.join(''); parts = [];
        var code = Number(head.split(' ')[1]);
        statuses.push(code);
        var loc = /\\r\\nLocation: (\\S+)/i.exec(head);
        if (code >= 300 && code < 400 && loc && follow && hops++ < 5) {
          ws.onclose = function () { connect(loc[1].replace(/^http/, 'ws') + '?.kl=Y'); };
          return;
        }
        ws.close(1000, 'done');
      };
    }
    connect(url);
  });
};
</script></head><body>replay test page</body></html>`;

type Create = Extract<CaptureEvent, { type: 'create' }>;
type Frame = Extract<CaptureEvent, { type: 'frame' }>;

/** The sockets created in the tab (create events), in order. */
export function creates(state: TabState): Create[] {
  return state.events.filter((e): e is Create => e.type === 'create');
}

/** The text of the frames `dir` of socket `id`. */
export function framesOf(state: TabState, id: string, dir: 'send' | 'receive'): string[] {
  return state.events
    .filter((e): e is Frame => e.type === 'frame' && e.socketId === id && e.dir === dir)
    .map((f) => (f.opcode === 1 ? f.data : utf8Decode(base64Decode(f.data) ?? new Uint8Array())));
}

/** True when socket `id` has closed. */
export function closed(state: TabState, id: string): boolean {
  return state.events.some((e) => e.type === 'close' && e.socketId === id);
}
