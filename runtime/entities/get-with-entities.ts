/**
 * `getWithEntities`: reads a record and the latest version of each entity it references.
 */
import type { ChronosRecord, ReadOptions } from '../ops/types.js';
import { entityId, isEntityKeyValue, readKeyPath } from './entity-key.js';
import type { EntityMapping, EntityResolver, GetWithEntitiesResult } from './entity-types.js';
import { findEntity } from './find-entity.js';
import { checkMappings } from './plan-entities.js';
import { isPlainObject } from '../validation/plain-object.js';

/**
 * Reads the latest version of record `id` through `resolver.main`, then, for each mapping, the
 * entity whose key prop equals the key found in `mainRecord[property]`, from the collection and
 * tier the mapping names.
 *
 * `mainRecord` is null (and `entityRecords` empty) when the record does not exist. An entity is
 * absent from `entityRecords` when the record has no such prop or key, or when no live entity
 * has that key (it was deleted, or never saved through {@link insertWithEntities}). `options`
 * apply in full to the main record; entities get only `presign` and `ttlSeconds`, so a
 * projection meant for the main record cannot hide an entity's fields.
 */
export async function getWithEntities(
  resolver: EntityResolver,
  id: string,
  mappings: readonly EntityMapping[],
  options?: ReadOptions,
): Promise<GetWithEntitiesResult> {
  const checked = checkMappings(mappings);
  const mainRecord = await resolver.main.getLatest(id, options);
  const entityRecords = new Map<string, ChronosRecord>();
  if (!mainRecord) return { mainRecord: null, entityRecords };
  const entityOptions: ReadOptions = {};
  if (options?.presign !== undefined) entityOptions.presign = options.presign;
  if (options?.ttlSeconds !== undefined) entityOptions.ttlSeconds = options.ttlSeconds;
  const entities = await Promise.all(
    checked.map(async (mapping, index) => {
      const embedded = mainRecord[mapping.property];
      if (!isPlainObject(embedded)) return null;
      const key = readKeyPath(embedded, mapping.keyProperty);
      if (!isEntityKeyValue(key)) return null;
      const derivedId = entityId(resolver.scopeOf(mapping), mapping.collection, mapping.keyProperty, key);
      return findEntity(resolver.opsFor(mapping), mapping, index, key, derivedId, entityOptions);
    }),
  );
  checked.forEach((mapping, i) => {
    const entity = entities[i];
    if (entity) entityRecords.set(mapping.property, entity);
  });
  return { mainRecord, entityRecords };
}
