/** The panel's menu store, one per panel store, reached from components without a new provider. */
import { useContext, useEffect, useState } from 'preact/hooks';
import { PanelContext } from './context';
import type { PanelStore } from './panel-store';
import { MenuStore, type MenuView } from './menu-store';

const stores = new WeakMap<PanelStore, MenuStore>();
/** For a component rendered alone (tests): menus work, copies report failure. */
let detached: MenuStore | null = null;

/** The menu store of the panel this component belongs to (created on first use). */
export function useMenuStore(): MenuStore {
  const deps = useContext(PanelContext);
  if (!deps) return (detached ??= new MenuStore(null));
  let menus = stores.get(deps.store);
  if (!menus) {
    menus = new MenuStore(deps.host);
    stores.set(deps.store, menus);
  }
  return menus;
}

/** The menu layer's current view; re-renders on every change. */
export function useMenuView(menus: MenuStore): MenuView {
  const [, setTick] = useState(0);
  useEffect(() => menus.subscribe(() => setTick((n) => n + 1)), [menus]);
  return menus.getView();
}
