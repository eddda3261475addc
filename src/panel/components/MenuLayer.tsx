import { useCallback } from 'preact/hooks';
import { useMenuStore, useMenuView } from '../store/menu-context';
import '../styles/menu.css';
import { ContextMenu } from './ContextMenu';

/** The open context menu (if any) and the note a copy leaves ("Copied URL"), over the panel. */
export function MenuLayer() {
  const menus = useMenuStore();
  const view = useMenuView(menus);
  const close = useCallback((restoreFocus: boolean) => menus.close(restoreFocus), [menus]);
  const status = view.status;
  return (
    <>
      {view.menu && <ContextMenu menu={view.menu} onClose={close} />}
      <div
        class={`copy-status${status ? ' shown' : ''}${status && !status.ok ? ' failed' : ''}`}
        role="status"
        aria-live="polite"
      >
        {status?.text ?? ''}
      </div>
    </>
  );
}
