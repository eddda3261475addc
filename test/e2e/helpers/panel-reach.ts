/**
 * Can a user reach everything in a socket's detail at the panel's current size? `reachDetail` runs
 * inside the panel's document (its source is sent there: Chromium's panel frame, Firefox's frame
 * script), opens the socket, then tries every tab as a user would (in the strip, or through the »
 * menu) and looks at the URL and the header's buttons: on screen, not covered, not cut off.
 */

/** How a tab was reached. */
export type TabRoute = 'strip' | 'menu' | 'unreachable';

export interface ReachReport {
  width: number;
  height: number;
  /** The split's layout class (`split-side`, `split-stacked`, `split-detail`). */
  layout: string;
  tabs: { id: string; route: TabRoute; selected: boolean }[];
  url: { text: string; title: string; shown: number; onScreen: boolean; tailShown: boolean };
  /** The header's buttons by accessible name, and whether each is on screen and not covered. */
  actions: Record<string, boolean>;
}

/**
 * Runs in the panel: opens the socket whose row URL contains `path` (unless it is open), then
 * reaches each tab. Self-contained: it is serialised with `toString()`.
 */
export async function reachDetail(doc: Document, path: string): Promise<ReachReport> {
  const win = doc.defaultView!;
  const tick = () => new Promise((r) => win.setTimeout(r, 60));
  const until = async (what: string, ok: () => boolean) => {
    for (let i = 0; i < 100 && !ok(); i++) await tick();
    if (!ok()) throw new Error(`panel: ${what} never happened`);
  };
  // After a resize the panel lays itself out again over a frame or two (its size observers): wait
  // until what it shows has been the same for a few ticks, as it would be before a user acts.
  const layoutNow = () =>
    [
      win.innerWidth,
      win.innerHeight,
      doc.querySelector('.split')?.className,
      doc.querySelectorAll('[role=tab]').length,
      doc.querySelectorAll('.tab-more').length,
      doc.querySelector('.detail-head')?.getBoundingClientRect().height,
    ].join();
  const settle = async () => {
    let last = '';
    for (let same = 0, i = 0; same < 3 && i < 100; i++) {
      const now = layoutNow();
      same = now === last ? same + 1 : 0;
      last = now;
      await tick();
    }
  };
  await settle();
  const W = win.innerWidth;
  const H = win.innerHeight;
  /** On screen (and inside `clip`, a box that hides what overflows it), not covered. */
  const onScreen = (el: Element | null, clip?: Element | null) => {
    if (!el) return false;
    const r = el.getBoundingClientRect();
    if (
      r.width < 1 ||
      r.height < 1 ||
      r.left < -0.5 ||
      r.top < -0.5 ||
      r.right > W + 0.5 ||
      r.bottom > H + 0.5
    )
      return false;
    const c = clip?.getBoundingClientRect();
    if (c && (r.left < c.left - 0.5 || r.right > c.right + 0.5)) return false;
    // Not covered by anything else (a hit test at its centre lands on it or inside it).
    const hit = doc.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return !!hit && (hit === el || el.contains(hit));
  };
  const headUrl = () => doc.querySelector('.detail .detail-url')?.getAttribute('title') ?? '';
  if (!headUrl().includes(path)) {
    const findRow = () =>
      Array.from(doc.querySelectorAll('.conn-row')).find((r) =>
        (r.querySelector('.col-url')?.getAttribute('title') ?? '').includes(path),
      ) as HTMLElement | undefined;
    await until(`a row for ${path}`, () => !!findRow());
    findRow()!.click();
    await until(`the detail of ${path}`, () => headUrl().includes(path));
    await settle();
  }
  const labels: Record<string, string> = {
    handshake: 'Handshake',
    messages: 'Messages',
    extensions: 'Extensions',
    redirects: 'Redirects',
    findings: 'Findings',
  };
  const tabs: ReachReport['tabs'] = [];
  for (const id of Object.keys(labels)) {
    const selected = () => doc.querySelector(`#detail-tab-${id}`)?.getAttribute('aria-selected') === 'true';
    let route: TabRoute = 'unreachable';
    const tab = doc.querySelector<HTMLElement>(`#detail-tab-${id}`);
    if (tab && onScreen(tab, tab.parentElement)) {
      tab.click();
      route = 'strip';
    } else {
      const more = doc.querySelector<HTMLElement>('.detail .tab-more');
      if (more && onScreen(more)) {
        more.click();
        await until('the tab menu', () => !!doc.querySelector('.tab-menu'));
        const item = Array.from(doc.querySelectorAll<HTMLElement>('.tab-menu [role=menuitem]')).find((m) =>
          (m.textContent ?? '').startsWith(labels[id]!),
        );
        if (item && onScreen(item)) {
          item.click();
          route = 'menu';
        }
      }
    }
    if (route !== 'unreachable') await until(`${id} selected`, selected);
    tabs.push({ id, route, selected: selected() });
  }
  const url = doc.querySelector('.detail .detail-url');
  const tail = url?.querySelector('.url-tail');
  const box = url?.getBoundingClientRect();
  const tailBox = tail?.getBoundingClientRect();
  const actions: Record<string, boolean> = {};
  for (const b of Array.from(doc.querySelectorAll('.detail-head button')))
    actions[b.getAttribute('aria-label') ?? (b.textContent ?? '').trim()] = onScreen(b);
  const split = doc.querySelector('.split');
  return {
    width: W,
    height: H,
    layout: Array.from(split?.classList ?? []).find((c) => c.startsWith('split-')) ?? '',
    tabs,
    url: {
      text: url?.textContent ?? '',
      title: url?.getAttribute('title') ?? '',
      shown: Math.round(box?.width ?? 0),
      onScreen: !!box && box.left >= -0.5 && box.right <= W + 0.5 && box.top >= -0.5 && box.bottom <= H + 0.5,
      tailShown: !!box && !!tailBox && tailBox.width > 0 && tailBox.right <= box.right + 0.5,
    },
    actions,
  };
}

/** An expression that runs `reachDetail` on `document` (Chromium's panel frame). */
export function reachExpression(path: string, doc = 'document'): string {
  return `(${reachDetail.toString()})(${doc}, ${JSON.stringify(path)})`;
}

/** The failures in a report, as readable lines (empty: everything reachable). */
export function unreachable(r: ReachReport, socketUrl: string): string[] {
  const at = `${r.width}×${r.height}`;
  const out = r.tabs.filter((t) => t.route === 'unreachable' || !t.selected).map((t) => `${at}: tab ${t.id}`);
  if (r.url.title !== socketUrl) out.push(`${at}: URL title ${r.url.title}`);
  if (r.url.text !== socketUrl) out.push(`${at}: URL text ${r.url.text}`);
  if (!r.url.onScreen || r.url.shown < 60 || !r.url.tailShown)
    out.push(`${at}: URL not shown (${r.url.shown} px)`);
  for (const [name, ok] of Object.entries(r.actions)) if (!ok) out.push(`${at}: button ${name}`);
  return out;
}
