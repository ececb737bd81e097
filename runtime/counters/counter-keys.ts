/**
 * The identities of counter documents in `cnt_total` and of seen-value documents in
 * `cnt_unique`. One module so the writer (recorder), the reader (getTotals) and retention agree.
 */
import { createHash } from 'node:crypto';

/** Mongo collection of counter documents in the analytics database. */
export const TOTALS_COLLECTION = 'cnt_total';
/**
 * Mongo collection of seen unique values: one small document per distinct value per counter
 * document, so no counter document grows with the number of values. A running-total row is
 * `{ _id }` (37 bytes of BSON); a bucket row adds `g` and `start` (63 bytes) and is pruned with
 * its bucket. Measured on FerretDB 1.24 (SQLite): 100,000 rows take 8.9 MB of data plus 3.6 MB of
 * `_id` index, i.e. about 125 MB per million uniques in the running total (plus up to three
 * bucket rows per value while the buckets are retained); on MongoDB expect roughly the BSON size
 * plus the `_id` index entry.
 */
export const UNIQUE_COLLECTION = 'cnt_unique';

/** Time buckets counters are also kept in. `all` is the running total. */
export type Granularity = 'day' | 'week' | 'month';

/** Every bucket granularity, in the order they are written. */
export const GRANULARITIES: readonly Granularity[] = ['day', 'week', 'month'];

/** What a counter document counts: one collection of one routed database (and tenant). */
export interface CounterScope {
  dbName: string;
  collection: string;
  tenantId?: string;
}

/** `|` separates the parts of a key, so it (and `%`) are escaped inside them. */
function escapePart(part: string): string {
  return part.replace(/%/g, '%25').replace(/\|/g, '%7C');
}

/**
 * `_id` of the running-total document, in the chronos-db API's format:
 * `tenant:<t>|db:<db>|coll:<c>`; `<t>` is empty for writes without a tenant.
 */
export function totalsKey(scope: CounterScope): string {
  return `tenant:${escapePart(scope.tenantId ?? '')}|db:${escapePart(scope.dbName)}|coll:${escapePart(scope.collection)}`;
}

/** A time bucket: its label (`2026-11-25`, `2026-W48`, `2026-11`) and UTC start. */
export interface Bucket {
  granularity: Granularity;
  label: string;
  start: Date;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Start of the ISO week (Monday 00:00 UTC) containing `at`, and its ISO year and week number. */
function isoWeek(at: Date): { start: Date; year: number; week: number } {
  const day = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday = 0
  const start = new Date(day - weekday * 86_400_000);
  // The ISO year is the year of the week's Thursday.
  const thursday = new Date(start.getTime() + 3 * 86_400_000);
  const year = thursday.getUTCFullYear();
  const firstThursday = new Date(Date.UTC(year, 0, 4));
  const firstMonday = Date.UTC(year, 0, 4) - ((firstThursday.getUTCDay() + 6) % 7) * 86_400_000;
  const week = Math.round((start.getTime() - firstMonday) / (7 * 86_400_000)) + 1;
  return { start, year, week };
}

/** The UTC bucket of `granularity` that contains `at`. */
export function bucketOf(at: Date, granularity: Granularity): Bucket {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  if (granularity === 'day') {
    return { granularity, label: `${y}-${pad(m + 1)}-${pad(at.getUTCDate())}`, start: new Date(Date.UTC(y, m, at.getUTCDate())) };
  }
  if (granularity === 'month') {
    return { granularity, label: `${y}-${pad(m + 1)}`, start: new Date(Date.UTC(y, m, 1)) };
  }
  const { start, year, week } = isoWeek(at);
  return { granularity, label: `${year}-W${pad(week)}`, start };
}

/** `_id` of a bucket document: the totals key plus `|day:2026-11-25` (or week / month). */
export function bucketKey(scope: CounterScope, bucket: Bucket): string {
  return `${totalsKey(scope)}|${bucket.granularity}:${bucket.label}`;
}

/** JSON with sorted keys, so `{a,b}` and `{b,a}` are the same unique value; Dates as ISO strings. */
function canonicalValue(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner && typeof inner === 'object' && !Array.isArray(inner) && !(inner instanceof Date)) {
      const record = inner as Record<string, unknown>;
      return Object.fromEntries(Object.keys(record).sort().map((k) => [k, record[k]]));
    }
    return inner;
  });
}

/**
 * `_id` of a seen-value document: SHA-256 of (counter document, rule, prop, value), base64url,
 * first 128 bits. Raw values are never stored, and the id is the same in every process, so the
 * unique index on `_id` decides who saw a value first.
 */
export function uniqueValueId(counterId: string, rule: string, prop: string, value: unknown): string {
  const typed = `${typeof value}:${canonicalValue(value)}`;
  return createHash('sha256').update(`${counterId}\u0000${rule}\u0000${prop}\u0000${typed}`).digest('base64url').slice(0, 22);
}

/**
 * Mongo collection of counted versions in the analytics database: one row per committed version
 * counted, keyed by {@link versionKey}. Its unique `_id` is what makes counting idempotent (a
 * version observed twice, replayed, or found again by the recovery pass inserts the same key and
 * is counted by whoever inserted it first), and each row keeps what the version contributes so a
 * batch that crashed can be finished without the payload. 240 bytes of BSON per version no rule
 * matched, about 420 with one `countUnique` prop.
 */
export const SEEN_COLLECTION = 'cnt_seen';

/**
 * Mongo collection of counter batch journals: one row per batch, `open` until every increment of
 * the batch has been applied, then `done`. The recovery pass finishes open batches of writers
 * that died (see `counter-recovery.ts`).
 */
export const BATCH_COLLECTION = 'cnt_batch';

/** `_id` of a counted version: the totals key plus the record id and ov, so it is unique per routed database, tenant and collection. */
export function versionKey(scope: CounterScope, id: string, ov: number): string {
  return `${totalsKey(scope)}|id:${escapePart(id)}|ov:${ov}`;
}
