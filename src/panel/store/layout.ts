/**
 * Layout arithmetic for narrow and wide panels, kept out of the components so it can be tested
 * without a layout engine: which tabs fit a tab strip.
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
