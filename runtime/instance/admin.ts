/**
 * `chronos.admin`: operations over the whole instance rather than one collection.
 */
import type { ParsedChronosConfig } from '../config/schema.js';
import type { ConnectionPool } from '../connections/connection-pool.js';
import type { CounterRecorder } from '../analytics/counter-recorder.js';
import { pruneCounterBuckets, type PruneResult } from '../analytics/counter-retention.js';
import { listDatabaseTargets } from '../router/database-targets.js';
import { checkHealth, type HealthReport } from './health.js';
import { forEachVersionedCollection } from './versioned-collections.js';
import { reconcileCollection, type ReconcileReport } from '../ops/reconcile.js';
import { applyVersionRetention, type RetentionReport } from '../ops/retention.js';

/** What {@link ChronosAdmin.reconcile} repaired, per collection. */
export interface InstanceReconcileReport {
  collections: Array<{ dbName: string; collection: string; report: ReconcileReport }>;
}

/** What {@link ChronosAdmin.applyRetention} removed. */
export interface InstanceRetentionReport {
  versions: Array<{ dbName: string; collection: string; report: RetentionReport }>;
  counters: Array<{ analyticsDbName: string; pruned: PruneResult }>;
}

/** Instance-wide operations. */
export interface ChronosAdmin {
  /** Pings every Mongo connection and every storage backend in use, with latency. Never throws. */
  health(): Promise<HealthReport>;
  /** Writes every pending counter increment; resolves when they are durable. */
  flush(): Promise<void>;
  /**
   * Finds and repairs what crashed writes left in every versioned collection of every
   * configured database (see the engine's write protocol). Idempotent.
   */
  reconcile(options?: { graceMs?: number }): Promise<InstanceReconcileReport>;
  /** Applies `retention.ver` to every versioned collection and `retention.counters` to every analytics database. */
  applyRetention(now?: Date): Promise<InstanceRetentionReport>;
  /** How many Mongo clients and object-store clients this instance has opened (they are shared per URI / connection). */
  connectionStats(): { mongoClients: number; objectStores: number };
  /** Stops the fallback workers, flushes counters and closes every connection. The instance is unusable afterwards. */
  shutdown(): Promise<void>;
}

/** Builds the admin API of an instance. */
export function createChronosAdmin(inputs: {
  config: ParsedChronosConfig;
  pool: ConnectionPool;
  recorder: CounterRecorder;
  /** Stops background workers (the fallback queues) before connections close. */
  stopWorkers: () => Promise<void>;
}): ChronosAdmin {
  const { config, pool, recorder, stopWorkers } = inputs;
  return {
    health: () => checkHealth(config, pool),
    flush: () => recorder.flush(),
    async reconcile(options = {}) {
      const collections: InstanceReconcileReport['collections'] = [];
      await forEachVersionedCollection(config, pool, async (ctx) => {
        const report = await reconcileCollection(ctx, options);
        collections.push({ dbName: ctx.routeInfo.dbName, collection: ctx.collection, report });
      });
      return { collections };
    },
    async applyRetention(now = new Date()) {
      const report: InstanceRetentionReport = { versions: [], counters: [] };
      const ver = config.retention.ver;
      if (ver?.days !== undefined || ver?.maxPerItem !== undefined) {
        await forEachVersionedCollection(config, pool, async (ctx) => {
          const removed = await applyVersionRetention({ ...ctx, clock: () => now }, ver);
          report.versions.push({ dbName: ctx.routeInfo.dbName, collection: ctx.collection, report: removed });
        });
      }
      const counters = config.retention.counters;
      if (counters) {
        for (const target of listDatabaseTargets(config).filter((t) => t.databaseType === 'analytics')) {
          const pruned = await pruneCounterBuckets(pool.db(target.mongoUri, target.dbName), counters, now);
          report.counters.push({ analyticsDbName: target.dbName, pruned });
        }
      }
      return report;
    },
    connectionStats: () => pool.stats(),
    async shutdown() {
      try {
        await stopWorkers();
        await recorder.close();
      } finally {
        await pool.close();
      }
    },
  };
}
