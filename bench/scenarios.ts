/**
 * The scenarios of a bench run, each one function that measures, prints its section and returns
 * its lines of the summary table. `--only` (bench-config.ts) picks which run; `history` also
 * times updates at the history length it built.
 */
import path from 'node:path';
import type { BenchBackend, BenchOptions, BenchScenario } from './bench-config.js';
import type { BenchFixture } from './bench-fixture.js';
import { runOperationSuite } from './operation-suite.js';
import type { ComparisonRow } from './operation-suite.js';
import { estimateHistoryMinutes, runHistorySuite } from './history-suite.js';
import type { HistoryResult } from './history-suite.js';
import { runUpdateHistorySuite } from './update-history-suite.js';
import type { UpdateHistoryRow } from './update-history-suite.js';
import { runCollectionSizeSuite } from './collection-size-suite.js';
import type { CollectionSizeRow } from './collection-size-suite.js';
import { runConcurrencySuite } from './concurrency-suite.js';
import type { ConcurrencyRow, WriteTally } from './concurrency-suite.js';
import { captureQueryShapes } from './query-shapes.js';
import type { CapturedQuery, ServerKind } from './query-shapes.js';
import { describeShape } from './index-match.js';
import { fmt, printComparison, printTable } from './stats.js';
import type { Measurement } from './stats.js';
import { runCreateManySuite } from './create-many-suite.js';
import type { CreateManyRow } from './create-many-suite.js';
import { runShadowSuite } from './shadow-suite.js';
import type { ShadowRow } from './shadow-suite.js';
import { runReconcileSuite } from './reconcile-suite.js';
import type { ReconcileRow } from './reconcile-suite.js';
import { runEvolutionReadSuite, runLockGenerateSuite } from './evolution-suite.js';
import { backfillSummaryRow, printBackfill, runBackfillSuite } from './backfill-suite.js';
import { runCodegenBench } from './codegen-figures.js';
import { FLOOR_TARGETS, ms, perSecond } from './summary.js';
import type { SummaryRow } from './summary.js';

/** What every scenario gets. */
export interface ScenarioRun {
  fx: BenchFixture;
  options: BenchOptions;
  kind: ServerKind;
  /** The backend of the scenarios that run on one (the first of `options.backends`). */
  first: BenchBackend;
  log: (line: string) => void;
}

const READ_OPS = ['getLatest', 'getVersion', 'getAsOf'];

function printHistory({ rows, outOfTime }: HistoryResult, options: BenchOptions): void {
  printTable(
    ['versions of the record', 'getLatest median ms', 'p99 ms', 'same read of a 1-version record: median ms', 'ratio (median)', 'writing the history up to here (s)', 'median ms of the last updates before it'],
    rows.map((r) => [
      r.versions === r.target ? String(r.versions) : `${r.versions} (of ${r.target} asked)`,
      fmt(r.getLatest.medianMs),
      fmt(r.getLatest.p99Ms),
      fmt(r.control.medianMs),
      `${fmt(r.getLatest.medianMs / r.control.medianMs)}x`,
      fmt(r.writeSeconds, 1),
      r.lastUpdates ? `${fmt(r.lastUpdates.medianMs)} (${r.lastUpdates.count} updates)` : '-',
    ]),
  );
  const asked = options.historySteps[options.historySteps.length - 1] ?? 0;
  const reached = rows[rows.length - 1]?.versions ?? 0;
  if (outOfTime || asked < 10_000) {
    const minutes = estimateHistoryMinutes(rows, 10_000);
    console.log(
      `\nHistory stops at ${reached} versions (${outOfTime ? `the build time of ${options.buildSeconds} s ran out before ${asked}` : `${asked} asked`}; the issue asks 10,000): it is written by engine updates, one at a time` +
        (minutes === null ? '.' : `, and from the update latencies above (taken as linear in the version count) 10,000 would take about ${fmt(minutes, 0)} min.`) +
        ' --history=N and --build-seconds=S (BENCH_HISTORY, BENCH_BUILD_SECONDS) change both.',
    );
  }
}

