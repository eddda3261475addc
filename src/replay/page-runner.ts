/**
 * The page runner: the code the panel evaluates in the inspected page
 * (`devtools.inspectedWindow.eval`) to replay an extended handshake from the page's own context, with
 * its origin and cookies. It opens `new WebSocket(url, protocols, marker)` through the page's (hooked)
 * constructor, so the replay is captured like any socket and the panel decodes it; the evaluation's
 * return value only acknowledges the start or reports a synchronous error.
 *
 * `pageRunner` and `runnerRules` must stay self-contained: they are sent as source text
 * (`runnerExpression`), so they may use only their arguments, their own locals and the page's
 * standard globals (WebSocket, URL, TextEncoder, TextDecoder, setTimeout, clearTimeout). The runner
 * installs nothing on the page: no global, no message listener; the only state lives in the sockets'
 * own listeners.
 */
import type { RunnerAck, RunnerCommand } from './types';

/**
 * The KHP rules the runner needs: the page's own copy of the core's (src/protocol: urls.ts,
 * balancer.ts, khp.ts, gathered.ts, extensions.ts, control-frames.ts, status-codes.ts), since page
 * code cannot import.
 * Self-contained like `pageRunner` and sent with it as source text; a unit test
 * (test/unit/replay/runner-rules.test.ts) runs both copies on the same inputs and checks they agree.
 */
