/**
 * Every Mongo database a config can route to, for tools that act on all of them
 * (`chronos migrate`, health checks, reconcile and retention sweeps).
 */
import type { ParsedChronosConfig } from '../config/schema.js';

/** One database on one Mongo connection, with the tier it serves. */
export interface DatabaseTarget {
  databaseType: 'metadata' | 'knowledge' | 'runtime' | 'logs' | 'messaging' | 'identities' | 'analytics';
  tier: 'generic' | 'domain' | 'tenant' | 'single';
  tenantId?: string;
  domain?: string;
  dbConnRef: string;
  mongoUri: string;
  dbName: string;
}

interface Entry {
  dbConnRef: string | string[];
  dbName: string;
}

/**
 * Lists every database the config routes to, in config order. A database whose entry lists
 * several connections appears once per connection, since collections may hash to any of them.
 * A runtime tenant's analytics database is listed as `databaseType: 'analytics'`.
 */
export function listDatabaseTargets(config: ParsedChronosConfig): DatabaseTarget[] {
  const targets: DatabaseTarget[] = [];
  const add = (base: Omit<DatabaseTarget, 'dbConnRef' | 'mongoUri' | 'dbName'>, entry: Entry): void => {
    for (const ref of Array.isArray(entry.dbConnRef) ? entry.dbConnRef : [entry.dbConnRef]) {
      const mongoUri = config.dbConnections[ref]?.mongoUri;
      if (mongoUri !== undefined) targets.push({ ...base, dbConnRef: ref, mongoUri, dbName: entry.dbName });
    }
  };
  const { databases } = config;
  for (const databaseType of ['metadata', 'knowledge'] as const) {
    const tiered = databases[databaseType];
    if (!tiered) continue;
    if (tiered.genericDatabase) add({ databaseType, tier: 'generic' }, tiered.genericDatabase);
    for (const db of tiered.domainsDatabases) add({ databaseType, tier: 'domain', domain: db.domain }, db);
    for (const db of tiered.tenantDatabases) add({ databaseType, tier: 'tenant', tenantId: db.tenantId }, db);
  }
  for (const db of databases.runtime?.tenantDatabases ?? []) {
    add({ databaseType: 'runtime', tier: 'tenant', tenantId: db.tenantId }, db);
    if (db.analyticsDbName) add({ databaseType: 'analytics', tier: 'tenant', tenantId: db.tenantId }, { dbConnRef: db.dbConnRef, dbName: db.analyticsDbName });
  }
  if (databases.logs) add({ databaseType: 'logs', tier: 'single' }, databases.logs);
  if (databases.messaging) add({ databaseType: 'messaging', tier: 'single' }, databases.messaging);
  if (databases.identities) add({ databaseType: 'identities', tier: 'single' }, databases.identities);
  return targets;
}
