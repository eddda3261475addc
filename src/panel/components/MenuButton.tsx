import { useRef } from 'preact/hooks';
import { useMenuStore, useMenuView } from '../store/menu-context';
import { menuPoint, type MenuItem } from '../store/menu-store';

interface Props {
  /** The button's accessible name and tooltip; also the menu's name. */
  label: string;
  /** The menu's items, built when it opens. */
  items(): MenuItem[];
}

/** A "⋯" button that opens a context menu under itself (the same menu a right-click opens). */
export function MenuButton({ label, items }: Props) {
  const menus = useMenuStore();
  const view = useMenuView(menus);
  const button = useRef<HTMLButtonElement>(null);
  const open = view.menu !== null && view.menu.returnFocus === button.current && button.current !== null;
  return (
    <button
      ref={button}
      type="button"
      class="tool-button menu-button"
      title={label}
      aria-label={label}
      aria-haspopup="menu"
      aria-expanded={open}
      onClick={(e) => {
        const el = e.currentTarget as HTMLButtonElement;
        if (open) return menus.close(true);
        menus.open({ label, items: items(), ...menuPoint(null, el), returnFocus: el });
      }}
    >
      <span aria-hidden="true">⋯</span>
    </button>
  );
}
