/**
 * A record's lineage as links: its parent and origin opened in the database that holds them, and
 * its children. Lineage stores only a collection name, and that collection may live in another
 * database type, tier, tenant or domain than the child (a runtime note whose parent is a metadata
 * author), so the parent's database is found: the collection's declared placement (every routed
 * database when undeclared) gives the candidates, the child's own scope first, and the first that
 * holds the id wins (a lookup by `_id` each, at most {@link MAX_PROBES}). Children are the records
 * of the same collection whose `_system.parentId` is this id, read through the head collection's
 * `{ parentId, _id }` index.
 */
import { listDatabaseTargets, type DatabaseTarget } from '../migrate/targets.js';
import type { RouteContext } from '../../runtime/router/resolve-route.js';
import { VERSIONED_TYPES } from './route-params.js';
import type { StudioContext } from './studio-context.js';

/** A link to a record; without `context`, the record could not be placed (an external origin, or no routed database holds it). */
export interface LineageLink {
  id: string;
  collection: string;
  context?: RouteContext;
  deleted?: boolean;
}

/** Databases tried, at most, to find a parent. */
const MAX_PROBES = 12;
/** Children listed, at most (the page says when there are more). */
export const MAX_CHILDREN = 20;

function contextOf(target: DatabaseTarget, collection: string): RouteContext {
  return {
    databaseType: target.databaseType as RouteContext['databaseType'],
    collection,
    ...(target.tier !== 'single' && { tier: target.tier }),
    ...(target.tenantId !== undefined && { tenantId: target.tenantId }),
    ...(target.domain !== undefined && { domain: target.domain }),
  };
}

/** How close `target` is to the child's scope: same database first, then the same tenant or domain, then the rest. */
function closeness(target: DatabaseTarget, ctx: RouteContext): number {
  const sameTier = target.tier === (ctx.tier ?? 'single');
  const sameScope = (target.tenantId ?? null) === (ctx.tenantId ?? null) && (target.domain ?? null) === (ctx.domain ?? null);
  if (target.databaseType === ctx.databaseType && sameTier && sameScope) return 0;
  if ((ctx.tenantId !== undefined && target.tenantId === ctx.tenantId) || (ctx.domain !== undefined && target.domain === ctx.domain)) return 1;
  if (target.tenantId === undefined && target.domain === undefined) return 2;
  return 3;
}

/** The routed databases that may hold `collection`, closest to `ctx` first (one per database). */
function candidates(studio: StudioContext, ctx: RouteContext, collection: string): RouteContext[] {
  const declared = studio.declarations.get(collection)?.locations;
  const seen = new Set<string>();
  return listDatabaseTargets(studio.chronos.config)
    .filter((t) => (VERSIONED_TYPES as readonly string[]).includes(t.databaseType))
    .filter((t) => !declared || declared.some((l) => l.databaseType === t.databaseType && l.tier === t.tier))
    .filter((t) => {
      const key = `${t.databaseType}/${t.tier}/${t.tenantId ?? ''}/${t.domain ?? ''}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => closeness(a, ctx) - closeness(b, ctx))
    .map((t) => contextOf(t, collection));
}

/** The link to record `id` of `collection` as seen from a record in `ctx`; an origin in another system (`system:collection`) stays unplaced. */
export async function resolveLink(studio: StudioContext, ctx: RouteContext, id: string | undefined, collection: string | undefined): Promise<LineageLink | undefined> {
  if (!id || !collection) return undefined;
  if (collection.includes(':')) return { id, collection };
  for (const candidate of candidates(studio, ctx, collection).slice(0, MAX_PROBES)) {
    const found = await studio.chronos
      .with(candidate)
      .getLatest(id, { includeDeleted: true })
      .catch(() => null);
    if (found) return { id, collection, context: candidate, ...(found._system.deleted && { deleted: true }) };
  }
  return { id, collection };
}

/** The records of `ctx`'s collection derived from `id` (newest ids last), at most {@link MAX_CHILDREN}, and whether there are more. */
export async function childrenOf(studio: StudioContext, ctx: RouteContext, id: string): Promise<{ children: LineageLink[]; more: boolean }> {
  const page = await studio.chronos.with(ctx).listByMeta({
    filter: { '_system.parentId': id, '_system.parentCollection': ctx.collection },
    includeDeleted: true,
    limit: MAX_CHILDREN,
  });
  return {
    children: page.items.map((r) => ({ id: r._id, collection: ctx.collection, context: ctx, ...(r._system.deleted && { deleted: true }) })),
    more: page.nextCursor !== undefined,
  };
}
