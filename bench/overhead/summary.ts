/**
 * The overhead section's figures: per set-up, min / median / max over the rounds of the page's
 * main-thread CPU per message (TaskDuration, and ScriptDuration beside it), the medians of throughput
 * and round-trip times; per set-up with the extension, its ratios to the `off` run of the same round
 * (CPU and throughput), summarised the same way. The median of the per-round ratios is the figure a
 * target applies to.
 */
import type { Figures, Target } from '../lib/report';
import { median } from '../lib/stats';
import type { RunResult } from './measure-run';
import { SETUPS, type Setup, type SetupName } from './setups';

/** A workload of the section. */
export interface Workload {
  name: 'text' | 'binary';
  size: number;
  binary: boolean;
  count: number;
  /** Messages per slice, the set-ups taking turns slice by slice (measure-run.ts). */
  slice: number;
}

/** One round: every set-up's run. */
export type Round = Record<SetupName, RunResult>;

/** Min, median and max of some values (and the values, in round order). */
export interface Spread {
  min: number;
  median: number;
  max: number;
  values: number[];
}

/** Targets on the median of the per-round ratios. */
const TARGETS: Partial<Record<SetupName, { cpu: Target; throughput?: Target }>> = {
  khp: { cpu: { op: '<=', value: 1.05 } },
  plain: { cpu: { op: '<=', value: 1.02 } },
  full: { cpu: { op: '<=', value: 1.2 }, throughput: { op: '>=', value: 0.9 } },
};

function spread(values: number[]): Spread {
  return { min: Math.min(...values), median: median(values), max: Math.max(...values), values };
}

const fmt = (v: number, digits = 1) => v.toFixed(digits);
const fmtSpread = (s: Spread, digits = 1) =>
  `${fmt(s.min, digits)} / ${fmt(s.median, digits)} / ${fmt(s.max, digits)}`;
const note = (s: Spread, digits = 3) => `min ${fmt(s.min, digits)}, max ${fmt(s.max, digits)}`;

/** A set-up's summary over the rounds. */
export interface SetupSummary {
  taskUs: Spread;
  scriptUs: Spread;
  taskUsAtEnd: Spread;
  messagesPerSec: Spread;
  rttP50: number;
  rttP99: number;
  /** With the extension: ratios to the baseline of the same round. */
  cpuRatio?: Spread;
  throughputRatio?: Spread;
}

/**
 * The control: the two set-ups without the extension against each other. After the handshake both
 * echo the same messages, so the true ratio is 1; how far its median strays is what noise alone does
 * to a median of this run (a ratio with the extension that far from its target is not decided).
 */
export const CONTROL = { setup: 'offPlain', of: 'off' } as const satisfies Record<string, SetupName>;

/** Summarises the rounds of one workload. */
export function summarise(rounds: Round[]): Record<SetupName, SetupSummary> {
  const out = {} as Record<SetupName, SetupSummary>;
  for (const s of SETUPS) {
    const runs = rounds.map((r) => r[s.name]);
    const summary: SetupSummary = {
      taskUs: spread(runs.map((r) => r.cpu.taskUs)),
      scriptUs: spread(runs.map((r) => r.cpu.scriptUs)),
      taskUsAtEnd: spread(runs.map((r) => r.cpuAtEnd.taskUs)),
      messagesPerSec: spread(runs.map((r) => r.echo.messagesPerSec)),
      rttP50: median(runs.map((r) => r.echo.rttP50)),
      rttP99: median(runs.map((r) => r.echo.rttP99)),
    };
    const base = s.baseline ?? (s.name === CONTROL.setup ? CONTROL.of : null);
    if (base) {
      summary.cpuRatio = spread(rounds.map((r) => r[s.name].cpu.taskUs / r[base].cpu.taskUs));
      summary.throughputRatio = spread(
        rounds.map((r) => r[s.name].echo.messagesPerSec / r[base].echo.messagesPerSec),
      );
    }
    out[s.name] = summary;
  }
  return out;
}

