/**
 * Look-ups from a runtime tenant to its databases, shared by counters, analytics rules and the
 * admin API. Only databases the config lists can be reached.
 */
import type { Db } from 'mongodb';
import type { ParsedChronosConfig } from '../config/schema.js';
import type { ConnectionPool } from '../connections/connection-pool.js';
import { RouteError } from '../errors.js';
import { resolveRoute } from '../router/resolve-route.js';

type RuntimeTenant = NonNullable<ParsedChronosConfig['databases']['runtime']>['tenantDatabases'][number];

/** The runtime tenants of the config, in order. */
export function runtimeTenants(config: ParsedChronosConfig): RuntimeTenant[] {
  return config.databases.runtime?.tenantDatabases ?? [];
}

/** The analytics database of the runtime tenant whose database is `dbName`, if it has one. */
export function analyticsDbForRuntimeDb(config: ParsedChronosConfig, pool: ConnectionPool, dbName: string, tenantId?: string): Db | undefined {
  const tenant = runtimeTenants(config).find((t) => t.dbName === dbName && (tenantId === undefined || t.tenantId === tenantId));
  if (!tenant?.analyticsDbName) return undefined;
  // The analytics database lives beside the tenant's runtime database, on the same connection.
  const route = resolveRoute(config, { databaseType: 'runtime', tenantId: tenant.tenantId, collection: 'cnt_total' });
  return pool.db(route.mongo.uri, tenant.analyticsDbName);
}

/** The runtime and analytics databases of a tenant, for analytics rules. */
export function tenantDbs(config: ParsedChronosConfig, pool: ConnectionPool, tenantId: string | undefined): { db: Db; analyticsDb: Db } {
  const tenants = runtimeTenants(config);
  const tenant = tenantId === undefined ? (tenants.length === 1 ? tenants[0] : undefined) : tenants.find((t) => t.tenantId === tenantId);
  if (!tenant) {
    const known = tenants.map((t) => t.tenantId).join(', ') || 'none';
    throw new RouteError(tenantId === undefined ? `a tenantId is needed (runtime tenants: ${known})` : `unknown runtime tenant "${tenantId}" (configured: ${known})`);
  }
  if (!tenant.analyticsDbName) throw new RouteError(`runtime tenant "${tenant.tenantId}" has no analyticsDbName`);
  const route = resolveRoute(config, { databaseType: 'runtime', tenantId: tenant.tenantId, collection: 'cnt_total' });
  return { db: pool.db(route.mongo.uri, route.mongo.dbName), analyticsDb: pool.db(route.mongo.uri, tenant.analyticsDbName) };
}
