import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import type { MenuItem, MenuRequest } from '../store/menu-store';

interface Props {
  menu: MenuRequest;
  /** Closes the menu; `restoreFocus` gives the focus back to the invoker. */
  onClose(restoreFocus: boolean): void;
}

/** Margin kept between the menu and the viewport's edges, CSS pixels. */
const EDGE = 4;

/**
 * A WAI-ARIA menu at a point, kept inside the viewport: ↑/↓ (wrapping), Home and End move, Enter or
 * Space runs an item, Esc and Tab close it and give the focus back; a click elsewhere, a resize or
 * leaving the window close it (a scroll does not: selecting a row may scroll it into view).
 */
export function ContextMenu({ menu, onClose }: Props) {
  const box = useRef<HTMLDivElement>(null);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const view = el.ownerDocument.defaultView;
    const width = view?.innerWidth ?? 0;
    const height = view?.innerHeight ?? 0;
    const r = el.getBoundingClientRect();
    // Past the right or bottom edge: open to the left of / above the point, and never off the top-left.
    let x = menu.x;
    let y = menu.y;
    if (x + r.width > width - EDGE) x = Math.max(EDGE, Math.min(x - r.width, width - r.width - EDGE));
    if (y + r.height > height - EDGE) y = Math.max(EDGE, Math.min(y - r.height, height - r.height - EDGE));
    el.style.left = `${Math.max(0, x)}px`;
    el.style.top = `${Math.max(0, y)}px`;
    el.style.visibility = 'visible';
    items(el)[0]?.focus({ preventScroll: true });
  }, [menu]);

  useEffect(() => {
    const el = box.current;
    const doc = el?.ownerDocument;
    const view = doc?.defaultView;
    if (!el || !doc || !view) return;
    // A menu button toggles its own menu: pressing it is not a click elsewhere.
    const toggle = menu.returnFocus?.getAttribute('aria-haspopup') === 'menu' ? menu.returnFocus : null;
    const outside = (e: Event) => {
      const target = e.target as Node;
      if (!el.contains(target) && !toggle?.contains(target)) onClose(false);
    };
    const dismiss = () => onClose(false);
    doc.addEventListener('pointerdown', outside, true);
    view.addEventListener('resize', dismiss);
    view.addEventListener('blur', dismiss);
    return () => {
      doc.removeEventListener('pointerdown', outside, true);
      view.removeEventListener('resize', dismiss);
      view.removeEventListener('blur', dismiss);
    };
  }, [menu, onClose]);

  const run = (item: MenuItem) => {
    if (item.disabled) return;
    // The action runs inside the user's click or key press (clipboard writes need that), then the menu closes.
    item.run();
    onClose(true);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const el = box.current;
    if (!el) return;
    const list = items(el);
    const i = list.indexOf(el.ownerDocument.activeElement as HTMLElement);
    let next = -1;
    if (e.key === 'ArrowDown') next = (i + 1) % list.length;
    else if (e.key === 'ArrowUp') next = (i - 1 + list.length) % list.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = list.length - 1;
    else if (e.key === 'Escape' || e.key === 'Tab') {
      e.preventDefault();
      e.stopPropagation();
      onClose(true);
      return;
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      e.stopPropagation();
      const index = Number((list[i] as HTMLElement | undefined)?.dataset.index);
      const item = menu.items[index];
      if (item) run(item);
      return;
    } else return;
    e.preventDefault();
    e.stopPropagation();
    list[next]?.focus();
  };

  return (
    <div
      ref={box}
      class="context-menu"
      role="menu"
      aria-label={menu.label}
      style={{ left: `${menu.x}px`, top: `${menu.y}px`, visibility: 'hidden' }}
      onKeyDown={onKeyDown}
      onContextMenu={(e) => e.preventDefault()}
    >
      {menu.items.map((item, index) => [
        item.separatorBefore && index > 0 ? (
          <div key={`sep-${index}`} role="separator" class="menu-sep" />
        ) : null,
        <button
          key={index}
          type="button"
          role="menuitem"
          tabIndex={-1}
          data-index={index}
          aria-disabled={item.disabled ? 'true' : undefined}
          class={item.disabled ? 'disabled' : undefined}
          onClick={() => run(item)}
        >
          {item.label}
        </button>,
      ])}
    </div>
  );
}

/** The enabled items, in order (disabled ones are skipped by the arrow keys). */
function items(el: HTMLElement): HTMLElement[] {
  return Array.from(el.querySelectorAll<HTMLElement>('[role=menuitem]:not([aria-disabled=true])'));
}
