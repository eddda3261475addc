// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { OptionsApp } from '../../../src/options/OptionsApp';
import type { Applied, OptionsApi } from '../../../src/options/options-api';
import { DEFAULT_OPTIONS, capturePatterns, readOptions, type Options } from '../../../src/settings/defaults';

afterEach(cleanup);

const ALL = '<all_urls>';

/** The browser as the page sees it: stored options, granted patterns, and every call made. */
class FakeApi implements OptionsApi {
  stored: Options;
  granted: Set<string>;
  /** What the next permission requests answer. */
  grant = true;
  calls: string[] = [];
  private listeners: (() => void)[] = [];

  constructor(stored: Partial<Options> = {}, granted: string[] = [ALL]) {
    this.stored = readOptions({ ...DEFAULT_OPTIONS, ...stored });
    this.granted = new Set(granted);
  }
  async load() {
    return structuredClone(this.stored);
  }
  async save(o: Options) {
    this.calls.push(`save ${JSON.stringify(o)}`);
    this.stored = structuredClone(o);
  }
  async apply(): Promise<Applied> {
    return { registered: capturePatterns(this.stored) };
  }
  request(origins: string[]) {
    this.calls.push(`request ${origins.join(' ')}`);
    if (this.grant) for (const o of origins) this.granted.add(o);
    return Promise.resolve(this.grant);
  }
  async remove(origins: string[]) {
    this.calls.push(`remove ${origins.join(' ')}`);
    for (const o of origins) this.granted.delete(o);
    return true;
  }
  async contains(origins: string[]) {
    return origins.every((o) => this.granted.has(o) || this.granted.has(ALL));
  }
  onExternalChange(fn: () => void) {
    this.listeners.push(fn);
  }
  external() {
    for (const fn of this.listeners) fn();
  }
}

const status = () => document.getElementById('status')!.textContent;
const input = (id: string) => document.getElementById(id) as HTMLInputElement;
const saves = (api: FakeApi) => api.calls.filter((c) => c.startsWith('save'));

async function renderPage(api: FakeApi) {
  render(<OptionsApp api={api} theme="light" />);
  await waitFor(() => expect(document.getElementById('preserve-log')).toBeTruthy());
}

function typeInto(id: string, text: string) {
  fireEvent.input(input(id), { target: { value: text } });
}

describe('options page: defaults', () => {
  it('shows the stored options and where capture happens', async () => {
    const api = new FakeApi({ preserveLog: true, frameBudget: 250 });
    await renderPage(api);
    await waitFor(() => expect(status()).toBe('Capturing on every site.'));
    expect(input('preserve-log').checked).toBe(true);
    expect(input('full-capture').checked).toBe(false);
    expect(input('frame-budget').value).toBe('250');
    expect(input('site-mode-all').checked).toBe(true);
    expect(document.querySelector('.khp-app')!.getAttribute('data-theme')).toBe('light');
  });

  it('saves a checkbox at once and says so', async () => {
    const api = new FakeApi();
    await renderPage(api);
    fireEvent.click(input('full-capture'));
    await waitFor(() => expect(status()).toBe('Saved: capture all frames on. Capturing on every site.'));
    expect(api.stored.fullCapture).toBe(true);
  });

  it('refuses an invalid frame budget, saves nothing, and says which budget stays', async () => {
    const api = new FakeApi();
    await renderPage(api);
    typeInto('frame-budget', '-5');
    expect(input('frame-budget').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('alert').textContent).toBe(
      'Enter a whole number from 0 to 100,000. Not saved: 1,000 stays in effect.',
    );
    fireEvent.keyDown(input('frame-budget'), { key: 'Enter' });
    expect(status()).toBe(
      'Frame budget not saved: Enter a whole number from 0 to 100,000. 1000 stays in effect.',
    );
    typeInto('frame-budget', '250000');
    fireEvent.blur(input('frame-budget'));
    expect(status()).toContain('250,000 is out of range');
    await new Promise((r) => setTimeout(r, 10));
    expect(saves(api)).toEqual([]);

    typeInto('frame-budget', '40');
    expect(input('frame-budget').getAttribute('aria-invalid')).toBe('false');
    fireEvent.keyDown(input('frame-budget'), { key: 'Enter' });
    await waitFor(() => expect(status()).toBe('Saved: frame budget 40. Capturing on every site.'));
    expect(api.stored.frameBudget).toBe(40);
  });

  it('saves a valid budget once typing pauses, and shows a budget saved elsewhere', async () => {
    const api = new FakeApi();
    await renderPage(api);
    typeInto('frame-budget', '7');
    expect(saves(api)).toEqual([]);
    await waitFor(() => expect(api.stored.frameBudget).toBe(7), { timeout: 2000 });
    api.stored = { ...api.stored, frameBudget: 9 };
    api.external();
    await waitFor(() => expect(input('frame-budget').value).toBe('9'));
  });
});

