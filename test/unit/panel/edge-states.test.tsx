// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { BRIDGE_VERSION, envelope } from '../../../src/messaging/messages';
import { plain } from '../../fixtures/panel/captures';
import { renderPanel } from './render-panel';

afterEach(cleanup);

describe('empty and edge states', () => {
  it('explains an empty capture and offers a reload through the host', () => {
    const { host } = renderPanel([]);
    expect(screen.getByText('No WebSocket captured yet.')).toBeTruthy();
    expect(screen.getByText(/reload the page to capture them/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Reload page' }));
    expect(host.reloadInspected).toHaveBeenCalledTimes(1);
  });

  it('says reload the page when the hook speaks another bridge version', () => {
    const { deliver } = renderPanel();
    deliver(envelope('hello', { hookVersion: BRIDGE_VERSION + 1, frameUrl: 'http://x/' }));
    expect(screen.getByRole('alert').textContent).toContain('reload the page');
  });

  it('explains dropped frames and turns on full capture', () => {
    const { transport } = renderPanel([{ ...plain, dropped: { frames: 40, bytes: 4000 } }]);
    const banner = screen.getByText(/Capture is partial/);
    expect(banner.textContent).toContain('40 frames not kept');
    fireEvent.click(screen.getByRole('button', { name: 'Capture all frames' }));
    expect(transport.sent.at(-1)).toEqual(envelope('settings', { fullCapture: true }));
    expect(screen.queryByText(/Capture is partial/)).toBeNull();
    expect(screen.getByRole('checkbox', { name: 'Capture all frames' })).toHaveProperty('checked', true);
  });

  it('sends preserve log and clear from the toolbar', () => {
    const { transport, container } = renderPanel();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Preserve log' }));
    expect(transport.sent.at(-1)).toEqual(envelope('settings', { preserveLog: true }));
    fireEvent.click(screen.getByRole('button', { name: 'Clear' }));
    expect(transport.sent.at(-1)).toEqual(envelope('clear', {}));
    expect(container.querySelectorAll('.conn-row')).toHaveLength(0);
  });
});

describe('export and import', () => {
  it('exports HAR redacted by default, and with credentials only when asked', () => {
    const { host } = renderPanel();
    fireEvent.click(screen.getByRole('button', { name: 'Export' }));
    const box = screen.getByRole('menuitemcheckbox');
    expect(box).toHaveProperty('checked', false);
    fireEvent.click(screen.getByRole('menuitem', { name: /Export HAR/ }));
    const [name, text] = host.download.mock.calls[0]!;
    expect(name).toMatch(/\.har$/);
    expect(JSON.parse(text as string)).toEqual({ har: true, n: 7, redact: true });
    fireEvent.click(screen.getByRole('button', { name: 'Export' }));
    fireEvent.click(screen.getByRole('menuitemcheckbox'));
    fireEvent.click(screen.getByRole('menuitem', { name: /capture JSON/ }));
    const [name2, text2] = host.download.mock.calls[1]!;
    expect(name2).toMatch(/\.json$/);
    expect(JSON.parse(text2 as string)).toMatchObject({ format: 'khp-inspector-capture', redact: false });
  });

  it('imports a file, shows where the data comes from, and goes back to live', async () => {
    const { container } = renderPanel([plain]);
    const input = container.querySelector<HTMLInputElement>('input[type=file]')!;
    const file = new File(
      [JSON.stringify({ sockets: [{ ...plain, id: 'imp', url: 'ws://imported.example/x' }] })],
      'saved.json',
    );
    Object.defineProperty(input, 'files', { value: [file] });
    await act(async () => {
      fireEvent.change(input);
      await new Promise((r) => setTimeout(r, 10));
    });
    await waitFor(() => expect(screen.getByText(/imported: saved.json/)).toBeTruthy());
    expect(container.querySelector('.conn-row')!.textContent).toContain('imported.example/x');
    fireEvent.click(screen.getByRole('button', { name: 'back to live' }));
    expect(container.querySelector('.conn-row')!.textContent).toContain('chat.example.com/socket');
  });

  it('says "1 socket", and a failed import replaces the shown file\'s warnings instead of sitting beside them', async () => {
    const { container, store } = renderPanel([plain]);
    expect(container.querySelector('.status-bar')!.textContent).toContain('1 socket');
    expect(container.querySelector('.status-bar')!.textContent).not.toContain('1 sockets');
    act(() => store.showImported('old.har', [plain], ['entry 2: no response status']));
    expect(container.textContent).toContain('1 import warning in old.har: entry 2: no response status');
    const drop = container.querySelector('.khp-app')!;
    await act(async () => {
      fireEvent.drop(drop, { dataTransfer: { files: [new File(['not json'], 'new.har')] } });
      await new Promise((r) => setTimeout(r, 10));
    });
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('(still showing old.har)'));
    expect(container.textContent).not.toContain('import warning');
  });

  it('says a plain socket\'s server chose no sub-protocol (not "")', () => {
    const { container } = renderPanel([plain]);
    fireEvent.click(container.querySelector('.conn-row')!);
    const banner = container.querySelector('.handshake .banner')!.textContent!;
    expect(banner).toContain('the server chose no sub-protocol, so there is no extended handshake');
    expect(banner).not.toContain('""');
  });

  it('reports a file that is not JSON', async () => {
    const { container } = renderPanel([plain]);
    const drop = container.querySelector('.khp-app')!;
    const file = new File(['not json'], 'bad.har');
    await act(async () => {
      fireEvent.drop(drop, { dataTransfer: { files: [file] } });
      await new Promise((r) => setTimeout(r, 10));
    });
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('bad.har: Not JSON'));
  });
});
