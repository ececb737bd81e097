/**
 * `retention.counters`: drops old time buckets (and the seen values that belong to them) so the
 * analytics database does not grow with every day of traffic. Running totals are never pruned.
 */
import type { Db } from 'mongodb';
import { ValidationError } from '../errors.js';
import { bucketOf, type Granularity } from './counter-keys.js';
import { counterStore } from '../mongo/stores.js';
import { counterIndexesReady } from './counter-indexes.js';

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
  await counterIndexesReady(analyticsDb);
  const result: PruneResult = { day: { buckets: 0, uniqueValues: 0, cutoff: null }, week: { buckets: 0, uniqueValues: 0, cutoff: null }, month: { buckets: 0, uniqueValues: 0, cutoff: null } };
  for (const [field, granularity] of FIELDS) {
    const keep = retention[field];
    if (keep === undefined) continue;
    const cutoff = retentionCutoff(now, granularity, keep);
    const { uniqueValues, buckets } = await counterStore(analyticsDb).pruneBefore(granularity, cutoff);
    result[granularity] = { buckets, uniqueValues, cutoff: cutoff.toISOString() };
  }
  return result;
}
