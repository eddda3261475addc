/**
 * CPU time of process trees, from Linux's /proc: a browser (its zygotes, renderers, GPU and network
 * processes are all descendants of the process puppeteer started) or a server. Used to wait, before
 * a measured run, until what the previous run left behind (a service worker still writing, a
 * renderer collecting garbage) is done. Elsewhere than Linux it reads nothing and never waits.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { sleep } from '../lib/stats';

/** Clock ticks per second of /proc's utime and stime (`getconf CLK_TCK`; 100 on Linux). */
const TICKS_PER_SEC = 100;

interface ProcStat {
  ppid: number;
  ticks: number;
}

function readStats(): Map<number, ProcStat> {
  const out = new Map<number, ProcStat>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // "pid (comm) state ppid ... utime stime ...": comm may hold spaces and parentheses.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(name), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** CPU seconds used so far by the processes in `roots` and all their descendants. */
export function treeCpuSeconds(roots: number[]): number {
  const stats = readStats();
  const children = new Map<number, number[]>();
  for (const [pid, s] of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
  let ticks = 0;
  const seen = new Set<number>();
  const stack = [...roots];
  while (stack.length) {
    const pid = stack.pop()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    ticks += stats.get(pid)?.ticks ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return ticks / TICKS_PER_SEC;
}

/** Options of `waitQuiet`. */
export interface QuietOptions {
  /** Length of one observation. */
  intervalMs: number;
  /** Quiet when the trees used at most this share of one core over an interval. */
  maxShare: number;
  /** Stop waiting after this long. */
  maxMs: number;
}

/** Waits until the trees of `roots` are quiet (or `maxMs` passed); resolves with the time waited, ms. */
export async function waitQuiet(roots: number[], opts: QuietOptions): Promise<number> {
  let waited = 0;
  let last = treeCpuSeconds(roots);
  while (waited < opts.maxMs) {
    await sleep(opts.intervalMs);
    waited += opts.intervalMs;
    const now = treeCpuSeconds(roots);
    const share = (now - last) / (opts.intervalMs / 1000);
    last = now;
    if (share <= opts.maxShare) break;
  }
  return waited;
}
