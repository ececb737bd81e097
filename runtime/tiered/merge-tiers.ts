/**
 * Merges the data of several tiers with deepmerge-ts: later tiers override scalars, objects merge
 * deeply, arrays are unioned (deduplicated by deep equality unless told otherwise).
 */
import { deepmergeCustom } from 'deepmerge-ts';
import { isDeepStrictEqual } from 'node:util';
import type { TierMergeOptions } from './tiered-types.js';

/**
 * The union of one prop's arrays, tier by tier: a tier's item is dropped when it is deep-equal to
 * an item of an earlier tier. Duplicates within one tier are its own data and stay, so a prop set
 * by a single tier comes back exactly as that tier wrote it.
 */
function unionAcrossTiers(arrays: ReadonlyArray<ReadonlyArray<unknown>>): unknown[] {
  const out: unknown[] = [];
  for (const array of arrays) {
    const fresh = array.filter((item) => !out.some((kept) => isDeepStrictEqual(kept, item)));
    out.push(...fresh);
  }
  return out;
}

const mergeDeduped = deepmergeCustom<Record<string, unknown>>({ mergeArrays: (values) => unionAcrossTiers(values) });
// deepmerge-ts's own array merge is concatenation, which is what dedupeArrays: false asks for.
const mergeConcatenated = deepmergeCustom<Record<string, unknown>>({});

/**
 * Merges `layers` from the most general to the most specific (generic ← domain ← tenant).
 * Inputs are not modified.
 */
export function mergeTiers(layers: ReadonlyArray<Record<string, unknown>>, options: TierMergeOptions = {}): Record<string, unknown> {
  const merge = options.dedupeArrays === false ? mergeConcatenated : mergeDeduped;
  return merge({}, ...layers) as Record<string, unknown>;
}
