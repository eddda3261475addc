/**
 * The panel's one context menu and its Copy status: which menu is open (items, where, and what gets
 * focus back when it closes), and the short "Copied …" note after a copy. Copying goes through the
 * host's `copyText`; the note says whether it worked.
 */
import type { PanelHost } from '../transport';

/** One action of a menu. */
export interface MenuItem {
  label: string;
  run(): void;
  disabled?: boolean;
  /** Draw a separator above this item. */
  separatorBefore?: boolean;
}

/** An open menu: its accessible name, items, the point it opens at (viewport pixels), its invoker. */
export interface MenuRequest {
  label: string;
  items: MenuItem[];
  x: number;
  y: number;
  /** Focused again when the menu closes by Esc, Tab or an item (not by a click elsewhere). */
  returnFocus: HTMLElement | null;
}

/** What the menu layer shows. */
export interface MenuView {
  menu: MenuRequest | null;
  /** The copy note, or null; `serial` changes with every note (the same text twice is announced twice). */
  status: { text: string; ok: boolean; serial: number } | null;
}

/** How long the copy note stays, ms. */
export const STATUS_MS = 2500;

export class MenuStore {
  private view: MenuView = { menu: null, status: null };
  private listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private serial = 0;

  constructor(private readonly host: Pick<PanelHost, 'copyText'> | null) {}

  getView = (): MenuView => this.view;

  subscribe = (cb: () => void): (() => void) => {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  };

  /** Opens `request`, replacing any open menu. */
  open(request: MenuRequest): void {
    this.set({ ...this.view, menu: request });
  }

  /** Closes the menu; with `restoreFocus`, its invoker gets the focus back. */
  close(restoreFocus: boolean): void {
    const menu = this.view.menu;
    if (!menu) return;
    this.set({ ...this.view, menu: null });
    if (restoreFocus) menu.returnFocus?.focus({ preventScroll: true });
  }

  /**
   * Copies `text` through the host and notes the result: `Copied <what>` or why not. Call it from
   * the user's click or key press: browsers allow clipboard writes only then.
   */
  async copy(text: string, what: string): Promise<boolean> {
    let ok = false;
    try {
      ok = this.host ? await this.host.copyText(text) : false;
    } catch {
      ok = false;
    }
    this.note(ok ? `Copied ${what}` : `Could not copy ${what}: the browser refused the clipboard`, ok);
    return ok;
  }

  private note(text: string, ok: boolean): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.set({ ...this.view, status: { text, ok, serial: ++this.serial } });
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.set({ ...this.view, status: null });
    }, STATUS_MS);
  }

  private set(view: MenuView): void {
    this.view = view;
    for (const cb of [...this.listeners]) cb();
  }
}

/** The context-menu key, or Shift+F10: open the focused item's menu from the keyboard. */
export function isMenuKey(e: KeyboardEvent): boolean {
  return e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey && !e.ctrlKey && !e.altKey && !e.metaKey);
}

/**
 * Where a menu opens: at the pointer for a right-click, else under the start of `anchor` (a key press,
 * or a button).
 */
export function menuPoint(e: MouseEvent | KeyboardEvent | null, anchor: Element): { x: number; y: number } {
  if (e && 'clientX' in e && (e.clientX !== 0 || e.clientY !== 0)) return { x: e.clientX, y: e.clientY };
  const r = anchor.getBoundingClientRect();
  return { x: r.left + Math.min(24, r.width / 2), y: r.bottom };
}
