import { useEffect, useRef, useState } from 'preact/hooks';
import { FRAME_BUDGET_MAX, FRAME_BUDGET_MIN, parseFrameBudget } from '../settings/defaults';

interface Props {
  /** The saved budget. */
  value: number;
  onSave(n: number): void;
  onRefuse(error: string): void;
}

/** Pause after typing before a valid budget is saved (it is saved at once on Enter or leaving the field). */
export const BUDGET_SAVE_DELAY_MS = 600;

/**
 * The frame budget: saved once typing pauses, or on Enter or leaving the field, when it is a whole
 * number in range; anything else is shown as an error and not saved (the saved budget stays).
 */
export function FrameBudgetField({ value, onSave, onRefuse }: Props) {
  const [text, setText] = useState(String(value));
  const [error, setError] = useState<string | null>(null);
  const editing = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  // A budget saved elsewhere (another options tab) shows here unless the user is typing.
  useEffect(() => {
    if (!editing.current) setText(String(value));
  }, [value]);

  const settle = (t: string, final: boolean) => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    const parsed = parseFrameBudget(t);
    if (!parsed.ok) {
      setError(parsed.error);
      if (final) onRefuse(parsed.error);
      return;
    }
    setError(null);
    onSave(parsed.value);
    editing.current = false; // nothing unsaved left to keep from a change made elsewhere
  };

  return (
    <div class="field">
      <label for="frame-budget">Frame budget</label>
      <div>
        <input
          id="frame-budget"
          type="text"
          inputMode="numeric"
          size={8}
          value={text}
          aria-invalid={error !== null}
          aria-describedby={error ? 'frame-budget-error' : 'frame-budget-hint'}
          onInput={(e) => {
            const t = (e.currentTarget as HTMLInputElement).value;
            editing.current = true;
            setText(t);
            const parsed = parseFrameBudget(t);
            setError(parsed.ok ? null : parsed.error);
            if (timer.current) clearTimeout(timer.current);
            timer.current = parsed.ok ? setTimeout(() => settle(t, false), BUDGET_SAVE_DELAY_MS) : null;
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') settle((e.currentTarget as HTMLInputElement).value, true);
          }}
          onBlur={(e) => {
            if (editing.current) settle((e.currentTarget as HTMLInputElement).value, true);
          }}
        />{' '}
        frames per socket
        {error ? (
          <p id="frame-budget-error" class="field-error" role="alert">
            {error} Not saved: {value.toLocaleString('en-US')} stays in effect.
          </p>
        ) : (
          <p id="frame-budget-hint" class="hint">
            After a socket's handshake, while DevTools is open, this many frames are kept, each with a
            256-byte preview ({FRAME_BUDGET_MIN}–{FRAME_BUDGET_MAX.toLocaleString('en-US')}; 0 keeps only
            handshakes). Capture all frames ignores it.
          </p>
        )}
      </div>
    </div>
  );
}
