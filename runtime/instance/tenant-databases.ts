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
function runtimeTenants(config: ParsedChronosConfig): RuntimeTenant[] {
  return config.databases.runtime?.tenantDatabases ?? [];
}

/** The analytics database of the runtime tenant whose database is `dbName`, if it has one. */
export function analyticsDbForRuntimeDb(config: ParsedChronosConfig, pool: ConnectionPool, dbName: string, tenantId?: string): Db | undefined {
  // Asked on every counted write: the look-up is made once per config, database and tenant.
  let known = analyticsPlaces.get(config);
  if (!known) {
    known = new Map();
    analyticsPlaces.set(config, known);
  }
  const key = `${dbName}\u0000${tenantId ?? ''}`;
  let place = known.get(key);
  if (place === undefined) {
    place = analyticsPlaceOf(config, dbName, tenantId);
    known.set(key, place);
  }
  return place === null ? undefined : pool.db(place.uri, place.dbName);
}

const analyticsPlaces = new WeakMap<ParsedChronosConfig, Map<string, { uri: string; dbName: string } | null>>();

function analyticsPlaceOf(config: ParsedChronosConfig, dbName: string, tenantId: string | undefined): { uri: string; dbName: string } | null {
  const tenant = runtimeTenants(config).find((t) => t.dbName === dbName && (tenantId === undefined || t.tenantId === tenantId));
  if (!tenant?.analyticsDbName) return null;
  // The analytics database lives beside the tenant's runtime database, on the same connection.
  const route = resolveRoute(config, { databaseType: 'runtime', tenantId: tenant.tenantId, collection: 'cnt_total' });
  return { uri: route.mongo.uri, dbName: tenant.analyticsDbName };
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
