/**
 * `npm run bench`: the engine next to the raw driver and SDK calls it needs (docs/design.md,
 * "Performance"), getLatest and update as one record's history grows, create as the collection
 * grows, createMany vs sequential create, 8 concurrent callers vs 1, getLatest with the dev shadow
 * on vs off, which declared index serves each query the engine sends, and how long
 * `admin.reconcile()` takes after a burst of writes, and what the typed layer costs an app
 * (generate and tsc CPU for 100 collections) (scenarios.ts). Ends with one summary table of
 * every ratio and its target (`bench/summary.ts`), also written to `options.out`. Needs the test
 * servers (MONGODB_URI, CHRONOS_TEST_S3_*); see bench-config.ts for the knobs. Everything it
 * creates in the servers is removed at the end.
 */
import { benchOptions, benchServers } from './bench-config.js';
import type { BenchOptions } from './bench-config.js';
import { BenchFixture } from './bench-fixture.js';
import { serverKind } from './query-shapes.js';
import { fmt } from './stats.js';
import { watchSignals } from './interrupt.js';
import { SCENARIOS } from './scenarios.js';
import { summaryTable, writeSummary } from './summary.js';
import type { SummaryRow } from './summary.js';

const log = (line: string) => console.error(line);

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
  const summary: SummaryRow[] = [];
  const heading: string[] = [];
  let failed: string | null = null;
  let phase = 'connecting';
  try {
    const kind = await serverKind(fx.client.db('admin'));
    heading.push(
      `Chronos bench, ${new Date().toISOString()}, Node ${process.version}${options.quick ? ' (QUICK MODE: sizes for checking the harness, not figures)' : ''}`,
      `Sizes: ops ${options.ops}; history ${options.historySteps[options.historySteps.length - 1]} versions; create-many ${options.createManyRecords} x ${options.createManyRounds}; callers ${options.callers} x ${options.callerOps} x ${options.concurrencyRounds}; collection-records ${options.collectionRecords}; growth-ops ${options.growthOps}; build-seconds ${options.buildSeconds}; reconcile ${options.reconcileWrites} writes over ${options.reconcileRecords} records (bench-config.ts)`,
      `MongoDB wire: ${kind.ferret ? `FerretDB ${kind.version}` : `MongoDB ${kind.version}`} at ${servers.mongoUri.replace(/\/\/[^@/]*@/, '//***@')}; S3: ${servers.s3.endpoint}`,
    );
    console.log(`# ${heading[0]}`);
    for (const line of heading.slice(1)) console.log(line);
    console.log(`Scenarios: ${options.only.join(', ')}; backends: ${options.backends.join(', ')}.\n`);
    const run = { fx, options, kind, first: options.backends[0] ?? 's3', log } as const;
    for (const scenario of SCENARIOS) {
      if (!options.only.includes(scenario.name)) continue;
      phase = scenario.name;
      log(`${phase}…`);
      summary.push(...(await scenario.run(run)));
    }
  } catch (e) {
    failed = phase;
    console.error(`bench failed during ${phase}:`, e);
  } finally {
    const lines = [
      ...heading.map((h) => `${h}  `),
      '',
      ...(failed ? [`**INCOMPLETE: the run failed during ${failed}; the rows below are what it measured before that.**`, ''] : []),
      ...summaryTable(summary),
      '',
      'Ratios are engine / baseline of medians (ms rows) or of throughputs (/s rows); absolute times on shared machines are noise. A row whose figure was taken short of the size the target is about, or with failed or lost writes, does not meet its target.',
    ];
    console.log(`\n## Summary (targets)\n\n${lines.join('\n')}`);
    try {
      const wrote = await writeSummary(options.out, lines);
      if (wrote) console.log(`\nSummary written to ${wrote}.`);
    } catch (e) {
      console.error(`bench: could not write the summary to ${options.out}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const problems = await fx.cleanup();
    for (const p of problems) console.error(`cleanup: ${p}`);
    console.log(`\nTotal time ${fmt((performance.now() - started) / 1000, 0)} s; cleanup ${problems.length === 0 ? 'removed every database, bucket and folder the bench created' : `left ${problems.length} problem(s), see stderr`}.`);
  }
  if (failed) process.exitCode = 1;
}

await main();
