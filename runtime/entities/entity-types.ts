/**
 * The shapes entity management works with. The mapping and result types are the public ones of
 * `runtime/ops/types.ts`; this file adds what the entity functions take from their caller.
 */
import type { CollectionOps, EntityMapping } from '../ops/types.js';

export type { EntityMapping, EntityResult, GetWithEntitiesResult, InsertWithEntitiesResult } from '../ops/types.js';

/** The engine operations entity management needs from a collection handle. */
export type EntityOps = Pick<CollectionOps, 'create' | 'update' | 'getLatest' | 'listByMeta'>;

/**
 * How entity management reaches the engine: the main record's handle, and a handle for the
 * collection, database type and tier a mapping names (in the main record's tenant/domain
 * context). `opsFor` may throw a RouteError when the mapping names a tier that is not configured.
 */
export interface EntityResolver {
  main: EntityOps;
  opsFor(mapping: EntityMapping): EntityOps;
  /**
   * A string that identifies the database the mapping's entity lands in (its routed database
   * name, say). It is mixed into the id derived for a new entity, so two databases never derive
   * the same id for the same key (random ids cannot collide; derived ones would); databases that
   * share a bucket are kept apart by their `keyPrefix` as well.
   */
  scopeOf(mapping: EntityMapping): string;
}
