/**
 * The counters' part of `admin.reconcile()`: finish the counter batches dead writers left open in
 * every analytics database, count the committed runtime versions no batch counted, and flush, so
 * that totals are exact afterwards whatever crashed where.
 */
import type { ParsedChronosConfig } from '../config/schema.js';
import type { ConnectionPool } from '../connections/connection-pool.js';
import type { CounterRecorder } from '../counters/counter-recorder.js';
import { recoverCounterBatches, type CounterRecoveryReport } from '../counters/counter-recovery.js';
import { countUncountedVersions, type UncountedReport } from '../counters/uncounted-versions.js';
import { listDatabaseTargets } from '../router/database-targets.js';
import { analyticsDbForRuntimeDb } from './tenant-databases.js';
import { forEachVersionedCollection } from './versioned-collections.js';

/** What the counters' recovery did, per analytics database and per runtime collection with uncounted versions. */
export interface CounterReconcileReport {
  batches: Array<{ analyticsDbName: string; report: CounterRecoveryReport }>;
  uncounted: Array<{ dbName: string; collection: string; report: UncountedReport }>;
}

/**
 * Runs the counters' recovery pass over the whole instance, then flushes `recorder`. Idempotent;
 * `graceMs` is how old an open batch must be before it is taken from its writer (default 1 minute).
 */
export async function reconcileCounters(config: ParsedChronosConfig, pool: ConnectionPool, recorder: CounterRecorder, options: { graceMs?: number } = {}): Promise<CounterReconcileReport> {
  const report: CounterReconcileReport = { batches: [], uncounted: [] };
  // This instance's own failed batches are finished by their writer first, so the pass below
  // (which may run with a short grace) does not take them over while they are still in memory.
  await recorder.flush().catch(() => undefined);
  for (const target of listDatabaseTargets(config).filter((t) => t.databaseType === 'analytics')) {
    const recovered = await recoverCounterBatches(pool.db(target.mongoUri, target.dbName), options.graceMs !== undefined ? { graceMs: options.graceMs } : {});
    report.batches.push({ analyticsDbName: target.dbName, report: recovered });
  }
  await forEachVersionedCollection(config, pool, async (ctx) => {
    if (ctx.routeInfo.databaseType !== 'runtime') return;
    const analyticsDb = analyticsDbForRuntimeDb(config, pool, ctx.routeInfo.dbName, ctx.routeInfo.tenantId);
    if (!analyticsDb) return;
    const found = await countUncountedVersions(ctx, analyticsDb, recorder.observe, recorder.rules);
    if (found.versions > 0) report.uncounted.push({ dbName: ctx.routeInfo.dbName, collection: ctx.collection, report: found });
  });
  await recorder.flush();
  return report;
}
