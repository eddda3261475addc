/**
 * The client role's cases on the reference server: `/case/<id>?agent=NAME` plays case `<id>`'s server
 * side for the client that opens it (and the paths the case sends it to, `/case/<id>/<step>`), and
 * judges the case once its script ends; `/suite/cases.json`, `/suite/result` and the page
 * `/suite/client.html` let a browser client run every case one after the other.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import { KHP_PROTOCOL } from '../../protocol/khp';
import type { ClientCase } from '../../protocol/suite/types';
import { serveSuitePage } from '../../server/demo-assets';
import type { ExtraPaths } from '../../server/server';
import { CasePeerRun } from './case-peer';
import { judgedRun, withDeadline, type CaseRun } from './runner';

/** How the cases are served. */
export interface CaseHostOptions {
  /** The chosen cases, in catalogue order. */
  cases: readonly ClientCase[];
  /** Time one case may take, from the client's first socket (ms). */
  timeoutMs: number;
  /** How long a case waits for what a client might still do (ms), default 300. */
  quietMs?: number;
  /** Called as each case of an agent is judged. */
  onCase?: (agent: string, run: CaseRun, done: number, total: number) => void;
  /** Called once an agent has a result for every chosen case. */
  onAgentDone?: (agent: string, runs: CaseRun[]) => void;
}

/** The agent of a case URL (`?agent=`), `client` when absent. */
export function agentOf(url: URL): string {
  return url.searchParams.get('agent')?.trim() || 'client';
}

const CASE_PATH = /^\/case\/(\d+\.\d+)(\/[^/]*)?\/?$/;
/** Bounds on what one host keeps: agents with results, and sockets in one case run. */
const MAX_AGENTS = 64;
const MAX_SOCKETS_PER_CASE = 16;

/** Serves the client-role cases (the `extra` paths of the reference server). */
export class CaseHost implements ExtraPaths {
  private readonly live = new Map<string, CasePeerRun>();
  private readonly results = new Map<string, Map<string, CaseRun>>();
  private readonly waiters = new Map<string, ((run: CaseRun) => void)[]>();
  private readonly quietMs: number;

  constructor(private readonly options: CaseHostOptions) {
    this.quietMs = options.quietMs ?? 300;
  }

  owns(path: string): boolean {
    return path === '/case' || path.startsWith('/case/') || path.startsWith('/suite/');
  }

  /** Spec, "Opening WebSocket Handshake": KHP when offered, unless the case answers as a plain WebSocket. */
  protocol(url: URL, offered: ReadonlySet<string>): string | false {
    if (this.caseOf(url)?.case.opening === 'plain') return false;
    return offered.has(KHP_PROTOCOL) ? KHP_PROTOCOL : false;
  }

  connection(ws: WebSocket, req: IncomingMessage, url: URL): void {
    const found = this.caseOf(url);
    if (!found) {
      ws.close(1008, 'no such case');
      return;
    }
    const agent = agentOf(url);
    if (!this.results.has(agent) && this.results.size >= MAX_AGENTS) {
      ws.close(1013, 'too many agents');
      return;
    }
    const key = `${agent}\n${found.case.id}`;
    const run = this.live.get(key);
    if (!run) {
      // A case starts at its own path; a later step of a case already judged is turned away.
      if (found.step !== '') {
        ws.close(1008, 'this case is over');
        return;
      }
      // The case's URLs (Location, balancer redirects) name the host the client named, when it is a host.
      const named = req.headers.host ?? '';
      const hostPart = /^[\w.-]+(:\d+)?$|^\[[\d:a-f.]+\](:\d+)?$/i.test(named)
        ? named
        : this.fallbackHost(req);
      this.start(found.case, agent, `ws://${hostPart}`).add(ws, req);
      return;
    }
    if (run.obs.sockets.length >= MAX_SOCKETS_PER_CASE) ws.close(1008, 'too many sockets for one case');
    else run.add(ws, req);
  }

  http(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(`${JSON.stringify(body)}\n`);
    };
    if (url.pathname === '/suite/cases.json') {
      json(200, {
        cases: this.options.cases.map((c) => ({ id: c.id, title: c.title, path: `/case/${c.id}` })),
      });
      return;
    }
    if (url.pathname === '/suite/result') {
      const id = url.searchParams.get('case') ?? '';
      if (!this.options.cases.some((c) => c.id === id)) {
        json(404, { error: 'no such case' });
        return;
      }
      this.result(agentOf(url), id, this.options.timeoutMs + 5_000).then(
        (run) => (run ? json(200, run.result) : json(404, { error: `no result for case ${id}` })),
        () => json(500, { error: 'internal error' }),
      );
      return;
    }
    serveSuitePage(req, res, url.pathname).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end('the suite page is unavailable\n');
    });
  }

  /** The result of case `id` for `agent` once judged; null when none comes within `ms`. */
  result(agent: string, id: string, ms: number): Promise<CaseRun | null> {
    const done = this.results.get(agent)?.get(id);
    if (done && !this.live.has(`${agent}\n${id}`)) return Promise.resolve(done);
    return new Promise((resolve) => {
      const key = `${agent}\n${id}`;
      const timer = setTimeout(() => resolve(null), ms);
      const list = this.waiters.get(key) ?? [];
      list.push((run) => {
        clearTimeout(timer);
        resolve(run);
      });
      this.waiters.set(key, list);
    });
  }

  /** An agent's results so far, in catalogue order. */
  runsOf(agent: string): CaseRun[] {
    const mine = this.results.get(agent);
    return this.options.cases.flatMap((c) => mine?.get(c.id) ?? []);
  }

  /** The address the client reached, as `host:port`. */
  private fallbackHost(req: IncomingMessage): string {
    const { localAddress = '127.0.0.1', localPort = 0 } = req.socket;
    return `${localAddress.includes(':') ? `[${localAddress}]` : localAddress}:${localPort}`;
  }

  private caseOf(url: URL): { case: ClientCase; step: string } | null {
    const m = CASE_PATH.exec(url.pathname);
    const c = m ? this.options.cases.find((k) => k.id === m[1]) : undefined;
    return c ? { case: c, step: (m?.[2] ?? '').slice(1) } : null;
  }

  /** Runs a case from its first socket to its verdict. */
  private start(c: ClientCase, agent: string, base: string): CasePeerRun {
    const key = `${agent}\n${c.id}`;
    const startedAt = Date.now();
    const { timeoutMs } = this.options;
    const query = `agent=${encodeURIComponent(agent)}`;
    const peer = new CasePeerRun(c.id, base, query, { quietMs: this.quietMs }, startedAt + timeoutMs);
    this.live.set(key, peer);
    if (!this.results.has(agent)) this.results.set(agent, new Map());
    // The case's script starts once its first socket is added (on the next tick).
    void (async () => {
      await Promise.resolve();
      const ended = await withDeadline(
        () => c.serve(peer),
        timeoutMs,
        (err) => (peer.obs.error = err instanceof Error ? err.message : String(err)),
      );
      if (ended === 'timeout') peer.cut();
      else await peer.finish();
      await peer.settled();
      const run = judgedRun(c, peer.obs, startedAt);
      this.live.delete(key);
      const mine = this.results.get(agent)!;
      mine.set(c.id, run);
      for (const wake of this.waiters.get(key) ?? []) wake(run);
      this.waiters.delete(key);
      const total = this.options.cases.length;
      this.options.onCase?.(agent, run, mine.size, total);
      if (mine.size === total) this.options.onAgentDone?.(agent, this.runsOf(agent));
    })();
    return peer;
  }
}
