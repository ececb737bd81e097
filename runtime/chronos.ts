/**
 * `initChronos(config)`: validates the configuration and returns the instance through which
 * everything is reached. Nothing connects until the first operation needs it.
 */
import type { Db } from 'mongodb';
import { createAdvancedAnalytics, type AdvancedAnalytics } from './analytics/advanced-analytics.js';
import { counterRuleSchema } from './counters/counter-rule.js';
import { createCounterRecorder, type CounterRecorder } from './counters/counter-recorder.js';
import { getBucketTotals, getTotals, type CounterTotals } from './counters/counter-totals.js';
import { declarationsOf, parseConfig } from './config/parse-config.js';
import type { AnyCollectionDefinition } from './schema/define-collection.js';
import type { ChronosConfig, ParsedChronosConfig } from './config/schema.js';
import { ConnectionPool } from './connections/connection-pool.js';
import { RouteError } from './errors.js';
import { createIdentityOps } from './identities/create-identity-ops.js';
import type { IdentityOps } from './identities/types.js';
import { createChronosAdmin, type ChronosAdmin } from './instance/admin.js';
import { createFallbackWiring, type FallbackControl } from './instance/fallback-wiring.js';
import { withFallback, type FallbackOps } from './fallback/with-fallback.js';
import { createCollectionHandle } from './instance/collection-handle.js';
import { objectStoreFor, withBucketCreation } from './instance/object-store-for.js';
import { analyticsDbForRuntimeDb, tenantDbs } from './instance/tenant-databases.js';
import { createMessagingApi } from './messaging/create-messaging-api.js';
import type { MessagingApi } from './messaging/types.js';
import type { CollectionOps, MetaFilter } from './ops/types.js';
import { resolveRoute, type RouteContext } from './router/resolve-route.js';
import { fetchTiered } from './tiered/fetch-tiered.js';
import type { TieredFetchOptions, TieredFetchResult } from './tiered/tiered-types.js';

/** Query of {@link Chronos.counters}`.getTotals`: the runtime database and collection counted. */
export interface TotalsQuery {
  dbName: string;
  collection: string;
  tenantId?: string;
}

/** Options of {@link Chronos.getKnowledge} and {@link Chronos.getMetadata}. */
export type TieredOptions = TieredFetchOptions;

/** A context of the identities database: tenant-scoped, one collection. */
export type IdentitiesContext = { databaseType: 'identities'; tenantId: string; collection: string; dbName?: string };

/** The instance `initChronos` returns. */
export interface Chronos {
  /** The validated configuration, defaults filled in. */
  readonly config: ParsedChronosConfig;
  /** The collection declarations given in `collections`, by name: these collections are validated with their schemas on every write. */
  readonly declarations: ReadonlyMap<string, AnyCollectionDefinition>;
  /**
   * Operations on one collection of one routed database. Throws a RouteError for a tenant,
   * domain or tier that is not configured.
   *
   * @example
   * ```ts
   * const users = chronos.with({ databaseType: 'runtime', tier: 'tenant', tenantId: 'tenant-a', collection: 'users' });
   * const { id, ov } = await users.create({ email: 'a@example.com' }, 'api', 'signup');
   * ```
   */
  with<T extends object = Record<string, unknown>>(ctx: IdentitiesContext): IdentityOps<T>;
  with<T extends object = Record<string, unknown>>(ctx: RouteContext): CollectionOps<T>;
  /**
   * As {@link Chronos.with} for a versioned database, but a write that fails with a transient
   * error (storage or server unreachable) is queued durably and replayed by `chronos.fallback`;
   * the result then says `queued: true` with the `opId` (and, for a create, the id the record
   * will have) instead of pretending to succeed. Needs `fallback.enabled`; otherwise failures are
   * thrown as they are.
   */
  withFallback<T extends object = Record<string, unknown>>(ctx: RouteContext): FallbackOps<T>;
  /** The fallback queues: `drain()`, `start()` / `stop()` the replay workers, `pending()`, `deadLetters()`. */
  readonly fallback: FallbackControl;
  /** The messaging API of one tenant (`databases.messaging`). */
  messaging(tenantId: string): MessagingApi;
  /** Knowledge by filter: first found of tenant → domain → generic, or all tiers deep-merged with `merge: true`. */
  getKnowledge(collection: string, filter: MetaFilter, options?: TieredOptions): Promise<TieredFetchResult>;
  /** As {@link Chronos.getKnowledge}, over the metadata database. */
  getMetadata(collection: string, filter: MetaFilter, options?: TieredOptions): Promise<TieredFetchResult>;
  /** Analytics counters kept in each runtime tenant's analytics database. */
  readonly counters: {
    /** Totals of a runtime collection, in the shape of the chronos-db API. Call `admin.flush()` first for exact numbers. */
    getTotals(query: TotalsQuery): Promise<CounterTotals>;
    /** Day, ISO-week or month buckets of a runtime collection. */
    getBucketTotals(query: TotalsQuery & Omit<Parameters<typeof getBucketTotals>[1], 'dbName' | 'collection' | 'tenantId'>): ReturnType<typeof getBucketTotals>;
  };
  /** Scheduled analytics rules, run by an external worker. */
  readonly analytics: AdvancedAnalytics;
  /** Operations over the whole instance: health, flush, reconcile, retention, shutdown. */
  readonly admin: ChronosAdmin;
}

/**
 * How long counted writes wait in memory before a batch when `writeOptimization.debounceMs` is
 * not set: long enough that a busy writer's counts go out together instead of one batch (five
 * statements on the one pooled connection) per write.
 */
const DEFAULT_COUNTER_DEBOUNCE_MS = 100;

