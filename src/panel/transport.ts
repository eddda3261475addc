/**
 * How the panel talks to the rest of the extension, kept behind small interfaces so the same UI
 * runs inside DevTools (a runtime port), as a plain page fed by a fixture, and under tests.
 */
import { isEnvelope, type FromPanel, type ToPanel } from '../messaging/messages';
import type { PortLike } from '../messaging/ports';
import type { NetworkSource } from '../platform/devtools-network';
import type { PrefStore } from './prefs';

/** A two-way message channel to the background (or a stand-in). */
export interface PanelTransport {
  send(msg: FromPanel): void;
  /** Subscribes to incoming messages; returns the unsubscribe function. */
  onMessage(cb: (msg: ToPanel) => void): () => void;
  /** Called once when the channel goes away (service worker restart, tab closed). */
  onDisconnect(cb: () => void): () => void;
}

/** What the panel needs from where it runs. */
export interface PanelHost {
  /** The inspected tab, or -1 outside DevTools. */
  tabId: number;
  /** Opens a (new) channel; null when there is no live source (plain page without a feed). */
  openTransport(): PanelTransport | null;
  /** Reloads the inspected page (DevTools only); false when not available. */
  reloadInspected(): boolean;
  /** DevTools' theme, or null to follow `prefers-color-scheme`. */
  theme(): 'dark' | 'light' | null;
  /** Saves text as a file the user can keep. */
  download(fileName: string, text: string, mime: string): void;
  /** Puts plain text on the clipboard (every Copy action goes through here); false when it failed. */
  copyText(text: string): Promise<boolean>;
  /** Where view choices (column sort and widths) are remembered across reloads of the panel. */
  prefs: PrefStore;
  /**
   * Evaluates an expression in the inspected page (DevTools only: `inspectedWindow.eval`); absent
   * where there is no inspected page. Used by the replay (src/replay/page-runner.ts).
   */
  evalInPage?(code: string): Promise<{ ok: true; value: unknown } | { ok: false; error: string }>;
  /** Opens the extension's options page (DevTools only). */
  openOptions?(): void;
  /** DevTools' Network log of the inspected tab, for the network witness (DevTools only). */
  network?(): NetworkSource | null;
  /**
   * The shared-worker switch (Chromium DevTools only: shared-workers.ts): whether the
   * network witness also reads the inspected origin's shared workers through the debugger.
   */
  sharedWorkers?: {
    isOn(): boolean;
    set(on: boolean): Promise<boolean>;
    subscribe(cb: (on: boolean) => void): () => void;
  };
}

/**
 * An in-memory transport: `deliver` pushes messages to the panel, `sent` records what the panel
 * sent. Used by plain-page mode and tests.
 */
export class MemoryTransport implements PanelTransport {
  readonly sent: FromPanel[] = [];
  private listeners = new Set<(msg: ToPanel) => void>();
  private disconnectListeners = new Set<() => void>();
  /** Called with every message the panel sends (after it is recorded). */
  onSend: ((msg: FromPanel) => void) | null = null;

  send(msg: FromPanel): void {
    this.sent.push(msg);
    this.onSend?.(msg);
  }

  onMessage(cb: (msg: ToPanel) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  onDisconnect(cb: () => void): () => void {
    this.disconnectListeners.add(cb);
    return () => this.disconnectListeners.delete(cb);
  }

  /** Delivers a message to the panel. */
  deliver(msg: ToPanel): void {
    for (const cb of [...this.listeners]) cb(msg);
  }

  /** Simulates the other end going away. */
  disconnect(): void {
    for (const cb of [...this.disconnectListeners]) cb();
  }
}

/** Triggers a browser download of `text` (an object URL on a temporary link). */
export function downloadText(fileName: string, text: string, mime: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A transport over a runtime port (or anything port-shaped, such as `memoryPortPair`). */
export function portTransport(port: PortLike): PanelTransport {
  return {
    send: (msg) => {
      try {
        port.postMessage(msg);
      } catch {
        // The port is gone; onDisconnect reports it.
      }
    },
    onMessage(cb) {
      let on = true;
      port.onMessage.addListener((msg) => {
        if (on && isEnvelope(msg)) cb(msg as ToPanel);
      });
      return () => {
        on = false;
      };
    },
    onDisconnect(cb) {
      let on = true;
      port.onDisconnect.addListener(() => {
        if (on) cb();
      });
      return () => {
        on = false;
      };
    },
  };
}
