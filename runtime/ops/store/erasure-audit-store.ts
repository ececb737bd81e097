/**
 * The erasure audit collection (`chronos_erasures` by default): one row per erasure of a record,
 * keyed by the erasure's claim token (see `ops/erase-record.ts`). Every query on it lives in
 * this file.
 */
import type { Collection, Db } from 'mongodb';

/** An audit row: that a record was erased, by whom, when and why, and how much was removed. */
export interface ErasureAuditDoc {
  /** The claim token of the erasure (one row per erasure, found again when it is resumed). */
  _id: string;
  dbName: string;
  collection: string;
  recordId: string;
  actor?: string;
  reason?: string;
  requestedAt: Date;
  completedAt?: Date;
  status: 'started' | 'completed';
  /** Version rows removed (committed and pending, the erasure's own claim not counted). */
  versionsRemoved: number;
  /** Payload objects removed (item.json and blobs of every version). */
  objectsRemoved: number;
  /** Queued fallback writes removed. */
  queuedOpsRemoved: number;
  /** Fallback dead letters removed. */
  deadLettersRemoved: number;
}

/** Access to one database's erasure audit rows. */
export class ErasureAuditStore {
  private readonly coll: Collection<ErasureAuditDoc>;

  constructor(db: Db, name: string) {
    this.coll = db.collection<ErasureAuditDoc>(name);
  }

  /** The `started` row of an erasure of `recordId` in `collection` that has not completed, or null. */
  async unfinished(collection: string, recordId: string): Promise<ErasureAuditDoc | null> {
    return this.coll.findOne({ collection, recordId, status: 'started' });
  }

  /** True when the row `id` exists. */
  async exists(id: string): Promise<boolean> {
    return (await this.coll.findOne({ _id: id }, { projection: { _id: 1 } })) !== null;
  }

  /** Inserts a row. */
  async insert(doc: ErasureAuditDoc): Promise<void> {
    await this.coll.insertOne(doc);
  }

  /** Adds removed queued writes and dead letters to the counts of row `id`. */
  async addQueuedRemoved(id: string, queuedOpsRemoved: number, deadLettersRemoved: number): Promise<void> {
    await this.coll.updateOne({ _id: id }, { $inc: { queuedOpsRemoved, deadLettersRemoved } });
  }

  /** Marks row `id` completed (a no-op when it already is) and returns it. */
  async complete(id: string, at: Date): Promise<ErasureAuditDoc | null> {
    await this.coll.updateOne({ _id: id, status: 'started' }, { $set: { status: 'completed', completedAt: at } });
    return this.coll.findOne({ _id: id });
  }
}
