/**
 * What `chronos.with(ctx)` returns for a versioned database: the engine's operations bound to
 * the routed database and bucket, plus the calls composed from them (`createMany`, entities).
 */
import type { Db } from 'mongodb';
import type { ParsedChronosConfig } from '../config/schema.js';
import type { ConnectionPool } from '../connections/connection-pool.js';
import { RouteError, ValidationError } from '../errors.js';
import { declarationsOf } from '../config/parse-config.js';
import { eachDatabase } from '../config/each-database.js';
import { entityMappingsOf } from '../schema/entity-support.js';
import { getWithEntities } from '../entities/get-with-entities.js';
import { insertWithEntities } from '../entities/insert-with-entities.js';
import type { EntityResolver } from '../entities/entity-types.js';
import { createCollectionOps } from '../ops/collection-ops.js';
import { checkBatchSize } from '../ops/input-validation.js';
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
    ...(storage.keyPrefix !== undefined && { keyPrefix: storage.keyPrefix }),
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
 * Where an entity of a mapping lives: the mapping's database type and tier (the main record's when
 * absent), in the tenant the caller's context named. For a domain tier the domain is the mapping's
 * `domain`, else the context's, else the only domain configured for that database type
 * (docs/design.md, "Decisions the code relies on"); with several and none named, a RouteError lists
 * them.
 */
function entityContext(config: ParsedChronosConfig, context: RouteContext, mapping: EntityMapping): RouteContext {
  const databaseType = (mapping.databaseType ?? context.databaseType) as RouteContext['databaseType'];
  const tier = mapping.tier ?? context.tier;
  const domain = tier === 'domain' ? (mapping.domain ?? context.domain ?? onlyDomain(config, databaseType, mapping)) : context.domain;
  return {
    databaseType,
    collection: mapping.collection,
    ...(tier !== undefined && { tier }),
    ...(context.tenantId !== undefined && { tenantId: context.tenantId }),
    ...(domain !== undefined && { domain }),
  };
}

function onlyDomain(config: ParsedChronosConfig, databaseType: RouteContext['databaseType'], mapping: EntityMapping): string {
  const domains = [...eachDatabase(config, databaseType)].flatMap((db) => (db.domain === undefined ? [] : [db.domain]));
  if (domains.length === 1) return domains[0] as string;
  throw new RouteError(
    `entity "${mapping.property}" goes to ${mapping.collection} in ${databaseType}/domain, and no domain was named: ` +
      (domains.length === 0
        ? `${databaseType} has no domain databases configured`
        : `give the mapping a domain or the context a domain (configured: ${domains.join(', ')})`),
  );
}

/** The mappings a call gave, else those of the collection's declaration; a ValidationError when there are neither. */
function mappingsFor(config: ParsedChronosConfig, collection: string, given: readonly EntityMapping[] | undefined): readonly EntityMapping[] {
  if (given !== undefined) return given;
  const declaration = declarationsOf(config).get(collection);
  if (!declaration) {
    throw ValidationError.at(['mappings'], `expected entity mappings: "${collection}" is not among the declarations given to initChronos, so it has none of its own`);
  }
  return entityMappingsOf(declaration);
}

/** Builds the handle of one routed collection. */
export function createCollectionHandle(inputs: CollectionHandleInputs): CollectionOps {
  const ctx = engineContextFor(inputs);
  const engineOps = createCollectionOps(ctx);
  const { context, withContext, route } = inputs;
  const entities = (): EntityResolver => ({
    main: engineOps,
    opsFor: (mapping) => withContext(entityContext(inputs.config, context, mapping)),
    // Derived entity ids are scoped by the database the entity lands in.
    scopeOf: (mapping) => resolveRoute(inputs.config, entityContext(inputs.config, context, mapping)).mongo.dbName,
  });
  return {
    ...engineOps,
    createMany: async (records, actor, reason, options) =>
      engineOps.createMany(records, actor, reason, checkBatchSize(options?.batchSize) ?? inputs.config.writeOptimization.createManyBatchSize),
    insertWithEntities: async (record, mappings, actor, reason) =>
      insertWithEntities(entities(), record as Record<string, unknown>, mappingsFor(inputs.config, route.collection, mappings), actor, reason),
    getWithEntities: async (id, mappings, options) => getWithEntities(entities(), id, mappingsFor(inputs.config, route.collection, mappings), options),
  };
}
