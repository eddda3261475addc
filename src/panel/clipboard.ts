/**
 * Writing text to the clipboard from the panel, wherever it runs.
 *
 * - The async Clipboard API first. It works in a plain page, in Firefox's DevTools panel and in
 *   Chromium's since DevTools gave extension panels `allow="clipboard-write"` (Chromium 156 has it).
 * - Where the API is missing or refuses (older Chromium: extension panels are frames without that
 *   permission, "The Clipboard API has been blocked because of a permissions policy"), a hidden
 *   textarea is selected and `document.execCommand('copy')` copies it; Chromium lets extension pages
 *   do that. Firefox needs the API's transient user activation, which every Copy action has (a click
 *   or a key press).
 */

/** Copies `text`; resolves with whether a copy path reported success. */
export async function writeClipboard(text: string, doc: Document = document): Promise<boolean> {
  const clipboard = doc.defaultView?.navigator.clipboard;
  if (clipboard && typeof clipboard.writeText === 'function') {
    try {
      await clipboard.writeText(text);
      return true;
    } catch {
      // Blocked (permissions policy, no focus): try the selection.
    }
  }
  return copyBySelection(text, doc);
}

/** The fallback: select `text` in an off-screen textarea and run the copy command; focus is restored. */
export function copyBySelection(text: string, doc: Document = document): boolean {
  const active = doc.activeElement as HTMLElement | null;
  const area = doc.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.setAttribute('aria-hidden', 'true');
  area.tabIndex = -1;
  area.style.cssText = 'position:fixed;top:0;left:-9999px;width:1px;height:1px;opacity:0';
  doc.body.append(area);
  let ok = false;
  try {
    area.focus({ preventScroll: true });
    area.select();
    ok = typeof doc.execCommand === 'function' && doc.execCommand('copy');
  } catch {
    ok = false;
  } finally {
    area.remove();
    active?.focus?.({ preventScroll: true });
  }
  return ok;
}
