/** An in-memory `storage.session` with an optional quota (bytes of JSON), for router tests. */
import type { SessionStore } from '../../../src/background/tab-store';

export class MemoryStore implements SessionStore {
  data = new Map<string, string>();
  constructor(public quotaBytes = Infinity) {}
  async get(keys: string[] | null): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of this.data) if (keys === null || keys.includes(k)) out[k] = JSON.parse(v);
    return out;
  }
  async set(items: Record<string, unknown>): Promise<void> {
    const next = new Map(this.data);
    for (const [k, v] of Object.entries(items)) next.set(k, JSON.stringify(v));
    let total = 0;
    for (const [k, v] of next) total += k.length + v.length;
    if (total > this.quotaBytes) throw new Error('QUOTA_BYTES quota exceeded');
    this.data = next;
  }
  async remove(keys: string[]): Promise<void> {
    for (const k of keys) this.data.delete(k);
  }
}

/** Lets queued microtasks and the router's queue run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setTimeout(r, 0));
}
