/**
 * Talks to the extension's background the way the panel does, from one of the extension's own pages:
 * a `khp-panel` port, `connect {tabId}`, `settings {...}`. Used to switch capture modes through the
 * real settings path, and to read what a panel would be told (backlog size, dropped events).
 */
import type { Browser, Page } from 'puppeteer-core';
import type { CaptureSettings } from '../../src/messaging/messages';
import type { CaptureEvent } from '../../src/protocol/capture';
import { approxBytes } from '../../src/protocol/capture-bounds';
import { shimNames } from './launch';

/** The few extension APIs used inside the extension page (evaluated there, typed here). */
interface BenchPort {
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(cb: (message: never) => void): void };
}
declare const chrome: {
  runtime: { connect(info: { name: string }): BenchPort };
  tabs: { query(info: object): Promise<{ id?: number; url?: string }[]> };
};

/** What a panel connecting to a tab receives, summarised. */
export interface PanelView {
  settings: CaptureSettings | null;
  events: number;
  frames: number;
  /** The buffered events' size by the background's own estimate (`approxBytes`, capture-bounds.ts). */
  approxBytes: number;
  /** Events the background dropped to stay under its cap. */
  droppedEvents: number;
  /** Frames the hook counted but did not keep (latest `dropped` totals per socket, summed). */
  droppedFrames: number;
  droppedBytes: number;
}

/** An extension page kept open to reach the background. */
export class ExtensionControl {
  private constructor(private readonly page: Page) {}

  /** Opens the extension's devtools page in a tab of its own (only its `chrome.runtime` is used). */
  static async open(browser: Browser, extensionId: string): Promise<ExtensionControl> {
    const page = await browser.newPage();
    await shimNames(page);
    await page.goto(`chrome-extension://${extensionId}/devtools.html`);
    return new ExtensionControl(page);
  }

  /** The browser's tab id of `target` (matched by its URL). */
  async tabIdOf(url: string): Promise<number> {
    return this.page.evaluate(async (url) => {
      const tabs = await chrome.tabs.query({});
      const tab = tabs.find((t) => t.url === url);
      if (!tab?.id) throw new Error(`no tab with URL ${url}: ${tabs.map((t) => t.url).join(', ')}`);
      return tab.id;
    }, url);
  }

  /**
   * Makes `tabId` count as having DevTools open (`on`), as the devtools page does with its watch port,
   * or closed again (the port disconnected).
   */
  async watch(tabId: number, on: boolean): Promise<void> {
    await this.page.evaluate(
      (tabId, on) => {
        const w = window as unknown as { benchWatch?: BenchPort };
        w.benchWatch?.disconnect();
        w.benchWatch = undefined;
        if (!on) return;
        w.benchWatch = chrome.runtime.connect({ name: 'khp-devtools' });
        w.benchWatch.postMessage({ source: 'khp-inspector', v: 1, kind: 'watch', payload: { tabId } });
      },
      tabId,
      on,
    );
  }

  /** Sends `settings` for `tabId` as the panel would, and waits for the background's answer. */
  async setSettings(tabId: number, patch: Partial<CaptureSettings>): Promise<CaptureSettings> {
    return this.page.evaluate(
      (tabId, patch) =>
        new Promise<CaptureSettings>((resolve, reject) => {
          const port = chrome.runtime.connect({ name: 'khp-panel' });
          const env = (kind: string, payload: unknown) => ({ source: 'khp-inspector', v: 1, kind, payload });
          let connected = false;
          const timer = setTimeout(() => reject(new Error('no settings answer')), 10_000);
          port.onMessage.addListener((m: { kind?: string; payload?: CaptureSettings }) => {
            if (m.kind !== 'settings') return;
            if (!connected) {
              connected = true;
              port.postMessage(env('settings', patch));
              return;
            }
            clearTimeout(timer);
            port.disconnect();
            resolve(m.payload!);
          });
          port.postMessage(env('connect', { tabId, lastSeq: Number.MAX_SAFE_INTEGER }));
        }),
      tabId,
      patch,
    );
  }

  /** Connects as a panel with `lastSeq` 0 and summarises the backlog and live events of `waitMs`. */
  async panelView(tabId: number, waitMs = 1500): Promise<PanelView> {
    const { view, events } = await this.page.evaluate(
      (tabId, waitMs) =>
        new Promise<{ view: PanelView; events: unknown[] }>((resolve) => {
          const port = chrome.runtime.connect({ name: 'khp-panel' });
          const view: PanelView = {
            settings: null,
            events: 0,
            frames: 0,
            approxBytes: 0,
            droppedEvents: 0,
            droppedFrames: 0,
            droppedBytes: 0,
          };
          const dropped = new Map<string, { frames: number; bytes: number }>();
          const all: unknown[] = [];
          type Ev = { type: string; socketId: string; data?: string; frames?: number; bytes?: number };
          const take = (events: Ev[]) => {
            for (const e of events) {
              view.events++;
              all.push(e);
              if (e.type === 'frame') view.frames++;
              if (e.type === 'dropped')
                dropped.set(e.socketId, { frames: e.frames ?? 0, bytes: e.bytes ?? 0 });
            }
          };
          port.onMessage.addListener(
            (m: { kind?: string; payload?: { events?: Ev[]; droppedEvents?: number } & CaptureSettings }) => {
              if (m.kind === 'settings') view.settings = m.payload as CaptureSettings;
              if (m.kind === 'backlog') view.droppedEvents = m.payload?.droppedEvents ?? 0;
              if ((m.kind === 'backlog' || m.kind === 'events') && m.payload?.events) take(m.payload.events);
            },
          );
          port.postMessage({
            source: 'khp-inspector',
            v: 1,
            kind: 'connect',
            payload: { tabId, lastSeq: 0 },
          });
          setTimeout(() => {
            port.disconnect();
            for (const d of dropped.values()) {
              view.droppedFrames += d.frames;
              view.droppedBytes += d.bytes;
            }
            resolve({ view, events: all });
          }, waitMs);
        }),
      tabId,
      waitMs,
    );
    // Sized here, by the one estimate the background itself uses.
    return { ...view, approxBytes: approxBytes(events as CaptureEvent[]) };
  }

  async close(): Promise<void> {
    await this.page.close().catch(() => {});
  }
}
