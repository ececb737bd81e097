/**
 * What one bench run talks to and how much it does: server addresses from the environment (the
 * same variables the test harness exports) and sizes from argv or the environment.
 */

/** Server addresses for the run. */
export interface BenchServers {
  mongoUri: string;
  s3: { endpoint: string; region: string; accessKey: string; secretKey: string };
}

/** Storage backends the engine can be measured on. */
export type BenchBackend = 's3' | 'local';

/** Sizes and choices of one run. */
export interface BenchOptions {
  /** Timed operations per operation kind (and as many for its floor). */
  ops: number;
  /** Version counts of one record at which getLatest is timed (ascending). */
  historySteps: number[];
  /** Timed getLatest calls at each history step. */
  historyReads: number;
  /** Page size of the listByMeta phase. */
  listLimit: number;
  /** Records written per round of the createMany vs sequential create comparison. */
  createManyRecords: number;
  backends: BenchBackend[];
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set. The bench talks to real servers: start them (npm run servers) and ` +
        '`source .servers/env` first, or set MONGODB_URI and CHRONOS_TEST_S3_ENDPOINT / _ACCESS_KEY / _SECRET_KEY yourself.',
    );
  }
  return value;
}

/** Reads the server addresses; throws a message saying what to set when one is missing. */
export function benchServers(): BenchServers {
  return {
    mongoUri: required('MONGODB_URI'),
    s3: {
      endpoint: required('CHRONOS_TEST_S3_ENDPOINT'),
      region: process.env.CHRONOS_TEST_S3_REGION ?? 'us-east-1',
      accessKey: required('CHRONOS_TEST_S3_ACCESS_KEY'),
      secretKey: required('CHRONOS_TEST_S3_SECRET_KEY'),
    },
  };
}

/** `--name=value` from argv, else the `BENCH_<NAME>` environment variable. */
function setting(argv: readonly string[], name: string): string | undefined {
  const flag = argv.find((a) => a.startsWith(`--${name}=`));
  if (flag) return flag.slice(name.length + 3);
  return process.env[`BENCH_${name.toUpperCase()}`];
}

function positiveInt(argv: readonly string[], name: string, fallback: number): number {
  const raw = setting(argv, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--${name} / BENCH_${name.toUpperCase()} must be a positive whole number, got "${raw}"`);
  return n;
}

/**
 * Options from argv (`--ops=200 --history=2000 --backends=s3,local`) or the environment
 * (`BENCH_OPS`, `BENCH_HISTORY`, `BENCH_HISTORY_READS`, `BENCH_LIST_LIMIT`, `BENCH_CREATE_MANY`,
 * `BENCH_BACKENDS`).
 * Defaults (100 ops, history to 2,000 versions, S3 only) keep a run to a few minutes on a shared
 * 2-core machine against FerretDB, whose queries scan, so costs grow with the data: engine
 * updates of one record took 25 ms at 100 versions and 40 ms at 1,000 there, which puts a
 * 10,000-version history at about 20 minutes. `--history=10000` runs it.
 */
export function benchOptions(argv: readonly string[] = process.argv.slice(2)): BenchOptions {
  const ops = positiveInt(argv, 'ops', 100);
  const history = positiveInt(argv, 'history', 2_000);
  const backends = (setting(argv, 'backends') ?? 's3').split(',').map((b) => b.trim()).filter(Boolean);
  for (const b of backends) {
    if (b !== 's3' && b !== 'local') throw new Error(`--backends / BENCH_BACKENDS takes s3 and/or local, got "${b}"`);
  }
  return {
    ops,
    historySteps: [1, 100, history].filter((v, i, all) => all.indexOf(v) === i).sort((a, b) => a - b),
    historyReads: positiveInt(argv, 'history-reads', 100),
    listLimit: positiveInt(argv, 'list-limit', 20),
    createManyRecords: positiveInt(argv, 'create-many', 200),
    backends: backends as BenchBackend[],
  };
}
