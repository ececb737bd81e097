/**
 * Turns an analytics rule's `query`, `field` and `relativeTime` into a filter on the engine's
 * `<collection>_head` documents: the latest, non-deleted version of each record, with indexed
 * props under `meta.<prop>` and the `_system` times at the top level (see ops/indexes.ts).
 */
import type { Document } from 'mongodb';
import { ValidationError, type ErrorIssue } from '../errors.js';
import { parseDuration, subtractDuration } from './duration.js';
import type { Predicate } from './predicate.js';

/** `_system` time fields a rule may filter on, and where the head keeps them. */
const SYSTEM_TIME_FIELDS: Record<string, string> = {
  '_system.insertedAt': 'insertedAt',
  '_system.updatedAt': 'updatedAt',
  '_system.deletedAt': 'deletedAt',
};

/** The window of a rule: both bounds apply together. */
export interface RelativeTime {
  /** Only records updated at or after `now − newerThan` (ISO-8601 duration). */
  newerThan?: string;
  /** Only records updated before `now − olderThan`. */
  olderThan?: string;
}

/** Head field of a rule field: `_system` times map to the top level, everything else to `meta.`. */
export function headField(prop: string): string {
  return SYSTEM_TIME_FIELDS[prop] ?? `meta.${prop}`;
}

/** `_system` times are Dates on the head, so ISO strings in a rule are compared as Dates. */
function asDates(value: unknown): unknown {
  if (typeof value === 'string') {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? value : date;
  }
  if (Array.isArray(value)) return value.map(asDates);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asDates(v)]));
  }
  return value;
}

/** Which props a rule may name; when absent, any prop is accepted (the head simply lacks unknown ones). */
export type PropCheck = ((prop: string) => boolean) | undefined;

/**
 * Problems with the props a rule's query and field name, with paths from the rule
 * (`query.secret`, `field`): `_system` fields other than the times, and props the collection
 * does not index (when known). Operators are checked by the rule schema's predicate check.
 */
export function checkRuleProps(query: Predicate, field: string | undefined, isIndexed: PropCheck): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  const checkProp = (prop: string, path: Array<string | number>): void => {
    if (prop in SYSTEM_TIME_FIELDS) return;
    if (prop.startsWith('_')) {
      issues.push({ path, message: `only ${Object.keys(SYSTEM_TIME_FIELDS).join(', ')} may be used from _system` });
    } else if (isIndexed && !isIndexed(prop)) {
      issues.push({ path, message: `"${prop}" is not an indexed prop of this collection; rules read indexed props only (add it to indexedProps)` });
    }
  };
  for (const key of Object.keys(query)) if (!key.startsWith('$')) checkProp(key, ['query', key]);
  if (field !== undefined) checkProp(field, ['field']);
  return issues;
}

/** The `[from, to)` bounds of a window at `now`; either may be absent. */
export function windowOf(relativeTime: RelativeTime | undefined, now: Date): { from?: Date; to?: Date } {
  const out: { from?: Date; to?: Date } = {};
  for (const bound of ['newerThan', 'olderThan'] as const) {
    const text = relativeTime?.[bound];
    if (text === undefined) continue;
    const duration = parseDuration(text);
    if (!duration) throw ValidationError.at(['relativeTime', bound], `"${text}" is not an ISO-8601 duration such as PT1H, P1D, P1W or P1M`);
    if (bound === 'newerThan') out.from = subtractDuration(now, duration);
    else out.to = subtractDuration(now, duration);
  }
  return out;
}

/**
 * The head filter of a checked rule: non-deleted records, the query on `meta.` paths, and the
 * window on `updatedAt` (the time of the latest version), combined with `$and` so a query that
 * also names `_system.updatedAt` keeps both conditions.
 */
export function headFilter(query: Predicate, window: { from?: Date; to?: Date }): Document {
  const clauses: Document[] = [{ deleted: { $ne: true } }];
  for (const [key, condition] of Object.entries(query)) {
    const target = headField(key);
    clauses.push({ [target]: key in SYSTEM_TIME_FIELDS ? asDates(condition) : condition });
  }
  const range: Document = {};
  if (window.from) range.$gte = window.from;
  if (window.to) range.$lt = window.to;
  if (Object.keys(range).length > 0) clauses.push({ updatedAt: range });
  return clauses.length === 1 ? clauses[0]! : { $and: clauses };
}
