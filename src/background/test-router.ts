/**
 * The router of test builds (`node scripts/build.mjs --test`): it also answers the test-only queries
 * the test relay forwards (messages.ts, `TestQuery`), and accepts panel and devtools ports from
 * content scripts (the test relay's `panel` query opens one). background.ts creates it only under the
 * build flag `__KHP_TEST__`, so a production bundle holds none of this module.
 */
import { envelope, type Envelope, type TestQuery } from '../messaging/messages';
import type { PortLike } from '../messaging/ports';
import { Router, type Tab } from './router';
import { post } from './write-behind';

/** A router that answers test-only queries. */
export class TestRouter extends Router {
  /** `watch`: the tab counts as watched as if DevTools were open on it (kept with the tab's record). */
  protected override isLive(tab: Tab): boolean {
    return super.isLive(tab) || tab.rec.testLive === true;
  }

  protected override acceptsPagePort(): boolean {
    return true;
  }

  protected override async onOtherRelayMessage(tabId: number, tab: Tab, port: PortLike, msg: Envelope) {
    if (msg.kind !== 'test-query') return;
    await this.flush(tabId, tab);
    const q = msg.payload as TestQuery;
    post(port, envelope('test-reply', { id: q.id, result: this.answer(q, tabId, port, tab) }));
  }

  private answer(q: TestQuery, tabId: number, port: PortLike, tab: Tab): unknown {
    if (q.op === 'whoami') return { tabId, frameId: port.sender?.frameId ?? null };
    if (q.op === 'options') {
      this.deps.openOptionsPage?.().catch(() => {});
      return { opening: this.deps.openOptionsPage !== undefined };
    }
    if (q.op === 'watch') {
      this.setLive(tabId, tab, () => (tab.rec.testLive = q.on !== false));
      return { live: this.isLive(tab) };
    }
    const { events, seq } = tab.buffer.since(0);
    const { droppedEvents } = tab.buffer;
    return {
      tabId,
      seq,
      events,
      droppedEvents,
      capBytes: this.cap(tab),
      // All tabs' buffers together, and their cap (the flood tests check the cap across tabs).
      totalBytes: this.bufferedBytes(),
      totalCapBytes: this.totalCap(),
      settings: tab.rec.settings,
      topUrl: tab.rec.topUrl,
      panels: tab.panels.size,
    };
  }
}