function printUpdateHistory(row: UpdateHistoryRow): void {
  printTable(
    ['versions of the record updated', 'update median ms', 'p99 ms', 'ops/s', 'ratio (median)'],
    [row.short, row.long].map((m, i) => [String(i === 0 ? row.shortVersions : row.longVersions), fmt(m.medianMs), fmt(m.p99Ms), fmt(m.opsPerSecond, 0), i === 0 ? '1.00x' : `${fmt(row.long.medianMs / row.short.medianMs)}x`]),
  );
}

function printCollectionSize(row: CollectionSizeRow, options: BenchOptions): void {
  const full = `${row.records} records${row.records < row.target ? ` (of ${row.target} asked: the build time of ${options.buildSeconds} s ran out)` : ''}; filled by createMany in ${fmt(row.fillSeconds, 0)} s`;
  const line = (write: string, collection: string, m: Measurement, base: Measurement) =>
    [write, collection, fmt(m.medianMs), fmt(m.p99Ms), fmt(m.opsPerSecond, 0), `${fmt(m.medianMs / base.medianMs)}x`];
  printTable(
    ['write', 'collection', 'median ms', 'p99 ms', 'ops/s', 'ratio (median)'],
    [
      line('create', 'empty (holds only the timed creates)', row.empty, row.empty),
      line('create', full, row.full, row.empty),
      line('update', 'the small one (records of the timed creates)', row.updateSmall, row.updateSmall),
      line('update', `the full one (records spread over all ${row.records})`, row.updateFull, row.updateSmall),
    ],
  );
}

const troubles = (t: WriteTally): string => [t.failed && `${t.failed} failed`, t.lost && `${t.lost} lost`, t.phantom && `${t.phantom} phantom`].filter(Boolean).join(', ');

function printConcurrency(row: ConcurrencyRow): void {
  const line = (side: ConcurrencyRow['one'], kind: 'creates' | 'updates') => {
    const t = side[kind];
    const base = row.one[kind].perSecond;
    return [`${side.callers} caller${side.callers === 1 ? '' : 's'}`, kind, fmt(t.perSecond, 0), side.callers === 1 ? '1.00x' : `${fmt(t.perSecond / base)}x`, fmt(t.medianMs), fmt(t.p99Ms), String(t.ok), String(t.failed), String(t.lost), String(t.phantom)];
  };
  printTable(
    ['callers', 'writes', 'successful writes/s (median of rounds)', 'ratio', 'call median ms', 'call p99 ms', 'succeeded', 'failed', 'lost (acknowledged, not there)', 'phantom (failed, there anyway)'],
    [line(row.one, 'creates'), line(row.many, 'creates'), line(row.one, 'updates'), line(row.many, 'updates')],
  );
  if (row.failures.size > 0) {
    console.log('\nFailures by error (name code ← cause):\n');
    printTable(['error', 'count', 'first message'], [...row.failures].map(([label, f]) => [label, String(f.count), f.example.replace(/\|/g, '\\|')]));
  }
}
function printShapes(queries: CapturedQuery[], kind: ServerKind): void {
  const row = (q: CapturedQuery) => [
    q.op,
    q.command,
    q.collection,
    describeShape(q.filter),
    q.sort ? JSON.stringify(q.sort) : '-',
    q.match.index ?? 'NONE (collection scan)',
    [q.match.equality.length ? `eq ${q.match.equality.join(',')}` : '', q.match.range.length ? `range ${q.match.range.join(',')}` : '', q.sort ? (q.match.sortFromIndex ? 'sort by index' : 'SORT IN MEMORY') : '']
      .filter(Boolean)
      .join('; '),
    q.match.residual.length ? q.match.residual.join(', ') : '-',
    kind.ferret ? 'scan (FerretDB)' : q.explained ?? '-',
  ];
  const header = ['operation', 'command', 'collection', 'filter', 'sort', 'declared index', 'used for', 'checked per document', 'explain() winning plan'];
  const isRead = (q: CapturedQuery) => READ_OPS.includes(q.op) || q.op.startsWith('listByMeta');
  console.log('\nReads:');
  printTable(header, queries.filter(isRead).map(row));
  console.log('\nWrite path (for reference; on FerretDB every filter but `_id` alone scans, and stock FerretDB 1.24 scans for that too):');
  printTable(header, queries.filter((q) => !isRead(q)).map(row));
  console.log(
    kind.ferret
      ? `\nMONGODB_URI is FerretDB ${kind.version}: it answers every query with a scan except, on the test server's build, a filter on _id alone (docs/design.md, test/servers/ferretdb/build.sh), so index use is shown from the query shapes against requiredIndexes() (equality prefix, then sort, then range); explain() is not consulted.`
      : `\nMONGODB_URI is MongoDB ${kind.version}: the last column is the server's own explain() (queryPlanner) winning plan.`,
  );
}

