/**
 * Glue between declared entity mappings and the engine's entity calls: the mappings the engine
 * takes, and its `Map` results turned into objects keyed by property (so a misspelt property is
 * a compile error in the generated types).
 */
import type { EntityMapping } from '../ops/types.js';
import type { CollectionHandle } from './define-collection.js';

const mappings = new WeakMap<CollectionHandle, readonly EntityMapping[]>();

/** The engine's {@link EntityMapping}s for a declaration's entities, target names resolved from the collection objects. */
export function entityMappingsOf(definition: CollectionHandle): readonly EntityMapping[] {
  let list = mappings.get(definition);
  if (!list) {
    list = definition.entities.map((e) => ({
      property: e.property,
      collection: e.collection.name,
      keyProperty: e.keyProperty,
      databaseType: e.databaseType,
      tier: e.tier,
      ...(e.domain !== undefined && { domain: e.domain }),
    }));
    mappings.set(definition, list);
  }
  return list;
}

/** A `Map` keyed by property, as an object; the generated code gives it its precise type. */
export function entityObject<V>(map: ReadonlyMap<string, V>): Record<string, V> {
  return Object.fromEntries(map);
}
