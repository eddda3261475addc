/**
 * Layout arithmetic for narrow and wide panels, kept out of the components so it can be tested
 * without a layout engine: which tabs fit a tab strip, how list and detail share the panel, and
 * where a URL is split so that it is elided in the middle.
 */

/** Which tabs a strip shows and which go to its overflow menu (indexes into the tab list, in order). */
export interface TabFit {
  shown: number[];
  hidden: number[];
}

/**
 * Fits tabs of the given widths into `available` pixels. When they do not all fit, the strip also
 * needs the overflow button (`moreWidth`), and the tabs that fit before it are shown; the active tab
 * is always shown, in place of the last one that fit if need be (DevTools' tabbed panes do the same).
 */
export function fitTabs(
  widths: readonly number[],
  available: number,
  active: number,
  moreWidth: number,
): TabFit {
  const all = widths.map((_, i) => i);
  const total = widths.reduce((a, b) => a + b, 0);
  if (total <= available) return { shown: all, hidden: [] };
  const room = available - moreWidth;
  const shown: number[] = [];
  let used = 0;
  for (const i of all) {
    if (used + widths[i]! > room) break;
    shown.push(i);
    used += widths[i]!;
  }
  if (active >= 0 && active < widths.length && !shown.includes(active)) {
    // Make room for the active tab by dropping the last shown ones.
    while (shown.length > 0 && used + widths[active]! > room) used -= widths[shown.pop()!]!;
    shown.push(active);
    shown.sort((a, b) => a - b);
  }
  return { shown, hidden: all.filter((i) => !shown.includes(i)) };
}

/**
 * How the connection list and a socket's detail share the panel:
 * - `side`: side by side, as in DevTools' Network panel (wide enough for both);
 * - `stacked`: list above, detail below (narrow: docked at the side);
 * - `detail`: the detail alone, the list back when it closes (narrow and short).
 */
export type PaneLayout = 'side' | 'stacked' | 'detail';

/** Below this width (CSS pixels of the panel's main area) list and detail are stacked. */
export const STACK_BELOW_WIDTH = 640;
/** Stacked, below this height the detail takes the whole area. */
export const DETAIL_ALONE_BELOW_HEIGHT = 320;

export function paneLayout(width: number, height: number): PaneLayout {
  // Nothing laid out yet (or a test without layout): the wide layout.
  if (width <= 0) return 'side';
  if (width >= STACK_BELOW_WIDTH) return 'side';
  return height > 0 && height < DETAIL_ALONE_BELOW_HEIGHT ? 'detail' : 'stacked';
}

/** Longest tail kept whole when a URL is elided in the middle. */
const TAIL_MAX = 24;

/**
 * Splits a URL into a head, elided at its end when space is short, and a tail that always shows:
 * from the last path segment on (`/basic?.kl=Y`), at most TAIL_MAX characters and never more than
 * half the URL. Together they read `ws://host:80…/basic?.kl=Y`: elided in the middle.
 */
export function splitUrl(url: string): [head: string, tail: string] {
  const half = Math.floor(url.length / 2);
  const max = Math.min(TAIL_MAX, half);
  let at = url.length - max;
  const scheme = url.indexOf('://');
  const slash = url.lastIndexOf('/', url.indexOf('?') >= 0 ? url.indexOf('?') : url.length);
  if (slash > (scheme >= 0 ? scheme + 2 : -1) && url.length - slash <= max) at = slash;
  return [url.slice(0, at), url.slice(at)];
}
