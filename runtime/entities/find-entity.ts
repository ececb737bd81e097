/**
 * Looks an entity up by its key prop, through `listByMeta` so the lookup is served by the
 * entity collection's indexes rather than a scan.
 */
import { ValidationError, isChronosError } from '../errors.js';
import type { ChronosRecord, ReadOptions } from '../ops/types.js';
import type { EntityKeyValue } from './entity-key.js';
import type { EntityMapping, EntityOps } from './entity-types.js';

/**
 * The live record of `mapping.collection` whose `keyProperty` equals `key`, or null.
 *
 * When two records share the key (e.g. one was created with a plain `create`), the one with
 * `derivedId` (the id `insertWithEntities` gives a new entity, see `entityId`) wins; with no such
 * record the key is ambiguous and a ValidationError names it. A key prop that is not indexed in
 * the entity collection is refused by the engine; the error is re-raised at
 * `mappings[index].keyProperty` with the fix.
 */
export async function findEntity(
  ops: EntityOps,
  mapping: EntityMapping,
  index: number,
  key: EntityKeyValue,
  derivedId: string,
  options?: ReadOptions,
): Promise<ChronosRecord | null> {
  let items: ChronosRecord[];
  try {
    ({ items } = await ops.listByMeta({ filter: { [mapping.keyProperty]: key }, limit: 2 }, options));
  } catch (e) {
    if (isChronosError(e) && e.code === 'VALIDATION_FAILED') {
      throw ValidationError.at(
        ['mappings', index, 'keyProperty'],
        `looking up ${mapping.collection} by ${mapping.keyProperty} was refused (${e.message.replace(/\s+/g, ' ')}): ` +
          `an entity key must be an indexed prop of its collection, so add ${mapping.keyProperty} to the indexedProps of ${mapping.collection}`,
      );
    }
    throw e;
  }
  if (items.length <= 1) return items[0] ?? null;
  const preferred = items.find((item) => item._id === derivedId);
  if (preferred) return preferred;
  throw ValidationError.at(
    ['mappings', index, 'keyProperty'],
    `more than one record of ${mapping.collection} has ${mapping.keyProperty} = ${JSON.stringify(key)}: an entity key must identify one record, so remove or re-key the duplicates`,
  );
}
