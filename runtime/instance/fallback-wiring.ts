/**
 * The fallback queue of an instance. Each versioned database keeps its own queue
 * (`chronos_fallback_ops` beside the data it will write), so a queued payload never leaves its
 * tenant's database; `chronos.fallback` drains, starts and stops all of them together.
 */
import type { Db, MongoClient } from 'mongodb';
import type { ParsedChronosConfig } from '../config/schema.js';
import type { ConnectionPool } from '../connections/connection-pool.js';
import { createFallbackQueue, type FallbackQueue } from '../fallback/fallback-queue.js';
import type { DeadLetterDoc, DrainReport, FallbackOptions, FallbackRoute, QueuedOpDoc } from '../fallback/types.js';
import { isVersionedDatabaseType } from '../config/vocabulary.js';
import { listDatabaseTargets } from '../router/database-targets.js';
import { resolveRoute, type RouteContext } from '../router/resolve-route.js';
import type { WriteObserver } from '../ops/write-event.js';
import { engineContextFor } from './collection-handle.js';

/** `chronos.fallback`: the queues of every versioned database of the instance. */
export interface FallbackControl {
  /** Whether `fallback.enabled` is set; when false, `withFallback` handles throw failures as they are. */
  readonly enabled: boolean;
  /** One replay pass over every database's queue; reports per database. */
  drain(): Promise<Array<{ dbName: string; report: DrainReport }>>;
  /** Starts a background worker per database queue. Idempotent. */
  start(): void;
  /** Stops every worker, waiting for passes in flight. */
  stop(): Promise<void>;
  /** Ops waiting for replay, per database. */
  pending(): Promise<Array<{ dbName: string; ops: QueuedOpDoc[] }>>;
  /** Dead letters, per database. */
  deadLetters(): Promise<Array<{ dbName: string; letters: DeadLetterDoc[] }>>;
}

const DISABLED: FallbackOptions = {
  enabled: false,
  maxRetries: 3,
  retryDelayMs: 1000,
  maxDelayMs: 60_000,
  deadLetterCollection: 'chronos_fallback_dead',
};

/** The context a stored route came from, for replay. */
function routeContextOf(route: FallbackRoute): RouteContext {
  return {
    databaseType: route.databaseType as RouteContext['databaseType'],
    collection: route.collection,
    ...(route.tier !== undefined && { tier: route.tier as RouteContext['tier'] }),
    ...(route.tenantId !== undefined && { tenantId: route.tenantId }),
    ...(route.domain !== undefined && { domain: route.domain }),
  };
}

/**
 * Builds the queues lazily, one per database; returns the lookup and the instance-wide control.
 * `observers` are told about replayed writes as about direct ones (the counters count them).
 */
export function createFallbackWiring(config: ParsedChronosConfig, pool: ConnectionPool, observers: WriteObserver[] = []): { queueFor(db: Db): FallbackQueue; control: FallbackControl } {
  const options = config.fallback ?? DISABLED;
  // Keyed by client and database name: two clusters may hold databases of the same name.
  const byClient = new Map<MongoClient, Map<string, FallbackQueue>>();
  const queues: Array<{ dbName: string; queue: FallbackQueue }> = [];
  let started = false;

  const queueFor = (db: Db): FallbackQueue => {
    let perClient = byClient.get(db.client);
    if (!perClient) byClient.set(db.client, (perClient = new Map()));
    let queue = perClient.get(db.databaseName);
    if (!queue) {
      queue = createFallbackQueue({
        db,
        options,
        resolve: (route) => {
          const resolved = resolveRoute(config, routeContextOf(route));
          return engineContextFor({ config, pool, route: resolved, db: pool.db(resolved.mongo.uri, resolved.mongo.dbName), observers });
        },
        onError: (error) => process.emitWarning(`chronos fallback worker on ${db.databaseName}: ${String(error)}`),
      });
      perClient.set(db.databaseName, queue);
      queues.push({ dbName: db.databaseName, queue });
      if (started) queue.start();
    }
    return queue;
  };

  const allQueues = (): FallbackQueue[] => {
    for (const target of listDatabaseTargets(config)) {
      if (isVersionedDatabaseType(target.databaseType)) queueFor(pool.db(target.mongoUri, target.dbName));
    }
    return queues.map((entry) => entry.queue);
  };
  const perDb = async <R>(run: (queue: FallbackQueue) => Promise<R>): Promise<Array<{ dbName: string; value: R }>> => {
    const out: Array<{ dbName: string; value: R }> = [];
    for (const { dbName, queue } of queues) out.push({ dbName, value: await run(queue) });
    return out;
  };

  const control: FallbackControl = {
    enabled: options.enabled,
    async drain() {
      allQueues();
      return (await perDb((q) => q.drain())).map(({ dbName, value }) => ({ dbName, report: value }));
    },
    start() {
      started = true;
      for (const queue of allQueues()) queue.start();
    },
    async stop() {
      started = false;
      await Promise.all(queues.map(({ queue }) => queue.stop()));
    },
    async pending() {
      allQueues();
      return (await perDb((q) => q.pending())).map(({ dbName, value }) => ({ dbName, ops: value }));
    },
    async deadLetters() {
      allQueues();
      return (await perDb((q) => q.deadLetters())).map(({ dbName, value }) => ({ dbName, letters: value }));
    },
  };
  return { queueFor, control };
}
