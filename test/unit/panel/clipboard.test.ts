// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { writeClipboard } from '../../../src/panel/clipboard';
import { localPrefs } from '../../../src/panel/prefs';

afterEach(() => vi.restoreAllMocks());

/** Replaces `navigator.clipboard` for one test. */
function stubClipboard(writeText: ((text: string) => Promise<void>) | undefined) {
  vi.spyOn(navigator, 'clipboard', 'get').mockReturnValue(
    (writeText ? { writeText } : undefined) as unknown as Clipboard,
  );
}

describe('clipboard', () => {
  it('writes through the Clipboard API when it works', async () => {
    const writeText = vi.fn(async () => {});
    stubClipboard(writeText);
    const exec = vi.fn(() => true);
    document.execCommand = exec;
    expect(await writeClipboard('a\r\nb')).toBe(true);
    expect(writeText).toHaveBeenCalledWith('a\r\nb');
    expect(exec).not.toHaveBeenCalled();
  });

  it('falls back to a selected textarea and the copy command when the API refuses, keeping the focus', async () => {
    stubClipboard(async () => {
      throw new DOMException('The Clipboard API has been blocked by a permissions policy', 'NotAllowedError');
    });
    const input = document.body.appendChild(document.createElement('input'));
    input.focus();
    let selected: string | undefined;
    document.execCommand = vi.fn((command: string) => {
      const area = document.activeElement as HTMLTextAreaElement;
      selected = command === 'copy' ? area.value.slice(area.selectionStart, area.selectionEnd) : undefined;
      return true;
    });
    expect(await writeClipboard('<b>payload</b>')).toBe(true);
    expect(selected).toBe('<b>payload</b>');
    expect(document.querySelector('textarea')).toBeNull();
    expect(document.activeElement).toBe(input);
  });

  it('reports failure when neither path copies', async () => {
    stubClipboard(undefined);
    document.execCommand = vi.fn(() => false);
    expect(await writeClipboard('x')).toBe(false);
  });
});

describe('view preferences', () => {
  it('keeps values in localStorage, and in memory when storage throws', () => {
    const prefs = localPrefs();
    prefs.set('k', 'v');
    expect(localStorage.getItem('k')).toBe('v');
    expect(localPrefs().get('k')).toBe('v');
    const broken = localPrefs(() => {
      throw new Error('SecurityError: storage disabled');
    });
    broken.set('k2', 'v2');
    expect(broken.get('k2')).toBe('v2');
    expect(broken.get('missing')).toBeNull();
  });
});