function printCreateMany(backend: string, createMany: CreateManyRow): void {
  console.log(`\n## createMany vs sequential create (${backend}; ${createMany.records} records per round, median of ${createMany.rounds} round(s), createMany in batches of ${createMany.batch}, ${createMany.putConcurrency} PUTs in flight)\n`);
  printTable(
    ['way', 'records/s', 'ratio', 'median ms', 'p99 ms'],
    [
      ['sequential create (latency of one create)', fmt(createMany.sequentialPerSecond, 0), '1.00x', fmt(createMany.create.medianMs), fmt(createMany.create.p99Ms)],
      [`createMany (latency of one call of ${createMany.records} records)`, fmt(createMany.createManyPerSecond, 0), `${fmt(createMany.createManyPerSecond / createMany.sequentialPerSecond)}x`, fmt(createMany.createManyMs.medianMs), fmt(createMany.createManyMs.p99Ms)],
      [`SDK storage ceiling: bare PutObject calls through client.send of the same documents, ${createMany.putConcurrency} in flight, no MongoDB (the engine's own PUTs skip the SDK's command pipeline, so it can pass this)`, fmt(createMany.rawPutPerSecond, 0), `${fmt(createMany.rawPutPerSecond / createMany.sequentialPerSecond)}x`, '-', '-'],
    ],
  );
}

function printShadow(backend: string, shadow: ShadowRow): void {
  console.log(`\n## getLatest with devShadow on vs off (${backend}; interleaved call by call)\n`);
  printTable(
    ['devShadow', 'median ms', 'p99 ms', 'ops/s', 'ratio (median, on / off)'],
    [shadow.on, shadow.off].map((m, i) => [
      i === 0 ? 'on' : 'off',
      fmt(m.medianMs),
      fmt(m.p99Ms),
      fmt(m.opsPerSecond, 0),
      i === 0 ? `${fmt(shadow.on.medianMs / shadow.off.medianMs)}x` : '1.00x',
    ]),
  );
}

/** Summary lines of the engine-vs-floor table. */
function floorRows(rows: readonly ComparisonRow[]): SummaryRow[] {
  return rows.map(({ engine, floor }) => {
    const bare = engine.name.startsWith('create vs bare');
    const op = engine.name.replace(/ \(.*\)$/, '');
    const target = bare ? undefined : FLOOR_TARGETS[op];
    const operation = bare ? `${engine.name.replace(' vs bare', '')} vs bare floor (head + PutObject, no version row)` : `${engine.name} vs raw floor`;
    return { operation, engine: ms(engine.medianMs), baseline: ms(floor.medianMs), ratio: engine.medianMs / floor.medianMs, ...(target && { target }) };
  });
}

