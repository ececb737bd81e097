/**
 * The public shapes of the versioned engine: what `chronos.with({...})` returns and what its
 * methods take and give. The engine in this folder implements {@link CollectionOps}; the typed
 * repositories that `chronos generate` writes are built on it.
 */
import type { AnyTier, ConfigDatabaseType } from '../config/vocabulary.js';

/** The fields Chronos keeps under `_system` on every record. Callers read them, never write them. */
export interface SystemFields {
  /** Object version: 0 for the first version of a record, +1 on every write to it. */
  ov: number;
  /** Collection version: increases with every write to the collection, unique per collection. */
  cv: number;
  /** ISO-8601 time the record was created. */
  insertedAt: string;
  /** ISO-8601 time of this version. */
  updatedAt: string;
  /** ISO-8601 time the record was logically deleted, or null. */
  deletedAt: string | null;
  /** True when this version is a logical delete. */
  deleted: boolean;
  /** Enrichment function ids that have modified the record, each once, in order of first use. */
  functionIds: string[];
  /**
   * The revision of the collection's declaration this version was written under (recorded by
   * `chronos generate` in the lock file). Reads of a declared collection always answer in the
   * current declaration whatever this says; absent for collections without a declaration.
   */
  revision?: number;
  /** Lineage: the record this one was derived from. */
  parentId?: string;
  parentCollection?: string;
  /** Lineage: the root record (inherited from the parent, or an explicit origin). */
  originId?: string;
  /** `collection`, or `system:collection` for an origin in an external system. */
  originCollection?: string;
}

/** A stored record: the application data at the top level, the system fields under `_system`. */
export type ChronosRecord<T extends object = Record<string, unknown>> = T & { _id: string; _system: SystemFields };

/** Lineage given at creation time. */
export interface CreateOptions {
  /** The record this one derives from; its origin is inherited (or the parent becomes the origin). */
  parentRecord?: { id: string; collection: string };
  /** An explicit origin, e.g. an id in an external system. */
  origin?: { id: string; collection: string; system?: string };
  /**
   * The id to give the new record (24 lowercase hex characters) instead of a generated one.
   * It lets a caller derive the id from a natural key, so concurrent creators of the same thing
   * meet on one id: the first wins, every other gets a ConflictError carrying the current `ov`
   * (creating an id that already exists, deleted or not, is always a ConflictError).
   */
  id?: string;
  /** See {@link WriteOptions.opId}. */
  opId?: string;
}

/**
 * Options every write accepts. `opId` tags the version the write produces, so a retried write
 * (the fallback queue's replay) can tell whether an earlier attempt already committed: a
 * committed version row with this `opId` means the write happened. At most 200 characters.
 */
export interface WriteOptions {
  opId?: string;
}

/** Options of {@link CollectionOps.createMany}. */
export interface CreateManyOptions {
  /**
   * Records written per batch (each batch: one claim insert, its payload uploads, one head
   * insert), from 1 to 1000; default `writeOptimization.createManyBatchSize` (100 unless set).
   */
  batchSize?: number;
}

/** Result of {@link CollectionOps.create}. */
export interface CreateResult {
  id: string;
  ov: number;
  cv: number;
  createdAt: string;
}

/** Result of {@link CollectionOps.update}, {@link CollectionOps.enrich} and restores. */
export interface UpdateResult {
  id: string;
  ov: number;
  cv: number;
  updatedAt: string;
}

/** Result of {@link CollectionOps.delete}. `hard` is true when logical delete is disabled. */
export interface DeleteResult {
  id: string;
  ov: number;
  cv: number;
  deletedAt: string;
  hard?: boolean;
}

/** Options of {@link CollectionOps.enrich}. */
export interface EnrichOptions {
  /** Recorded once in `_system.functionIds`. */
  functionId?: string;
  actor?: string;
  reason?: string;
  /** Compare-and-set: fail with ConflictError unless the head is at this ov. */
  expectedOv?: number;
  /** See {@link WriteOptions.opId}. */
  opId?: string;
}

