/** Command-line options of `npm run bench`. */

export const SECTIONS = ['decoder', 'search', 'witness', 'overhead', 'workers', 'panel', 'memory'] as const;
export type Section = (typeof SECTIONS)[number];

/** Parsed options. */
export interface BenchArgs {
  only: Section[];
  /** Smaller counts everywhere (a smoke run, figures not comparable). */
  quick: boolean;
  /** Skip `node scripts/build.mjs` and use dist/ as it is. */
  noBuild: boolean;
  /** Where results go (default bench/results.json). */
  out: string;
  /** Alternation rounds of the overhead section, when given (default: 5, or 2 with `--quick`). */
  rounds: number | null;
  /** The overhead section's workloads (default both). */
  workloads: Workload[];
}

export const WORKLOADS = ['text', 'binary'] as const;
export type Workload = (typeof WORKLOADS)[number];

const USAGE = `usage: npm run bench -- [--only ${SECTIONS.join(',')}] [--quick] [--no-build] [--out FILE] [--rounds N] [--workloads text,binary]`;

/** The names of a comma-separated list, each one of `allowed` (else an error naming it as a `what`). */
function names<T extends string>(v: string, allowed: readonly T[], what: string): T[] {
  const out = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of out)
    if (!(allowed as readonly string[]).includes(name)) throw new Error(`unknown ${what} ${name}\n${USAGE}`);
  return out as T[];
}

/** Parses `argv` (without node and script); throws with the usage line on anything unknown. */
export function parseArgs(argv: string[]): BenchArgs {
  const args: BenchArgs = {
    only: [...SECTIONS],
    quick: false,
    noBuild: false,
    out: 'bench/results.json',
    rounds: null,
    workloads: [...WORKLOADS],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value\n${USAGE}`);
      return v;
    };
    if (a === '--only' || a.startsWith('--only=')) {
      args.only = names(value(), SECTIONS, 'section');
    } else if (a === '--quick') args.quick = true;
    else if (a === '--no-build') args.noBuild = true;
    else if (a === '--out' || a.startsWith('--out=')) args.out = value();
    else if (a === '--rounds' || a.startsWith('--rounds=')) {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1) throw new Error(`--rounds needs a whole number >= 1\n${USAGE}`);
      args.rounds = n;
    } else if (a === '--workloads' || a.startsWith('--workloads=')) {
      const workloads = names(value(), WORKLOADS, 'workload');
      if (workloads.length === 0)
        throw new Error(`--workloads needs at least one of ${WORKLOADS.join(', ')}\n${USAGE}`);
      args.workloads = workloads;
    } else if (a === '--help' || a === '-h') throw new Error(USAGE);
    else throw new Error(`unknown option ${a}\n${USAGE}`);
  }
  return args;
}
