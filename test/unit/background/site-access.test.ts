import { describe, expect, it } from 'vitest';
import {
  SiteAccess,
  captureScripts,
  registerCapture,
  type RegisteredScript,
  type ScriptingApi,
} from '../../../src/background/site-access';
import {
  changedOptions,
  loadOptions,
  needsAccess,
  optionsMessageHandler,
} from '../../../src/background/options-link';
import { envelope } from '../../../src/messaging/messages';
import { DEFAULT_OPTIONS, OPTIONS_KEY } from '../../../src/settings/defaults';

/** `scripting` as the browser keeps it: registered scripts in order, and every call made. */
class FakeScripting implements ScriptingApi {
  scripts: RegisteredScript[] = [];
  calls: string[] = [];
  async getRegisteredContentScripts(filter?: { ids?: string[] }) {
    return structuredClone(this.scripts.filter((s) => !filter?.ids || filter.ids.includes(s.id)));
  }
  async registerContentScripts(scripts: RegisteredScript[]) {
    this.calls.push(`register ${scripts.map((s) => s.id).join(' ')}`);
    if (scripts.some((s) => this.scripts.some((t) => t.id === s.id))) throw new Error('Duplicate script ID');
    if (scripts.some((s) => !s.matches?.length)) throw new Error('Script must specify at least one match');
    this.scripts.push(...structuredClone(scripts));
  }
  async updateContentScripts(scripts: RegisteredScript[]) {
    this.calls.push(`update ${scripts.map((s) => s.id).join(' ')}`);
    for (const s of scripts) {
      const i = this.scripts.findIndex((t) => t.id === s.id);
      if (i < 0) throw new Error(`No script with ID ${s.id}`);
      this.scripts[i] = { ...this.scripts[i]!, ...structuredClone(s) };
    }
  }
  async unregisterContentScripts(filter?: { ids?: string[] }) {
    this.calls.push(`unregister ${filter?.ids?.join(' ') ?? 'all'}`);
    this.scripts = this.scripts.filter((s) => filter?.ids && !filter.ids.includes(s.id));
  }
}

const matchesOf = (api: FakeScripting) => api.scripts.map((s) => [s.id, s.world, s.matches]);

describe('registerCapture', () => {
  it('registers the hook (MAIN world) before the relay, at document_start in every frame', async () => {
    const api = new FakeScripting();
    expect(await registerCapture(api, ['<all_urls>'])).toEqual(['<all_urls>']);
    expect(api.scripts).toEqual(captureScripts(['<all_urls>']));
    expect(
      api.scripts.map((s) => [s.id, s.js, s.world, s.runAt, s.allFrames, s.matchOriginAsFallback]),
    ).toEqual([
      ['khp-hook', ['hook.js'], 'MAIN', 'document_start', true, true],
      ['khp-relay', ['relay.js'], 'ISOLATED', 'document_start', true, true],
    ]);
  });

  it('updates the scripts in place when the patterns change, and leaves them alone when not', async () => {
    const api = new FakeScripting();
    await registerCapture(api, ['<all_urls>']);
    await registerCapture(api, ['*://a.test/*', 'https://*.b.test/*']);
    await registerCapture(api, ['*://a.test/*', 'https://*.b.test/*']);
    expect(api.calls).toEqual(['register khp-hook khp-relay', 'update khp-hook khp-relay']);
    expect(matchesOf(api)).toEqual([
      ['khp-hook', 'MAIN', ['*://a.test/*', 'https://*.b.test/*']],
      ['khp-relay', 'ISOLATED', ['*://a.test/*', 'https://*.b.test/*']],
    ]);
  });

  it('unregisters both for no pattern (capture nowhere), and registers again later', async () => {
    const api = new FakeScripting();
    await registerCapture(api, ['*://a.test/*']);
    expect(await registerCapture(api, [])).toEqual([]);
    expect(api.scripts).toEqual([]);
    await registerCapture(api, []);
    await registerCapture(api, ['*://a.test/*']);
    expect(api.calls).toEqual([
      'register khp-hook khp-relay',
      'unregister khp-hook khp-relay',
      'register khp-hook khp-relay',
    ]);
  });

  it('replaces a half-registered pair (the hook must come first) and leaves other scripts alone', async () => {
    const api = new FakeScripting();
    api.scripts = [
      { id: 'other', js: ['x.js'], matches: ['<all_urls>'] },
      captureScripts(['*://a.test/*'])[1]!,
    ];
    await registerCapture(api, ['*://a.test/*']);
    expect(api.scripts.map((s) => s.id)).toEqual(['other', 'khp-hook', 'khp-relay']);
  });

  it('SiteAccess applies one change at a time, in order, and reports an error', async () => {
    const api = new FakeScripting();
    const access = new SiteAccess(api);
    const results = await Promise.all([
      access.apply(['*://a.test/*']),
      access.apply([]),
      access.apply(['*://b.test/*']),
    ]);
    expect(results).toEqual([
      { registered: ['*://a.test/*'] },
      { registered: [] },
      { registered: ['*://b.test/*'] },
    ]);
    expect(matchesOf(api).map((m) => m[2])).toEqual([['*://b.test/*'], ['*://b.test/*']]);
    api.updateContentScripts = () => Promise.reject(new Error('Invalid url pattern'));
    expect(await access.apply(['*://c.test/*'])).toEqual({ error: 'Invalid url pattern' });
  });
});

