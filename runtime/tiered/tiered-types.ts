/**
 * The shapes of tiered fetching (`getKnowledge`, `getMetadata`): which tiers are asked, how they
 * are merged, and what comes back.
 */
import type { ScopedTier } from '../config/vocabulary.js';
import type { ChronosRecord, CollectionOps } from '../ops/types.js';

/** The tiers a tiered fetch looks in, from the most general to the most specific. */
export type FetchTier = ScopedTier;

/** How tiers are merged when `merge` is true. */
export interface TierMergeOptions {
  /**
   * Drop array items deep-equal to an earlier one when arrays of several tiers are unioned;
   * default true. With false, arrays are concatenated as they are.
   */
  dedupeArrays?: boolean;
}

/** Options of a tiered fetch. */
export interface TieredFetchOptions {
  /** Look in this tenant's tier; without it the tenant tier is not asked. */
  tenantId?: string;
  /** Look in this domain's tier; without it the domain tier is not asked. */
  domain?: string;
  /** Merge every tier found (true) or return the most specific one found (false, the default). */
  merge?: boolean;
  mergeOptions?: TierMergeOptions;
}

/**
 * Result of a tiered fetch.
 *
 * - `data`: application data only (no `_id`, no `_system`): the merged data of every tier found
 *   (with `merge`), or the data of the most specific tier found; null when no tier has a match.
 * - `tiersFound`: the tiers that had a match, generic first (as the chronos-db API shows); without
 *   `merge`, just the one tier used.
 * - `tierRecords`: the full record (with `_id` and `_system`) each of those tiers contributed,
 *   so a caller can tell which version of which record the data came from.
 */
export interface TieredFetchResult {
  data: Record<string, unknown> | null;
  tiersFound: FetchTier[];
  tierRecords: Partial<Record<FetchTier, ChronosRecord>>;
}

/** The engine operation a tiered fetch needs from a collection handle. */
export type TierOps = Pick<CollectionOps, 'listByMeta'>;

/** Where one tier is asked: the collection and the tenant/domain the fetch was given. */
export interface TierRequest {
  collection: string;
  tenantId?: string;
  domain?: string;
}

/**
 * How a tiered fetch reaches the engine: the handle of one tier of the fetched database type
 * (knowledge or metadata), or undefined when that tier is not configured, in which case it is
 * skipped like a tier without a match. An error thrown by `opsFor` (a RouteError for a tenant
 * or domain the config does not know) is not swallowed: it reaches the caller.
 */
export interface TierResolver {
  opsFor(tier: FetchTier, request: TierRequest): TierOps | undefined;
}
