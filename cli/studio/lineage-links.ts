/**
 * A record's lineage as links: its parent and origin opened in the database that holds them, and
 * its children. Lineage stores only a collection name, and that collection may live in another
 * database type, tier, tenant or domain than the child (a runtime note whose parent is a metadata
 * author), so the parent's database is found: the collection's declared placement (every routed
 * database when undeclared) gives the candidates, the child's own scope first, and the first that
 * holds the id wins (a lookup by `_id` each, at most {@link MAX_PROBES}). Children are the records
 * whose `_system.parentId` is this id and `parentCollection` this collection, in the record's own
 * collection and in the other declared collections where they may live, each read through the
 * head collection's `{ parentId, _id }` index.
 */
import { listDatabaseTargets, type DatabaseTarget } from '../migrate/targets.js';
import type { RouteContext } from '../../runtime/router/resolve-route.js';
import { isVersionedDatabaseType } from '../../runtime/config/vocabulary.js';
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
const MAX_CHILDREN = 20;

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
    .filter((t) => isVersionedDatabaseType(t.databaseType))
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

/** Databases searched for children in another collection, at most, per collection (the closest to the parent first). */
const CHILD_DATABASES_PER_COLLECTION = 3;

/**
 * The records derived from `id` (newest ids last), at most {@link MAX_CHILDREN}, and whether there
 * are more: those of `ctx`'s own collection, and those of every other declared collection in the
 * databases closest to `ctx` that may hold it (at most {@link MAX_PROBES} queries in all). Each
 * query is an equality on the head's lineage, served by its `{ parentId, _id }` index.
 */
export async function childrenOf(studio: StudioContext, ctx: RouteContext, id: string): Promise<{ children: LineageLink[]; more: boolean }> {
  const others = [...studio.declarations.keys()]
    .filter((collection) => collection !== ctx.collection)
    .flatMap((collection) => candidates(studio, ctx, collection).slice(0, CHILD_DATABASES_PER_COLLECTION));
  const places = [ctx, ...others].slice(0, MAX_PROBES);
  const pages = await Promise.all(
    places.map(async (place) => {
      const page = await studio.chronos
        .with(place)
        .listByMeta({ filter: { '_system.parentId': id, '_system.parentCollection': ctx.collection }, includeDeleted: true, limit: MAX_CHILDREN })
        // A collection that was never written in that database has nothing to list.
        .catch(() => ({ items: [], nextCursor: undefined }));
      return { place, page };
    }),
  );
  const found = pages.flatMap(({ place, page }) =>
    page.items.map((r): LineageLink => ({ id: r._id, collection: place.collection, context: place, ...(r._system.deleted && { deleted: true }) })),
  );
  return {
    children: found.slice(0, MAX_CHILDREN),
    more: found.length > MAX_CHILDREN || pages.some(({ page }) => page.nextCursor !== undefined),
  };
}
