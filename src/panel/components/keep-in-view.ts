/** Margin kept between a popup menu and the panel's edges, in CSS pixels. */
const MARGIN = 4;

/**
 * Shifts an absolutely positioned popup sideways so that it stays inside the panel: a menu anchored
 * at a button near the right edge (or, in a narrow panel, anywhere) would otherwise be cut off.
 */
export function keepInView(el: HTMLElement | null): void {
  if (!el) return;
  el.style.transform = '';
  const r = el.getBoundingClientRect();
  const width = el.ownerDocument.documentElement.clientWidth;
  if (!width || !r.width) return;
  let shift = 0;
  if (r.right > width - MARGIN) shift = width - MARGIN - r.right;
  if (r.left + shift < MARGIN) shift = MARGIN - r.left;
  if (shift) el.style.transform = `translateX(${Math.round(shift)}px)`;
}
