/**
 * The indexes one declared collection needs, where it lives: what `chronos generate` writes to
 * the index-definitions module and what `chronos migrate` applies. Entity lookups need no extra
 * index: a mapping's `keyProperty` must be an indexed prop of its target (checked at declaration).
 */
import { requiredIndexes } from '../ops/indexes.js';
import type { IndexSpec } from '../mongo/index-spec.js';
import type { AnyCollectionDefinition } from './define-collection.js';
import type { Location } from './placement.js';

/** Every index of one collection, and the database types / tiers that hold it. */
export interface CollectionIndexes {
  readonly collection: string;
  readonly locations: readonly Location[];
  readonly indexes: readonly IndexSpec[];
}

/** The {@link CollectionIndexes} of a declaration, from the engine's single index layout. */
export function collectionIndexes(definition: AnyCollectionDefinition): CollectionIndexes {
  return {
    collection: definition.name,
    locations: definition.locations.map((l) => ({ ...l })),
    indexes: requiredIndexes(definition.name, { indexedProps: definition.indexedProps }),
  };
}
