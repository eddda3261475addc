import type { ComponentChildren } from 'preact';
import { useRef } from 'preact/hooks';

export interface TabDef {
  id: string;
  label: string;
  /** A small count or marker after the label. */
  badge?: string | number;
}

interface Props {
  tabs: TabDef[];
  active: string;
  onChange(id: string): void;
  /** Prefix for element ids (tab `${idPrefix}-tab-x`, panel `${idPrefix}-panel`). */
  idPrefix: string;
  label: string;
  children: ComponentChildren;
  /** Extra controls at the right end of the tab strip. */
  end?: ComponentChildren;
}

/** A tab strip with WAI-ARIA tabs: arrows, Home and End move between tabs. */
export function Tabs({ tabs, active, onChange, idPrefix, label, children, end }: Props) {
  const strip = useRef<HTMLDivElement>(null);
  const move = (e: KeyboardEvent) => {
    const i = tabs.findIndex((t) => t.id === active);
    let next = i;
    if (e.key === 'ArrowRight') next = (i + 1) % tabs.length;
    else if (e.key === 'ArrowLeft') next = (i - 1 + tabs.length) % tabs.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = tabs.length - 1;
    else return;
    e.preventDefault();
    const tab = tabs[next];
    if (!tab) return;
    onChange(tab.id);
    strip.current?.querySelector<HTMLElement>(`#${idPrefix}-tab-${tab.id}`)?.focus();
  };
  return (
    <div class="tabs">
      <div class="tab-strip" role="tablist" aria-label={label} ref={strip} onKeyDown={move}>
        {tabs.map((t) => (
          <button
            type="button"
            role="tab"
            id={`${idPrefix}-tab-${t.id}`}
            aria-selected={t.id === active}
            aria-controls={`${idPrefix}-panel`}
            tabIndex={t.id === active ? 0 : -1}
            class={t.id === active ? 'tab active' : 'tab'}
            onClick={() => onChange(t.id)}
          >
            {t.label}
            {t.badge !== undefined && t.badge !== '' && <span class="tab-badge">{t.badge}</span>}
          </button>
        ))}
        {end && <div class="tab-end">{end}</div>}
      </div>
      <div
        class="tab-panel"
        role="tabpanel"
        id={`${idPrefix}-panel`}
        aria-labelledby={`${idPrefix}-tab-${active}`}
        tabIndex={-1}
      >
        {children}
      </div>
    </div>
  );
}
