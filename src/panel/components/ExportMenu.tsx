import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { keepInView } from './keep-in-view';

interface Props {
  onExport(format: 'har' | 'json', includeCredentials: boolean): void;
  disabled?: boolean;
  /** The button's shortcut (aria-keyshortcuts). */
  keys?: string;
}

/** The export button and its menu: HAR or JSON, credentials redacted unless the user opts in. */
export function ExportMenu({ onExport, disabled, keys }: Props) {
  const [open, setOpen] = useState(false);
  const [credentials, setCredentials] = useState(false);
  const menu = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => {
    if (!open) return;
    keepInView(menu.current);
    menu.current?.querySelector<HTMLElement>('button, input')?.focus();
  }, [open]);
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  const pick = (format: 'har' | 'json') => {
    onExport(format, credentials);
    close();
  };
  return (
    <span class="menu-anchor">
      <button
        ref={button}
        type="button"
        class="tool-button"
        title={keys ? `Export (${keys})` : 'Export'}
        aria-label="Export"
        aria-keyshortcuts={keys}
        aria-haspopup="menu"
        aria-expanded={open}
        disabled={disabled}
        onClick={() => setOpen(!open)}
      >
        <span aria-hidden="true">⤓</span>
      </button>
      {open && (
        <div
          class="menu"
          role="menu"
          aria-label="Export"
          ref={menu}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              e.stopPropagation();
              close();
            }
          }}
        >
          <button type="button" role="menuitem" onClick={() => pick('har')}>
            Export HAR…
          </button>
          <button type="button" role="menuitem" onClick={() => pick('json')}>
            Export capture JSON…
          </button>
          <label class="menu-check">
            <input
              type="checkbox"
              role="menuitemcheckbox"
              aria-checked={credentials}
              checked={credentials}
              onChange={(e) => setCredentials((e.currentTarget as HTMLInputElement).checked)}
            />
            Include credentials (Authorization, cookies, tokens)
          </label>
          {!credentials && <div class="menu-note">Credentials are replaced by [redacted].</div>}
        </div>
      )}
    </span>
  );
}
