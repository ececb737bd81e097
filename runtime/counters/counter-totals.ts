/**
 * Reading counters back: the running totals in the chronos-db API's shape, and the day / week / month
 * buckets kept beside them.
 */
import type { Db, Document } from 'mongodb';
import { ValidationError } from '../errors.js';
import { totalsKey, type CounterScope, type Granularity } from './counter-keys.js';
import { counterStore } from '../mongo/stores.js';
import { counterIndexesReady } from './counter-indexes.js';
import { copyDate, dateOddity, isDate, timeOf } from '../validation/intrinsic-date.js';

/** Counts of one rule: writes it matched by kind, and distinct values per `countUnique` prop. */
export interface RuleTotals {
  created: number;
  updated: number;
  deleted: number;
  /** `countUnique` prop (dot path as configured) → number of distinct values seen. */
  unique: Record<string, number>;
}

/**
 * What `chronos.counters.getTotals` returns, in the chronos-db API's shape. Kinds and rules never
 * counted read as 0 / absent; `lastAt` is the newest commit time counted (ISO), null before any.
 */
export interface CounterTotals {
  /** `tenant:<tenantId>|db:<dbName>|coll:<collection>`. */
  _id: string;
  created: number;
  updated: number;
  deleted: number;
  rules: Record<string, RuleTotals>;
  lastAt: string | null;
}

/** Totals of one time bucket: {@link CounterTotals} plus which bucket it is. */
export interface BucketTotals extends CounterTotals {
  granularity: Granularity;
  /** `2026-11-25` (day), `2026-W48` (ISO week), `2026-11` (month); all UTC. */
  bucket: string;
  /** Start of the bucket (UTC, ISO). */
  start: string;
}

/** Query of {@link getTotals}. */
export type TotalsQuery = CounterScope;

/** Query of {@link getBucketTotals}: one granularity, optionally a start range (inclusive). */
export interface BucketQuery extends CounterScope {
  granularity: Granularity;
  /** Only buckets starting at or after this instant. */
  from?: Date | string;
  /** Only buckets starting at or before this instant. */
  to?: Date | string;
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

/** Dot-path props were stored nested by `$inc`; give them back under the name the rule used. */
function flattenUnique(value: unknown, prefix = '', out: Record<string, number> = {}): Record<string, number> {
  if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (typeof inner === 'number') out[path] = inner;
      else flattenUnique(inner, path, out);
    }
  }
  return out;
}

function toTotals(id: string, doc: Document | null): CounterTotals {
  const rules: Record<string, RuleTotals> = {};
  for (const [name, raw] of Object.entries((doc?.rules ?? {}) as Record<string, Document>)) {
    rules[name] = { created: num(raw.created), updated: num(raw.updated), deleted: num(raw.deleted), unique: flattenUnique(raw.unique) };
  }
  const lastAt = doc?.lastAt instanceof Date ? doc.lastAt.toISOString() : null;
  return { _id: id, created: num(doc?.created), updated: num(doc?.updated), deleted: num(doc?.deleted), rules, lastAt };
}

function checkScope(scope: CounterScope): void {
  if (typeof scope?.dbName !== 'string' || scope.dbName === '') throw ValidationError.at(['dbName'], 'dbName is required: the routed database whose counters you want');
  if (typeof scope.collection !== 'string' || scope.collection === '') throw ValidationError.at(['collection'], 'collection is required');
}

/**
 * The running totals of one collection in one database, read from `cnt_total` of `analyticsDb`.
 * Without `tenantId` (as the chronos-db API calls it) the tenant is the one whose writes were counted
 * for that database and collection; when several tenants share the database, name the tenant.
 * Exact once the recorder's `flush()` has resolved: every committed version it observed is counted
 * once, even when a batch was retried after a lost connection. After a crash, run
 * `admin.reconcile()` (it finishes open batches and counts versions no batch counted) first.
 */
export async function getTotals(analyticsDb: Db, query: TotalsQuery): Promise<CounterTotals> {
  checkScope(query);
  await counterIndexesReady(analyticsDb);
  const totals = counterStore(analyticsDb);
  if (query.tenantId !== undefined) {
    const id = totalsKey(query);
    return toTotals(id, await totals.total(id));
  }
  const found = await totals.allTimeTotals(query.dbName, query.collection, 2);
  if (found.length > 1) {
    throw ValidationError.at(['tenantId'], `several tenants have counters for ${query.dbName}/${query.collection}; pass the tenantId whose totals you want`);
  }
  const [doc] = found;
  return doc ? toTotals(String(doc._id), doc) : toTotals(totalsKey(query), null);
}

/** A fresh Date from a caller's Date (judged by its internal time value) or date string. */
function toDate(value: Date | string, field: string): Date {
  const odd = isDate(value) ? dateOddity(value) : undefined;
  if (odd !== undefined) throw ValidationError.at([field], odd);
  const date = isDate(value) ? copyDate(value) : typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(timeOf(date))) throw ValidationError.at([field], 'must be a Date or an ISO-8601 string');
  return date;
}

/** The buckets of one granularity for one collection, oldest first. */
export async function getBucketTotals(analyticsDb: Db, query: BucketQuery): Promise<BucketTotals[]> {
  checkScope(query);
  if (!['day', 'week', 'month'].includes(query.granularity)) throw ValidationError.at(['granularity'], 'use day, week or month');
  const filter: Document = { tenantId: query.tenantId ?? null, dbName: query.dbName, collection: query.collection, granularity: query.granularity };
  const range: Document = {};
  if (query.from !== undefined) range.$gte = toDate(query.from, 'from');
  if (query.to !== undefined) range.$lte = toDate(query.to, 'to');
  if (Object.keys(range).length > 0) filter.start = range;
  await counterIndexesReady(analyticsDb);
  const docs = await counterStore(analyticsDb).buckets(filter);
  return docs.map((doc) => ({
    ...toTotals(String(doc._id), doc),
    granularity: query.granularity,
    bucket: String(doc.bucket),
    start: (doc.start as Date).toISOString(),
  }));
}
