/**
 * The relay of test builds (`node scripts/build.mjs --test`): it also answers the test-only queries
 * the browser tests post on the page's window (messages.ts, `TestQuery`). relay.ts creates it only
 * under the build flag `__KHP_TEST__`, so a production bundle holds none of this module.
 *
 * - `panel`: opens a `khp-panel` port like a panel, sends `connect {tabId, lastSeq}` (and `send`),
 *   and answers with every message it received.
 * - `inject`: takes `events` as a batch from the hook (checked, capped, re-batched like the hook's),
 *   so a test can forge and flood the capture path; no answer.
 * - `policy`: answers with the verdict the hook says it holds (its `test-policy-held`; null before
 *   one). Not the verdict posted to the hook: that travels on the hook's port, the reply on the window,
 *   and nothing orders the two, so a page that started a worker on the reply could start it before
 *   its hook knew the verdict.
 * - anything else goes to the background (test-router.ts), whose answer is posted back to the page.
 */
import { PANEL_PORT, envelope, isEnvelope, type Envelope, type TestQuery } from '../messaging/messages';
import { Relay, type RelayDeps } from './relay-core';

/** A relay that answers test-only queries. */
export class TestRelay extends Relay {
  private lastPolicy: unknown = null;

  constructor(
    deps: RelayDeps,
    /** Posts on the page's window (the replies). */
    private readonly postToPage: (message: unknown) => void,
  ) {
    super(deps);
  }

  /** A window `message` event: test queries posted by this window itself; anything else is ignored. */
  onWindowMessage(data: unknown, fromThisWindow: boolean): void {
    if (!fromThisWindow || !isEnvelope(data) || data.kind !== 'khp-test-query') return;
    const q = data.payload as TestQuery;
    if (q.op === 'panel') void this.actAsPanel(q);
    else if (q.op === 'inject') this.injectAsHook(q.events);
    else if (q.op === 'policy')
      this.postToPage(envelope('khp-test-reply', { id: q.id, result: this.lastPolicy }));
    else this.send(envelope('test-query', q), true);
  }

  override onHookMessage(data: unknown): void {
    if (isEnvelope(data) && data.kind === 'test-policy-held') this.lastPolicy = data.payload;
    else super.onHookMessage(data);
  }

  protected override onOtherPortMessage(message: Envelope): void {
    if (message.kind === 'test-reply') this.postToPage(envelope('khp-test-reply', message.payload));
  }

  /** `events` go through the relay exactly as a batch from the hook would. */
  private injectAsHook(events: unknown): void {
    if (!Array.isArray(events)) return;
    this.onHookMessage(envelope('batch', { events, count: events.length }));
  }

  /** Talks to the background as a panel would, and reports what came back. */
  private async actAsPanel(q: TestQuery): Promise<void> {
    const received: unknown[] = [];
    const port = this.deps.connect(PANEL_PORT);
    port.onMessage.addListener((m) => received.push(m));
    const wait = () => new Promise((r) => setTimeout(r, q.waitMs ?? 300));
    port.postMessage(envelope('connect', { tabId: q.tabId ?? -1, lastSeq: q.lastSeq ?? 0 }));
    await wait();
    if (q.send?.length) {
      for (const m of q.send) port.postMessage(m);
      await wait();
    }
    port.disconnect();
    this.postToPage(envelope('khp-test-reply', { id: q.id, result: received }));
  }
}

/** A test relay listening for the page's test queries on `win` (the production relay reads no window message). */
export function testRelay(deps: RelayDeps, win: Window): Relay {
  const relay = new TestRelay(deps, (message) => win.postMessage(message, '*'));
  win.addEventListener('message', (event) => relay.onWindowMessage(event.data, event.source === win));
  return relay;
}
