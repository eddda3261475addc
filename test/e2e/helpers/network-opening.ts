/**
 * Reads what a socket's detail shows of the network witness, as a user would get there: its row
 * clicked, the Handshake tab, its opening step; then the Extensions tab. Self-contained (serialised
 * with `toString()`), so it runs in Chromium's panel frame and in Firefox's panel through a frame script.
 */

/** The opening handshake from the network, as the detail renders it. */
export interface NetworkOpeningView {
  /** The section's title, its mark included ('' when there is no network view). */
  title: string;
  /** The request line and the status line. */
  lines: string[];
  request: string[][];
  response: string[][];
  /** The Extensions tab's section titles. */
  extensionTitles: string[];
  /** The Extensions tab's whole text. */
  extensions: string;
}

/** Runs in the panel: opens the last socket whose row URL contains `path` and reads its network view. */
export async function readNetworkOpening(doc: Document, path: string): Promise<NetworkOpeningView> {
  const win = doc.defaultView!;
  const tick = () => new Promise((r) => win.setTimeout(r, 60));
  const until = async <T>(what: string, get: () => T | null | undefined): Promise<T> => {
    for (let i = 0; i < 150; i++) {
      const v = get();
      if (v) return v;
      await tick();
    }
    throw new Error(`panel: ${what} never happened`);
  };
  const t = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  const rows = Array.from(doc.querySelectorAll<HTMLElement>('.conn-row[role=option]'));
  const row = rows.filter((r) => r.querySelector('.col-url')?.getAttribute('title')?.includes(path)).at(-1);
  if (!row) throw new Error(`panel: no row for ${path}`);
  row.click();
  (await until('the Handshake tab', () => doc.querySelector<HTMLElement>('#detail-tab-handshake'))).click();
  const open = await until('the opening step', () =>
    Array.from(doc.querySelectorAll<HTMLElement>('.waterfall button[data-step]')).find((b) =>
      b.textContent?.includes('Open ('),
    ),
  );
  open.click();
  const root = await until('the network opening handshake', () =>
    doc.querySelector('.detail .network-opening'),
  );
  const table = (label: string) =>
    Array.from(root.querySelectorAll(`table[aria-label="${label}"] tbody tr`), (tr) => [
      t(tr.querySelector('th')),
      t(tr.querySelector('td')),
    ]);
  const view = {
    title: t(root.querySelector('h2')),
    lines: Array.from(root.querySelectorAll('.http-first-line'), (el) => t(el)),
    request: table('Opening request headers'),
    response: table('Opening response headers'),
  };
  (await until('the Extensions tab', () => doc.querySelector<HTMLElement>('#detail-tab-extensions'))).click();
  const ext = await until('the extensions', () => doc.querySelector('.detail .extensions'));
  return {
    ...view,
    extensionTitles: Array.from(ext.querySelectorAll('h2'), (h) => t(h)),
    extensions: t(ext),
  };
}
