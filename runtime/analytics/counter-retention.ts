/**
 * `retention.counters`: drops old time buckets (and the seen values that belong to them) so the
 * analytics database does not grow with every day of traffic. Running totals are never pruned.
 */
import type { Db, Document } from 'mongodb';
import { ValidationError } from '../errors.js';
import { bucketOf, TOTALS_COLLECTION, UNIQUE_COLLECTION, type Granularity } from './counter-keys.js';

/** How many buckets to keep per granularity, the current one included (`retention.counters`). */
export interface CounterRetention {
  days?: number;
  weeks?: number;
  months?: number;
}

/** What {@link pruneCounterBuckets} removed, per granularity. */
export type PruneResult = Record<Granularity, { buckets: number; uniqueValues: number; cutoff: string | null }>;

/** Start of the oldest bucket kept when `keep` buckets of `granularity` are kept at `now`. */
function retentionCutoff(now: Date, granularity: Granularity, keep: number): Date {
  const current = bucketOf(now, granularity).start;
  if (granularity === 'day') return new Date(current.getTime() - (keep - 1) * 86_400_000);
  if (granularity === 'week') return new Date(current.getTime() - (keep - 1) * 7 * 86_400_000);
  return new Date(Date.UTC(current.getUTCFullYear(), current.getUTCMonth() - (keep - 1), 1));
}

const FIELDS: Array<[keyof CounterRetention, Granularity]> = [
  ['days', 'day'],
  ['weeks', 'week'],
  ['months', 'month'],
];

/**
 * Deletes, for each granularity configured, every bucket that starts before the `keep` most
 * recent ones (the bucket containing `now` counts as one), in every tenant and collection of
 * `analyticsDb`. Idempotent; granularities left out are kept forever.
 *
 * @example
 * ```ts
 * await pruneCounterBuckets(analyticsDb, { days: 30, weeks: 12, months: 6 }, new Date());
 * ```
 */
export async function pruneCounterBuckets(analyticsDb: Db, retention: CounterRetention, now: Date): Promise<PruneResult> {
  for (const [field] of FIELDS) {
    const keep = retention[field];
    if (keep !== undefined && (!Number.isInteger(keep) || keep < 1)) {
      throw ValidationError.at(['retention', 'counters', field], 'must be a whole number of buckets ≥ 1 (leave it out to keep them all)');
    }
  }
  const result: PruneResult = { day: { buckets: 0, uniqueValues: 0, cutoff: null }, week: { buckets: 0, uniqueValues: 0, cutoff: null }, month: { buckets: 0, uniqueValues: 0, cutoff: null } };
  for (const [field, granularity] of FIELDS) {
    const keep = retention[field];
    if (keep === undefined) continue;
    const cutoff = retentionCutoff(now, granularity, keep);
    // Seen values first: a crash between the two deletes leaves a bucket without its seen values
    // only for buckets that are being removed anyway.
    const uniques = await analyticsDb.collection<Document>(UNIQUE_COLLECTION).deleteMany({ g: granularity, start: { $lt: cutoff } });
    const buckets = await analyticsDb.collection<Document>(TOTALS_COLLECTION).deleteMany({ granularity, start: { $lt: cutoff } });
    result[granularity] = { buckets: buckets.deletedCount, uniqueValues: uniques.deletedCount, cutoff: cutoff.toISOString() };
  }
  return result;
}
