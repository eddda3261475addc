import { Fragment } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { consumeKey, SHORTCUTS, type Shortcut } from '../store/shortcuts';
import '../styles/shortcuts.css';

const MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** One way to press a shortcut: key chips joined by +. */
function Combo({ keys }: { keys: readonly string[] }) {
  return (
    <span class="combo">
      {keys.map((k, i) => (
        <Fragment key={i}>
          {i > 0 && <span class="plus">+</span>}
          <kbd>{k === 'Mod' ? (MAC ? '⌘' : 'Ctrl') : k}</kbd>
        </Fragment>
      ))}
    </span>
  );
}

function Row({ s }: { s: Shortcut }) {
  return (
    <li class="shortcut">
      <span class="shortcut-label">{s.label}</span>
      <span class="shortcut-keys">
        {s.keys.map((combo, i) => (
          <Fragment key={i}>
            {i > 0 && <span class="or">/</span>}
            <Combo keys={combo} />
          </Fragment>
        ))}
      </span>
    </li>
  );
}

const FOCUSABLE = 'button, [href], input, [tabindex="0"]';

/**
 * The keyboard shortcuts, grouped as in DevTools' own Shortcuts settings: what each does, then its
 * keys. A modal dialog: the focus stays inside until Esc, ? or ✕ closes it (App gives it back).
 */
export function ShortcutsHelp({ onClose }: { onClose(): void }) {
  const dialog = useRef<HTMLDivElement>(null);
  useEffect(() => dialog.current?.querySelector<HTMLElement>('.help-close')?.focus(), []);
  const groups = [...new Set(SHORTCUTS.map((s) => s.group))];
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape' || e.key === '?') {
      consumeKey(e);
      onClose();
      return;
    }
    if (e.key !== 'Tab') return;
    // Keep the focus in the dialog: Tab past the last control comes back to the first, and back.
    const items = Array.from(dialog.current?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? []);
    const first = items[0];
    const last = items.at(-1);
    const at = dialog.current?.ownerDocument.activeElement;
    if (!first || !last) return;
    if (e.shiftKey && (at === first || !dialog.current?.contains(at ?? null))) {
      consumeKey(e);
      last.focus();
    } else if (!e.shiftKey && at === last) {
      consumeKey(e);
      first.focus();
    }
  };
  return (
    <div
      class="help-overlay"
      onPointerDown={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div
        class="help-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="help-title"
        ref={dialog}
        onKeyDown={onKeyDown}
      >
        <div class="help-head">
          <h2 id="help-title">Keyboard shortcuts</h2>
          <button
            type="button"
            class="tool-button help-close"
            aria-label="Close"
            title="Close (Esc)"
            onClick={onClose}
          >
            <span aria-hidden="true">✕</span>
          </button>
        </div>
        <div class="help-body" tabIndex={0} aria-label="Shortcuts">
          {groups.map((g) => (
            <section key={g} aria-labelledby={`help-${g.replace(/\W+/g, '-')}`}>
              <h3 id={`help-${g.replace(/\W+/g, '-')}`}>{g}</h3>
              <ul>
                {SHORTCUTS.filter((s) => s.group === g).map((s) => (
                  <Row key={s.label} s={s} />
                ))}
              </ul>
            </section>
          ))}
          <p class="help-note">
            Letter and number keys work while the focus is in the panel, outside text boxes and dialogs. Keys
            the panel does not use (Esc with nothing to close, Ctrl+P, F1...) go on to DevTools.
          </p>
        </div>
      </div>
    </div>
  );
}
