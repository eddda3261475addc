import { usePanel } from '../store/context';
import { useMenuStore } from '../store/menu-context';
import { menuPoint, type MenuItem } from '../store/menu-store';
import { socketMenuItems } from './copy-menus';

/** The items of a socket's menu, from the store's current snapshot. */
export function useSocketMenuItems(): (id: string) => MenuItem[] {
  const { store, core } = usePanel();
  const menus = useMenuStore();
  return (id) => {
    const snap = store.getSnapshot();
    const c = snap.connectionById.get(id);
    if (!c) return [];
    const socket = snap.sockets.find((s) => s.id === id);
    return socketMenuItems(c, socket, core, (text, what) => menus.copy(text, what));
  };
}

/**
 * Opens the menu of the socket `id` at a right-click or under `anchor` (a key press); the focus
 * goes back to the list it was opened from.
 */
export function useSocketMenu(): (
  id: string,
  event: MouseEvent | KeyboardEvent,
  anchor: HTMLElement,
) => void {
  const items = useSocketMenuItems();
  const menus = useMenuStore();
  return (id, event, anchor) => {
    const list = items(id);
    if (list.length === 0) return;
    menus.open({
      label: 'Socket',
      items: list,
      ...menuPoint(event, anchor),
      returnFocus: anchor.closest<HTMLElement>('[role=listbox]') ?? anchor,
    });
  };
}
