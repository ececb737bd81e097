/**
 * The application data of a record, as the engine stores it: without `_id` and `_system`, and
 * JSON-normalised (dates become ISO strings, undefined props disappear). Comparing two records'
 * content, or merging tiers, is done on this form so that bookkeeping never counts as a change.
 */
import { isDeepStrictEqual } from 'node:util';

/** A copy of `record` without `_id` and `_system`, JSON-normalised the way the engine stores data. */
export function appData(record: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { _id: _ignoredId, _system: _ignoredSystem, ...rest } = record;
  // The engine stores the JSON form; comparing anything else would see a Date and its ISO string as different.
  return JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
}

/** True when two records carry the same application data (deep equality, `_id` and `_system` ignored). */
export function sameContent(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): boolean {
  return isDeepStrictEqual(appData(a), appData(b));
}