function concurrencyRows(row: ConcurrencyRow): SummaryRow[] {
  return (['creates', 'updates'] as const).map((kind): SummaryRow => {
    const spoiler = [troubles(row.many[kind]), troubles(row.one[kind]) && `1 caller: ${troubles(row.one[kind])}`].filter(Boolean).join('; ');
    return {
      operation: `${row.many.callers} concurrent callers vs 1, ${kind} (driver's default pool; ${row.recordsPerRound} records x ${row.rounds} round(s))`,
      engine: perSecond(row.many[kind].perSecond, kind.slice(0, -1)),
      baseline: perSecond(row.one[kind].perSecond, kind.slice(0, -1)),
      ratio: row.many[kind].perSecond / row.one[kind].perSecond,
      target: { at: '>=', ratio: 2 },
      ...(spoiler && { spoiler }),
    };
  }).concat(
    (['creates', 'updates'] as const).map((kind): SummaryRow => ({
      operation: `raw floor (no engine), ${row.many.callers} concurrent callers vs 1, ${kind}, same client: what the servers and machine allow`,
      engine: perSecond(row.floor.many[kind], kind.slice(0, -1)),
      baseline: perSecond(row.floor.one[kind], kind.slice(0, -1)),
      ratio: row.floor.many[kind] / row.floor.one[kind],
    })),
  );
}
async function floorScenario({ fx, options, log }: ScenarioRun): Promise<SummaryRow[]> {
  const rows: ComparisonRow[] = [];
  for (const backend of options.backends) {
    log(`operations on ${backend}…`);
    rows.push(...(await runOperationSuite(fx, await fx.storage(backend), options, log)));
  }
  console.log(`## Engine vs raw floor (ratio = engine median / floor median; ${options.ops} timed operations per row, engine and floor interleaved call by call after 5 untimed rounds, one client, one operation at a time)\n`);
  printComparison(rows);
  return floorRows(rows);
}

async function historyScenario({ fx, options, first, log }: ScenarioRun): Promise<SummaryRow[]> {
  const started = performance.now();
  const history = await runHistorySuite(fx, await fx.storage(first), options, log);
  console.log(`\n## getLatest as one record's history grows (${first}; history written by engine updates in ${fmt((performance.now() - started) / 1000, 0)} s)\n`);
  printHistory(history, options);
  const rows: SummaryRow[] = [];
  const deepest = history.rows[history.rows.length - 1];
  if (deepest) {
    rows.push({ operation: `getLatest at ${deepest.versions} versions vs a 1-version record`, engine: ms(deepest.getLatest.medianMs), baseline: ms(deepest.control.medianMs), ratio: deepest.getLatest.medianMs / deepest.control.medianMs });
  }
  log('update at the history length…');
  const updates = await runUpdateHistorySuite(fx, await fx.storage(first), history.record, options, log);
  console.log(`\n## update at ${updates.shortVersions} vs ${updates.longVersions} versions of the record (${first}; interleaved call by call, ${options.growthOps} timed each)\n`);
  printUpdateHistory(updates);
  rows.push({
    operation: `update at ${updates.longVersions} versions vs at ${updates.shortVersions}`,
    engine: ms(updates.long.medianMs),
    baseline: ms(updates.short.medianMs),
    ratio: updates.long.medianMs / updates.short.medianMs,
    target: { at: '<=', ratio: 1.3 },
    ...(updates.longVersions < 10_000 && { spoiler: `${updates.longVersions} of 10,000 versions${history.outOfTime ? ', build time ran out' : ''}` }),
  });
  return rows;
}

async function createManyScenario({ fx, options, first, log }: ScenarioRun): Promise<SummaryRow[]> {
  const createMany = await runCreateManySuite(fx, await fx.storage(first), options.createManyRecords, options.createManyRounds, log);
  printCreateMany(first, createMany);
  return [
    {
      operation: `createMany vs sequential create (${createMany.records} records, the bench client's pool)`,
      engine: perSecond(createMany.createManyPerSecond, 'record'),
      baseline: perSecond(createMany.sequentialPerSecond, 'record'),
      ratio: createMany.createManyPerSecond / createMany.sequentialPerSecond,
      target: { at: '>=', ratio: 5 },
      ...(createMany.records < 1_000 && { spoiler: `${createMany.records} of 1,000 records` }),
    },
    {
      operation: `createMany vs the SDK storage ceiling (bare client.send PutObject calls of the same ${createMany.records} documents, ${createMany.putConcurrency} in flight)`,
      engine: perSecond(createMany.createManyPerSecond, 'record'),
      baseline: perSecond(createMany.rawPutPerSecond, 'PUT'),
      ratio: createMany.createManyPerSecond / createMany.rawPutPerSecond,
    },
  ];
}

