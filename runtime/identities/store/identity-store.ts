/**
 * One tenant's records in an identities collection: every query on the records collection lives
 * in this file. Each query carries the tenant (`tenantId` leads every index key).
 */
import type { Document, Filter } from 'mongodb';
import { TenantStore } from '../../mongo/tenant-store.js';
import type { IdentityDoc } from '../documents.js';

/** Access to the records of one tenant in one identities collection. */
export class IdentityStore extends TenantStore<IdentityDoc> {
  /** The record `id`, or null. */
  async get(id: string): Promise<IdentityDoc | null> {
    return this.coll.findOne({ tenantId: this.tenantId, id });
  }

  /** The ov of record `id`, or undefined when there is none (only `ov` is read). */
  async ovOf(id: string): Promise<number | undefined> {
    return (await this.coll.findOne({ tenantId: this.tenantId, id }, { projection: { ov: 1 } }))?.ov;
  }

  /** Up to `limit` records matching `query` (which names the tenant), in id order. */
  async page(query: Filter<IdentityDoc> | Document, limit: number): Promise<IdentityDoc[]> {
    return this.coll.find(query as Filter<IdentityDoc>, { sort: { id: 1 }, limit }).toArray();
  }

  /**
   * Replaces the record `before` with `next` only while it is still at `before.ov`; true when it
   * was. A whole-document replace, not `$set: { data }`: FerretDB 1.24 skips a `$set` of an
   * embedded document that differs from the stored one only in its key names.
   */
  async replaceAt(before: IdentityDoc, next: IdentityDoc): Promise<boolean> {
    const result = await this.coll.replaceOne({ _id: before._id, tenantId: this.tenantId, ov: before.ov }, next);
    return result.matchedCount === 1;
  }

  /** Deletes the record `doc` only while it is still at `doc.ov`; true when it was. */
  async deleteAt(doc: IdentityDoc): Promise<boolean> {
    const result = await this.coll.deleteOne({ _id: doc._id, tenantId: this.tenantId, ov: doc.ov });
    return result.deletedCount === 1;
  }
}