describe('options page: sites', () => {
  it('asks for access to all sites when the browser has not granted it', async () => {
    const api = new FakeApi({}, []);
    await renderPage(api);
    await waitFor(() => expect(document.getElementById('allow-all')).toBeTruthy());
    expect(status()).toBe(
      'Set to every site, but the browser has not granted access to all sites: nothing is captured.',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Allow on all sites' }));
    // Asked within the click itself (a user gesture), not after something was awaited.
    expect(api.calls).toEqual([`request ${ALL}`]);
    await waitFor(() => expect(status()).toBe('Saved: all sites. Capturing on every site.'));
    expect(document.getElementById('allow-all')).toBeNull();
  });

  it('switches to listed sites, giving back the permission for every site', async () => {
    const api = new FakeApi();
    await renderPage(api);
    fireEvent.click(input('site-mode-listed'));
    await waitFor(() =>
      expect(status()).toBe('Saved: only listed sites. Capturing on no site: the list is empty.'),
    );
    expect(input('site-mode-listed').checked).toBe(true);
    expect(api.calls.at(-1)).toBe(`remove ${ALL}`);
    expect(api.stored.siteMode).toBe('listed');
  });

  it('adds a site after the browser grants it, and refuses what is not a site', async () => {
    const api = new FakeApi({ siteMode: 'listed' }, []);
    await renderPage(api);
    typeInto('site-input', 'wss://gw.example.com/path');
    fireEvent.submit(input('site-input').form!);
    expect(screen.getByRole('alert').textContent).toContain("not the WebSocket's");
    expect(api.calls).toEqual([]);

    typeInto('site-input', 'https://gw.example.com:8443/app');
    fireEvent.submit(input('site-input').form!);
    expect(api.calls).toEqual(['request https://gw.example.com/*']); // within the submit event
    await waitFor(() =>
      expect(status()).toBe('Saved: https://gw.example.com added. Capturing on 1 listed site only.'),
    );
    expect(input('site-input').value).toBe('');
    const row = document.querySelector('.site-row')!;
    expect(row.getAttribute('data-pattern')).toBe('https://gw.example.com/*');
    expect(row.textContent).toContain('allowed');

    typeInto('site-input', 'gw.example.com');
    fireEvent.submit(input('site-input').form!);
    await waitFor(() =>
      expect(api.stored.sites).toEqual(['https://gw.example.com/*', '*://gw.example.com/*']),
    );
    typeInto('site-input', 'https://gw.example.com');
    fireEvent.submit(input('site-input').form!);
    expect(screen.getByRole('alert').textContent).toBe('https://gw.example.com is listed already.');
  });

  it('does not add a site the browser refuses', async () => {
    const api = new FakeApi({ siteMode: 'listed' }, []);
    api.grant = false;
    await renderPage(api);
    typeInto('site-input', 'gw.example.com');
    fireEvent.submit(input('site-input').form!);
    await waitFor(() => expect(status()).toBe('gw.example.com not added: no permission.'));
    expect(screen.getByRole('alert').textContent).toBe(
      'The browser did not grant access to gw.example.com: not added.',
    );
    expect(api.stored.sites).toEqual([]);
    expect(saves(api)).toEqual([]);
  });

  it('removes a site and gives its permission back; a site without permission can be allowed again', async () => {
    const a = '*://a.example/*';
    const b = '*://b.example/*';
    const api = new FakeApi({ siteMode: 'listed', sites: [a, b] }, [a]);
    await renderPage(api);
    await waitFor(() =>
      expect(status()).toBe('Capturing on 2 listed sites only; 1 of them still needs your permission.'),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Allow' }));
    expect(api.calls).toEqual([`request ${b}`]);
    await waitFor(() => expect(status()).toBe('b.example allowed.'));
    fireEvent.click(screen.getByRole('button', { name: 'Remove a.example' }));
    await waitFor(() => expect(status()).toBe('Saved: a.example removed. Capturing on 1 listed site only.'));
    expect(api.calls.slice(-1)).toEqual([`remove ${a}`]);
    expect(api.granted.has(a)).toBe(false);
    expect(api.stored.sites).toEqual([b]);
  });

  it('stays on listed sites when the browser refuses every site', async () => {
    const api = new FakeApi({ siteMode: 'listed' }, []);
    api.grant = false;
    await renderPage(api);
    fireEvent.click(input('site-mode-all'));
    expect(api.calls).toEqual([`request ${ALL}`]);
    await waitFor(() =>
      expect(status()).toBe('The browser did not grant access to all sites: nothing changed.'),
    );
    expect(input('site-mode-listed').checked).toBe(true);
    expect(api.stored.siteMode).toBe('listed');
  });
});
