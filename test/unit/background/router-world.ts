/** A router over in-memory ports and storage, with relays and panels to drive it (router tests). */
import { Router, type RouterDeps } from '../../../src/background/router';
import type { SessionStore } from '../../../src/background/tab-store';
import { envelope, isEnvelope, type Envelope } from '../../../src/messaging/messages';
import { memoryPortPair } from '../../../src/messaging/ports';
import type { CaptureEvent } from '../../../src/protocol/capture';
import { MemoryStore } from './memory-store';

export const EXT = 'chrome-extension://abc/';
export const ev = (n: number, data = ''): CaptureEvent => ({
  type: 'frame',
  socketId: 'f:1',
  dir: 'receive',
  time: n,
  opcode: 1,
  data,
  size: data.length,
});

export function world<S extends SessionStore = MemoryStore>(
  store: S = new MemoryStore() as unknown as S,
  extra: Partial<RouterDeps> = {},
  RouterClass: new (deps: RouterDeps) => Router = Router,
) {
  const sent: { tabId: number; message: unknown; frameId?: number }[] = [];
  const router = new RouterClass({
    storage: store,
    sendToTab: (tabId, message, frameId) => sent.push({ tabId, message, frameId }),
    isExtensionUrl: (url) => !!url?.startsWith(EXT),
    ...extra,
  });
  /** A relay's port for a document of tab `tabId`; returns what the background sent back. */
  const relayPort = (tabId: number, frameId = 0) => {
    const [mine, theirs] = memoryPortPair('khp-relay', {
      tab: { id: tabId },
      frameId,
      url: 'https://p.test/',
    });
    const got: Envelope[] = [];
    mine.onMessage.addListener((m) => isEnvelope(m) && got.push(m));
    router.onConnect(theirs);
    return { port: mine, got };
  };
  /** A panel connected to tab `tabId` after `lastSeq`. */
  const panel = (tabId: number, lastSeq = 0, url = `${EXT}panel.html`) => {
    const [mine, theirs] = memoryPortPair('khp-panel', { url });
    const got: Envelope[] = [];
    mine.onMessage.addListener((m) => isEnvelope(m) && got.push(m));
    router.onConnect(theirs);
    let refused = false;
    try {
      mine.postMessage(envelope('connect', { tabId, lastSeq }));
    } catch {
      refused = true; // the router disconnected the port at once
    }
    return { port: mine, got, refused };
  };
  return { router, store, sent, relayPort, panel };
}

export const batch = (docId: string, seq: number, events: CaptureEvent[]) =>
  envelope('batch', { docId, seq, events });
export const eventsOf = (got: Envelope[]) =>
  got
    .filter((m) => m.kind === 'events' || m.kind === 'backlog')
    .flatMap((m) => (m.payload as { events: CaptureEvent[] }).events);
