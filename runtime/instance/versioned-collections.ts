/**
 * Finds every versioned collection that exists in the configured databases, for instance-wide
 * maintenance (reconcile, retention) and for tools that browse them (`chronos.admin.collections`).
 * A collection is found by its `<name>_ver` Mongo collection.
 */
import type { ParsedChronosConfig } from '../config/schema.js';
import type { ConnectionPool } from '../connections/connection-pool.js';
import type { EngineContext } from '../ops/context.js';
import { COLLECTION_SUFFIXES } from '../ops/indexes.js';
import { isVersionedDatabaseType } from '../config/vocabulary.js';
import { listDatabaseTargets } from '../router/database-targets.js';
import { resolveRoute, type RouteContext } from '../router/resolve-route.js';
import { engineContextFor } from './collection-handle.js';

/** A versioned collection that exists: the context that reaches it and the database it lives in. */
export interface VersionedCollection {
  /** What to pass to `chronos.with(...)` to reach it. */
  context: RouteContext;
  dbName: string;
}

/** Every versioned collection that exists, in config order of their databases, collections sorted by name. */
export async function listVersionedCollections(config: ParsedChronosConfig, pool: ConnectionPool): Promise<VersionedCollection[]> {
  const found: VersionedCollection[] = [];
  for (const target of listDatabaseTargets(config)) {
    if (!isVersionedDatabaseType(target.databaseType)) continue;
    const db = pool.db(target.mongoUri, target.dbName);
    const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
    for (const name of names) {
      if (!name.endsWith(COLLECTION_SUFFIXES.ver)) continue;
      const collection = name.slice(0, -COLLECTION_SUFFIXES.ver.length);
      const context = {
        databaseType: target.databaseType,
        collection,
        ...(target.tier !== 'single' && { tier: target.tier }),
        ...(target.tenantId !== undefined && { tenantId: target.tenantId }),
        ...(target.domain !== undefined && { domain: target.domain }),
      } as RouteContext;
      // With several backends, a collection belongs to the one its routing key picks.
      if (resolveRoute(config, context).mongo.connRef !== target.dbConnRef) continue;
      found.push({ context, dbName: target.dbName });
    }
  }
  return found;
}

/** Calls `visit` with the engine context of each versioned collection, one at a time. */
export async function forEachVersionedCollection(
  config: ParsedChronosConfig,
  pool: ConnectionPool,
  visit: (ctx: EngineContext) => Promise<void>,
): Promise<void> {
  for (const { context } of await listVersionedCollections(config, pool)) {
    const route = resolveRoute(config, context);
    const db = pool.db(route.mongo.uri, route.mongo.dbName);
    await visit(engineContextFor({ config, pool, route, db, observers: [] }));
  }
}
