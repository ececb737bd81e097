/**
 * Tiered fetching, the engine of `chronos.getKnowledge` and `chronos.getMetadata`: the same
 * filter asked of the tenant, domain and generic tier of one database type.
 */
import { SCOPED_TIERS } from '../config/vocabulary.js';
import { ValidationError } from '../errors.js';
import type { ChronosRecord, MetaFilter } from '../ops/types.js';
import { appData } from '../entities/app-data.js';
import { mergeTiers } from './merge-tiers.js';
import type { FetchTier, TieredFetchOptions, TieredFetchResult, TierResolver } from './tiered-types.js';

/** Most specific first: the order of first-found lookups. */
const SPECIFIC_FIRST: readonly FetchTier[] = [...SCOPED_TIERS].reverse();

/** The tiers this fetch asks: tenant only with a tenantId, domain only with a domain, generic always. */
function askedTiers(options: TieredFetchOptions): FetchTier[] {
  return SPECIFIC_FIRST.filter(
    (tier) => tier === 'generic' || (tier === 'tenant' ? options.tenantId !== undefined : options.domain !== undefined),
  );
}

async function findInTier(
  resolver: TierResolver,
  tier: FetchTier,
  collection: string,
  filter: MetaFilter,
  options: TieredFetchOptions,
): Promise<ChronosRecord | null> {
  const request = { collection, ...(options.tenantId !== undefined && { tenantId: options.tenantId }), ...(options.domain !== undefined && { domain: options.domain }) };
  const ops = resolver.opsFor(tier, request);
  if (!ops) return null;
  // One record per tier: when several match, the first in listByMeta's default order (by id, i.e. the oldest).
  const { items } = await ops.listByMeta({ filter, limit: 1 });
  return items[0] ?? null;
}

/**
 * Asks the tenant, domain and generic tier of one database type for the first record matching
 * `filter` (indexed props only, as in `listByMeta`) in `collection`.
 *
 * - Without `merge`: returns the most specific tier found (tenant, else domain, else generic),
 *   asking the next tier only when the previous has no match.
 * - With `merge`: asks every tier and deep-merges generic ← domain ← tenant: later tiers
 *   override scalars, objects merge, arrays are unioned (deduplicated by deep equality unless
 *   `mergeOptions.dedupeArrays` is false).
 *
 * The tenant tier is asked only with `tenantId`, the domain tier only with `domain`; a tier the
 * resolver says is not configured is skipped. When no tier has a match, `data` is null,
 * `tiersFound` and `tierRecords` are empty. Logically deleted records never match.
 *
 * @example
 * ```ts
 * const { data, tiersFound } = await fetchTiered(knowledgeTiers, 'app-config', { key: 'feature-flags' },
 *   { tenantId: 'tenant-a', domain: 'production', merge: true });
 * ```
 */
export async function fetchTiered(
  resolver: TierResolver,
  collection: string,
  filter: MetaFilter,
  options: TieredFetchOptions = {},
): Promise<TieredFetchResult> {
  if (typeof collection !== 'string' || collection.length === 0) {
    throw ValidationError.at(['collection'], 'expected the name of the collection to fetch from');
  }
  const tiers = askedTiers(options);
  if (!options.merge) {
    for (const tier of tiers) {
      const record = await findInTier(resolver, tier, collection, filter, options);
      if (record) return { data: appData(record), tiersFound: [tier], tierRecords: { [tier]: record } };
    }
    return { data: null, tiersFound: [], tierRecords: {} };
  }
  const generalFirst = [...tiers].reverse();
  const records = await Promise.all(generalFirst.map((tier) => findInTier(resolver, tier, collection, filter, options)));
  const tiersFound: FetchTier[] = [];
  const tierRecords: TieredFetchResult['tierRecords'] = {};
  generalFirst.forEach((tier, i) => {
    const record = records[i];
    if (!record) return;
    tiersFound.push(tier);
    tierRecords[tier] = record;
  });
  if (tiersFound.length === 0) return { data: null, tiersFound, tierRecords };
  const layers = tiersFound.map((tier) => appData(tierRecords[tier] as ChronosRecord));
  return { data: mergeTiers(layers, options.mergeOptions), tiersFound, tierRecords };
}
