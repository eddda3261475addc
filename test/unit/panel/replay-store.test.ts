import { describe, expect, it, vi } from 'vitest';
import type { Connection } from '../../../src/protocol/model';
import { decodeSocket } from '../../../src/protocol/decoder';
import {
  ReplayStore,
  hopsFrom,
  originOf,
  replayHops,
  type ReplaySession,
} from '../../../src/panel/store/replay-store';
import type { PanelHost } from '../../../src/panel/transport';
import { memoryPrefs } from '../../../src/panel/prefs';
import { authSocket, hop0, hop1, hopEnd, plain } from '../../fixtures/panel/captures';
import { buildChains } from '../../../src/protocol/chains';

function host(evalInPage?: PanelHost['evalInPage']): PanelHost {
  return {
    tabId: 1,
    openTransport: () => null,
    reloadInspected: () => true,
    theme: () => null,
    download: () => {},
    copyText: async () => true,
    prefs: memoryPrefs(),
    evalInPage,
  };
}

const auth = decodeSocket(authSocket);

describe('ReplayStore', () => {
  it('goes edit → confirm → sent, and sends only on send()', async () => {
    const evalInPage = vi.fn(async (code: string) =>
      code === 'location.href'
        ? { ok: true as const, value: 'http://p/' }
        : { ok: true as const, value: { ok: true, url: 'x' } },
    );
    const store = new ReplayStore(host(evalInPage), () => 1000);
    store.open(auth, authSocket, [auth], 'edit', false);
    expect(store.getView().step).toBe('edit');
    // Edits are updates of the latest draft: two quick edits compose.
    store.edit((d) => ({ ...d, url: 'ws://gw.example.com/echo?x=1' }));
    store.edit((d) => ({ ...d, options: { ...d.options, keepOpen: true } }));
    const view = store.getView();
    expect(view.step === 'edit' && [view.draft.url, view.draft.options.keepOpen]).toEqual([
      'ws://gw.example.com/echo?x=1',
      true,
    ]);
    expect(store.review()).toBe(true);
    expect(store.getView().step).toBe('confirm');
    expect(evalInPage.mock.calls.filter((c) => c[0] !== 'location.href')).toEqual([]);
    const session = await store.send();
    expect(session).toMatchObject({ status: 'started', originalId: 'auth', startedAt: 1000 });
    expect(evalInPage.mock.calls.filter((c) => c[0] !== 'location.href')).toHaveLength(1);
    expect(store.inspectedUrl).toBe('http://p/');
  });

  it('stays in the editor with the errors when a draft is invalid, even from a plain Replay', () => {
    const store = new ReplayStore(host(async () => ({ ok: true, value: null })));
    const bad: Connection = { ...auth, requestedProtocols: ['amqp'] };
    store.open(bad, { ...authSocket, requestedProtocols: ['amqp'] }, [bad], 'confirm', false);
    const view = store.getView();
    expect(view.step).toBe('edit');
    expect(view.step === 'edit' && view.issues.map((i) => i.message)).toContain(
      'The protocols must include x-kaazing-handshake.',
    );
  });

  it('reports a replay the page could not start', async () => {
    const store = new ReplayStore(
      host(async (code) =>
        code === 'location.href'
          ? { ok: true, value: 'http://p/' }
          : { ok: true, value: { ok: false, error: 'SyntaxError: bad' } },
      ),
    );
    store.open(auth, authSocket, [auth], 'confirm', false);
    const session = await store.send();
    expect(session).toMatchObject({ status: 'failed', error: 'SyntaxError: bad' });
    const failing = new ReplayStore(host(async () => ({ ok: false, error: 'no page' })));
    failing.open(auth, authSocket, [auth], 'confirm', false);
    expect(await failing.send()).toMatchObject({ status: 'failed', error: 'no page' });
  });

  it('is unavailable without an inspected page', async () => {
    const store = new ReplayStore(host());
    expect(store.available).toBe(false);
    store.open(auth, authSocket, [auth], 'confirm', false);
    expect(await store.send()).toMatchObject({ status: 'failed' });
  });
});

describe('replay helpers', () => {
  it('takes the original chain from the replayed hop on', () => {
    const hops = [hop1, hop0, hopEnd].map((s) => decodeSocket(s));
    const byId = new Map(hops.map((c) => [c.id, c]));
    const chains = buildChains(hops);
    expect(hopsFrom(hops[1]!, chains, byId).map((c) => c.id)).toEqual(['r0', 'r-end']);
    const lone = decodeSocket(plain);
    expect(hopsFrom(lone, [], byId)).toEqual([lone]);
  });

  it('finds a session’s replay sockets by marker and time, before a later replay', () => {
    const session = { originalId: 'auth', startedAt: 5000 } as ReplaySession;
    const at = (id: string, t: number, replayOf?: string): Connection => ({
      ...auth,
      id,
      startedAt: t,
      replayOf,
    });
    const list = [
      at('old', 4000, 'auth'),
      at('a', 5010, 'auth'),
      at('other', 5020, 'x'),
      at('b', 5030, 'auth'),
      at('next', 9000, 'auth'),
    ];
    expect(replayHops(session, 8000, list).map((c) => c.id)).toEqual(['a', 'b']);
    expect(replayHops(session, null, list).map((c) => c.id)).toEqual(['a', 'b', 'next']);
  });

  it('reads origins', () => {
    expect(originOf('http://a.example:8080/x')).toBe('http://a.example:8080');
    expect(originOf('about:blank')).toBeNull();
    expect(originOf(null)).toBeNull();
  });
});
