import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { keepInView } from './keep-in-view';

interface Item {
  id: string;
  label: string;
}

interface Props<T extends Item> {
  /** Accessible name of the button and its menu. */
  label: string;
  items: T[];
  render(item: T): ComponentChildren;
  onPick(id: string): void;
}

/**
 * The » button at the end of a tab strip and its menu of the tabs that did not fit. ↑/↓ move in the
 * menu, Enter picks, Esc (or Tab, or a click elsewhere) closes it and gives the focus back.
 */
export function TabMenu<T extends Item>({ label, items, render, onPick }: Props<T>) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    if (!open) return;
    keepInView(menu.current);
    menu.current?.querySelector<HTMLElement>('[role=menuitem]')?.focus();
    const outside = (e: Event) => {
      const t = e.target as Node;
      if (!menu.current?.contains(t) && !button.current?.contains(t)) setOpen(false);
    };
    document.addEventListener('pointerdown', outside, true);
    return () => document.removeEventListener('pointerdown', outside, true);
  }, [open]);
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const entries = Array.from(menu.current?.querySelectorAll<HTMLElement>('[role=menuitem]') ?? []);
    const i = entries.indexOf(document.activeElement as HTMLElement);
    let next: HTMLElement | undefined;
    if (e.key === 'ArrowDown') next = entries[(i + 1) % entries.length];
    else if (e.key === 'ArrowUp') next = entries[(i - 1 + entries.length) % entries.length];
    else if (e.key === 'Home') next = entries[0];
    else if (e.key === 'End') next = entries.at(-1);
    else if (e.key === 'Escape') {
      e.preventDefault();
      close();
      return;
    } else if (e.key === 'Tab') {
      setOpen(false);
      return;
    } else return;
    e.preventDefault();
    next?.focus();
  };
  return (
    <span class="tab-more-anchor">
      <button
        ref={button}
        type="button"
        class="tab-more"
        aria-label={label}
        title={label}
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        onKeyDown={(e) => {
          if (e.key !== 'ArrowDown' || open) return;
          e.preventDefault();
          setOpen(true);
        }}
      >
        »
      </button>
      {open && (
        <div class="menu tab-menu" role="menu" aria-label={label} ref={menu} onKeyDown={onKeyDown}>
          {items.map((item) => (
            <button
              type="button"
              role="menuitem"
              key={item.id}
              tabIndex={-1}
              onClick={() => {
                setOpen(false);
                onPick(item.id);
              }}
            >
              {render(item)}
            </button>
          ))}
        </div>
      )}
    </span>
  );
}
