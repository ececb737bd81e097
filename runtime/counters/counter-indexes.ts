/**
 * Indexes of the counter collections, which `chronos migrate` applies in each analytics database
 * and the readers build before their first query (once per process). Counting itself needs only
 * the built-in unique `_id` indexes (every statement a batch sends addresses rows by `_id`);
 * these serve the totals and bucket queries, retention and the recovery pass of
 * `admin.reconcile()` (a batch's seen rows, a collection's seen rows, open journals).
 */
import type { Db } from 'mongodb';
import type { IndexSpec } from '../mongo/index-spec.js';
import { ensureIndexesOnce } from '../mongo/ensure-indexes.js';
import { BATCH_COLLECTION, SEEN_COLLECTION, TOTALS_COLLECTION, UNIQUE_COLLECTION } from './counter-keys.js';

/** Every index the counter reader, retention and the recovery pass query with, in a deterministic order. */
export function counterIndexes(): IndexSpec[] {
  return [
    { collection: TOTALS_COLLECTION, name: 'chronos_cnt_scope_start', key: { dbName: 1, collection: 1, granularity: 1, tenantId: 1, start: 1 } },
    { collection: TOTALS_COLLECTION, name: 'chronos_cnt_granularity_start', key: { granularity: 1, start: 1 } },
    { collection: UNIQUE_COLLECTION, name: 'chronos_cnt_unique_g_start', key: { g: 1, start: 1 } },
    { collection: SEEN_COLLECTION, name: 'chronos_cnt_seen_batch', key: { b: 1 } },
    { collection: SEEN_COLLECTION, name: 'chronos_cnt_seen_scope', key: { db: 1, c: 1, t: 1 } },
    { collection: BATCH_COLLECTION, name: 'chronos_cnt_batch_state_at', key: { state: 1, at: 1 } },
  ];
}

/** Builds the {@link counterIndexes} missing in `analyticsDb`, once per process, before a query that needs them. */
export function counterIndexesReady(analyticsDb: Db): Promise<void> {
  return ensureIndexesOnce(analyticsDb, 'counters', counterIndexes);
}
