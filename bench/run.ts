/**
 * `npm run bench`: the engine next to the raw driver and SDK calls it needs (DESIGN.md §6),
 * getLatest as history grows, createMany vs sequential create, getLatest with the dev shadow on
 * vs off, and which declared index serves each query the engine sends.
 * Needs the test servers (MONGODB_URI, CHRONOS_TEST_S3_*); see bench-config.ts for the knobs.
 * Everything it creates is removed at the end; it writes no result files.
 */
import { benchOptions, benchServers } from './bench-config.js';
import type { BenchOptions } from './bench-config.js';
import { BenchFixture } from './bench-fixture.js';
import { runOperationSuite } from './operation-suite.js';
import type { ComparisonRow } from './operation-suite.js';
import { estimateHistoryMinutes, runHistorySuite } from './history-suite.js';
import type { HistoryRow } from './history-suite.js';
import { captureQueryShapes, serverKind } from './query-shapes.js';
import type { CapturedQuery, ServerKind } from './query-shapes.js';
import { describeShape } from './index-match.js';
import { fmt, printComparison, printTable } from './stats.js';
import { watchSignals } from './interrupt.js';
import { runCreateManySuite, runShadowSuite } from './write-read-options-suite.js';
import type { CreateManyRow, ShadowRow } from './write-read-options-suite.js';

const log = (line: string) => console.error(line);
const READ_OPS = ['getLatest', 'getVersion', 'getAsOf'];

function printHistory(rows: HistoryRow[], options: BenchOptions): void {
  printTable(
    ['versions of the record', 'getLatest median ms', 'p99 ms', 'same read of a 1-version record: median ms', 'ratio (median)', 'writing the history up to here (s)', 'median ms of the last updates before it'],
    rows.map((r) => [
      String(r.versions),
      fmt(r.getLatest.medianMs),
      fmt(r.getLatest.p99Ms),
      fmt(r.control.medianMs),
      `${fmt(r.getLatest.medianMs / r.control.medianMs)}x`,
      fmt(r.writeSeconds, 1),
      r.lastUpdates ? `${fmt(r.lastUpdates.medianMs)} (${r.lastUpdates.count} updates)` : '-',
    ]),
  );
  const last = options.historySteps[options.historySteps.length - 1] ?? 0;
  if (last < 10_000) {
    const minutes = estimateHistoryMinutes(rows, 10_000);
    console.log(
      `\nHistory stops at ${last} versions (the issue asks 10,000) to keep the run short: it is written by engine updates, one at a time` +
        (minutes === null ? '.' : `, and from the update latencies above (growing linearly with the version count) 10,000 would take about ${fmt(minutes, 0)} min.`) +
        ' BENCH_HISTORY=10000 (or --history=10000) runs it.',
    );
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
  console.log('\nWrite path (for reference; on FerretDB each of these scans its collection):');
  printTable(header, queries.filter((q) => !isRead(q)).map(row));
  console.log(
    kind.ferret
      ? `\nMONGODB_URI is FerretDB ${kind.version}: it answers every query with a scan (DESIGN.md §3), so index use is shown from the query shapes against requiredIndexes() (equality prefix, then sort, then range); explain() is not consulted.`
      : `\nMONGODB_URI is MongoDB ${kind.version}: the last column is the server's own explain() (queryPlanner) winning plan.`,
  );
}

function printOptions(backend: string, createMany: CreateManyRow, shadow: ShadowRow): void {
  console.log(`\n## createMany vs sequential create (${backend}; ${createMany.records} records per round, median of ${createMany.rounds} rounds, createMany ${createMany.concurrency} at a time)\n`);
  printTable(
    ['way', 'records/s', 'ratio'],
    [
      ['sequential create', fmt(createMany.sequentialPerSecond, 0), '1.00x'],
      ['createMany', fmt(createMany.createManyPerSecond, 0), `${fmt(createMany.createManyPerSecond / createMany.sequentialPerSecond)}x`],
    ],
  );
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

async function main(): Promise<void> {
  const started = performance.now();
  let servers: ReturnType<typeof benchServers>;
  let options: BenchOptions;
  try {
    servers = benchServers();
    options = benchOptions();
  } catch (e) {
    console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 2;
    return;
  }
  watchSignals();
  const fx = await BenchFixture.open(servers);
  let failed = false;
  try {
    const kind = await serverKind(fx.client.db('admin'));
    console.log(`# Chronos bench — ${new Date().toISOString()}, Node ${process.version}`);
    console.log(`MongoDB wire: ${kind.ferret ? `FerretDB ${kind.version}` : `MongoDB ${kind.version}`} at ${servers.mongoUri.replace(/\/\/[^@/]*@/, '//***@')}; S3: ${servers.s3.endpoint}`);
    console.log(`${options.ops} timed operations per row (engine and floor interleaved call by call, after 5 untimed rounds), backends: ${options.backends.join(', ')}; one client, operations one at a time.\n`);
    const rows: ComparisonRow[] = [];
    for (const backend of options.backends) {
      log(`operations on ${backend}…`);
      rows.push(...(await runOperationSuite(fx, await fx.storage(backend), options, log)));
    }
    console.log('## Engine vs raw floor (ratio = engine median / floor median)\n');
    printComparison(rows);

    log('history…');
    const historyStarted = performance.now();
    const history = await runHistorySuite(fx, await fx.storage(options.backends[0] ?? 's3'), options, log);
    console.log(`\n## getLatest as one record's history grows (${options.backends[0] ?? 's3'}; history written by engine updates in ${fmt((performance.now() - historyStarted) / 1000, 0)} s)\n`);
    printHistory(history, options);

    const first = options.backends[0] ?? 's3';
    log('createMany and devShadow…');
    const optionStorage = await fx.storage(first);
    const createMany = await runCreateManySuite(fx, optionStorage, options.createManyRecords);
    const shadow = await runShadowSuite(fx, optionStorage, options.ops);
    printOptions(first, createMany, shadow);

    log('query shapes…');
    const shapes = await captureQueryShapes(fx, await fx.storage(options.backends[0] ?? 's3'));
    console.log('\n## Which declared index serves each query the engine sends\n');
    printShapes(shapes, kind);
  } catch (e) {
    failed = true;
    console.error('bench failed:', e);
  } finally {
    const problems = await fx.cleanup();
    for (const p of problems) console.error(`cleanup: ${p}`);
    console.log(`\nTotal time ${fmt((performance.now() - started) / 1000, 0)} s; cleanup ${problems.length === 0 ? 'removed every database, bucket and folder the bench created' : `left ${problems.length} problem(s), see stderr`}.`);
  }
  if (failed) process.exitCode = 1;
}

await main();
