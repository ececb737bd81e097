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

/** The scenarios of a run, in the order it takes them (see scenarios.ts). */
export const BENCH_SCENARIOS = ['floor', 'history', 'create-many', 'concurrency', 'collection-size', 'shadow', 'evolution', 'backfill', 'shapes', 'reconcile', 'codegen'] as const;

/** One scenario of {@link BENCH_SCENARIOS}. */
export type BenchScenario = (typeof BENCH_SCENARIOS)[number];

/** Sizes and choices of one run. */
export interface BenchOptions {
  /** True under `--quick` / `BENCH_QUICK=1`: small defaults for checking the harness, not for figures. */
  quick: boolean;
  /** Timed operations per operation kind (and as many for its floor). */
  ops: number;
  /** Version counts of one record at which getLatest is timed (ascending); the last is also where update is timed. */
  historySteps: number[];
  /** Timed getLatest calls at each history step. */
  historyReads: number;
  /** Page size of the listByMeta phase. */
  listLimit: number;
  /** Records written per round of the createMany vs sequential create comparison. */
  createManyRecords: number;
  /** Rounds of that comparison (each in fresh collections); the median is reported. */
  createManyRounds: number;
  /** Callers running at once in the concurrency comparison. */
  callers: number;
  /** Creates (and then as many updates) per caller per round of the concurrency comparison. */
  callerOps: number;
  /** Rounds of the concurrency comparison; the median throughput is reported. */
  concurrencyRounds: number;
  /** Versions of the short-history records that updates at the long history are compared with. */
  shortHistory: number;
  /** Records in the full collection that creates are timed into, next to an empty one. */
  collectionRecords: number;
  /** Timed updates (or creates) per side in the history and collection-size comparisons. */
  growthOps: number;
  /**
   * Seconds each build (one record's history, one full collection) may take. A build that has not
   * reached its target by then stops, and the figures are taken at the size reached (and say so),
   * so an engine whose writes slow down with size cannot stretch the run without bound.
   */
  buildSeconds: number;
  /** Writes (creates, then updates and enriches) before `admin.reconcile()` is timed. */
  reconcileWrites: number;
  /** Records those writes are spread over. */
  reconcileRecords: number;
  /** Records written under an older declaration revision whose heads the backfill scenario recomputes. */
  backfillRecords: number;
  /** The scenarios to run (`--only=history,concurrency`); all by default. */
  only: BenchScenario[];
  /** Where the summary table is written (Markdown); `-` for nowhere. */
  out: string;
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

/** Where settings come from: the command line, then the environment. */
interface Sources {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
}

/** `--name=value` from argv, else the `BENCH_<NAME>` environment variable (`-` read as `_`). */
function setting({ argv, env }: Sources, name: string): string | undefined {
  const flag = argv.find((a) => a.startsWith(`--${name}=`));
  if (flag) return flag.slice(name.length + 3);
  return env[`BENCH_${name.toUpperCase().replace(/-/g, '_')}`];
}

function positiveInt(src: Sources, name: string, fallback: number): number {
  const raw = setting(src, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--${name} / BENCH_${name.toUpperCase().replace(/-/g, '_')} must be a positive whole number, got "${raw}"`);
  return n;
}

/** `--name` or `--name=1` / `BENCH_NAME=1`; `0`, `false` and empty mean off. */
function enabled(src: Sources, name: string): boolean {
  if (src.argv.includes(`--${name}`)) return true;
  const raw = setting(src, name);
  return raw !== undefined && raw !== '' && raw !== '0' && raw.toLowerCase() !== 'false';
}

/**
 * Options from argv (`--ops=200 --history=2000 --backends=s3,local`) or the environment
 * (`BENCH_OPS`, `BENCH_HISTORY`, ...: each `--some-name` has a `BENCH_SOME_NAME`); argv wins.
 *
 * Defaults (in brackets: under `--quick` / `BENCH_QUICK=1`, for checking the harness):
 * ops 100 [20]; history 10,000 [300] versions with getLatest timed at 1, 10, 100, 1,000 and the
 * end; create-many 1,000 [100] records x create-many-rounds 3 [1]; callers 8 [8] x caller-ops 25
 * [5] x concurrency-rounds 3 [1]; short-history 10; collection-records 10,000 [300]; growth-ops
 * 50 [15]; build-seconds 150 [30]; reconcile-writes 2,000 [300] over reconcile-records 300 [50];
 * backfill-records 10,000 [300]; out bench/results/latest.md; backends s3; only: every scenario
 * (floor, history, create-many, concurrency, collection-size, shadow, evolution, backfill, shapes,
 * reconcile, codegen: the typed layer's CPU budgets, `bench/codegen-figures.ts`).
 *
 * The 1,000 and 10,000 sizes are the ones the summary's growth targets are about. `build-seconds`
 * caps each build (one record's history, one full collection) for an engine whose writes slow down
 * as data grows; the tables then say how far a build got. Today both builds reach 10,000 (history
 * in about 100 s, the collection in about 55 s), and a default run takes about 5-6 minutes on a
 * loaded 2-core machine; a quick one about 30-50 seconds.
 */
export function benchOptions(argv: readonly string[] = process.argv.slice(2), env: Sources['env'] = process.env): BenchOptions {
  const src: Sources = { argv, env };
  const quick = enabled(src, 'quick');
  const int = (name: string, full: number, small: number) => positiveInt(src, name, quick ? small : full);
  const history = int('history', 10_000, 300);
  const backends = (setting(src, 'backends') ?? 's3').split(',').map((b) => b.trim()).filter(Boolean);
  for (const b of backends) {
    if (b !== 's3' && b !== 'local') throw new Error(`--backends / BENCH_BACKENDS takes s3 and/or local, got "${b}"`);
  }
  const only = (setting(src, 'only') ?? BENCH_SCENARIOS.join(',')).split(',').map((o) => o.trim()).filter(Boolean);
  for (const o of only) {
    if (!(BENCH_SCENARIOS as readonly string[]).includes(o)) throw new Error(`--only / BENCH_ONLY takes a comma-separated list of ${BENCH_SCENARIOS.join(', ')}; got "${o}"`);
  }
  const shortHistory = int('short-history', 10, 10);
  if (shortHistory >= history) throw new Error(`--short-history (${shortHistory}) must be below --history (${history})`);
  return {
    quick,
    ops: int('ops', 100, 20),
    historySteps: [1, 10, 100, 1_000, history].filter((v) => v <= history).filter((v, i, all) => all.indexOf(v) === i).sort((a, b) => a - b),
    historyReads: int('history-reads', 100, 20),
    listLimit: int('list-limit', 20, 20),
    createManyRecords: int('create-many', 1_000, 100),
    createManyRounds: int('create-many-rounds', 3, 1),
    callers: int('callers', 8, 8),
    callerOps: int('caller-ops', 25, 5),
    concurrencyRounds: int('concurrency-rounds', 3, 1),
    shortHistory,
    collectionRecords: int('collection-records', 10_000, 300),
    growthOps: int('growth-ops', 50, 15),
    buildSeconds: int('build-seconds', 150, 30),
    reconcileWrites: int('reconcile-writes', 2_000, 300),
    reconcileRecords: int('reconcile-records', 300, 50),
    backfillRecords: int('backfill-records', 10_000, 300),
    only: only as BenchScenario[],
    out: setting(src, 'out') ?? 'bench/results/latest.md',
    backends: backends as BenchBackend[],
  };
}