async function concurrencyScenario({ fx, options, first, log }: ScenarioRun): Promise<SummaryRow[]> {
  const concurrency = await runConcurrencySuite(fx, await fx.storage(first), options, log);
  console.log(`\n## ${concurrency.many.callers} concurrent callers vs 1 (${first}; a second client with the driver's default pool; ${concurrency.recordsPerRound} records created then updated per side and round, ${concurrency.rounds} round(s))\n`);
  printConcurrency(concurrency);
  return concurrencyRows(concurrency);
}

async function collectionSizeScenario({ fx, options, first, log }: ScenarioRun): Promise<SummaryRow[]> {
  const size = await runCollectionSizeSuite(fx, await fx.storage(first), options, log);
  console.log(`\n## create and update in a small collection vs in ${size.records} records (${first}; interleaved call by call, ${options.growthOps} timed each)\n`);
  printCollectionSize(size, options);
  return [
    {
      operation: `create into ${size.records} records vs into an empty collection`,
      engine: ms(size.full.medianMs),
      baseline: ms(size.empty.medianMs),
      ratio: size.full.medianMs / size.empty.medianMs,
      target: { at: '<=', ratio: 1.3 },
      ...(size.records < 10_000 && { spoiler: `${size.records} of 10,000 records${size.records < size.target ? ', build time ran out' : ''}` }),
    },
    {
      operation: `update in ${size.records} records vs in a collection of ${options.growthOps + 5}`,
      engine: ms(size.updateFull.medianMs),
      baseline: ms(size.updateSmall.medianMs),
      ratio: size.updateFull.medianMs / size.updateSmall.medianMs,
      target: { at: '<=', ratio: 1.3 },
      ...(size.records < 10_000 && { spoiler: `${size.records} of 10,000 records${size.records < size.target ? ', build time ran out' : ''}` }),
    },
  ];
}

async function shadowScenario({ fx, options, first }: ScenarioRun): Promise<SummaryRow[]> {
  printShadow(first, await runShadowSuite(fx, await fx.storage(first), options.ops));
  return [];
}

async function evolutionScenario({ fx, options, first, log }: ScenarioRun): Promise<SummaryRow[]> {
  const reads = await runEvolutionReadSuite(fx, await fx.storage(first), options.ops);
  console.log(`\n## Reading a version written 2 declaration revisions ago vs a current one (${first}; interleaved call by call, ${options.ops} timed each)\n`);
  const pairs = [
    ['getLatest', reads.getLatestOld, reads.getLatestCurrent],
    ['getVersion', reads.getVersionOld, reads.getVersionCurrent],
  ] as const;
  printTable(
    ['read', 'old version: median ms', 'p99 ms', 'current version: median ms', 'p99 ms', 'ratio (median)'],
    pairs.map(([op, o, c]) => [op, fmt(o.medianMs), fmt(o.p99Ms), fmt(c.medianMs), fmt(c.p99Ms), `${fmt(o.medianMs / c.medianMs)}x`]),
  );
  log('generate with a lock file…');
  const lock = await runLockGenerateSuite(path.resolve(import.meta.dirname, '..'));
  console.log(`\n## generate (plan + emit, in process, no writes) of ${lock.collections} collections with a 3-revision history vs none (median of ${lock.withLock.count})\n`);
  printTable(
    ['lock file', 'median ms', 'ratio'],
    [
      [`${lock.collections} collections x 3 revisions`, fmt(lock.withLock.medianMs, 0), `${fmt(lock.withLock.medianMs / lock.withoutLock.medianMs)}x`],
      ['none', fmt(lock.withoutLock.medianMs, 0), '1.00x'],
    ],
  );
  return [
    ...pairs.map(([op, o, c]): SummaryRow => ({
      operation: `${op} of a version 2 declaration revisions old vs a current one`,
      engine: ms(o.medianMs),
      baseline: ms(c.medianMs),
      ratio: o.medianMs / c.medianMs,
      target: { at: '<=', ratio: 1.1 },
    })),
    {
      operation: `generate ${lock.collections} collections with a lock file of 3 revisions each vs without`,
      engine: ms(lock.withLock.medianMs),
      baseline: ms(lock.withoutLock.medianMs),
      ratio: lock.withLock.medianMs / lock.withoutLock.medianMs,
      target: { at: '<=', ratio: 1.2 },
    },
  ];
}

