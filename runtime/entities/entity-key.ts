/**
 * How an entity is identified: the value of its key prop, and the record id derived from it.
 */
import { createHash } from 'node:crypto';

/** The values an entity key may take: scalars that compare by equality in a Mongo filter. */
export type EntityKeyValue = string | number | boolean;

/** Reads a dot path (`a.b`) from an object; undefined when any step is missing or not an object. */
export function readKeyPath(doc: Readonly<Record<string, unknown>>, path: string): unknown {
  let cur: unknown = doc;
  for (const part of path.split('.')) {
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** True for a value usable as an entity key. */
export function isEntityKeyValue(value: unknown): value is EntityKeyValue {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

/**
 * The record id an entity gets when `insertWithEntities` creates it: the first 24 hex characters
 * of sha256 over (scope, collection, keyProperty, key), where `scope` names the target database.
 * Every writer that creates the same entity derives the same id, so the engine's unique claim on
 * (id, ov 0) lets exactly one of them win. The key's JSON type is part of the hash: `1` and `"1"`
 * are different entities, as they are to a Mongo equality filter. 96 bits of a hash make an
 * accidental collision between two keys negligible (about 2^-48 at 2^24 entities per collection).
 */
export function entityId(scope: string, collection: string, keyProperty: string, key: EntityKeyValue): string {
  return createHash('sha256').update(JSON.stringify([scope, collection, keyProperty, key])).digest('hex').slice(0, 24);
}
