/**
 * The journal of counter batches (`cnt_batch` in the analytics database): a batch is `open` from
 * before its first row is written until every counter document has its increment, then `done`.
 * An open batch whose writer died is what the recovery pass finishes. Every statement here
 * addresses a row by `_id` (a look-up, never a scan, even on FerretDB), except the recovery
 * queries, which run in `admin.reconcile()` only.
 */
import type { Collection, Db } from 'mongodb';
import { isDuplicateKeyError } from '../../mongo/duplicate-key.js';

/** A journal row. */
export interface BatchJournal {
  _id: string;
  /** The writer whose marker (`j.<w>` on counter documents) says the batch's increment landed there. */
  w: string;
  /** When the batch was opened (writer's clock). */
  at: Date;
  state: 'open' | 'done';
  doneAt?: Date;
}

/** Access to the batch journal of one analytics database. */
export class CounterJournalStore {
  private readonly coll: Collection<BatchJournal>;

  constructor(db: Db, name: string) {
    this.coll = db.collection<BatchJournal>(name);
  }

  /** Opens the journal of a batch; idempotent (a retry finds its own row). */
  async open(batch: { id: string; writer: string; openedAt: Date }): Promise<void> {
    try {
      await this.coll.insertOne({ _id: batch.id, w: batch.writer, at: batch.openedAt, state: 'open' });
    } catch (e) {
      if (!isDuplicateKeyError(e)) throw e;
    }
  }

  /** Marks a batch done: every increment of it has landed. Idempotent. */
  async close(batchId: string, now: Date): Promise<void> {
    await this.coll.updateOne({ _id: batchId }, { $set: { state: 'done', doneAt: now } }, { upsert: true });
  }

  /** Open batches opened at or before `before` (recovery only: a scan on FerretDB). */
  async openBefore(before: Date): Promise<BatchJournal[]> {
    return this.coll.find({ state: 'open', at: { $lte: before } }).toArray();
  }

  /** The state of batch `id`: open, done, or missing (a done batch whose journal was pruned). */
  async state(id: string): Promise<'open' | 'done' | 'missing'> {
    const row = await this.coll.findOne({ _id: id }, { projection: { state: 1 } });
    return row ? row.state : 'missing';
  }

  /** Removes done journals opened before `before` (recovery only), after their markers were cleared. */
  async pruneDone(before: Date): Promise<number> {
    return (await this.coll.deleteMany({ state: 'done', at: { $lte: before } })).deletedCount;
  }
}