describe('options link', () => {
  const area = (value: unknown) => ({
    get: async (key: string) => (key === OPTIONS_KEY ? { [key]: value } : {}),
  });

  it('reads the stored options, or the defaults', async () => {
    expect(await loadOptions(area({ siteMode: 'listed', sites: ['*://a.test/*'] }))).toMatchObject({
      siteMode: 'listed',
      sites: ['*://a.test/*'],
    });
    expect(await loadOptions(area(undefined))).toEqual(DEFAULT_OPTIONS);
    expect(await loadOptions({ get: () => Promise.reject(new Error('gone')) })).toEqual(DEFAULT_OPTIONS);
  });

  it('follows changes of the options key only', () => {
    expect(changedOptions({ [OPTIONS_KEY]: { newValue: { frameBudget: 5 } } })).toMatchObject({
      frameBudget: 5,
    });
    expect(changedOptions({ [OPTIONS_KEY]: {} })).toEqual(DEFAULT_OPTIONS);
    expect(changedOptions({ other: { newValue: 1 } })).toBeNull();
  });

  it('answers apply-options and open-options from its own pages only', async () => {
    const api = new FakeScripting();
    let opened = 0;
    const handler = optionsMessageHandler({
      area: area({ siteMode: 'listed', sites: ['*://a.test/*'] }),
      access: new SiteAccess(api),
      isExtensionUrl: (url) => !!url?.startsWith('chrome-extension://x/'),
      openOptionsPage: async () => void opened++,
    });
    const ask = envelope('apply-options', {});
    expect(handler(ask, { url: 'https://evil.test/' })).toBeUndefined();
    expect(handler({ kind: 'apply-options' }, { url: 'chrome-extension://x/options.html' })).toBeUndefined();
    expect(api.scripts).toEqual([]);
    expect(await handler(ask, { url: 'chrome-extension://x/options.html' })).toEqual({
      registered: ['*://a.test/*'],
    });
    const open = envelope('open-options', {});
    expect(handler(open, { url: 'https://evil.test/' })).toBeUndefined();
    expect(await handler(open, { url: 'chrome-extension://x/panel.html' })).toEqual({ opened: true });
    expect(opened).toBe(1);
  });

  it('opens the options page after install only when "all sites" is not granted', async () => {
    const yes = async () => true;
    const no = async () => false;
    expect(await needsAccess(DEFAULT_OPTIONS, no)).toBe(true);
    expect(await needsAccess(DEFAULT_OPTIONS, yes)).toBe(false);
    expect(await needsAccess({ ...DEFAULT_OPTIONS, siteMode: 'listed' }, no)).toBe(false);
    expect(await needsAccess(DEFAULT_OPTIONS, () => Promise.reject(new Error('x')))).toBe(false);
  });
});
