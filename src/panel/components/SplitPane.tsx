import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';

interface Props {
  first: ComponentChildren;
  second: ComponentChildren | null;
  /** Initial share of the first pane, in percent. */
  initial?: number;
}

/** Two panes side by side with a draggable (and arrow-key adjustable) divider. */
export function SplitPane({ first, second, initial = 42 }: Props) {
  const [share, setShare] = useState(initial);
  const box = useRef<HTMLDivElement>(null);
  const clamp = (n: number) => Math.max(15, Math.min(85, n));
  const onPointerDown = (e: PointerEvent) => {
    const el = box.current;
    if (!el) return;
    (e.currentTarget as HTMLElement).setPointerCapture?.(e.pointerId);
    const rect = el.getBoundingClientRect();
    const move = (ev: PointerEvent) =>
      setShare(clamp(((ev.clientX - rect.left) / Math.max(1, rect.width)) * 100));
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
  return (
    <div class="split" ref={box}>
      <div class="pane" style={{ flex: `0 0 ${share}%` }}>
        {first}
      </div>
      <div
        class="divider"
        role="separator"
        aria-orientation="vertical"
        aria-label="Resize panes"
        aria-valuenow={Math.round(share)}
        aria-valuemin={15}
        aria-valuemax={85}
        tabIndex={0}
        onPointerDown={onPointerDown}
        onKeyDown={(e) => {
          if (e.key === 'ArrowLeft') setShare(clamp(share - 5));
          else if (e.key === 'ArrowRight') setShare(clamp(share + 5));
        }}
      />
      <div class="pane" style={{ flex: '1 1 0' }}>
        {second}
      </div>
    </div>
  );
}
