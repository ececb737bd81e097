/**
 * Which declared index serves a query, and how. The choice is the engine's own
 * `servingIndex` (runtime/ops/query-shape.ts, also used by test/ops/index-use.test.ts: equality
 * prefix, then sort), so the bench and the test agree; this file adds the detail a reader of the
 * table wants: which fields the index bounds (equality, range), whether it gives the sort, and
 * what the server still checks per document. This is how index use is shown on FerretDB, which
 * answers every query with a scan (docs/design.md, "Test servers and what FerretDB does").
 */
import type { IndexKey, IndexSpec } from '../runtime/ops/indexes.js';
import { servingIndex, shapeOf } from '../runtime/ops/query-shape.js';

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
function classifyFilter(filter: Record<string, unknown>): { equality: Set<string>; range: Set<string>; other: Set<string> } {
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

/** How index `key` serves `shape`: equality prefix, then the sort (same or reversed), then a range. */
function usage(name: string, key: IndexKey, shape: QueryShape): IndexMatch {
  const { equality, range, other } = classifyFilter(shape.filter);
  const keys = Object.entries(key);
  let i = 0;
  const eqUsed: string[] = [];
  while (i < keys.length && equality.has((keys[i] as [string, number])[0])) eqUsed.push((keys[i++] as [string, number])[0]);
  // Sorting on a field fixed by equality is free, so only the other sort fields must follow the prefix.
  const sort = Object.entries(shape.sort ?? {}).filter(([f]) => !equality.has(f));
  let sortFromIndex = sort.length === 0;
  let start = i;
  if (!sortFromIndex) {
    // As the engine's matcher does, a shorter equality prefix may be given up so the sort can follow it.
    for (let prefix = i; prefix >= 0 && !sortFromIndex; prefix -= 1) {
      const rest = keys.slice(prefix, prefix + sort.length);
      if (rest.length < sort.length) continue;
      const flip = rest[0]?.[1] === sort[0]?.[1] ? 1 : -1;
      if (sort.every(([f, d], j) => rest[j]?.[0] === f && rest[j]?.[1] === d * flip)) {
        sortFromIndex = true;
        start = prefix;
      }
    }
    if (sortFromIndex) eqUsed.splice(start);
  }
  const bounded = sortFromIndex && sort.length > 0 ? keys.slice(start, start + sort.length) : keys.slice(i, i + 1);
  const rangeUsed = bounded.map(([f]) => f).filter((f) => range.has(f));
  const residual = [...equality, ...range].filter((f) => !eqUsed.includes(f) && !rangeUsed.includes(f)).concat([...other]);
  return { index: name, equality: eqUsed, sortFromIndex, range: rangeUsed, residual };
}

/**
 * The declared index that serves a query (the engine's `servingIndex` over `specs` and the
 * built-in `_id_`), with how it is used; `index` is null when none serves it (a collection scan).
 */
export function matchIndex(shape: QueryShape, specs: readonly IndexSpec[]): IndexMatch {
  const name = servingIndex(shapeOf(shape.collection, shape.filter, shape.sort ?? {}), specs);
  const key = name === '_id_' ? ({ _id: 1 } as IndexKey) : specs.find((s) => s.collection === shape.collection && s.name === name)?.key;
  if (name === null || key === undefined) {
    const { equality, range, other } = classifyFilter(shape.filter);
    return { index: null, equality: [], sortFromIndex: Object.keys(shape.sort ?? {}).length === 0, range: [], residual: [...equality, ...range, ...other] };
  }
  return usage(name, key, shape);
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
