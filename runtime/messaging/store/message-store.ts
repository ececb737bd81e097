/** One tenant's messages (`messages`): every query on that collection lives in this file. */
import type { Collection, Db } from 'mongodb';
import type { MessageRecord } from '../types.js';

/** A document of `messages`. */
export interface MessageDoc extends MessageRecord {
  _id: string;
  savedAt: Date;
}

const MESSAGE_FIELDS = { _id: 0, tenantId: 1, topic: 1, msgId: 1, headers: 1, payload: 1, firstSeenAt: 1, size: 1 } as const;

/** Access to one tenant's messages. */
export class MessageStore {
  private readonly coll: Collection<MessageDoc>;

  constructor(db: Db, name: string, private readonly tenantId: string) {
    this.coll = db.collection<MessageDoc>(name);
  }

  /** Inserts a message; a `(topic, msgId)` in use throws the driver's duplicate-key error. */
  async insert(doc: MessageDoc): Promise<void> {
    await this.coll.insertOne(doc);
  }

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
