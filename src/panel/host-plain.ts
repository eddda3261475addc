/**
 * The panel as a plain web page (no extension APIs): for component screenshots, browser tests of
 * the UI, and offline inspection of files. A `MemoryTransport` stands in for the background; it
 * answers `connect` with a `hello` and a `backlog` built from a fixture file, if one was given.
 *
 *   panel.html?fixture=/test/fixtures/panel/redirect-chain.khp.json   a capture or HAR file, fetched
 *   panel.html?theme=dark                                             force the dark theme
 *
 * `globalThis.__khpPanel.transport` lets a test push more messages (`deliver(...)`).
 */
import { BRIDGE_VERSION, DEFAULT_SETTINGS, envelope, type CaptureSettings } from '../messaging/messages';
import type { CaptureEvent } from '../protocol/capture';
import { socketsToEvents } from '../protocol/capture-store';
import { writeClipboard } from './clipboard';
import { localPrefs } from './prefs';
import type { PanelCore } from './store/core-port';
import { downloadText, MemoryTransport, type PanelHost } from './transport';

/** Events to replay for `?fixture=`, fetched and imported; a failure becomes an `error` string. */
export async function loadFixture(
  url: string,
  core: PanelCore,
): Promise<{ events: CaptureEvent[]; error?: string }> {
  try {
    const response = await fetch(url);
    if (!response.ok) return { events: [], error: `fixture ${url}: HTTP ${response.status}` };
    const result = core.importFile(await response.json());
    if (!result.ok) return { events: [], error: `fixture ${url}: ${result.error}` };
    return { events: socketsToEvents(result.sockets) };
  } catch (err) {
    return { events: [], error: `fixture ${url}: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** A host whose live channel is an in-memory stand-in replaying `events`. */
export function createPlainHost(
  events: CaptureEvent[],
  theme: 'dark' | 'light' | null,
): PanelHost & {
  transport: MemoryTransport;
} {
  const transport = new MemoryTransport();
  let settings: CaptureSettings = { ...DEFAULT_SETTINGS };
  transport.onSend = (msg) => {
    if (msg.kind === 'connect') {
      transport.deliver(envelope('hello', { hookVersion: BRIDGE_VERSION, frameUrl: location.href }));
      transport.deliver(envelope('settings', settings));
      transport.deliver(envelope('backlog', { events, droppedEvents: 0, seq: events.length }));
    } else if (msg.kind === 'settings') {
      settings = { ...settings, ...msg.payload };
    }
  };
  return {
    tabId: -1,
    transport,
    openTransport: () => transport,
    reloadInspected: () => {
      location.reload();
      return true;
    },
    theme: () => theme,
    download: downloadText,
    copyText: (text) => writeClipboard(text),
    prefs: localPrefs(),
  };
}

/** `?theme=dark|light` from a query string, else null. */
export function themeParam(search: string): 'dark' | 'light' | null {
  const t = new URLSearchParams(search).get('theme');
  return t === 'dark' || t === 'light' ? t : null;
}
