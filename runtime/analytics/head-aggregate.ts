/**
 * Aggregates over a head collection on the server. Only shapes both MongoDB and FerretDB v1 run
 * are used (measured: FerretDB 1.24 has `$group` with one `$sum` but not `$avg`, `$max` or `$min`):
 * count is `countDocuments`, sum and average a `$group` `$sum` plus that count, max and min a sort
 * with `limit(1)`, and median a count then a sort that skips to the middle. No call reads more
 * than two documents into memory.
 */
import type { Document } from 'mongodb';
import type { HeadQueryStore } from './store/head-query-store.js';

/** What a rule computes. */
export type Operation = 'count' | 'sum' | 'average' | 'max' | 'min' | 'median';

/** A computed value and how many records it was computed from. */
export interface Aggregate {
  /** `null` when no record had a number in the field (average, max, min, median of nothing). */
  value: number | null;
  /** Records that matched (for count) or that had a number in the field (for the others). */
  count: number;
}

/** Only numbers take part in numeric operations; strings or missing values are skipped. */
function numeric(filter: Document, path: string): Document {
  return { $and: [filter, { [path]: { $type: 'number' } }] };
}

function readPath(doc: Document, path: string): unknown {
  return path.split('.').reduce<unknown>((current, part) => (current && typeof current === 'object' ? (current as Document)[part] : undefined), doc);
}

/**
 * Sum by `$group`; the count separately, because FerretDB 1.24 returns 0 for a second accumulator
 * (`{ $sum: 1 }` or `$count`) in a `$group` that also sums a field (measured).
 */
async function sumAndCount(head: HeadQueryStore, filter: Document, path: string): Promise<{ sum: number; count: number }> {
  const count = await head.count(filter);
  if (count === 0) return { sum: 0, count };
  return { sum: await head.sum(filter, path), count };
}

async function extreme(head: HeadQueryStore, filter: Document, path: string, direction: 1 | -1): Promise<Aggregate> {
  const count = await head.count(filter);
  if (count === 0) return { value: null, count };
  const [top] = await head.ordered(filter, path, direction, 0, 1);
  return { value: top ? (readPath(top, path) as number) : null, count };
}

/**
 * The true median: sort the numeric values and take the middle one, or the mean of the two
 * middle ones when the count is even.
 */
async function median(head: HeadQueryStore, filter: Document, path: string): Promise<Aggregate> {
  const count = await head.count(filter);
  if (count === 0) return { value: null, count };
  const middle = await head.ordered(filter, path, 1, Math.floor((count - 1) / 2), count % 2 === 0 ? 2 : 1);
  const values = middle.map((doc) => readPath(doc, path) as number);
  return { value: values.reduce((a, b) => a + b, 0) / values.length, count };
}

/** Computes `operation` over the head documents matching `filter`; `path` is the head field (e.g. `meta.amount`). */
export async function aggregateHead(head: HeadQueryStore, filter: Document, operation: Operation, path: string | undefined): Promise<Aggregate> {
  if (operation === 'count' || path === undefined) {
    const count = await head.count(filter);
    return { value: count, count };
  }
  const onNumbers = numeric(filter, path);
  switch (operation) {
    case 'sum': {
      const { sum, count } = await sumAndCount(head, onNumbers, path);
      return { value: sum, count };
    }
    case 'average': {
      const { sum, count } = await sumAndCount(head, onNumbers, path);
      return { value: count === 0 ? null : sum / count, count };
    }
    case 'max':
      return extreme(head, onNumbers, path, -1);
    case 'min':
      return extreme(head, onNumbers, path, 1);
    case 'median':
      return median(head, onNumbers, path);
  }
}

/** The true median of a list of numbers (mean of the two middle ones for an even count); null when empty. */
export function medianOf(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor((sorted.length - 1) / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid]! + sorted[mid + 1]!) / 2;
}
