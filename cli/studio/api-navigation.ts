/**
 * `/api/session`, `/api/nav` and `/api/counters`: what the Studio's page needs to draw its
 * navigation (database types, tiers, tenants and domains, collections as the config routes them)
 * and a runtime tenant's counters. Only names leave the server: never a connection string, key
 * or endpoint.
 */
import { eachDatabase } from '../../runtime/config/each-database.js';
import { isVersionedDatabaseType } from '../../runtime/config/vocabulary.js';
import { locationsOf, type Placement } from '../../runtime/schema/placement.js';
import { StudioHttpError } from './http-io.js';
import { requiredParam } from './route-params.js';
import type { StudioContext } from './studio-context.js';

/** One routed database and the collections in it. */
export interface NavDatabase {
  databaseType: string;
  tier: string;
  tenantId?: string;
  domain?: string;
  dbName: string;
  collections: Array<{ name: string; exists: boolean }>;
  /** True for a runtime tenant with an analytics database (counters can be shown). */
  counters: boolean;
}

/** What `/api/session` answers. */
export interface SessionInfo {
  write: boolean;
  csrf: string;
}

/** `/api/session`: whether writes are on, and the CSRF token writes must carry. */
export function sessionInfo(studio: StudioContext): SessionInfo {
  return { write: studio.write, csrf: studio.csrf };
}

function scopeKey(d: { databaseType: string; tier: string; tenantId?: string; domain?: string; dbName: string }): string {
  return JSON.stringify([d.databaseType, d.tier, d.tenantId ?? null, d.domain ?? null, d.dbName]);
}

/** `/api/nav`: every versioned database of the config with its existing and declared collections. */
export async function navigation(studio: StudioContext): Promise<{ databases: NavDatabase[] }> {
  const { chronos, declarations } = studio;
  const byKey = new Map<string, NavDatabase>();
  for (const t of eachDatabase(chronos.config)) {
    if (!isVersionedDatabaseType(t.databaseType)) continue;
    const db: NavDatabase = {
      databaseType: t.databaseType,
      tier: t.tier,
      ...(t.tenantId !== undefined && { tenantId: t.tenantId }),
      ...(t.domain !== undefined && { domain: t.domain }),
      dbName: t.settings.dbName,
      collections: [],
      counters: t.settings.analyticsDbName !== undefined,
    };
    if (!byKey.has(scopeKey(db))) byKey.set(scopeKey(db), db);
  }
  for (const found of await chronos.admin.collections()) {
    const c = found.context;
    const key = scopeKey({ databaseType: c.databaseType, tier: c.tier ?? 'single', ...(c.tenantId !== undefined && { tenantId: c.tenantId }), ...(c.domain !== undefined && { domain: c.domain }), dbName: found.dbName });
    const db = byKey.get(key);
    if (db && !db.collections.some((x) => x.name === c.collection)) db.collections.push({ name: c.collection, exists: true });
  }
  for (const db of byKey.values()) {
    for (const declaration of declarations.values()) {
      const placed = locationsOf(declaration.placement as Placement | readonly Placement[]).some((l) => l.databaseType === db.databaseType && l.tier === db.tier);
      if (placed && !db.collections.some((x) => x.name === declaration.name)) db.collections.push({ name: declaration.name, exists: false });
    }
    db.collections.sort((a, b) => (a.name < b.name ? -1 : 1));
  }
  return { databases: [...byKey.values()] };
}

/** `/api/counters?tenantId&collection&granularity`: totals and bucket totals of a runtime collection. */
export async function counters(studio: StudioContext, params: URLSearchParams): Promise<unknown> {
  const tenantId = requiredParam(params, 'tenantId');
  const collection = requiredParam(params, 'collection');
  const granularity = params.get('granularity') ?? 'day';
  if (granularity !== 'day' && granularity !== 'week' && granularity !== 'month') throw new StudioHttpError(400, 'granularity must be day, week or month');
  const tenant = [...eachDatabase(studio.chronos.config, 'runtime')].find((t) => t.tenantId === tenantId)?.settings;
  if (!tenant?.analyticsDbName) throw new StudioHttpError(404, `runtime tenant ${JSON.stringify(tenantId)} has no analytics database in the config`);
  const query = { dbName: tenant.dbName, collection, tenantId };
  await studio.chronos.admin.flush();
  const [totals, buckets] = await Promise.all([studio.chronos.counters.getTotals(query), studio.chronos.counters.getBucketTotals({ ...query, granularity })]);
  // Every rule that counts this collection shows, at zero when it has counted nothing yet.
  const rules: Record<string, unknown> = {};
  for (const rule of studio.chronos.config.counterRules?.rules ?? []) {
    if (rule.collection === undefined || rule.collection === collection) rules[rule.name] = { created: 0, updated: 0, deleted: 0, unique: {} };
  }
  return { tenantId, collection, granularity, totals: { ...totals, rules: { ...rules, ...totals.rules } }, buckets };
}
