/**
 * `npm run bench`: page overhead, decoder speed, payload search, panel scale and memory bound, measured side by side
 * in one run. Prints a table (PASS/MISS against each target) and writes bench/results.json.
 * Benchmarks print figures; they assert nothing (the test suite holds no timing checks).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs, type Section, type Workload } from './lib/args';
import { currentLoad, machineInfo } from './lib/machine';
import { Figures, formatTable } from './lib/report';
import { nowMs } from './lib/stats';
import { runDecoderBench } from './decoder/decoder-bench';
import { prepareExtension } from './browser/launch';
import { runOverheadBench } from './overhead/overhead-bench';
import { runPanelBench } from './panel/panel-bench';
import { runMemoryBench } from './memory/memory-bench';
import { runSearchBench } from './search/search-bench';
import { runWitnessBench } from './witness/witness-bench';
import { runWorkersBench } from './workers/workers-bench';

const CHROMIUM = process.env.KHP_CHROMIUM ?? '/usr/lib/chromium/chromium';

interface Context {
  quick: boolean;
  /** `--rounds`: the overhead section's alternation rounds, when given. */
  rounds: number | null;
  /** `--workloads`: the overhead section's workloads. */
  workloads: Workload[];
  /** The unpacked extension (built once per run, copied). */
  extensionDir: () => string;
}

type Runner = (figures: Figures, ctx: Context) => Promise<unknown>;

const log = (line: string) => console.log(`  ${line}`);

/** Sizes of each section: the full run, and `--quick` (a smoke run; figures not comparable). */
const RUNNERS: Record<Section, Runner> = {
  decoder: async (figures, { quick }) =>
    runDecoderBench(figures, { roundMs: quick ? 40 : 150, rounds: quick ? 3 : 9, log }),
  search: (figures, { quick }) =>
    runSearchBench(figures, { frames: quick ? 20_000 : 100_000, sockets: 1000, rounds: quick ? 2 : 5, log }),
  witness: async (figures, { quick }) =>
    runWitnessBench(figures, { frames: quick ? 20_000 : 100_000, step: 1000, rounds: quick ? 2 : 5, log }),
  overhead: (figures, { quick, rounds, workloads, extensionDir }) =>
    runOverheadBench(figures, {
      extensionDir: extensionDir(),
      rounds: rounds ?? (quick ? 2 : 5),
      textCount: quick ? 2000 : 30_000,
      textSlice: 500,
      binaryCount: quick ? 100 : 4500,
      binarySlice: quick ? 25 : 100,
      workloads,
      warmupShare: 0.25,
      window: 16,
      log,
    }),
  workers: (figures, { quick, extensionDir }) =>
    runWorkersBench(figures, {
      extensionDir: extensionDir(),
      rounds: quick ? 2 : 4,
      workers: quick ? 5 : 20,
      log,
    }),
  panel: (figures, { quick, extensionDir }) =>
    runPanelBench(figures, {
      extensionDir: extensionDir(),
      sockets: 1000,
      frames: quick ? 20_000 : 100_000,
      bigShare: 0.2,
      loads: quick ? 1 : 3,
      measureMs: quick ? 1000 : 3000,
      log,
    }),
  memory: (figures, { quick, extensionDir }) =>
    runMemoryBench(figures, {
      extensionDir: extensionDir(),
      count: quick ? 256 : 8192,
      fullCount: quick ? 128 : 2048,
      configuredCap: 8 * 1024 * 1024,
      log,
    }),
};

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  const started = new Date();
  const machine = machineInfo(CHROMIUM);
  console.log(
    `khp-inspector bench: ${machine.nproc} cores, ${machine.cpuModel}, Node ${machine.node}, ${machine.chromium ?? 'no Chromium'}, load ${machine.loadAverage1m}`,
  );
  const figures = new Figures();
  const details: Record<string, unknown> = {};
  const timings: Record<string, number> = {};
  const failures: Record<string, string> = {};
  const t0 = nowMs();
  let extension: ReturnType<typeof prepareExtension> | null = null;
  const ctx: Context = {
    quick: args.quick,
    rounds: args.rounds,
    workloads: args.workloads,
    extensionDir: () => (extension ??= prepareExtension(args.noBuild)).dir,
  };
  try {
    for (const section of args.only) {
      console.log(`\n[${section}]`);
      const s0 = nowMs();
      try {
        details[section] = await RUNNERS[section](figures, ctx);
      } catch (err) {
        failures[section] = err instanceof Error ? (err.stack ?? err.message) : String(err);
        console.error(`  ${section} failed: ${failures[section]}`);
      }
      timings[section] = Math.round(nowMs() - s0);
      console.log(`  ${section}: ${(timings[section] / 1000).toFixed(1)} s (load ${currentLoad()})`);
      for (const f of figures.section(`${section}.`))
        log(
          `${f.name} = ${f.value} ${f.unit}${f.status ? ` ${f.status}` : ''}${f.note ? ` (${f.note})` : ''}`,
        );
    }
  } finally {
    (extension as ReturnType<typeof prepareExtension> | null)?.dispose();
  }
  timings.total = Math.round(nowMs() - t0);
  console.log(`\n${formatTable(figures.all)}`);
  console.log(
    `\ntotal ${(timings.total / 1000).toFixed(1)} s; ${Object.entries(timings)
      .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`)
      .join(', ')}`,
  );
  const misses = figures.all.filter((f) => f.status === 'MISS').map((f) => f.name);
  if (misses.length) console.log(`targets missed: ${misses.join(', ')} (see docs/benchmarks.md)`);
  const result = {
    format: 'khp-inspector-bench',
    version: 1,
    startedAt: started.toISOString(),
    quick: args.quick,
    sections: args.only,
    machine,
    timingsMs: timings,
    figures: figures.all,
    details,
    failures,
  };
  writeFileSync(args.out, JSON.stringify(result, null, 2) + '\n');
  console.log(`wrote ${args.out}`);
  return Object.keys(failures).length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
