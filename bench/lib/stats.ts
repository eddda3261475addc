/** Small statistics helpers for the benchmarks: percentiles, medians, rounding. */

/** The `p`-th percentile (0–100) of `values`, nearest-rank on a sorted copy; NaN when empty. */
export function percentile(values: ArrayLike<number>, p: number): number {
  const n = values.length;
  if (n === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1));
  return sorted[rank]!;
}

/** The median of `values` (NaN when empty). */
export function median(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Largest value (NaN when empty). */
export function max(values: ArrayLike<number>): number {
  let m = NaN;
  for (let i = 0; i < values.length; i++) if (!(values[i]! <= m)) m = values[i]!;
  return m;
}

/** Rounds to `digits` significant digits, keeping integers above that whole. */
export function round(value: number, digits = 3): number {
  if (!Number.isFinite(value) || value === 0) return value;
  const mag = Math.floor(Math.log10(Math.abs(value)));
  const scale = 10 ** Math.max(0, digits - 1 - mag);
  return Math.round(value * scale) / scale;
}

/** Milliseconds since an arbitrary origin, sub-millisecond precision. */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
