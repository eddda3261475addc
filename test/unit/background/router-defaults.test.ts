import { describe, expect, it } from 'vitest';
import { envelope, type Envelope, type HookSettings } from '../../../src/messaging/messages';
import { MemoryStore, settle } from './memory-store';
import { world } from './router-world';

const hookSettings = (sent: { tabId: number; message: unknown }[]) =>
  sent.map((s) => [s.tabId, (s.message as Envelope<'hook-settings', HookSettings>).payload]);

describe('Router: the user’s defaults', () => {
  it('starts new tabs from the stored defaults, and tells their hooks', async () => {
    const w = world(new MemoryStore(), {
      defaults: async () => ({ frameBudget: 25, preserveLog: true, fullCapture: false }),
    });
    const r = w.relayPort(3);
    r.port.postMessage(envelope('relay-hello', { docId: 'd', frameUrl: 'https://p.test/', top: true }));
    const p = w.panel(3);
    await settle();
    expect(r.got).toEqual([
      envelope('hook-settings', { fullCapture: false, frameBudget: 25, live: false }),
      envelope('hook-policy', { blobWorkers: false }),
    ]);
    expect(p.got[0]).toEqual(
      envelope('settings', {
        fullCapture: false,
        frameBudget: 25,
        preserveLog: true,
        tabBufferBytes: 32 * 1024 * 1024,
      }),
    );
  });

  it('ignores invalid defaults and keeps working when they cannot be read', async () => {
    const bad = world(new MemoryStore(), {
      defaults: async () => ({ frameBudget: -1, preserveLog: 'yes' as unknown as boolean }),
    });
    const failing = world(new MemoryStore(), { defaults: () => Promise.reject(new Error('no storage')) });
    for (const w of [bad, failing]) {
      const p = w.panel(1);
      await settle();
      expect(p.got[0]!.payload).toMatchObject({ frameBudget: 1000, preserveLog: false });
    }
  });

  it('applies changed defaults to open tabs, except what a tab’s panel set', async () => {
    const w = world();
    const a = w.panel(1);
    const b = w.panel(2);
    b.port.postMessage(envelope('settings', { frameBudget: 7 }));
    await settle();
    w.sent.length = 0;
    w.router.setDefaults({ frameBudget: 50, fullCapture: true, preserveLog: true });
    await settle();
    expect(hookSettings(w.sent)).toEqual([
      [1, { fullCapture: true, frameBudget: 50, live: false }],
      [2, { fullCapture: true, frameBudget: 7, live: false }],
    ]);
    expect(a.got.at(-1)!.payload).toMatchObject({ frameBudget: 50, fullCapture: true, preserveLog: true });
    expect(b.got.at(-1)!.payload).toMatchObject({ frameBudget: 7, fullCapture: true, preserveLog: true });
    // The panel's choice stays until it changes it, whatever the defaults become.
    w.router.setDefaults({ frameBudget: 60, fullCapture: false, preserveLog: false });
    a.port.postMessage(envelope('settings', { preserveLog: true }));
    await settle();
    expect(a.got.at(-1)!.payload).toMatchObject({ frameBudget: 60, fullCapture: false, preserveLog: true });
    expect(b.got.at(-1)!.payload).toMatchObject({ frameBudget: 7, fullCapture: false, preserveLog: false });
  });

  it('sends nothing when the defaults do not change a tab', async () => {
    const w = world();
    const p = w.panel(1);
    await settle();
    const seen = p.got.length;
    w.router.setDefaults({ frameBudget: 1000 });
    await settle();
    expect(w.sent).toEqual([]);
    expect(p.got).toHaveLength(seen);
  });

  it('keeps a tab’s own settings across a restart, under defaults changed meanwhile', async () => {
    const store = new MemoryStore();
    const first = world(store, { persistDelayMs: 0 });
    const p = first.panel(5);
    p.port.postMessage(envelope('settings', { fullCapture: true }));
    await settle(10);
    const second = world(store, { defaults: async () => ({ frameBudget: 12 }) });
    const again = second.panel(5);
    await settle(10);
    expect(again.got[0]!.payload).toMatchObject({ fullCapture: true, frameBudget: 12 });
    expect(hookSettings(second.sent)).toEqual([[5, { fullCapture: true, frameBudget: 12, live: false }]]);
  });
});
