/** One tenant's messaging dead letters (`dead_letters`): every query on that collection lives in this file. */
import type { Collection, Db } from 'mongodb';
import type { DeadLetterRecord } from '../types.js';

/** A document of `dead_letters`. */
export interface DeadLetterDoc extends Omit<DeadLetterRecord, 'id'> {
  _id: string;
}

/** Access to one tenant's messaging dead letters. */
export class DeadLetterStore {
  private readonly coll: Collection<DeadLetterDoc>;

  constructor(db: Db, name: string, private readonly tenantId: string) {
    this.coll = db.collection<DeadLetterDoc>(name);
  }

  /** Inserts a dead letter. */
  async insert(doc: DeadLetterDoc): Promise<void> {
    await this.coll.insertOne(doc);
  }

  /** Up to `limit` dead letters of `topic` after `_id` `after`, in `_id` order. */
  async page(topic: string, after: string | undefined, limit: number): Promise<DeadLetterDoc[]> {
    return this.coll.find({ tenantId: this.tenantId, topic, ...(after === undefined ? {} : { _id: { $gt: after } }) }, { sort: { _id: 1 }, limit }).toArray();
  }
}
