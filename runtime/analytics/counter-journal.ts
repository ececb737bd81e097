/**
 * The journal of counter batches (`cnt_batch` in the analytics database): a batch is `open` from
 * before its first row is written until every counter document has its increment, then `done`.
 * An open batch whose writer died is what the recovery pass finishes. Every statement here
 * addresses a row by `_id` (a look-up, never a scan, even on FerretDB), except the recovery
 * queries, which run in `admin.reconcile()` only.
 */
import type { Db } from 'mongodb';
import { isDuplicateKeyError } from '../mongo/duplicate-key.js';
import { BATCH_COLLECTION } from './counter-keys.js';

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

/** Opens the journal of a batch; idempotent (a retry finds its own row). */
export async function openJournal(db: Db, batch: { id: string; writer: string; openedAt: Date }): Promise<void> {
  try {
    await db.collection<BatchJournal>(BATCH_COLLECTION).insertOne({ _id: batch.id, w: batch.writer, at: batch.openedAt, state: 'open' });
  } catch (e) {
    if (!isDuplicateKeyError(e)) throw e;
  }
}

/** Marks a batch done: every increment of it has landed. Idempotent. */
export async function closeJournal(db: Db, batchId: string, now: Date): Promise<void> {
  await db.collection<BatchJournal>(BATCH_COLLECTION).updateOne({ _id: batchId }, { $set: { state: 'done', doneAt: now } }, { upsert: true });
}

/** Open batches opened at or before `before` (recovery only: a scan on FerretDB). */
export async function openJournalsBefore(db: Db, before: Date): Promise<BatchJournal[]> {
  return db.collection<BatchJournal>(BATCH_COLLECTION).find({ state: 'open', at: { $lte: before } }).toArray();
}

/** The state of batch `id`: open, done, or missing (a done batch whose journal was pruned). */
export async function journalState(db: Db, id: string): Promise<'open' | 'done' | 'missing'> {
  const row = await db.collection<BatchJournal>(BATCH_COLLECTION).findOne({ _id: id }, { projection: { state: 1 } });
  return row ? row.state : 'missing';
}

/** Removes done journals opened before `before` (recovery only), after their markers were cleared. */
export async function pruneDoneJournals(db: Db, before: Date): Promise<number> {
  return (await db.collection<BatchJournal>(BATCH_COLLECTION).deleteMany({ state: 'done', at: { $lte: before } })).deletedCount;
}
