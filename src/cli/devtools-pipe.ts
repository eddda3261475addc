/**
 * `khp-inspect start` talks to the Chromium it launched over `--remote-debugging-pipe` (file
 * descriptors 3 and 4 of the child, JSON messages ended by a NUL byte): no port is opened, so no
 * other process can drive the user's browser. Its one use: every DevTools window that opens
 * selects the KHP panel, which a profile cannot choose (chromium-profile.ts).
 *
 * DevTools' own front-end is a target of its own (`devtools://devtools/…`); the panel is selected through
 * its `InspectorView`, an internal of the front-end, not a stable API. Should it change, DevTools
 * opens on its default tab with KHP first in the strip, and nothing else is affected.
 */
import type { Readable, Writable } from 'node:stream';

interface CdpReply {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
  sessionId?: string;
}

/** A CDP connection over the browser's pipe. */
export class CdpPipe {
  private nextId = 0;
  private readonly pending = new Map<number, (reply: CdpReply) => void>();
  private readonly listeners: Array<(method: string, params: Record<string, unknown>) => void> = [];
  private buffer = '';
  private closed = false;

  constructor(
    private readonly toBrowser: Writable,
    fromBrowser: Readable,
  ) {
    fromBrowser.setEncoding('utf8');
    fromBrowser.on('data', (chunk: string) => this.receive(chunk));
    const close = () => this.close();
    fromBrowser.on('close', close);
    fromBrowser.on('error', close);
    toBrowser.on('error', close);
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    for (let end = this.buffer.indexOf('\0'); end >= 0; end = this.buffer.indexOf('\0')) {
      const text = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 1);
      let message: CdpReply;
      try {
        message = JSON.parse(text) as CdpReply;
      } catch {
        continue;
      }
      if (typeof message.id === 'number') {
        this.pending.get(message.id)?.(message);
        this.pending.delete(message.id);
      } else if (message.method) {
        for (const listen of this.listeners) listen(message.method, message.params ?? {});
      }
    }
  }

  /** Sends a command (to a target's session when given) and resolves to its result. */
  send(method: string, params: object = {}, sessionId?: string): Promise<Record<string, unknown>> {
    if (this.closed) return Promise.reject(new Error('the browser pipe is closed'));
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (reply) =>
        reply.error ? reject(new Error(`${method}: ${reply.error.message}`)) : resolve(reply.result ?? {}),
      );
      this.toBrowser.write(
        JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0',
      );
    });
  }

  /** Calls `listen` for every event of the browser's own session. */
  onEvent(listen: (method: string, params: Record<string, unknown>) => void): void {
    this.listeners.push(listen);
  }

  /** Fails what is still waiting; later sends are refused. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const fail of this.pending.values()) fail({ error: { message: 'the browser pipe closed' } });
    this.pending.clear();
  }
}

/** Runs in a DevTools front-end: waits for the panel's tab (up to 15 s) and selects it. */
function selectPanelExpression(panelTabId: string): string {
  return `(async () => {
    const UI = await import('./ui/legacy/legacy.js');
    for (let i = 0; i < 150; i++) {
      try {
        const view = UI.InspectorView.InspectorView.instance();
        if (view.tabbedPane.tabIds().includes(${JSON.stringify(panelTabId)})) {
          await view.showPanel(${JSON.stringify(panelTabId)});
          return view.tabbedPane.selectedTabId;
        }
      } catch {}
      await new Promise((r) => setTimeout(r, 100));
    }
    return null;
  })()`;
}

/** A DevTools front-end (its target type reads "other" at first, "page" later: the URL decides). */
const isDevTools = (info: { url?: unknown }) =>
  typeof info.url === 'string' && info.url.startsWith('devtools://devtools/');

/**
 * Selects the tab `panelTabId` (`chrome-extension://<id><title>`) in every DevTools front-end, those
 * open now and those opened later; `shown` is told each front-end's target id and the tab it then
 * shows (null when the panel never appeared). Failures are the user's DevTools as it was: ignored.
 */
export async function showPanelInEveryDevTools(
  pipe: CdpPipe,
  panelTabId: string,
  shown: (targetId: string, selected: string | null) => void = () => {},
): Promise<void> {
  const done = new Set<string>();
  const select = async (targetId: string) => {
    if (done.has(targetId)) return;
    done.add(targetId);
    let selected: string | null = null;
    try {
      const { sessionId } = (await pipe.send('Target.attachToTarget', { targetId, flatten: true })) as {
        sessionId: string;
      };
      const evaluated = (await pipe.send(
        'Runtime.evaluate',
        { expression: selectPanelExpression(panelTabId), awaitPromise: true, returnByValue: true },
        sessionId,
      )) as { result?: { value?: unknown } };
      if (typeof evaluated.result?.value === 'string') selected = evaluated.result.value;
      await pipe.send('Target.detachFromTarget', { sessionId });
    } catch {
      // The front-end closed, or its internals changed: DevTools stays on its own choice.
    }
    shown(targetId, selected);
  };
  pipe.onEvent((method, params) => {
    if (method !== 'Target.targetCreated' && method !== 'Target.targetInfoChanged') return;
    const info = params.targetInfo as { targetId: string; url?: unknown };
    if (isDevTools(info)) void select(info.targetId);
  });
  await pipe.send('Target.setDiscoverTargets', { discover: true });
}
