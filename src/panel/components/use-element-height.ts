import type { RefObject } from 'preact';
import { useLayoutEffect, useState } from 'preact/hooks';

/**
 * The client height of a scroll container, kept current as it resizes (virtual lists need it to
 * know how many rows are in view). `fallback` stands in before layout and where nothing is laid out.
 */
export function useElementHeight(box: RefObject<HTMLElement>, fallback: number): number {
  const [height, setHeight] = useState(fallback);
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => setHeight(el.clientHeight || fallback);
    measure();
    if (typeof ResizeObserver !== 'function') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [box, fallback]);
  return height;
}
