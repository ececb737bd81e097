/**
 * Indexes of the counter collections, for `chronos migrate` to apply in each analytics database.
 * Counting itself needs only the built-in unique `_id` index; these serve the bucket queries and
 * retention.
 */
import type { IndexSpec } from '../ops/indexes.js';
import { TOTALS_COLLECTION, UNIQUE_COLLECTION } from './counter-keys.js';

/** Every index the counter reader and retention query with, in a deterministic order. */
export function counterIndexes(): IndexSpec[] {
  return [
    { collection: TOTALS_COLLECTION, name: 'chronos_cnt_scope_start', key: { dbName: 1, collection: 1, granularity: 1, tenantId: 1, start: 1 } },
    { collection: TOTALS_COLLECTION, name: 'chronos_cnt_granularity_start', key: { granularity: 1, start: 1 } },
    { collection: UNIQUE_COLLECTION, name: 'chronos_cnt_unique_g_start', key: { g: 1, start: 1 } },
  ];
}
