import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import type { PaneLayout } from '../store/layout';

interface Props {
  first: ComponentChildren;
  second: ComponentChildren | null;
  /** Side by side, stacked, or the second pane alone (the first stays mounted, hidden). */
  layout?: PaneLayout;
  /** Initial share of the first pane, in percent. */
  initial?: number;
}

/**
 * Two panes side by side or stacked, with a draggable divider that the arrow keys also move
 * (←/→ side by side, ↑/↓ stacked).
 */
export function SplitPane({ first, second, layout = 'side', initial = 42 }: Props) {
  const [share, setShare] = useState(initial);
  const box = useRef<HTMLDivElement>(null);
  const stacked = layout === 'stacked';
  const clamp = (n: number) => Math.max(15, Math.min(85, n));
  const onPointerDown = (e: PointerEvent) => {
    const el = box.current;
    if (!el) return;
    (e.currentTarget as HTMLElement).setPointerCapture?.(e.pointerId);
    const rect = el.getBoundingClientRect();
    const move = (ev: PointerEvent) =>
      setShare(
        clamp(
          stacked
            ? ((ev.clientY - rect.top) / Math.max(1, rect.height)) * 100
            : ((ev.clientX - rect.left) / Math.max(1, rect.width)) * 100,
        ),
      );
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };
  if (second === null) {
    return (
      <div class="split" ref={box}>
        <div class="pane" style={{ flex: '1 1 auto' }}>
          {first}
        </div>
      </div>
    );
  }
  const alone = layout === 'detail';
  return (
    <div class={`split split-${layout}`} ref={box}>
      <div class="pane" hidden={alone} style={{ flex: `0 0 ${share}%` }}>
        {first}
      </div>
      {!alone && (
        <div
          class="divider"
          role="separator"
          aria-orientation={stacked ? 'horizontal' : 'vertical'}
          aria-label="Resize panes"
          aria-valuenow={Math.round(share)}
          aria-valuemin={15}
          aria-valuemax={85}
          tabIndex={0}
          onPointerDown={onPointerDown}
          onKeyDown={(e) => {
            const less = stacked ? 'ArrowUp' : 'ArrowLeft';
            const more = stacked ? 'ArrowDown' : 'ArrowRight';
            if (e.key !== less && e.key !== more) return;
            e.preventDefault();
            setShare(clamp(share + (e.key === more ? 5 : -5)));
          }}
        />
      )}
      <div class="pane" style={{ flex: '1 1 0' }}>
        {second}
      </div>
    </div>
  );
}
