/**
 * Every Mongo database a config can route to, for tools that act on all of them
 * (`chronos migrate`, health checks, reconcile and retention sweeps).
 */
import type { ParsedChronosConfig } from '../config/schema.js';
import { eachDatabase } from '../config/each-database.js';
import type { AnyTier, ConfigDatabaseType } from '../config/vocabulary.js';

/** One database on one Mongo connection, with the tier it serves. */
export interface DatabaseTarget {
  databaseType: ConfigDatabaseType | 'analytics';
  tier: AnyTier;
  tenantId?: string;
  domain?: string;
  dbConnRef: string;
  mongoUri: string;
  dbName: string;
}

/**
 * Lists every database the config routes to, in config order. A database whose entry lists
 * several connections appears once per connection, since collections may hash to any of them.
 * A runtime tenant's analytics database is listed as `databaseType: 'analytics'`.
 */
export function listDatabaseTargets(config: ParsedChronosConfig): DatabaseTarget[] {
  const targets: DatabaseTarget[] = [];
  const add = (base: Omit<DatabaseTarget, 'dbConnRef' | 'mongoUri' | 'dbName'>, dbConnRef: string | string[], dbName: string): void => {
    for (const ref of Array.isArray(dbConnRef) ? dbConnRef : [dbConnRef]) {
      const mongoUri = config.dbConnections[ref]?.mongoUri;
      if (mongoUri !== undefined) targets.push({ ...base, dbConnRef: ref, mongoUri, dbName });
    }
  };
  for (const { databaseType, tier, tenantId, domain, settings } of eachDatabase(config)) {
    const scope = { ...(tenantId !== undefined && { tenantId }), ...(domain !== undefined && { domain }) };
    add({ databaseType, tier, ...scope }, settings.dbConnRef, settings.dbName);
    if (settings.analyticsDbName) add({ databaseType: 'analytics', tier, ...scope }, settings.dbConnRef, settings.analyticsDbName);
  }
  return targets;
}
