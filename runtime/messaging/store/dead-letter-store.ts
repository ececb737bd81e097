/** One tenant's messaging dead letters (`dead_letters`): every query on that collection lives in this file. */
import { TenantStore } from '../../mongo/tenant-store.js';
import type { DeadLetterRecord } from '../types.js';

/** A document of `dead_letters`. */
export interface DeadLetterDoc extends Omit<DeadLetterRecord, 'id'> {
  _id: string;
}

/** Access to one tenant's messaging dead letters. */
export class DeadLetterStore extends TenantStore<DeadLetterDoc> {
  /** Up to `limit` dead letters of `topic` after `_id` `after`, in `_id` order. */
  async page(topic: string, after: string | undefined, limit: number): Promise<DeadLetterDoc[]> {
    return this.coll.find({ tenantId: this.tenantId, topic, ...(after === undefined ? {} : { _id: { $gt: after } }) }, { sort: { _id: 1 }, limit }).toArray();
  }
}
