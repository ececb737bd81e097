/**
 * The fallback queue's two collections: `chronos_fallback_ops` (writes waiting for replay) and
 * the dead letters (ops that will not be replayed again). Every query on them lives in this
 * file: the queue's own steps and the erasure's lookups of one record's queued writes.
 */
import type { Collection, Db, DeleteResult } from 'mongodb';
import type { DeadLetterDoc, QueuedOpDoc } from '../types.js';

/** Access to one queue's ops and dead letters. */
export class FallbackQueueStore {
  private readonly ops: Collection<QueuedOpDoc>;

  private readonly dead: Collection<DeadLetterDoc>;

  constructor(db: Db, opsName: string, deadLetterName: string) {
    this.ops = db.collection<QueuedOpDoc>(opsName);
    this.dead = db.collection<DeadLetterDoc>(deadLetterName);
  }

  /** Inserts a queued op; a duplicate `_id` throws the driver's duplicate-key error. */
  async insertOp(doc: QueuedOpDoc): Promise<void> {
    await this.ops.insertOne(doc);
  }

  /** The queued op `opId`, or null. */
  async op(opId: string): Promise<QueuedOpDoc | null> {
    return this.ops.findOne({ _id: opId });
  }

  /** Removes the queued op `opId`. */
  async removeOp(opId: string): Promise<void> {
    await this.ops.deleteOne({ _id: opId });
  }

  /** Records a failed replay: the attempts so far, when to try next and why it failed. */
  async reschedule(opId: string, fields: Pick<QueuedOpDoc, 'attempts' | 'nextAttemptAt' | 'lastError'>): Promise<void> {
    await this.ops.updateOne({ _id: opId }, { $set: fields });
  }

  /** Ids of up to `limit` ops due at `now`, the earliest due first. */
  async due(now: Date, limit: number): Promise<Array<{ _id: string }>> {
    return this.ops.find({ nextAttemptAt: { $lte: now } }, { sort: { nextAttemptAt: 1 }, limit, projection: { _id: 1 } }).toArray();
  }

  /** Every queued op, the earliest due first. */
  async pending(): Promise<QueuedOpDoc[]> {
    return this.ops.find({}, { sort: { nextAttemptAt: 1 } }).toArray();
  }

  /** Inserts a dead letter; a duplicate `_id` throws the driver's duplicate-key error. */
  async insertDeadLetter(doc: DeadLetterDoc): Promise<void> {
    await this.dead.insertOne(doc);
  }

  /** True when op `opId` has a dead letter. */
  async isDeadLettered(opId: string): Promise<boolean> {
    return (await this.dead.findOne({ _id: opId }, { projection: { _id: 1 } })) !== null;
  }

  /** Every dead letter, oldest first. */
  async deadLetters(): Promise<DeadLetterDoc[]> {
    return this.dead.find({}, { sort: { deadAt: 1 } }).toArray();
  }

  /** True when the queue or its dead letters hold a write about record `id` of `collection`. */
  async holdsWritesAbout(collection: string, id: string): Promise<boolean> {
    const filter = aboutRecord(collection, id);
    const found = await this.ops.findOne(filter, { projection: { _id: 1 } });
    return found !== null || (await this.dead.findOne(filter, { projection: { _id: 1 } })) !== null;
  }

  /** Removes the queued writes and dead letters about record `id` of `collection`; returns how many of each. */
  async removeWritesAbout(collection: string, id: string): Promise<{ ops: number; deadLetters: number }> {
    const filter = aboutRecord(collection, id);
    const ops: DeleteResult = await this.ops.deleteMany(filter);
    const dead: DeleteResult = await this.dead.deleteMany(filter);
    return { ops: ops.deletedCount, deadLetters: dead.deletedCount };
  }
}

function aboutRecord(collection: string, id: string): { recordId: string; 'route.collection': string } {
  return { recordId: id, 'route.collection': collection };
}
