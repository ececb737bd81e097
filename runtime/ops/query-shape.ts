/**
 * Which declared index serves a query the engine sends. FerretDB answers every query with a scan,
 * so index use is shown by checking each query shape (equality fields, then sort) against the keys
 * of {@link requiredIndexes} (docs/design.md, "Test servers and what FerretDB does"). Used by the
 * index-use test and the benchmark.
 */
import type { IndexKey, IndexSpec } from '../mongo/index-spec.js';

/** The part of a query an index can serve: equality-matched fields and the sort, in order. */
export interface QueryShape {
  collection: string;
  /** Fields matched by equality (a value, `$eq`, or `$in`), including those inside a top-level `$and`. */
  equality: string[];
  /** Sort fields with direction, in order. */
  sort: Array<[string, 1 | -1]>;
}

function isOperatorObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && Object.keys(value).some((k) => k.startsWith('$'));
}

function collectEquality(filter: Record<string, unknown>, into: Set<string>): void {
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(value)) {
      for (const part of value) collectEquality(part as Record<string, unknown>, into);
    } else if (key.startsWith('$')) {
      continue; // $or / $nor are residual predicates
    } else if (!isOperatorObject(value) || '$eq' in value || '$in' in value) {
      into.add(key);
    }
  }
}

/** The shape of a filter and sort sent to `collection`. */
export function shapeOf(
  collection: string,
  filter: Record<string, unknown> = {},
  sort: Record<string, number> | Map<string, number> = {},
): QueryShape {
  const equality = new Set<string>();
  collectEquality(filter, equality);
  // The driver sends sorts as a Map (ordered keys); plain objects come from hand-written shapes.
  const entries = sort instanceof Map ? [...sort.entries()] : Object.entries(sort);
  return { collection, equality: [...equality].sort(), sort: entries.map(([k, d]) => [k, d === -1 ? -1 : 1]) };
}

/** How many leading equality keys `key` uses for `shape` (then the sort), or -1 when it cannot serve it. */
function coverage(key: IndexKey, shape: QueryShape): number {
  const fields = Object.entries(key);
  const eq = new Set(shape.equality);
  let j = 0;
  while (j < fields.length && eq.has(fields[j]![0])) j += 1;
  // Try every equality prefix length, longest first (a shorter prefix still lets the sort follow).
  for (let prefix = j; prefix >= 0; prefix -= 1) {
    const rest = fields.slice(prefix, prefix + shape.sort.length);
    if (rest.length < shape.sort.length) continue;
    const same = shape.sort.every(([f, d], i) => rest[i]![0] === f && rest[i]![1] === d);
    const reversed = shape.sort.every(([f, d], i) => rest[i]![0] === f && rest[i]![1] === -d);
    if ((same || reversed) && (prefix > 0 || shape.sort.length > 0)) return prefix;
  }
  return -1;
}

/**
 * The name of the index that best serves `shape`: its leading keys are equality fields of the
 * query (as many as possible) and the sort follows them directly (same or reversed direction).
 * Every collection's built-in `_id_` index counts. Null when none serves it.
 */
export function servingIndex(shape: QueryShape, specs: readonly IndexSpec[]): string | null {
  const candidates = [{ name: '_id_', key: { _id: 1 } as IndexKey }, ...specs.filter((s) => s.collection === shape.collection)];
  let best: { name: string; score: number } | null = null;
  for (const c of candidates) {
    const score = coverage(c.key, shape);
    if (score >= 0 && (!best || score > best.score)) best = { name: c.name, score };
  }
  return best?.name ?? null;
}
