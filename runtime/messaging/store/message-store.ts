/** One tenant's messages (`messages`): every query on that collection lives in this file. */
import { TenantStore } from '../../mongo/tenant-store.js';
import type { MessageRecord } from '../types.js';

/** A document of `messages`. */
export interface MessageDoc extends MessageRecord {
  _id: string;
  savedAt: Date;
}

const MESSAGE_FIELDS = { _id: 0, tenantId: 1, topic: 1, msgId: 1, headers: 1, payload: 1, firstSeenAt: 1, size: 1 } as const;

/** Access to one tenant's messages. */
export class MessageStore extends TenantStore<MessageDoc> {
  /** The message `msgId` of `topic`, or null. */
  async get<P>(topic: string, msgId: string): Promise<MessageRecord<P> | null> {
    return this.coll.findOne<MessageRecord<P>>({ tenantId: this.tenantId, topic, msgId }, { projection: MESSAGE_FIELDS });
  }

  /** Up to `limit` messages of `topic` after msgId `after`, in msgId order. */
  async page<P>(topic: string, after: string | undefined, limit: number): Promise<Array<MessageRecord<P>>> {
    return this.coll
      .find<MessageRecord<P>>(
        { tenantId: this.tenantId, topic, ...(after === undefined ? {} : { msgId: { $gt: after } }) },
        { projection: MESSAGE_FIELDS, sort: { msgId: 1 }, limit },
      )
      .toArray();
  }
}