export function runnerRules() {
  const KL = '.kl=Y';
  const dec = new TextDecoder();
  const parts = (u: URL) =>
    u.search
      .replace(/^\?/, '')
      .split('&')
      .filter((p) => p !== '');
  const originTarget = (u: URL) => {
    const kept = parts(u).filter((p) => p !== KL);
    return (u.pathname || '/') + (kept.length > 0 ? '?' + kept.join('&') : '');
  };
  const WS: Record<string, string> = { 'http:': 'ws:', 'https:': 'wss:', 'ws:': 'ws:', 'wss:': 'wss:' };
  const isWs = (u: URL) => (u.protocol === 'ws:' || u.protocol === 'wss:') && u.hostname !== '';

  /** `text` split on `sep` outside double-quoted strings (backslash escapes honoured). */
  function split(text: string, sep: string): string[] {
    const out: string[] = [];
    let start = 0;
    let quoted = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (quoted && c === '\\') i++;
      else if (c === '"') quoted = !quoted;
      else if (!quoted && c === sep) {
        out.push(text.slice(start, i));
        start = i + 1;
      }
    }
    out.push(text.slice(start));
    return out;
  }

  /** Where the header section ends (after the empty line), or -1. */
  function headEnd(b: Uint8Array): number {
    for (let i = 0; i < b.length; i++) {
      if (b[i] !== 10) continue;
      if (b[i + 1] === 10) return i + 2;
      if (b[i + 1] === 13 && b[i + 2] === 10) return i + 3;
    }
    return -1;
  }

  /** The response status and header lines (names lower-cased), or null when it is not a status line. */
  function readResponse(b: Uint8Array): { status: number; headers: [string, string][] } | null {
    const end = headEnd(b);
    const lines = dec.decode(end < 0 ? b : b.subarray(0, end)).split(/\r?\n/);
    const m = /^HTTP\/\d\.\d (\d{3})/.exec(lines[0] ?? '');
    if (!m) return null;
    const headers: [string, string][] = [];
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon > 0) headers.push([line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]);
    }
    return { status: Number(m[1]), headers };
  }

  return {
    KHP: 'x-kaazing-handshake',
    hasKl: (u: URL) => parts(u).includes(KL),
    /** `u` with `.kl=Y` added to its query when missing; the rest kept as written. */
    withKl(u: URL): URL {
      if (parts(u).includes(KL)) return u;
      const out = new URL(u.href);
      const rest = out.search.replace(/^\?/, '').replace(/&+$/, '');
      out.search = rest ? '?' + rest + '&' + KL : '?' + KL;
      return out;
    },
    originTarget,
    endpointKey: (u: URL) => (WS[u.protocol] ?? u.protocol) + '//' + u.host + originTarget(u),
    /** The ws/wss URL a redirect sends the client to (http→ws, resolved, no fragment), or null. */
    redirectTarget(location: string, current: URL): URL | null {
      const trimmed = location.trim();
      if (trimmed === '') return null;
      let u: URL;
      try {
        u = new URL(trimmed, current.href);
        const scheme = WS[u.protocol];
        if (scheme && scheme !== u.protocol) u = new URL(scheme + u.href.slice(u.protocol.length));
      } catch {
        return null;
      }
      if (!isWs(u)) return null;
      u.hash = '';
      return u;
    },
    /** U+F0FF 'N' exactly, or U+F0FF 'R' + an absolute ws/wss URL; null for anything else. */
    readBalancer(b: Uint8Array): { kind: 'balancer' } | { kind: 'balancer-redirect'; url: string } | null {
      if (b.length < 4 || b[0] !== 0xef || b[1] !== 0x83 || b[2] !== 0xbf) return null;
      if (b[3] === 0x4e) return b.length === 4 ? { kind: 'balancer' } : null;
      if (b[3] !== 0x52) return null;
      const url = dec.decode(b).slice(2).trim();
      try {
        return isWs(new URL(url)) ? { kind: 'balancer-redirect', url } : null;
      } catch {
        return null;
      }
    },
    isTerminator: (b: Uint8Array) => b.length === 0,
    /**
     * What the spec's status table makes of `status` for `request` (its method, and whether it has an
     * Expect header): the core's status-codes.ts, reduced to the actions.
     */
    statusAction(
      status: number,
      request: string,
    ): 'completed' | 'authenticate' | 'redirect' | 'continue' | 'wait' | 'close' | 'invalid' {
      const s = status;
      if (!Number.isInteger(s) || s < 100 || s > 599) return 'invalid';
      if (s === 101 || s === 201 || s === 204 || s === 205) return 'completed';
      if (s === 202) return 'wait';
      if (s === 401) return 'authenticate';
      // 307 redirects only a GET; 304, 305, 306 and 308 close; other 3xx (unlisted ones too) redirect.
      if (s === 307) return /^GET /.test(request) ? 'redirect' : 'close';
      if (s >= 300 && s < 400) return s === 304 || s === 305 || s === 306 || s === 308 ? 'close' : 'redirect';
      // 100 and unlisted 1xx continue a request with Expect; 102, 103 and 122 close.
      if (s < 200 && s !== 102 && s !== 103 && s !== 122)
        return /\r\nexpect[ \t]*:/i.test(request.split('\r\n\r\n')[0] ?? '') ? 'continue' : 'close';
      return 'close';
    },
    readResponse,
    /** Without `.kl=Y`: the response is complete (headers, plus a Content-Length body when it has one). */
    responseComplete(b: Uint8Array): boolean {
      const end = headEnd(b);
      const res = end < 0 ? null : readResponse(b);
      if (!res) return false;
      const s = res.status;
      if ((s >= 100 && s < 200) || s === 204 || s === 304) return true;
      const length = res.headers.find((h) => h[0] === 'content-length');
      return b.length - end >= (length ? Number(length[1]) || 0 : 0);
    },
    /** The control prefix granted with x-kaazing-ping-pong, or null. */
    pingPrefix(headers: [string, string][]): Uint8Array | null {
      for (const [name, value] of headers) {
        if (name !== 'sec-websocket-extensions') continue;
        for (const element of split(value, ',')) {
          const params = split(element, ';').map((p) => p.trim());
          if (params[0] === '' || params[0]?.toLowerCase() !== 'x-kaazing-ping-pong') continue;
          const hex = params.slice(1).find((p) => /^[0-9a-f]{8}$/i.test(p));
          if (!hex) return null;
          const prefix = new Uint8Array(4);
          for (let i = 0; i < 4; i++) prefix[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
          return prefix;
        }
      }
      return null;
    },
    /** What a text message is under a control prefix (escape, ping, pong, control), or null for data. */
    controlKind(b: Uint8Array, prefix: Uint8Array): 'escape' | 'ping' | 'pong' | 'control' | null {
      if (
        b.length < 4 ||
        b[0] !== prefix[0] ||
        b[1] !== prefix[1] ||
        b[2] !== prefix[2] ||
        b[3] !== prefix[3]
      )
        return null;
      if (b.length === 4) return 'escape';
      if (b.length === 6 && b[5] === 0 && b[4] === 0x09) return 'ping';
      if (b.length === 6 && b[5] === 0 && b[4] === 0x0a) return 'pong';
      return 'control';
    },
  };
}

