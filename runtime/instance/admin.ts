/**
 * `chronos.admin`: operations over the whole instance rather than one collection.
 */
import type { ParsedChronosConfig } from '../config/schema.js';
import type { ConnectionPool } from '../connections/connection-pool.js';
import type { CounterRecorder } from '../counters/counter-recorder.js';
import { pruneCounterBuckets, type PruneResult } from '../counters/counter-retention.js';
import { listDatabaseTargets } from '../router/database-targets.js';
import { checkHealth, type HealthOptions, type HealthReport } from './health.js';
import { forEachVersionedCollection, listVersionedCollections, type VersionedCollection } from './versioned-collections.js';
import { readVersionLog, type VersionLogPage, type VersionLogQuery } from './version-log.js';
import { reconcileCollection, type ReconcileReport } from '../ops/reconcile.js';
import { applyVersionRetention, type RetentionReport } from '../ops/retention.js';
import { resolveRoute, type RouteContext } from '../router/resolve-route.js';
import { RouteError } from '../errors.js';
import { engineContextFor } from './collection-handle.js';
import { reconcileCounters, type CounterReconcileReport } from './counter-reconcile.js';
import { ERASURES_COLLECTION, hardDeleteRecord, type HardDeleteOptions, type HardDeleteReport } from '../ops/erase-record.js';
import { planMetaBackfill, runMetaBackfill, type MetaBackfillPlan, type MetaBackfillReport } from '../ops/backfill-meta.js';

/** One collection's meta backfill: what it needs, and (unless a dry run) what it did. */
export interface MetaBackfillResult {
  plan: MetaBackfillPlan;
  report?: MetaBackfillReport;
}

/** What {@link ChronosAdmin.reconcile} repaired, per collection. */
export interface InstanceReconcileReport {
  collections: Array<{ dbName: string; collection: string; report: ReconcileReport }>;
  /** Counter batches finished and committed versions counted late (see `counter-reconcile.ts`). */
  counters: CounterReconcileReport;
}

/** What {@link ChronosAdmin.applyRetention} removed. */
export interface InstanceRetentionReport {
  versions: Array<{ dbName: string; collection: string; report: RetentionReport }>;
  counters: Array<{ analyticsDbName: string; pruned: PruneResult }>;
}