function counterRulesOf(config: ParsedChronosConfig) {
  const rules = config.counterRules?.rules?.length ? config.counterRules.rules : (config.analytics?.counterRules ?? []);
  return rules.map((rule) => counterRuleSchema.parse(rule));
}

/**
 * Validates `config` and creates a Chronos instance. Synchronous (`await` works too); clients
 * open lazily on first use and are shared by every context that names the same connection.
 *
 * @throws ConfigError listing every problem with its path and fix.
 * @example
 * ```ts
 * const chronos = initChronos({
 *   dbConnections: { main: { mongoUri: 'mongodb://localhost:27017' } },
 *   spacesConnections: {},
 *   localStorage: { enabled: true, basePath: './data' },
 *   databases: { runtime: { tenantDatabases: [{ tenantId: 'acme', dbConnRef: 'main', dbName: 'acme_rt', analyticsDbName: 'acme_an' }] } },
 * });
 * ```
 */
export function initChronos(input: ChronosConfig): Chronos {
  const config = parseConfig(input);
  const pool = new ConnectionPool(config, (cfg, connRef) => withBucketCreation(objectStoreFor(cfg, connRef)));
  const recorder: CounterRecorder = createCounterRecorder({
    resolveAnalyticsDb: (event) => analyticsDbForRuntimeDb(config, pool, event.dbName, event.tenantId),
    rules: counterRulesOf(config),
    debounceMs: config.writeOptimization.debounceMs ?? DEFAULT_COUNTER_DEBOUNCE_MS,
    ...(config.writeOptimization.counterBatchSize !== undefined && { batchSize: config.writeOptimization.counterBatchSize }),
    onError: (error) => process.emitWarning(`chronos counters: ${String(error)} (the increments stay pending and are retried)`),
  });
  const handles = new Map<string, unknown>();
  const fallback = createFallbackWiring(config, pool, [recorder.observe]);

  const handleFor = (ctx: RouteContext): unknown => {
    const route = resolveRoute(config, ctx);
    const key = JSON.stringify([route.databaseType, route.tier, ctx.tenantId, ctx.domain, route.mongo.uri, route.mongo.dbName, route.collection]);
    let handle = handles.get(key);
    if (!handle) {
      const db = pool.db(route.mongo.uri, route.mongo.dbName);
      if (route.databaseType === 'identities') {
        handle = createIdentityOps(db, route.tenantId as string, route.collection, {
          indexedProps: config.collectionMaps[route.collection]?.indexedProps ?? [],
        });
      } else {
        handle = createCollectionHandle({ config, pool, route, context: ctx, db, observers: [recorder.observe], withContext: (c) => chronos.with(c) });
      }
      handles.set(key, handle);
    }
    return handle;
  };

  const analyticsDbFor = (query: TotalsQuery): Db => {
    const db = analyticsDbForRuntimeDb(config, pool, query.dbName, query.tenantId);
    if (!db) throw new RouteError(`no analytics database is configured for runtime database "${query.dbName}"`);
    return db;
  };

  const tiered = (databaseType: 'knowledge' | 'metadata') => (collection: string, filter: MetaFilter, options: TieredOptions = {}) =>
    fetchTiered(
      {
        opsFor: (tier, request) => {
          try {
            return chronos.with({ databaseType, tier, collection: request.collection, ...(request.tenantId !== undefined && { tenantId: request.tenantId }), ...(request.domain !== undefined && { domain: request.domain }) });
          } catch (error) {
            if (error instanceof RouteError) return undefined;
            throw error;
          }
        },
      },
      collection,
      filter,
      options,
    );

  const chronos: Chronos = {
    config,
    declarations: declarationsOf(config),
    with: ((ctx: RouteContext) => handleFor(ctx)) as Chronos['with'],
    withFallback(ctx) {
      if (ctx.databaseType === 'identities') throw new RouteError('identities have no fallback queue: they are Mongo-only');
      const ops = handleFor(ctx) as CollectionOps;
      const route = resolveRoute(config, ctx);
      const queue = fallback.queueFor(pool.db(route.mongo.uri, route.mongo.dbName));
      return withFallback(ops, queue, {
        collection: ctx.collection,
        databaseType: ctx.databaseType,
        ...(ctx.tier !== undefined && { tier: ctx.tier }),
        ...(ctx.tenantId !== undefined && { tenantId: ctx.tenantId }),
        ...(ctx.domain !== undefined && { domain: ctx.domain }),
      }) as FallbackOps<never>;
    },
    fallback: fallback.control,
    messaging(tenantId) {
      const messaging = config.databases.messaging;
      if (!messaging) throw new RouteError('databases.messaging is not configured');
      const uri = config.dbConnections[messaging.dbConnRef]?.mongoUri as string;
      return createMessagingApi(pool.db(uri, messaging.dbName), tenantId, { captureDeliveries: messaging.captureDeliveries });
    },
    getKnowledge: tiered('knowledge'),
    getMetadata: tiered('metadata'),
    counters: {
      getTotals: (query) => getTotals(analyticsDbFor(query), query),
      getBucketTotals: (query) => getBucketTotals(analyticsDbFor(query), query),
    },
    analytics: createAdvancedAnalytics({
      resolveTenantDb: (tenantId) => tenantDbs(config, pool, tenantId),
      ...(config.analytics?.tenants !== undefined && { tenants: config.analytics.tenants }),
      indexedPropsOf: (collection) => config.collectionMaps[collection]?.indexedProps,
    }),
    admin: createChronosAdmin({ config, pool, recorder, stopWorkers: () => fallback.control.stop() }),
  };
  return chronos;
}