async function backfillScenario({ fx, options, first, log }: ScenarioRun): Promise<SummaryRow[]> {
  const row = await runBackfillSuite(fx, await fx.storage(first), { records: options.backfillRecords, updates: options.ops }, log);
  printBackfill(row, first);
  return [backfillSummaryRow(row)];
}

async function shapesScenario({ fx, first, kind }: ScenarioRun): Promise<SummaryRow[]> {
  const shapes = await captureQueryShapes(fx, await fx.storage(first));
  console.log('\n## Which declared index serves each query the engine sends\n');
  printShapes(shapes, kind);
  return [];
}

function printReconcile(backend: string, row: ReconcileRow): void {
  console.log(`\n## admin.reconcile() after ${row.writes} writes over ${row.records} records and ${row.deadClaims} dead claims (${backend}; the writes took ${fmt(row.writeSeconds, 1)} s)\n`);
  const line = (label: string, run: ReconcileRow['first']) => [
    label,
    fmt(run.seconds, 2),
    fmt(row.writes / run.seconds, 0),
    String(run.rolledForward),
    String(run.rolledBack),
    String(run.orphansRemoved),
    String(run.uncounted),
  ];
  printTable(
    ['run', 'seconds', 'version rows per second', 'rolled forward', 'rolled back', 'orphans removed', 'versions counted late'],
    [line('first (every row of the writes still pending)', row.first), line('second, right after (nothing new)', row.second)],
  );
}

/** What the first reconcile after the burst of writes may take (seconds). */
const RECONCILE_BUDGET_S = 5;

async function reconcileScenario({ fx, options, first, log }: ScenarioRun): Promise<SummaryRow[]> {
  const row = await runReconcileSuite(fx, await fx.storage(first), { writes: options.reconcileWrites, records: options.reconcileRecords }, log);
  printReconcile(first, row);
  const settled = row.first.rolledForward + row.first.rolledBack;
  const spoiler = [
    row.writes < 2_000 && `${row.writes} of 2,000 writes`,
    settled !== row.deadClaims && `${settled} of ${row.deadClaims} dead claims settled`,
  ].filter(Boolean).join('; ');
  return [
    {
      operation: `admin.reconcile() after ${row.writes} writes over ${row.records} records and ${row.deadClaims} dead claims, vs its ${RECONCILE_BUDGET_S} s budget (${fmt(row.writes / row.first.seconds, 0)} rows/s)`,
      engine: `${fmt(row.first.seconds, 2)} s`,
      baseline: `${RECONCILE_BUDGET_S} s`,
      ratio: row.first.seconds / RECONCILE_BUDGET_S,
      target: { at: '<=', ratio: 1 },
      ...(spoiler && { spoiler }),
    },
  ];
}

/** Every scenario in the order a run takes them. */
export const SCENARIOS: ReadonlyArray<{ name: BenchScenario; run: (run: ScenarioRun) => Promise<SummaryRow[]> }> = [
  { name: 'floor', run: floorScenario },
  { name: 'history', run: historyScenario },
  { name: 'create-many', run: createManyScenario },
  { name: 'concurrency', run: concurrencyScenario },
  { name: 'collection-size', run: collectionSizeScenario },
  { name: 'shadow', run: shadowScenario },
  { name: 'evolution', run: evolutionScenario },
  { name: 'backfill', run: backfillScenario },
  { name: 'shapes', run: shapesScenario },
  { name: 'reconcile', run: reconcileScenario },
  { name: 'codegen', run: async ({ log }) => runCodegenBench(log) },
];