/** The rules as `pageRunner` receives them. */
export type RunnerRules = ReturnType<typeof runnerRules>;

/**
 * Executes a replay command in the page with the rules of `runnerRules`. Never throws; returns whether
 * the first socket was created.
 */
export function pageRunner(rules: RunnerRules, cmd: RunnerCommand): RunnerAck {
  const GRACE_MS = 400;
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  const visited: string[] = [];
  let redirects = 0;

  const closeQuietly = (ws: WebSocket, reason: string) => {
    try {
      ws.close(1000, reason.slice(0, 120));
    } catch {
      // already closing
    }
  };

  /** The request for a hop: the first is sent as edited; later hops get their own target. */
  function requestFor(u: URL, hop: number, authorization: string | null): string {
    let text =
      hop === 0 ? cmd.request : cmd.request.replace(/^(\S+) \S+ /, '$1 ' + rules.originTarget(u) + ' ');
    if (authorization !== null) {
      const lines = text.replace(/(\r\n)+$/, '').split('\r\n');
      const kept = lines.filter((l, i) => i === 0 || !/^authorization[ \t]*:/i.test(l));
      kept.push('Authorization: ' + authorization);
      text = kept.join('\r\n') + '\r\n\r\n';
    }
    return text;
  }

  function concat(chunks: Uint8Array[]): Uint8Array {
    let n = 0;
    for (const c of chunks) n += c.length;
    const out = new Uint8Array(n);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  /** The next URL of a redirect (`.kl=Y` kept), or null when it must not be followed. */
  function nextHop(location: string, current: URL): URL | null {
    if (!cmd.followRedirects || redirects >= cmd.maxRedirects) return null;
    let u = rules.redirectTarget(location, current);
    if (!u) return null;
    if (rules.hasKl(new URL(cmd.url))) u = rules.withKl(u);
    // Spec, 3xx: the client "is responsible for detecting redirect loops".
    if (visited.includes(rules.endpointKey(u))) return null;
    return u;
  }

  function connect(u: URL, hop: number): void {
    visited.push(rules.endpointKey(u));
    // The third argument is the replay marker the hook reads; the browser ignores it (marker.ts).
    const Ctor = WebSocket as unknown as new (url: string, protocols: string[], marker: string) => WebSocket;
    const ws = new Ctor(u.href, cmd.protocols, cmd.marker);
    ws.binaryType = 'arraybuffer';
    // Guide, "The empty-frame terminator": with `.kl=Y` an empty message ends each response.
    const kl = rules.hasKl(u);
    let state: 'opening' | 'handshake' | 'open' | 'done' = 'opening';
    let chunks: Uint8Array[] = [];
    let answered = false;
    let next: URL | null = null;
    let prefix: Uint8Array | null = null;
    let escaped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const send = (text: string) => ws.send(cmd.binary ? enc.encode(text) : text);
    const finish = (reason: string) => {
      state = 'done';
      closeQuietly(ws, reason);
    };
    const redirect = (to: string, reason: string) => {
      next = nextHop(to, u);
      finish(next ? reason : 'replay: redirect not followed');
    };

    function onResponse(bytes: Uint8Array): void {
      const res = rules.readResponse(bytes);
      if (!res) return finish('replay: the response is not HTTP');
      const header = (name: string) => res.headers.find((h) => h[0] === name)?.[1];
      const action = rules.statusAction(res.status, cmd.request);
      // Spec, status table: 101 completes the handshake; 201, 204 and 205 complete it too.
      if (action === 'completed') {
        state = 'open';
        if (timer !== undefined) clearTimeout(timer);
        prefix = cmd.answerPings ? rules.pingPrefix(res.headers) : null;
        // Wait a moment for a balancer message that follows completion (guide, "Balancer messages").
        if (!cmd.keepOpen) setTimeout(() => state === 'open' && finish('replay: completed'), GRACE_MS);
        return;
      }
      // Spec, 401: the client replays the request "containing additional authorization information".
      if (action === 'authenticate' && cmd.authorization !== null && !answered) {
        answered = true;
        send(requestFor(u, hop, cmd.authorization));
        return;
      }
      // Spec, 3xx: close, then "a fresh opening handshake to the URL specified in the Location".
      if (action === 'redirect' && header('location'))
        return redirect(header('location')!, 'replay: redirect');
      // Spec, 202 (and 100 to a request with Expect): another response follows; the timeout still runs.
      if (action === 'wait' || action === 'continue') return;
      finish('replay: extended handshake ended with ' + res.status);
    }

    function onMessage(data: unknown): void {
      const text = typeof data === 'string' ? data : null;
      const bytes = text !== null ? enc.encode(text) : new Uint8Array(data as ArrayBuffer);
      // Balancer messages: U+F0FF 'N' (notice) or 'R' + ws URL (go there) (guide, "Balancer messages").
      const balancer = rules.readBalancer(bytes);
      if (balancer) {
        if (balancer.kind === 'balancer-redirect' && state !== 'done' && cmd.followRedirects)
          redirect(balancer.url, 'replay: balancer redirect');
        return;
      }
      if (state === 'open') {
        // Guide, control frames: only text messages; a message of exactly the prefix escapes the next.
        if (prefix === null || text === null) return;
        if (escaped) {
          escaped = false;
          return;
        }
        const kind = rules.controlKind(bytes, prefix);
        if (kind === 'escape') escaped = true;
        // The pong is a text message too, whatever the request was sent as.
        else if (kind === 'ping') ws.send(dec.decode(concat([prefix, new Uint8Array([0x0a, 0x00])])));
        return;
      }
      if (state !== 'handshake') return;
      if (rules.isTerminator(bytes)) {
        // Without `.kl=Y`, a stray empty message.
        if (chunks.length === 0) return;
        const all = concat(chunks);
        chunks = [];
        return onResponse(all);
      }
      chunks.push(bytes);
      if (!kl && rules.responseComplete(concat(chunks))) {
        const all = concat(chunks);
        chunks = [];
        onResponse(all);
      }
    }

    const guard = (fn: () => void) => () => {
      try {
        fn();
      } catch {
        finish('replay: runner error');
      }
    };
    ws.addEventListener(
      'open',
      guard(() => {
        // Spec: the extended handshake "MUST only commence" once x-kaazing-handshake was negotiated.
        if (ws.protocol !== rules.KHP) return finish('replay: x-kaazing-handshake not negotiated');
        state = 'handshake';
        timer = setTimeout(
          () => state === 'handshake' && finish('replay: no extended response'),
          cmd.timeoutMs,
        );
        send(requestFor(u, hop, null));
      }),
    );
    ws.addEventListener('message', (e) => guard(() => onMessage((e as MessageEvent).data))());
    ws.addEventListener(
      'close',
      guard(() => {
        state = 'done';
        if (timer !== undefined) clearTimeout(timer);
        if (next) {
          redirects++;
          const to = next;
          next = null;
          connect(to, hop + 1);
        }
      }),
    );
  }

  try {
    const first = new URL(cmd.url);
    if (first.protocol !== 'ws:' && first.protocol !== 'wss:')
      return { ok: false, error: 'not a ws:// or wss:// URL' };
    connect(first, 0);
    return { ok: true, url: first.href };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.name + ': ' + err.message : String(err) };
  }
}

/** The expression evaluated in the page: the runner's source applied to the rules and the command (JSON). */
export function runnerExpression(cmd: RunnerCommand): string {
  return `(${pageRunner.toString()})((${runnerRules.toString()})(), ${JSON.stringify(cmd)})`;
}
