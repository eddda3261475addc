import type { TimelineStep } from '../../protocol/model';
import { isMenuKey } from '../store/menu-store';
import { formatOffset } from '../store/summary';

interface Props {
  steps: TimelineStep[];
  selected: number;
  onSelect(index: number): void;
  /** Opens step `index`'s Copy menu (right-click, or the context-menu key / Shift+F10 on a step). */
  onMenu?(index: number, event: MouseEvent | KeyboardEvent, anchor: HTMLElement): void;
}

/** Moves focus between sibling buttons of a list with the arrow keys. */
export function arrowFocus(e: KeyboardEvent, selector: string): void {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
  const items = Array.from((e.currentTarget as HTMLElement).querySelectorAll<HTMLElement>(selector));
  const i = items.indexOf(document.activeElement as HTMLElement);
  const next = items[e.key === 'ArrowDown' ? Math.min(items.length - 1, i + 1) : Math.max(0, i - 1)];
  if (next) {
    e.preventDefault();
    next.focus();
  }
}

/** The handshake as a waterfall: one line per step, bars scaled to the socket's lifetime. */
export function Waterfall({ steps, selected, onSelect, onMenu }: Props) {
  const total = Math.max(1, ...steps.map((s) => s.at));
  const onKeyDown = (e: KeyboardEvent) => {
    const button = (e.target as Element).closest<HTMLElement>('button[data-step]');
    if (isMenuKey(e) && button && onMenu) {
      e.preventDefault();
      onMenu(Number(button.dataset.step), e, button);
      return;
    }
    arrowFocus(e, 'button');
  };
  return (
    <ol class="waterfall" aria-label="Handshake timeline" onKeyDown={onKeyDown}>
      {steps.map((step, i) => {
        const prev = i > 0 ? steps[i - 1]!.at : 0;
        const left = (Math.min(prev, step.at) / total) * 100;
        const width = Math.max(0.5, (Math.abs(step.at - prev) / total) * 100);
        return (
          <li key={i} class={`wf-step kind-${step.kind}`}>
            <button
              type="button"
              class={i === selected ? 'wf-button selected' : 'wf-button'}
              aria-current={i === selected ? 'step' : undefined}
              data-step={i}
              onClick={() => onSelect(i)}
              onContextMenu={(e) => {
                if (!onMenu) return;
                e.preventDefault();
                onSelect(i);
                onMenu(i, e, e.currentTarget as HTMLElement);
              }}
            >
              <span class="wf-time">{formatOffset(step.at)}</span>
              <span class="wf-label" title={step.label}>
                {step.label}
              </span>
              <span class="wf-track" aria-hidden="true">
                <span class="wf-bar" style={{ left: `${left}%`, width: `${Math.min(width, 100 - left)}%` }} />
              </span>
            </button>
          </li>
        );
      })}
    </ol>
  );
}