/** Instance-wide operations. */
export interface ChronosAdmin {
  /**
   * Pings every Mongo connection and every storage backend in use, all at once, with latency. A
   * backend that fails, or does not answer within `timeoutMs` (default 5,000), is reported not
   * ok, so the report comes back within about that bound however many backends are down. Throws
   * only a ValidationError for a bad `timeoutMs`.
   */
  health(options?: HealthOptions): Promise<HealthReport>;
  /**
   * Writes every pending counter increment (and finishes this instance's batches that failed
   * before); resolves when they are durable.
   *
   * @throws CountersPendingError when the analytics database failed; nothing is lost, call it again.
   */
  flush(): Promise<void>;
  /**
   * Finds and repairs what crashed writes left in every versioned collection of every
   * configured database (see the engine's write protocol), then the counters: open counter
   * batches of dead writers are finished and committed versions no batch counted are counted,
   * each exactly once. Idempotent. `graceMs` also applies to counter batches (default 1 minute).
   */
  reconcile(options?: { graceMs?: number }): Promise<InstanceReconcileReport>;
  /** Applies `retention.ver` to every versioned collection and `retention.counters` to every analytics database. */
  applyRetention(now?: Date): Promise<InstanceRetentionReport>;
  /**
   * GDPR erasure of record `id` in the collection `ctx` routes to, whatever `logicalDelete` says:
   * every version's payload objects and rows, the head, and the queued fallback writes and dead
   * letters about it; leaves an audit row (who, when, why, how much; never the data) in
   * `chronos_erasures` of the same database and returns it. Counters are not touched. Safe to call
   * again after a crash part-way: it finishes the same erasure (see `hard-delete.ts`).
   *
   * @throws NotFoundError when nothing of `id` exists there (also after a completed erasure).
   * @throws RouteError for an identities context (not versioned) or an unconfigured route.
   */
  hardDelete(ctx: RouteContext, id: string, options?: HardDeleteOptions): Promise<HardDeleteReport>;
  /**
   * Every versioned collection (metadata, knowledge, runtime, logs) that exists in the configured
   * databases, with the context that reaches it. For tools that browse an instance (Chronos Studio).
   */
  collections(): Promise<VersionedCollection[]>;
  /**
   * One page of the committed versions of record `id` in the collection `ctx` routes to, newest
   * first, each with the kind of write that made it and its functionIds (what
   * {@link CollectionOps.history} leaves out). Pages by `beforeOv`, so a long history is read a
   * page at a time through the `{ id, ov }` index.
   *
   * @throws RouteError for an identities context (not versioned) or an unconfigured route.
   * @example
   * ```ts
   * const first = await chronos.admin.versionLog(ctx, id, { limit: 20 });
   * const older = first.nextBeforeOv === undefined ? undefined : await chronos.admin.versionLog(ctx, id, { beforeOv: first.nextBeforeOv });
   * ```
   */
  versionLog(ctx: RouteContext, id: string, query?: VersionLogQuery): Promise<VersionLogPage>;
  /**
   * Recomputes the indexed props in the heads of every declared collection whose declaration
   * changed since its last backfill (indexed props, or records of older revisions), from each
   * record's latest version brought to the current declaration; with `dryRun`, only says which
   * and how many heads. Resumable and idempotent (see `backfill-meta.ts`); `chronos migrate`
   * runs it between creating new indexes and dropping old ones. `dbName` limits it to one database.
   */
  backfillMeta(options?: { dryRun?: boolean; dbName?: string; batchSize?: number; onProgress?: (message: string) => void }): Promise<MetaBackfillResult[]>;
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
    health: (options) => checkHealth(config, pool, options),
    flush: () => recorder.flush(),
    async reconcile(options = {}) {
      const collections: InstanceReconcileReport['collections'] = [];
      await forEachVersionedCollection(config, pool, async (ctx) => {
        const report = await reconcileCollection(ctx, options);
        collections.push({ dbName: ctx.routeInfo.dbName, collection: ctx.collection, report });
      });
      const counters = await reconcileCounters(config, pool, recorder, options.graceMs !== undefined ? { graceMs: options.graceMs } : {});
      return { collections, counters };
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
    async hardDelete(ctx, id, options = {}) {
      const route = resolveRoute(config, ctx);
      if (route.databaseType === 'identities') throw new RouteError('hardDelete erases versioned records; identities databases hold none (use their own API)');
      const db = pool.db(route.mongo.uri, route.mongo.dbName);
      const engineCtx = engineContextFor({ config, pool, route, db, observers: [] });
      const fallbackCollections = { deadLetters: config.fallback?.deadLetterCollection ?? 'chronos_fallback_dead' };
      return hardDeleteRecord(engineCtx, id, { fallbackCollections, auditCollection: ERASURES_COLLECTION }, options);
    },
    collections: () => listVersionedCollections(config, pool),
    async versionLog(ctx, id, query) {
      const route = resolveRoute(config, ctx);
      if (route.databaseType === 'identities') throw new RouteError('versionLog reads versioned records; identities databases keep no history');
      const db = pool.db(route.mongo.uri, route.mongo.dbName);
      return readVersionLog(engineContextFor({ config, pool, route, db, observers: [] }), id, query);
    },
    async backfillMeta(options = {}) {
      const results: MetaBackfillResult[] = [];
      await forEachVersionedCollection(config, pool, async (ctx) => {
        if (options.dbName !== undefined && ctx.routeInfo.dbName !== options.dbName) return;
        const plan = await planMetaBackfill(ctx);
        if (!plan) return;
        if (options.dryRun) {
          results.push({ plan });
          return;
        }
        options.onProgress?.(`  backfill ${plan.dbName}.${plan.collection}: ${plan.heads} heads (${plan.reason})`);
        const { batchSize, onProgress } = options;
        results.push({ plan, report: await runMetaBackfill(ctx, plan, { ...(batchSize !== undefined && { batchSize }), ...(onProgress && { onProgress }) }) });
      });
      return results;
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
