/**
 * The meta backfill `chronos migrate` runs after an indexed prop was renamed: records written
 * under revision 1 keep `name` in their heads while the declaration now indexes `title`, so
 * every head is recomputed from its latest version upcast to revision 2. Its throughput
 * (records/s) is compared with that of sequential updates of records of the same collection,
 * in the same run, on the same servers, after the backfill (so both see the same collection).
 */
import { z } from 'zod';
import type { BenchFixture, BenchStorage } from './bench-fixture.js';
import { fmt, printTable } from './stats.js';
import { perSecond, type SummaryRow } from './summary.js';
import { checkCreated } from './engine-checks.js';
import { checkInterrupted } from './interrupt.js';
import { defineCollection } from '../runtime/schema/define-collection.js';
import { currentRevision, upgraderOf } from '../runtime/schema/upcasters.js';
import { planMetaBackfill, runMetaBackfill, type MetaBackfillReport } from '../runtime/ops/backfill-meta.js';

/** Backfill and update throughput over one collection. */
export interface BackfillRow {
  records: number;
  fillSeconds: number;
  backfill: { seconds: number; perSecond: number; report: MetaBackfillReport };
  updates: { count: number; seconds: number; perSecond: number };
}

/** Revision 2 of the bench collection: revision 1 called `title` `name`, and indexed it. */
const items = defineCollection({
  name: 'renamed',
  schema: z.object({ title: z.string(), qty: z.int(), status: z.enum(['new', 'open', 'closed']) }),
  indexedProps: ['title', 'status'],
  placement: { databaseType: 'runtime', tiers: ['tenant'] },
  upcasters: { 2: ({ name, ...rest }: { name: string; qty: number; status: string }) => ({ ...rest, title: name }) },
});

const CHUNK = 100;
const STATUSES = ['new', 'open', 'closed'] as const;

/**
 * Writes `records` records under revision 1 (createMany, in chunks), times the backfill of
 * their heads under revision 2 (what `admin.backfillMeta()` runs for the collection), then
 * times `updates` sequential updates of records spread over the same collection.
 */
export async function runBackfillSuite(
  fx: BenchFixture,
  storage: BenchStorage,
  sizes: { records: number; updates: number },
  log: (line: string) => void,
): Promise<BackfillRow> {
  const db = fx.database('chronos_bench_backfill');
  const old = fx.ops(db, storage, 'renamed', { indexedProps: ['name', 'status'], revision: 1 });
  const settings = { indexedProps: ['title', 'status'], revision: currentRevision(items), upgrade: upgraderOf(items) };
  const ctx = fx.context(db, storage, 'renamed', settings);
  const current = fx.ops(db, storage, 'renamed', settings);
  const t0 = performance.now();
  const ids: string[] = [];
  while (ids.length < sizes.records) {
    checkInterrupted();
    const ns = Array.from({ length: Math.min(CHUNK, sizes.records - ids.length) }, (_, i) => ids.length + i);
    const results = await old.createMany(ns.map((n) => ({ name: `item ${n}`, qty: n, status: STATUSES[n % 3] })));
    checkCreated(results, ns.length, 'createMany (revision 1 records)');
    ids.push(...results.map((r) => r.id));
    if (ids.length % 1_000 === 0) log(`  backfill: ${ids.length} revision-1 records (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
  const fillSeconds = (performance.now() - t0) / 1000;

  const plan = await planMetaBackfill(ctx);
  if (!plan || plan.heads !== sizes.records) throw new Error(`bench: the backfill plans ${plan?.heads ?? 0} heads, expected ${sizes.records}`);
  let t = performance.now();
  let batches = 0;
  const report = await runMetaBackfill(ctx, plan, {
    onProgress: (message) => {
      batches += 1;
      if (batches % 10 === 0) log(`${message} (${((performance.now() - t) / 1000).toFixed(0)} s)`);
    },
  });
  const backfillSeconds = (performance.now() - t) / 1000;
  if (report.examined !== sizes.records || report.updated !== sizes.records || report.failed.length > 0) {
    throw new Error(`bench: the backfill examined ${report.examined}, updated ${report.updated} and failed ${report.failed.length} of ${sizes.records} heads`);
  }
  for (const n of [0, Math.floor(sizes.records / 2), sizes.records - 1]) {
    const found = await current.listByMeta({ filter: { title: `item ${n}` } });
    if (found.items.length !== 1) throw new Error(`bench: after the backfill, title "item ${n}" finds ${found.items.length} records, expected 1`);
  }

  const step = Math.max(1, Math.floor(ids.length / sizes.updates));
  const targets = Array.from({ length: sizes.updates }, (_, i) => ids[(i * step) % ids.length] as string);
  t = performance.now();
  for (const [i, id] of targets.entries()) {
    checkInterrupted();
    const r = await current.update(id, { title: `updated ${i}`, qty: i, status: 'open' }, 0);
    if (r.ov !== 1) throw new Error(`bench: update gave v${r.ov}, expected v1`);
  }
  const updateSeconds = (performance.now() - t) / 1000;
  return {
    records: sizes.records,
    fillSeconds,
    backfill: { seconds: backfillSeconds, perSecond: sizes.records / backfillSeconds, report },
    updates: { count: sizes.updates, seconds: updateSeconds, perSecond: sizes.updates / updateSeconds },
  };
}

/** How many times the update rate the backfill must reach: per record it reads one payload and replaces one head, where an update writes a whole version. */
const BACKFILL_SPEEDUP = 3;

/** Prints the backfill's section of a run. */
export function printBackfill(row: BackfillRow, backend: string): void {
  console.log(`\n## Meta backfill of ${row.records} heads written 1 declaration revision ago (an indexed prop renamed) vs sequential updates in the same collection (${backend}; filled in ${fmt(row.fillSeconds, 0)} s)\n`);
  printTable(
    ['work', 'records', 'seconds', 'records/s', 'ratio'],
    [
      ['backfill (admin.backfillMeta)', String(row.records), fmt(row.backfill.seconds, 2), fmt(row.backfill.perSecond, 0), `${fmt(row.backfill.perSecond / row.updates.perSecond)}x`],
      ['update, one after another', String(row.updates.count), fmt(row.updates.seconds, 2), fmt(row.updates.perSecond, 0), '1.00x'],
    ],
  );
}

/** The backfill's line of the summary: records/s against sequential updates, short of 10,000 heads it does not count. */
export function backfillSummaryRow(row: BackfillRow): SummaryRow {
  return {
    operation: `meta backfill of ${row.records} heads of an older revision vs sequential updates in the same collection (records/s)`,
    engine: perSecond(row.backfill.perSecond, 'records'),
    baseline: perSecond(row.updates.perSecond, 'records'),
    ratio: row.backfill.perSecond / row.updates.perSecond,
    target: { at: '>=', ratio: BACKFILL_SPEEDUP },
    ...(row.records < 10_000 && { spoiler: `${row.records} of 10,000 heads` }),
  };
}
