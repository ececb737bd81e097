/** One tenant's topics (`topics`): every query on that collection lives in this file. */
import type { Collection, Db } from 'mongodb';
import type { TopicRecord } from '../types.js';

interface TopicDoc extends TopicRecord {
  _id: string;
}

const TOPIC_FIELDS = { _id: 0, tenantId: 1, topic: 1, shards: 1, createdAt: 1 } as const;

/** Access to one tenant's topics. */
export class TopicStore {
  private readonly coll: Collection<TopicDoc>;

  constructor(db: Db, name: string, private readonly tenantId: string) {
    this.coll = db.collection<TopicDoc>(name);
  }

  /** The topic named `topic`, or null. */
  async get(topic: string): Promise<TopicRecord | null> {
    return this.coll.findOne<TopicRecord>({ tenantId: this.tenantId, topic }, { projection: TOPIC_FIELDS });
  }

  /** Inserts a topic under a new `_id`; a name in use throws the driver's duplicate-key error. */
  async insert(id: string, record: TopicRecord): Promise<void> {
    await this.coll.insertOne({ _id: id, ...record });
  }
}
