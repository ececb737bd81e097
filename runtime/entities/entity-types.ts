/**
 * The shapes of entity relationships: which embedded objects of a record are entities of their
 * own, where they are kept, and what `insertWithEntities` / `getWithEntities` give back.
 *
 * `EntityMapping` and the result types have the same shape as the ones branch `codegen` adds to
 * `runtime/ops/types.ts`; once both are merged, these become re-exports of those.
 */
import type { ChronosRecord, CollectionOps } from '../ops/types.js';

/** A database type an entity may live in (the reference's list). */
export type EntityDatabaseType = 'metadata' | 'knowledge' | 'runtime' | 'logs' | 'messaging' | 'identities';

/** A tier an entity may live in. */
export type EntityTier = 'generic' | 'domain' | 'tenant' | 'single';

/**
 * Where an embedded entity of a record is kept: `record[property]` is saved to `collection`,
 * found there by its `keyProperty` (which must be an indexed prop of that collection), in the
 * given database type and tier of the same tenant/domain context (the record's own when absent).
 */
export interface EntityMapping {
  /** Top-level prop of the main record that holds the entity object, e.g. `customer`. */
  property: string;
  /** Collection the entity is saved to, e.g. `customers`. */
  collection: string;
  /** Prop of the entity that identifies it, e.g. `customerId` (a dot path is allowed). */
  keyProperty: string;
  databaseType?: EntityDatabaseType;
  tier?: EntityTier;
}

/** What {@link insertWithEntities} did to one entity. */
export interface EntityResult {
  /** The entity record's id. */
  id: string;
  operation: 'created' | 'updated' | 'unchanged';
}

/** Result of {@link insertWithEntities}; `entityResults` is keyed by mapping `property`. */
export interface InsertWithEntitiesResult {
  mainRecordId: string;
  entityResults: Map<string, EntityResult>;
}

/**
 * Result of {@link getWithEntities}: the main record (null when it does not exist) and the latest
 * version of each entity it references, keyed by mapping `property` (absent when not found).
 */
export interface GetWithEntitiesResult<T extends object = Record<string, unknown>> {
  mainRecord: ChronosRecord<T> | null;
  entityRecords: Map<string, ChronosRecord>;
}

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
   * name, say). It is mixed into the id derived for a new entity: payload keys are
   * `<collection>/<id>/...` inside a bucket, so two databases that share a bucket must never
   * derive the same id for the same key (random ids cannot collide; derived ones would).
   */
  scopeOf(mapping: EntityMapping): string;
}
