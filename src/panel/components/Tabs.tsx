import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { fitTabs } from '../store/layout';
import { TabMenu } from './TabMenu';

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

/** Measured widths: every tab's, the overflow button's, and the room the strip has for tabs. */
interface Sizes {
  tabs: number[];
  more: number;
  available: number;
}

function TabContent({ tab }: { tab: TabDef }) {
  return (
    <>
      {tab.label}
      {tab.badge !== undefined && tab.badge !== '' && <span class="tab-badge">{tab.badge}</span>}
    </>
  );
}

/**
 * A tab strip with WAI-ARIA tabs: arrows, Home and End move between tabs (hidden ones included).
 * Tabs that do not fit go to a » menu at the end of the strip; the active tab always shows.
 */
export function Tabs({ tabs, active, onChange, idPrefix, label, children, end }: Props) {
  const strip = useRef<HTMLDivElement>(null);
  const ruler = useRef<HTMLDivElement>(null);
  const endBox = useRef<HTMLDivElement>(null);
  const focusNext = useRef<string | null>(null);
  const [sizes, setSizes] = useState<Sizes | null>(null);
  const key = tabs.map((t) => `${t.label}\u0000${t.badge ?? ''}`).join('\u0001');

  useLayoutEffect(() => {
    const measure = () => {
      const r = ruler.current;
      const s = strip.current;
      if (!r || !s) return;
      // Rounded up: tabs that fit by the sum of their widths fit on screen too.
      const widths = Array.from(r.children, (el) => Math.ceil(el.getBoundingClientRect().width));
      const more = widths.pop() ?? 0;
      const next = {
        tabs: widths,
        more,
        available: s.clientWidth - Math.ceil(endBox.current?.getBoundingClientRect().width ?? 0),
      };
      setSizes((old) =>
        old && old.available === next.available && old.more === more && old.tabs.join() === widths.join()
          ? old
          : next,
      );
    };
    measure();
    if (typeof ResizeObserver !== 'function' || !strip.current) return;
    const ro = new ResizeObserver(measure);
    ro.observe(strip.current);
    return () => ro.disconnect();
  }, [key]);

  const activeIndex = tabs.findIndex((t) => t.id === active);
  const fit =
    sizes && sizes.tabs.length === tabs.length
      ? fitTabs(sizes.tabs, sizes.available, activeIndex, sizes.more)
      : { shown: tabs.map((_, i) => i), hidden: [] };

  useLayoutEffect(() => {
    // A tab chosen by keyboard or from the menu takes the focus once it is in the strip.
    const id = focusNext.current;
    if (id === null) return;
    focusNext.current = null;
    strip.current?.querySelector<HTMLElement>(`#${idPrefix}-tab-${id}`)?.focus();
  });

  const select = (id: string, focus: boolean) => {
    if (focus) focusNext.current = id;
    onChange(id);
  };
  const move = (e: KeyboardEvent) => {
    const i = activeIndex;
    let next = i;
    if (e.key === 'ArrowRight') next = (i + 1) % tabs.length;
    else if (e.key === 'ArrowLeft') next = (i - 1 + tabs.length) % tabs.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = tabs.length - 1;
    else return;
    e.preventDefault();
    const tab = tabs[next];
    if (tab) select(tab.id, true);
  };
  return (
    <div class="tabs">
      <div class="tab-strip" ref={strip}>
        <div class="tab-list" role="tablist" aria-label={label} onKeyDown={move}>
          {fit.shown.map((i) => {
            const t = tabs[i]!;
            return (
              <button
                type="button"
                role="tab"
                key={t.id}
                id={`${idPrefix}-tab-${t.id}`}
                aria-selected={t.id === active}
                aria-controls={`${idPrefix}-panel`}
                tabIndex={t.id === active ? 0 : -1}
                class={t.id === active ? 'tab active' : 'tab'}
                onClick={() => onChange(t.id)}
              >
                <TabContent tab={t} />
              </button>
            );
          })}
        </div>
        {fit.hidden.length > 0 && (
          <TabMenu
            label={`More ${label.toLowerCase()} tabs`}
            items={fit.hidden.map((i) => tabs[i]!)}
            render={(t) => <TabContent tab={t} />}
            onPick={(id) => select(id, true)}
          />
        )}
        {end && (
          <div class="tab-end" ref={endBox}>
            {end}
          </div>
        )}
        <div class="tab-ruler" ref={ruler} aria-hidden="true">
          {tabs.map((t) => (
            <span class="tab" key={t.id}>
              <TabContent tab={t} />
            </span>
          ))}
          <span class="tab-more">»</span>
        </div>
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