/** The summary as printed lines: one per set-up, then one per ratio. */
export function summaryLines(w: Workload, sum: Record<SetupName, SetupSummary>): string[] {
  const lines = [
    `overhead ${w.name} (${w.count} x ${w.binary ? `${w.size / 1024} KiB binary` : `${w.size} B text`}), min / median / max over ${sum.off.taskUs.values.length} rounds:`,
  ];
  for (const s of SETUPS) {
    const x = sum[s.name];
    lines.push(
      `  ${s.name.padEnd(8)} CPU ${fmtSpread(x.taskUs)} µs/msg (script ${fmtSpread(x.scriptUs)}), ` +
        `${fmtSpread(x.messagesPerSec, 0)} echoes/s, rtt p50 ${fmt(x.rttP50, 2)} p99 ${fmt(x.rttP99, 2)} ms`,
    );
  }
  for (const s of SETUPS.filter((x) => x.baseline)) {
    const x = sum[s.name];
    lines.push(
      `  ${s.name}/${s.baseline}: CPU ${fmtSpread(x.cpuRatio!, 3)}, throughput ${fmtSpread(x.throughputRatio!, 3)} (per-round ratios)`,
    );
  }
  const c = sum[CONTROL.setup];
  lines.push(
    `  control ${CONTROL.setup}/${CONTROL.of} (no extension either side, 1 but for noise): ` +
      `CPU ${fmtSpread(c.cpuRatio!, 3)}, throughput ${fmtSpread(c.throughputRatio!, 3)}`,
  );
  return lines;
}

/** Records the figures of one workload. */
export function record(figures: Figures, w: Workload, sum: Record<SetupName, SetupSummary>): void {
  const what = w.binary ? `${w.count} x 64 KiB binary` : `${w.count} x ${w.size} B text`;
  for (const s of SETUPS) {
    const p = `overhead.${w.name}.${s.name}`;
    const x = sum[s.name];
    figures.add(
      `${p}.cpuUs`,
      `${what}, ${s.label}: page CPU/msg`,
      x.taskUs.median,
      'µs',
      undefined,
      note(x.taskUs, 1),
    );
    figures.add(
      `${p}.scriptUs`,
      `${s.name}: of which script`,
      x.scriptUs.median,
      'µs',
      undefined,
      note(x.scriptUs, 1),
    );
    figures.add(
      `${p}.messagesPerSec`,
      `${s.name}: echoes/s`,
      x.messagesPerSec.median,
      '1/s',
      undefined,
      note(x.messagesPerSec, 0),
    );
    figures.add(`${p}.rttP50`, `${s.name}: round trip p50`, x.rttP50, 'ms');
    figures.add(`${p}.rttP99`, `${s.name}: round trip p99`, x.rttP99, 'ms');
    if (!s.baseline)
      figures.add(
        `${p}.cpuSpread`,
        `${s.name}: CPU/msg (max - min) / median over rounds`,
        (100 * (x.taskUs.max - x.taskUs.min)) / x.taskUs.median,
        '%',
      );
  }
  for (const s of SETUPS.filter((x): x is Setup & { baseline: SetupName } => x.baseline !== null)) {
    const x = sum[s.name];
    const p = `overhead.${w.name}.ratio.${s.name}`;
    const t = TARGETS[s.name];
    figures.add(
      `${p}.cpu`,
      `${w.name}: page CPU/msg ${s.name} / ${s.baseline}`,
      x.cpuRatio!.median,
      'x',
      t?.cpu,
      note(x.cpuRatio!),
    );
    figures.add(
      `${p}.throughput`,
      `${w.name}: echoes/s ${s.name} / ${s.baseline}`,
      x.throughputRatio!.median,
      'x',
      t?.throughput,
      note(x.throughputRatio!),
    );
  }
  const c = sum[CONTROL.setup];
  figures.add(
    `overhead.${w.name}.ratio.control.cpu`,
    `${w.name}: control, page CPU/msg ${CONTROL.setup} / ${CONTROL.of} (noise alone)`,
    c.cpuRatio!.median,
    'x',
    undefined,
    note(c.cpuRatio!),
  );
}