/** Options of the read methods. */
export interface ReadOptions {
  /** Give base64 props as presigned URLs instead of inlining their content. */
  presign?: boolean;
  /** Lifetime of presigned URLs; default 3600. */
  ttlSeconds?: number;
  /** Only these top-level application props (plus `_id` and `_system`). */
  projection?: string[];
  /** Return a logically deleted record instead of null. */
  includeDeleted?: boolean;
  /**
   * Return the payload exactly as stored, without bringing it to the current declaration (no
   * upcasting, no parsing): for audits of what an old version really holds.
   */
  raw?: boolean;
}

/**
 * A filter over indexed props and `_system` fields. Values are equality matches or comparison
 * objects (`$eq $ne $gt $gte $lt $lte $in $nin $exists`). Server-side JavaScript operators are
 * refused.
 */
export type MetaFilter = Record<string, unknown>;

/** Query of {@link CollectionOps.listByMeta}. */
export interface ListQuery {
  filter?: MetaFilter;
  /** Page size; default 50, at most 1,000. */
  limit?: number;
  /** Cursor: the `nextCursor` of the previous page (or, with the default sort, the last id). */
  afterId?: string;
  /** One indexed prop or `_system` time field, ascending (1) or descending (-1); ties break on id. */
  sort?: Record<string, 1 | -1>;
  includeDeleted?: boolean;
}

/** One page of {@link CollectionOps.listByMeta}. */
export interface ListPage<T extends object = Record<string, unknown>> {
  items: ChronosRecord<T>[];
  /** Pass as `afterId` for the next page; absent on the last page. */
  nextCursor?: string;
}

/** Target of {@link CollectionOps.restoreObject}: a version number or an instant. */
export type RestoreObjectTarget = { ov: number } | { at: string | Date };

/** Target of {@link CollectionOps.restoreCollection}: a collection version or an instant. */
export type RestoreCollectionTarget = { cv: number } | { at: string | Date };

/** Result of {@link CollectionOps.restoreCollection}. */
export interface RestoreCollectionResult {
  /** Records given a new version equal to their state at the target. */
  restored: number;
  /** Records created after the target, now logically deleted. */
  deleted: number;
  /** Records already in the target state. */
  unchanged: number;
  /** Records that could not be restored (e.g. still contended after retries); absent when none. */
  failed?: Array<{ id: string; message: string }>;
}

/** One entry of a record's history. */
export interface VersionInfo {
  ov: number;
  cv: number;
  at: string;
  deleted: boolean;
  actor?: string;
  reason?: string;
  /** The operation id of the write that made this version (the caller's `opId`, or one the engine generated). */
  opId?: string;
  /** On a version written by a restore: the ov it copies. */
  restoredFrom?: number;
  /** See {@link SystemFields.revision}. */
  revision?: number;
}

/**
 * Operations on one collection in one routed database: what `chronos.with({...})` returns.
 * Every write creates an immutable version; nothing is ever overwritten in place.
 */
export interface CollectionOps<T extends object = Record<string, unknown>> extends VersionedOps<T> {
  /** Creates several records; every record is validated before the first is written. Results are in input order. */
  createMany(records: T[], actor?: string, reason?: string, options?: CreateManyOptions): Promise<CreateResult[]>;
  /**
   * Saves the entities embedded in `record` (per `mappings`) to their own collections, creating
   * or updating each by its key, then creates the record itself. For a collection declared in
   * `initChronos({ collections })`, `mappings` may be `undefined`: the declaration's are used.
   */
  insertWithEntities(record: T, mappings: readonly EntityMapping[] | undefined, actor?: string, reason?: string): Promise<InsertWithEntitiesResult>;
  /** Reads a record and the latest version of each entity it references (per `mappings`, or the declaration's when `undefined`). */
  getWithEntities(id: string, mappings?: readonly EntityMapping[], options?: ReadOptions): Promise<GetWithEntitiesResult<T>>;
}

