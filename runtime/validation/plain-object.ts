/**
 * The one test of "a JSON-like object" used wherever caller input is walked: records, filters,
 * patches, entity mappings, rule predicates.
 */

/** A plain object: not null, not an array, not a class instance (Date, ObjectId, Buffer...). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
