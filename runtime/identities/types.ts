/**
 * The public shapes of the identities database: what
 * `chronos.with({ databaseType: 'identities', tenantId, collection })` returns. Records are
 * mutable in place (no version history, no object storage) but every write is a
 * compare-and-set on the object version `ov`, as in the versioned engine.
 */
import type { SystemFields } from '../ops/types.js';

/** The `_system` fields of an identity record: a subset of the engine's {@link SystemFields}. */
export type IdentitySystemFields = Pick<SystemFields, 'ov' | 'insertedAt' | 'updatedAt'>;

/** A stored identity: the application data at the top level, `_id` (its id) and `_system`. */
export type IdentityRecord<T extends object = Record<string, unknown>> = T & { _id: string; _system: IdentitySystemFields };

/** Result of {@link IdentityOps.create}. */
export interface IdentityCreateResult {
  id: string;
  ov: number;
  createdAt: string;
}

/** Result of {@link IdentityOps.update}. */
export interface IdentityUpdateResult {
  id: string;
  ov: number;
  updatedAt: string;
}

/** Result of {@link IdentityOps.delete}: the record is gone (deletes are hard); `ov` is the one the delete claimed. */
export interface IdentityDeleteResult {
  id: string;
  ov: number;
  deletedAt: string;
}

/** Options of {@link IdentityOps.create}. */
export interface IdentityCreateOptions {
  /** The record's id (unique per tenant and collection), e.g. a username; default a random UUID. */
  id?: string;
}

/** Paging of {@link IdentityOps.query}: records come in id order. */
export interface IdentityQueryOptions {
  /** Page size; default 50, at most 1,000. */
  limit?: number;
  /** The previous page's `nextCursor` (the last id it held). */
  afterId?: string;
}

/** One page of {@link IdentityOps.query}. */
export interface IdentityPage<T extends object = Record<string, unknown>> {
  items: IdentityRecord<T>[];
  /** Pass as `afterId` for the next page; absent on the last page. */
  nextCursor?: string;
}

/**
 * A filter over indexed props: each prop maps to a value (equality) or to an object of
 * `$eq $ne $gt $gte $lt $lte $in $nin $exists`; `$and`, `$or` and `$nor` combine filters.
 * Anything else, server-side JavaScript above all, is refused.
 */
export type IdentityFilter = Record<string, unknown>;

/** Operations on one identities collection for one tenant. */
export interface IdentityOps<T extends object = Record<string, unknown>> {
  /** Creates a record at `ov` 0; an id already used in this tenant is a ConflictError. */
  create(data: T, actor?: string, reason?: string, options?: IdentityCreateOptions): Promise<IdentityCreateResult>;
  /** The record, or `null`. */
  getLatest(id: string): Promise<IdentityRecord<T> | null>;
  /** Records matching `filter` (indexed props only), in id order. */
  query(filter?: IdentityFilter, options?: IdentityQueryOptions): Promise<IdentityPage<T>>;
  /** Replaces the application data; with `expectedOv`, only if the record is still at that ov. */
  update(id: string, data: T, expectedOv?: number, actor?: string, reason?: string): Promise<IdentityUpdateResult>;
  /** Removes the record; with `expectedOv`, only if it is still at that ov. */
  delete(id: string, expectedOv?: number, actor?: string, reason?: string): Promise<IdentityDeleteResult>;
}

/** Options of {@link createIdentityOps}. */
export interface IdentityOptions {
  /** Props (dot paths allowed) that `query` may filter on; each gets an index. */
  indexedProps?: readonly string[];
  /**
   * How long an ov claim may stay unwritten before another writer may take it over (a writer
   * that crashed between claiming and writing would otherwise block the record). Default 30 s.
   */
  claimLeaseMs?: number;
}
