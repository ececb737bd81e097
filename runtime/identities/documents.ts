/**
 * How identity records are stored. Application data sits under `data`, apart from the fields
 * Chronos owns, so a caller prop named `tenantId`, `id` or `ov` is data and never routing.
 * `_id` is an ObjectId string per incarnation: a record deleted and created again under the same
 * id gets a new `_id`, so the ov claims of the old one cannot block the new one.
 */
import type { Db } from 'mongodb';
import type { IdentityRecord } from './types.js';
import { identityStore, ovClaimStore } from '../mongo/stores.js';
import type { IdentityStore } from './store/identity-store.js';
import type { OvClaimStore } from './store/ov-claim-store.js';

/** A record as stored in the identities collection. */
export interface IdentityDoc {
  _id: string;
  tenantId: string;
  id: string;
  ov: number;
  data: Record<string, unknown>;
  insertedAt: Date;
  updatedAt: Date;
  /** Who made the last write and why (kept for audit, not returned). */
  actor: string | null;
  reason: string | null;
}

/** One claim of an object version (see `ov-claim.ts`). */
export interface OvClaimDoc {
  _id: string;
  tenantId: string;
  headId: string;
  ov: number;
  at: Date;
}

/** The collection holding the ov claims of identities collection `collection`. */
export function claimsCollectionName(collection: string): string {
  return `${collection}_claims`;
}

/** Everything the identity operations share. */
export interface IdentityContext {
  readonly db: Db;
  readonly tenantId: string;
  readonly collection: string;
  readonly indexedProps: readonly string[];
  readonly claimLeaseMs: number;
  /** Resolves once the unique indexes exist (first write per Db per process). */
  indexesReady(): Promise<void>;
}

/** The tenant's records in the collection of `ctx`. */
export function records(ctx: IdentityContext): IdentityStore {
  return identityStore(ctx.db, ctx.collection, ctx.tenantId);
}

/** The tenant's ov claims in the collection of `ctx`. */
export function claims(ctx: IdentityContext): OvClaimStore {
  return ovClaimStore(ctx.db, ctx.collection, ctx.tenantId);
}

/** The caller's view of a stored record: data at the top level, the id as `_id`, and `_system`. */
export function toIdentityRecord<T extends object>(doc: IdentityDoc): IdentityRecord<T> {
  return {
    ...(doc.data as T),
    _id: doc.id,
    _system: { ov: doc.ov, insertedAt: doc.insertedAt.toISOString(), updatedAt: doc.updatedAt.toISOString() },
  };
}
