/**
 * Which declared index serves a query shape, decided the way MongoDB's planner would on a real
 * server: equality fields first (as an index prefix), then the sort, then a range. This is how
 * index use is shown on FerretDB, which answers every query with a scan (DESIGN.md §3).
 */
import type { IndexKey, IndexSpec } from '../runtime/ops/indexes.js';

/** A query as sent to one Mongo collection: its filter and sort. */
export interface QueryShape {
  collection: string;
  filter: Record<string, unknown>;
  sort?: IndexKey;
}

/** How one index serves a shape. */
export interface IndexMatch {
  /** Index name, or null when no declared index serves the shape (a collection scan). */
  index: string | null;
  /** Filter fields matched by equality on the index prefix. */
  equality: string[];
  /** True when the index order gives the requested sort (no in-memory sort). */
  sortFromIndex: boolean;
  /** Range fields bounded by the index. */
  range: string[];
  /** Filter fields the server checks per document after the index lookup. */
  residual: string[];
}

const RANGE_OPS = new Set(['$gt', '$gte', '$lt', '$lte']);

function isOperatorObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) &&
    Object.keys(value).length > 0 && Object.keys(value).every((k) => k.startsWith('$'));
}

/** Splits a filter into equality fields, range fields and the rest (`$or` branches and other operators). */
export function classifyFilter(filter: Record<string, unknown>): { equality: Set<string>; range: Set<string>; other: Set<string> } {
  const out = { equality: new Set<string>(), range: new Set<string>(), other: new Set<string>() };
  const walk = (f: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(f)) {
      if (key === '$and' && Array.isArray(value)) {
        for (const part of value) walk(part as Record<string, unknown>);
      } else if (key.startsWith('$')) {
        out.other.add(key);
      } else if (!isOperatorObject(value)) {
        out.equality.add(key);
      } else {
        const ops = Object.keys(value);
        if (ops.every((op) => op === '$eq' || op === '$in')) out.equality.add(key);
        else if (ops.every((op) => RANGE_OPS.has(op))) out.range.add(key);
        else out.other.add(key);
      }
    }
  };
  walk(filter);
  return out;
}

function evaluate(spec: Pick<IndexSpec, 'name' | 'key'>, shape: QueryShape): IndexMatch & { score: number[] } {
  const { equality, range, other } = classifyFilter(shape.filter);
  const keys = Object.entries(spec.key);
  let i = 0;
  const eqUsed: string[] = [];
  while (i < keys.length && equality.has((keys[i] as [string, number])[0])) eqUsed.push((keys[i++] as [string, number])[0]);
  // Sorting on a field fixed by equality is free, so only the other sort fields must follow the prefix.
  const sort = Object.entries(shape.sort ?? {}).filter(([f]) => !equality.has(f));
  let sortFromIndex = sort.length === 0;
  if (sort.length > 0 && i + sort.length <= keys.length) {
    const flip = (keys[i] as [string, number])[1] === sort[0]?.[1] ? 1 : -1;
    sortFromIndex = sort.every(([f, d], j) => keys[i + j]?.[0] === f && keys[i + j]?.[1] === d * flip);
  }
  const rangeUsed: string[] = [];
  const next = sortFromIndex ? i + sort.length : i;
  for (const [f] of keys.slice(i, sortFromIndex && sort.length > 0 ? next : next + 1)) if (range.has(f)) rangeUsed.push(f);
  const residual = [...equality, ...range].filter((f) => !eqUsed.includes(f) && !rangeUsed.includes(f)).concat([...other]);
  const useful = eqUsed.length > 0 || rangeUsed.length > 0 || (sort.length > 0 && sortFromIndex);
  return {
    index: useful ? spec.name : null,
    equality: eqUsed,
    sortFromIndex,
    range: rangeUsed,
    residual,
    score: useful ? [eqUsed.length, sortFromIndex ? 1 : 0, rangeUsed.length, -residual.length] : [-1],
  };
}

/**
 * The best declared index for a shape among `specs` (plus the built-in `_id_` index every
 * collection has): most equality fields, then a served sort, then a bounded range, then fewest
 * residual fields. `index` is null when none helps.
 */
export function matchIndex(shape: QueryShape, specs: readonly IndexSpec[]): IndexMatch {
  const candidates = [{ name: '_id_', key: { _id: 1 } as IndexKey }, ...specs.filter((s) => s.collection === shape.collection)];
  let best: (IndexMatch & { score: number[] }) | undefined;
  for (const spec of candidates) {
    const m = evaluate(spec, shape);
    if (!best || compare(m.score, best.score) > 0) best = m;
  }
  const { score: _score, ...match } = best as IndexMatch & { score: number[] };
  if (match.index === null) {
    const { equality, range, other } = classifyFilter(shape.filter);
    return { index: null, equality: [], sortFromIndex: Object.keys(shape.sort ?? {}).length === 0, range: [], residual: [...equality, ...range, ...other] };
  }
  return match;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** A filter with its values replaced by `?`, operators kept: what the shape looks like in a table. */
export function describeShape(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(describeShape).join(', ')}]`;
  if (typeof value === 'object' && value !== null && !(value instanceof Date) && !isBsonValue(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    return `{ ${entries.map(([k, v]) => `${k}: ${k.startsWith('$') && !Array.isArray(v) && !isPlainObject(v) ? '?' : describeShape(v)}`).join(', ')} }`;
  }
  return '?';
}

function isPlainObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && !isBsonValue(v);
}

function isBsonValue(v: object): boolean {
  return '_bsontype' in v;
}
