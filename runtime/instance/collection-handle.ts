/**
 * What `chronos.with(ctx)` returns for a versioned database: the engine's operations bound to
 * the routed database and bucket, plus the calls composed from them (`createMany`, entities).
 */
import type { Db } from 'mongodb';
import type { ParsedChronosConfig } from '../config/schema.js';
import type { ConnectionPool } from '../connections/connection-pool.js';
import { RouteError } from '../errors.js';
import { getWithEntities } from '../entities/get-with-entities.js';
import { insertWithEntities } from '../entities/insert-with-entities.js';
import type { EntityResolver } from '../entities/entity-types.js';
import { createCollectionOps } from '../ops/collection-ops.js';
import type { EngineContext } from '../ops/context.js';
import type { CollectionOps, EntityMapping } from '../ops/types.js';
import type { WriteObserver } from '../ops/write-event.js';
import { resolveRoute, type ResolvedRoute, type RouteContext } from '../router/resolve-route.js';
import { collectionSettingsFor } from './collection-settings.js';

/** What a collection handle is built from. */
export interface CollectionHandleInputs {
  config: ParsedChronosConfig;
  pool: ConnectionPool;
  route: ResolvedRoute;
  /** The context as the caller gave it: its tenantId and domain place entities in other tiers. */
  context: RouteContext;
  db: Db;
  observers: WriteObserver[];
  /** Opens another handle of the same instance (entities live in other collections). */
  withContext: (ctx: RouteContext) => CollectionOps;
}

/** The engine context of a routed versioned collection. */
export function engineContextFor(inputs: Omit<CollectionHandleInputs, 'withContext' | 'context'>): EngineContext {
  const { config, pool, route, db, observers } = inputs;
  const { storage } = route;
  if (storage.kind === 'none') throw new RouteError(`${route.databaseType} database "${route.mongo.dbName}" has no payload storage configured`);
  return {
    db,
    store: pool.objectStore(storage.kind === 'local' ? undefined : storage.connRef),
    bucket: storage.bucket,
    collection: route.collection,
    routeInfo: {
      dbName: route.mongo.dbName,
      databaseType: route.databaseType,
      tier: route.tier,
      ...(route.tenantId !== undefined && { tenantId: route.tenantId }),
    },
    settings: collectionSettingsFor(config, route.collection),
    observers,
    ...(config.writes.budgetMs !== undefined && { writeBudgetMs: config.writes.budgetMs }),
    ...(config.writes.leaseMs !== undefined && { leaseMs: config.writes.leaseMs }),
    ...(config.writes.clockSkewMs !== undefined && { clockSkewMs: config.writes.clockSkewMs }),
  };
}

/**
 * Where an entity of a mapping lives: the mapping's database type and tier (the main record's
 * when absent), in the tenant and domain the caller's context named. A runtime context may name
 * a `domain` for exactly this: its entities in domain tiers.
 */
function entityContext(context: RouteContext, mapping: EntityMapping): RouteContext {
  const databaseType = (mapping.databaseType ?? context.databaseType) as RouteContext['databaseType'];
  const tier = mapping.tier ?? context.tier;
  return {
    databaseType,
    collection: mapping.collection,
    ...(tier !== undefined && { tier }),
    ...(context.tenantId !== undefined && { tenantId: context.tenantId }),
    ...(context.domain !== undefined && { domain: context.domain }),
  };
}

/** Builds the handle of one routed collection. */
export function createCollectionHandle(inputs: CollectionHandleInputs): CollectionOps {
  const ctx = engineContextFor(inputs);
  const engineOps = createCollectionOps(ctx);
  const { context, withContext } = inputs;
  const entities = (): EntityResolver => ({
    main: engineOps,
    opsFor: (mapping) => withContext(entityContext(context, mapping)),
    // Derived entity ids are scoped by the database the entity lands in.
    scopeOf: (mapping) => resolveRoute(inputs.config, entityContext(context, mapping)).mongo.dbName,
  });
  return {
    ...engineOps,
    createMany: (records, actor, reason) => engineOps.createMany(records, actor, reason, inputs.config.writeOptimization.batchSize),
    insertWithEntities: (record, mappings, actor, reason) => insertWithEntities(entities(), record as Record<string, unknown>, mappings, actor, reason),
    getWithEntities: (id, mappings, options) => getWithEntities(entities(), id, mappings, options),
  };
}
