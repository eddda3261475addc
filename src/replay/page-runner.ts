/**
 * The page runner: the code the panel evaluates in the inspected page
 * (`devtools.inspectedWindow.eval`) to replay an extended handshake from the page's own context, with
 * its origin and cookies. It opens `new WebSocket(url, protocols, marker)` through the page's (hooked)
 * constructor, so the replay is captured like any socket and the panel decodes it; the evaluation's
 * return value only acknowledges the start or reports a synchronous error.
 *
 * `pageRunner` must stay self-contained: it is sent as source text (`runnerExpression`), so it may
 * use only its argument, its own locals and the page's standard globals (WebSocket, URL,
 * TextEncoder, TextDecoder, setTimeout, clearTimeout). It installs nothing on the page: no global,
 * no message listener; the only state lives in the sockets' own listeners.
 */
import type { RunnerAck, RunnerCommand } from './types';

/** Executes a replay command in the page. Never throws; returns whether the first socket was created. */
export function pageRunner(cmd: RunnerCommand): RunnerAck {
  const KHP = 'x-kaazing-handshake';
  const GRACE_MS = 400;
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  const visited: string[] = [];
  let redirects = 0;

  const isKl = (u: URL) => /(^|&)\.kl=Y(&|$)/i.test(u.search.slice(1));
  const keptQuery = (u: URL) =>
    u.search
      .slice(1)
      .split('&')
      .filter((p) => p !== '' && p.toLowerCase() !== '.kl=y')
      .join('&');
  // Guide: `.kl=Y` "does not appear in the extended request's target".
  const originTarget = (u: URL) => (u.pathname || '/') + (keptQuery(u) ? '?' + keptQuery(u) : '');
  const endpoint = (u: URL) => u.protocol + '//' + u.host + originTarget(u);
  const closeQuietly = (ws: WebSocket, reason: string) => {
    try {
      ws.close(1000, reason.slice(0, 120));
    } catch {
      // already closing
    }
  };

  /** The request for a hop: the first is sent as edited; later hops get their own target. */
  function requestFor(u: URL, hop: number, authorization: string | null): string {
    let text = hop === 0 ? cmd.request : cmd.request.replace(/^(\S+) \S+ /, '$1 ' + originTarget(u) + ' ');
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

  /** Where the header section ends (after the empty line), or -1. */
  function headEnd(b: Uint8Array): number {
    for (let i = 0; i < b.length; i++) {
      if (b[i] !== 10) continue;
      if (b[i + 1] === 10) return i + 2;
      if (b[i + 1] === 13 && b[i + 2] === 10) return i + 3;
    }
    return -1;
  }

  /** The response status and header lines, or null when the text is not a status line. */
  function readResponse(b: Uint8Array): { status: number; headers: [string, string][] } | null {
    const end = headEnd(b);
    const text = dec.decode(end < 0 ? b : b.subarray(0, end));
    const lines = text.split(/\r?\n/);
    const m = /^HTTP\/\d\.\d (\d{3})/.exec(lines[0] ?? '');
    if (!m) return null;
    const headers: [string, string][] = [];
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon > 0) headers.push([line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]);
    }
    return { status: Number(m[1]), headers };
  }

  /** Without `.kl=Y` the response ends where the HTTP message ends (headers plus Content-Length body). */
  function messageComplete(b: Uint8Array): boolean {
    const end = headEnd(b);
    if (end < 0) return false;
    const res = readResponse(b);
    const length = res?.headers.find((h) => h[0] === 'content-length');
    return b.length - end >= (length ? Number(length[1]) || 0 : 0);
  }

  /** The ping-pong control prefix granted in a completing response, as text (4 chars), or null. */
  function pingPrefix(headers: [string, string][]): string | null {
    for (const [name, value] of headers) {
      if (name !== 'sec-websocket-extensions') continue;
      for (const element of value.split(',')) {
        const params = element.split(';').map((s) => s.trim());
        const hex = params.slice(1).find((p) => /^[0-9a-f]{8}$/i.test(p));
        if (params[0]?.toLowerCase() === 'x-kaazing-ping-pong' && hex) {
          let s = '';
          for (let i = 0; i < 8; i += 2) s += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16));
          return s;
        }
      }
    }
    return null;
  }

  /** The next URL of a redirect (http→ws, resolved, `.kl=Y` kept), or null when it must not be followed. */
  function nextHop(location: string, current: URL): URL | null {
    if (!cmd.followRedirects || redirects >= cmd.maxRedirects) return null;
    let u: URL;
    try {
      u = new URL(location, current.href);
    } catch {
      return null;
    }
    if (u.protocol === 'http:') u = new URL('ws:' + u.href.slice(5));
    else if (u.protocol === 'https:') u = new URL('wss:' + u.href.slice(6));
    if (u.protocol !== 'ws:' && u.protocol !== 'wss:') return null;
    if (isKl(new URL(cmd.url)) && !isKl(u)) u.search = u.search ? u.search + '&.kl=Y' : '?.kl=Y';
    u.hash = '';
    // Spec, 3xx: the client "is responsible for detecting redirect loops".
    if (visited.includes(endpoint(u))) return null;
    return u;
  }

  function connect(u: URL, hop: number): void {
    visited.push(endpoint(u));
    // The third argument is the replay marker the hook reads; the browser ignores it (marker.ts).
    const Ctor = WebSocket as unknown as new (url: string, protocols: string[], marker: string) => WebSocket;
    const ws = new Ctor(u.href, cmd.protocols, cmd.marker);
    ws.binaryType = 'arraybuffer';
    const kl = isKl(u);
    let state: 'opening' | 'handshake' | 'open' | 'done' = 'opening';
    let chunks: Uint8Array[] = [];
    let answered = false;
    let next: URL | null = null;
    let prefix: string | null = null;
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
      const res = readResponse(bytes);
      if (!res) return finish('replay: the response is not HTTP');
      const header = (name: string) => res.headers.find((h) => h[0] === name)?.[1];
      // Spec, status table: 101 completes the handshake; 201, 204 and 205 complete it too.
      if ([101, 201, 204, 205].includes(res.status)) {
        state = 'open';
        if (timer !== undefined) clearTimeout(timer);
        prefix = cmd.answerPings ? pingPrefix(res.headers) : null;
        // Wait a moment for a balancer message that follows completion (guide, "Balancer messages").
        if (!cmd.keepOpen) setTimeout(() => state === 'open' && finish('replay: completed'), GRACE_MS);
        return;
      }
      // Spec, 401: the client replays the request "containing additional authorization information".
      if (res.status === 401 && cmd.authorization !== null && !answered) {
        answered = true;
        send(requestFor(u, hop, cmd.authorization));
        return;
      }
      // Spec, 3xx: close, then "a fresh opening handshake to the URL specified in the Location".
      if (res.status >= 300 && res.status < 400 && header('location'))
        return redirect(header('location')!, 'replay: redirect');
      finish('replay: extended handshake ended with ' + res.status);
    }

    function onMessage(data: unknown): void {
      const text = typeof data === 'string' ? data : null;
      const bytes = text !== null ? enc.encode(text) : new Uint8Array(data as ArrayBuffer);
      // Balancer messages: U+F0FF 'N' (notice) or 'R' + ws URL (go there) (guide, "Balancer messages").
      if (bytes[0] === 0xef && bytes[1] === 0x83 && bytes[2] === 0xbf) {
        if (bytes[3] === 0x52 && state !== 'done' && cmd.followRedirects)
          redirect(dec.decode(bytes.subarray(4)).trim(), 'replay: balancer redirect');
        return;
      }
      if (state === 'open') {
        const s = text ?? dec.decode(bytes);
        if (prefix !== null && s === prefix + '\x09\x00') send(prefix + '\x0a\x00');
        return;
      }
      if (state !== 'handshake') return;
      if (bytes.length === 0) {
        // Guide: with `.kl=Y` an empty message ends each response; without it, a stray empty frame.
        if (chunks.length === 0) return;
        const all = concat(chunks);
        chunks = [];
        return onResponse(all);
      }
      chunks.push(bytes);
      if (!kl && messageComplete(concat(chunks))) {
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
        if (ws.protocol !== KHP) return finish('replay: x-kaazing-handshake not negotiated');
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

/** The expression evaluated in the page: the runner's source applied to the command as JSON. */
export function runnerExpression(cmd: RunnerCommand): string {
  return `(${pageRunner.toString()})(${JSON.stringify(cmd)})`;
}
