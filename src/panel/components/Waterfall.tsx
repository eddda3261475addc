import { useState } from 'preact/hooks';
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

/** The scales the waterfall can draw at. */
export type WaterfallScale = 'handshake' | 'life';

const HANDSHAKE_END = new Set<TimelineStep['kind']>(['completed', 'failed', 'redirect']);

/**
 * Where the extended handshake ended (the step that completed, failed or redirected it; else the
 * last request or response), in ms since creation; null when there is no handshake to scale to.
 */
export function handshakeSpan(steps: TimelineStep[]): number | null {
  let end: number | null = null;
  for (const s of steps) if (HANDSHAKE_END.has(s.kind)) end = s.at;
  if (end === null) for (const s of steps) if (s.kind === 'request' || s.kind === 'response') end = s.at;
  return end !== null && end > 0 ? end : null;
}

/**
 * The handshake as a waterfall: one line per step, bars scaled to the extended handshake by default
 * (a 30 ms handshake is not a sliver beside a socket that lived for minutes), or to the socket's
 * whole life. Steps past the scale's end are drawn at the right edge, marked as beyond it.
 */
export function Waterfall({ steps, selected, onSelect, onMenu }: Props) {
  const [scale, setScale] = useState<WaterfallScale>('handshake');
  const life = Math.max(1, ...steps.map((s) => s.at));
  const span = handshakeSpan(steps);
  // Scaling to the handshake only means something when it ended before the socket's life did.
  const scalable = span !== null && span < life;
  const useHandshake = scale === 'handshake' && scalable;
  const total = useHandshake ? span! : life;
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
    <div class="waterfall-box">
      <div class="wf-scale" role="group" aria-label="Timeline scale">
        <span class="wf-scale-label">Scale:</span>
        <button
          type="button"
          class={scale === 'handshake' ? 'chip on' : 'chip'}
          aria-pressed={scale === 'handshake'}
          disabled={!scalable}
          title="Bars scaled to the extended handshake"
          onClick={() => setScale('handshake')}
        >
          handshake{span !== null ? ` (${formatOffset(span).slice(1)})` : ''}
        </button>
        <button
          type="button"
          class={!useHandshake ? 'chip on' : 'chip'}
          aria-pressed={!useHandshake}
          title="Bars scaled to the socket's whole life"
          onClick={() => setScale('life')}
        >
          whole life ({formatOffset(life).slice(1)})
        </button>
      </div>
      <ol class="waterfall" aria-label="Handshake timeline" onKeyDown={onKeyDown}>
        {steps.map((step, i) => {
          const prev = i > 0 ? steps[i - 1]!.at : 0;
          const beyond = step.at > total;
          const from = Math.min(prev, step.at, total);
          const to = Math.min(Math.max(prev, step.at), total);
          const left = (from / total) * 100;
          const width = Math.max(0.5, ((to - from) / total) * 100);
          return (
            <li key={i} class={`wf-step kind-${step.kind}${beyond ? ' beyond' : ''}`}>
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
                <span
                  class="wf-track"
                  aria-hidden="true"
                  title={beyond ? 'After the end of the handshake: see the whole life' : undefined}
                >
                  <span
                    class="wf-bar"
                    style={{ left: `${Math.min(left, 99.5)}%`, width: `${Math.min(width, 100 - left)}%` }}
                  />
                  {beyond && <span class="wf-beyond">›</span>}
                </span>
              </button>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