/** The versioned engine's own operations on one collection; {@link CollectionOps} adds the calls composed from them. */
export interface VersionedOps<T extends object = Record<string, unknown>> {
  /**
   * Creates a record (version 0) with a new 24-hex id (or `options.id`). `_system` or `_id` in `data` is refused
   * with a ValidationError (not stripped). Lineage: `parentRecord` sets parentId/parentCollection
   * and inherits the parent's origin (or makes the parent the origin); an explicit `origin` wins,
   * recorded as `"system:collection"` when it names a `system`.
   */
  create(data: T, actor?: string, reason?: string, options?: CreateOptions): Promise<CreateResult>;
  /**
   * Replaces the application data (use {@link enrich} to merge); lineage and functionIds carry
   * over. With `expectedOv` it is compare-and-set (ConflictError with `currentOv` otherwise);
   * without, it lands on the latest version, retrying lost races. A logically deleted record is
   * refused with NotFoundError: restore it first.
   */
  update(id: string, data: T, expectedOv?: number, actor?: string, reason?: string, options?: WriteOptions): Promise<UpdateResult>;
  /**
   * Logical delete by default (a new version with `_system.deleted`, data kept for time travel);
   * with `logicalDelete` off, removes every version's rows and payloads (`hard: true`).
   */
  delete(id: string, expectedOv?: number, actor?: string, reason?: string, options?: WriteOptions): Promise<DeleteResult>;
  /**
   * Deep-merges a patch (or a batch, as one version): objects merge, arrays union without
   * duplicates (deep equality), scalars replace; `functionId` joins `_system.functionIds` once.
   * Lost races are retried (for up to `writes.budgetMs`) so concurrent enrichments are never lost, unless
   * `expectedOv` makes it compare-and-set.
   */
  enrich(id: string, patch: DeepPartial<T> | DeepPartial<T>[], options?: EnrichOptions): Promise<UpdateResult>;
  /** The latest version (one head lookup), or null when absent or logically deleted (unless `includeDeleted`). */
  getLatest(id: string, options?: ReadOptions): Promise<ChronosRecord<T> | null>;
  /** Version `ov` as it was (deleted versions included), or null; with versioning off only the latest exists. */
  getVersion(id: string, ov: number, options?: ReadOptions): Promise<ChronosRecord<T> | null>;
  /**
   * The version current at `at` (newest with time <= at), or null before the record existed or
   * when it was deleted then (unless `includeDeleted`). With versioning off: the latest version
   * from its time on, null before.
   */
  getAsOf(id: string, at: string | Date, options?: ReadOptions): Promise<ChronosRecord<T> | null>;
  /**
   * One page of records matching a filter over indexed props and `_system` fields (server-side
   * JavaScript and unknown operators refused), in a stable order with a cursor (`nextCursor`).
   */
  listByMeta(query?: ListQuery, options?: ReadOptions): Promise<ListPage<T>>;
  /** Every committed version, oldest first. */
  history(id: string): Promise<VersionInfo[]>;
  /** Appends a version equal to the one at `{ ov }` or `{ at }`; undeletes a deleted record. `options.expectedOv` makes it compare-and-set. */
  restoreObject(id: string, target: RestoreObjectTarget, actor?: string, reason?: string, options?: { expectedOv?: number }): Promise<UpdateResult>;
  /**
   * Appends, for every record, a version equal to its state at `{ cv }` or `{ at }`; records
   * created later become logically deleted. Sees the versions committed when it runs (a write
   * still in flight with a lower cv is not part of the target state).
   */
  restoreCollection(target: RestoreCollectionTarget, actor?: string, reason?: string): Promise<RestoreCollectionResult>;
}

/**
 * Where an embedded entity of a record is kept: `record[property]` is saved to `collection`,
 * found by its `keyProperty` (an indexed prop there), in the given database type and tier
 * (the record's own when absent).
 */
export interface EntityMapping {
  property: string;
  collection: string;
  keyProperty: string;
  databaseType?: ConfigDatabaseType;
  tier?: AnyTier;
  /** For a domain-tier target: its domain; else the context's, else the only configured domain. */
  domain?: string;
}

/** What {@link CollectionOps.insertWithEntities} did to one entity. */
export interface EntityResult {
  id: string;
  operation: 'created' | 'updated' | 'unchanged';
}

/** Result of {@link CollectionOps.insertWithEntities}; `entityResults` is keyed by mapping `property`. */
export interface InsertWithEntitiesResult {
  mainRecordId: string;
  entityResults: Map<string, EntityResult>;
}

/** Result of {@link CollectionOps.getWithEntities}; `entityRecords` is keyed by mapping `property` (absent when not found). */
export interface GetWithEntitiesResult<T extends object = Record<string, unknown>> {
  mainRecord: ChronosRecord<T> | null;
  entityRecords: Map<string, ChronosRecord>;
}

/** Every prop optional, recursively; arrays and scalars as they are. */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;
