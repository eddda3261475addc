/**
 * Figures, targets and the printed table. Every measured number becomes a named `Figure`; a figure
 * with a target gets PASS or MISS. The table groups figures by section, in the order they came.
 */
import { round } from './stats';

/** A target a figure is checked against. */
export interface Target {
  op: '>=' | '<=';
  value: number;
}

/** One named measurement. */
export interface Figure {
  /** Dotted, stable name, e.g. `decoder.parse.ratio`. */
  name: string;
  value: number;
  unit: string;
  /** What the figure means, in a few words (printed in the table). */
  label: string;
  target?: Target;
  /** PASS/MISS when there is a target. */
  status?: 'PASS' | 'MISS';
  note?: string;
}

/** Collects the figures of one run. */
export class Figures {
  readonly all: Figure[] = [];

  /** Records a figure; rounds it to 4 significant digits; checks its target if any. */
  add(name: string, label: string, value: number, unit: string, target?: Target, note?: string): Figure {
    const f: Figure = { name, label, value: round(value, 4), unit };
    if (target) {
      f.target = target;
      const ok = target.op === '>=' ? value >= target.value : value <= target.value;
      f.status = Number.isFinite(value) && ok ? 'PASS' : 'MISS';
    }
    if (note) f.note = note;
    this.all.push(f);
    return f;
  }

  /** Figures whose name starts with `prefix`. */
  section(prefix: string): Figure[] {
    return this.all.filter((f) => f.name.startsWith(prefix));
  }
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

/** The figures as an aligned text table (Figure, Value, Unit, Target, Status, and Note if any has one). */
export function formatTable(figures: Figure[]): string {
  const notes = figures.some((f) => f.note);
  const rows = figures.map((f) => [
    f.name,
    f.label,
    String(f.value),
    f.unit,
    f.target ? `${f.target.op} ${f.target.value}` : '',
    f.status ?? '',
    ...(notes ? [f.note ?? ''] : []),
  ]);
  const head = ['figure', 'what', 'value', 'unit', 'target', 'status', ...(notes ? ['note'] : [])];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => pad(c, widths[i]!, i === 2)).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
