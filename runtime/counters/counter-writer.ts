/**
 * Applies one {@link CounterBatch} to its analytics database, exactly once per version, in five
 * steps (each one statement, whatever the batch size):
 *
 * 1. open the journal row `cnt_batch/<batch>` (`open`);
 * 2. insert one `cnt_seen` row per version (unordered, unique `_id` = version key, `b` = batch):
 *    the batch owns the versions whose row it inserted; a duplicate was counted by another batch;
 * 3. insert the seen values of owned versions into `cnt_unique` (unordered, `b` = batch): the batch
 *    owns the values whose row it inserted;
 * 4. one upsert per counter document: `$inc` of the owned increments and `$set j.<writer> = batch`
 *    in the same single-document update, so "applied here" and "incremented here" are one fact;
 * 5. mark the journal `done`.
 *
 * A retry of the same batch (`resume`) is idempotent: a duplicate row whose `b` is this batch is
 * its own, and a counter document whose marker already names this batch is skipped. The recovery
 * pass finishes an open batch with the same code from the rows of step 2 (see
 * `counter-recovery.ts`). A writer uses a marker key only for batches it finishes in order; after a
 * failure it continues under a new writer id, so a later batch never overwrites the marker of one
 * left open. `counter-protocol.md` beside this file has the crash table.
 */
import type { AnyBulkWriteOperation, Db, Document } from 'mongodb';
import { isDuplicateKeyError } from '../mongo/duplicate-key.js';
import { incrementsOf, uniqueRowsOf, type CounterBatch, type PendingDoc } from './counter-batch.js';
import { toSeenRow, type Contribution, type SeenRow } from './counter-contribution.js';
import { CounterLeaseExpired, InjectedCounterCrash } from './counter-errors.js';
import { counterJournalStore, counterStore } from '../mongo/stores.js';
import type { ClaimRows, KeyedDoc } from './store/counter-store.js';
import { startRetries } from '../retry/policy.js';
import { COUNTER_UPSERT_RACES } from '../retry/schedules.js';
import { duplicateKeyIndexes } from '../mongo/bulk-write-errors.js';

/** The steps of a batch, in order; the fault hook runs after each. */
export type CounterStep = 'batch-opened' | 'versions-marked' | 'uniques-claimed' | 'counters-applied' | 'batch-closed';

/** Internal test seam: called after each {@link CounterStep}; an error thrown here acts as a crash there. */
export type CounterFaultHook = (step: CounterStep, info: { batchId: string; dbName: string }) => void | Promise<void>;

/** How {@link applyBatch} runs. */
export interface ApplyOptions {
  /** False on a batch's first attempt: a duplicate cannot be one of its own rows then, so none is looked up. */
  resume: boolean;
  /** The batch's `cnt_seen` rows are known to exist (recovery read them by `b`): step 2 is skipped. */
  seenWritten?: boolean;
  now: () => Date;
  /** Gives up before a step once the batch is older than this (ms); absent for recovery, which runs after the grace period. */
  leaseMs?: number;
  faults?: CounterFaultHook;
}


/** Runs the five steps; throws (leaving the batch open, to resume or recover) when one fails. */
export async function applyBatch(batch: CounterBatch, options: ApplyOptions): Promise<void> {
  const { db } = batch;
  const step = async (name: CounterStep): Promise<void> => {
    if (options.faults) {
      try {
        await options.faults(name, { batchId: batch.id, dbName: db.databaseName });
      } catch (e) {
        throw new InjectedCounterCrash(name, { cause: e });
      }
    }
  };
  const guard = (): void => {
    if (options.leaseMs !== undefined && options.now().getTime() - batch.openedAt.getTime() > options.leaseMs) throw new CounterLeaseExpired(batch.id, options.leaseMs);
  };

  guard();
  // A batch the recovery pass finished (possible only with a grace period below the lease) must not
  // be applied again: its markers may be cleared already. A missing journal means the first attempt
  // never opened it (done journals are kept a day, far beyond any lease).
  if (options.resume && !options.seenWritten && (await counterJournalStore(db).state(batch.id)) === 'done') return;
  await counterJournalStore(db).open(batch);
  await step('batch-opened');
  guard();
  const owned = options.seenWritten ? batch.contributions : await markVersions(db, batch, options.resume);
  await step('versions-marked');
  guard();
  const ownedUniques = await claimUniques(db, owned, batch.id, options.resume);
  await step('uniques-claimed');
  guard();
  const docs = incrementsOf(owned, ownedUniques);
  if (options.resume) await applyChecked(db, docs, batch);
  else await applyAll(db, docs, batch);
  await step('counters-applied');
  await counterJournalStore(db).close(batch.id, options.now());
  await step('batch-closed');
}

/**
 * Inserts rows with one unordered `insertMany` and returns the `_id`s this batch owns: the ones
 * inserted, plus (on a resume) duplicates whose `b` is this batch. Any other failure is thrown.
 */
async function insertOwned<T extends KeyedDoc & { b: string }>(db: Db, kind: ClaimRows, rows: T[], batchId: string, resume: boolean): Promise<Set<string>> {
  const owned = new Set(rows.map((r) => r._id));
  if (rows.length === 0) return owned;
  let duplicates: string[] = [];
  try {
    await counterStore(db).insertRows(kind, rows);
  } catch (error) {
    duplicates = [...duplicateKeyIndexes(error, rows.length)].map((i) => rows[i]?._id).filter((id): id is string => id !== undefined);
  }
  for (const id of duplicates) {
    owned.delete(id);
    // Only a resume can meet its own row: a first attempt's batch id is brand new.
    if (resume && (await counterStore(db).rowBatch(kind, id)) === batchId) owned.add(id);
  }
  return owned;
}

/** Step 2: the contributions whose version this batch counts. */
async function markVersions(db: Db, batch: CounterBatch, resume: boolean): Promise<Contribution[]> {
  const rows: SeenRow[] = batch.contributions.map((c) => toSeenRow(c, batch.id));
  const owned = await insertOwned(db, 'seen', rows, batch.id, resume);
  return batch.contributions.filter((c) => owned.has(c.key));
}

/** Step 3: the seen values this batch counts. */
async function claimUniques(db: Db, owned: readonly Contribution[], batchId: string, resume: boolean): Promise<Set<string>> {
  return insertOwned(db, 'unique', uniqueRowsOf(owned, batchId), batchId, resume);
}

/** The update of one counter document: its increments and the batch's marker, in one single-document update. */
function incrementUpdate(doc: PendingDoc, batch: CounterBatch): Document {
  return {
    $inc: Object.fromEntries(doc.inc),
    $max: { lastAt: doc.lastAt },
    $set: { [`j.${batch.writer}`]: batch.id },
    $setOnInsert: { ...doc.identity },
  };
}

function incrementOp(doc: PendingDoc, batch: CounterBatch): AnyBulkWriteOperation<KeyedDoc> {
  return { updateOne: { filter: { _id: doc.id }, update: incrementUpdate(doc, batch), upsert: true } };
}

/** Step 4 on a first attempt: one bulk of upserts; E11000 races (nothing applied) are retried, anything else thrown. */
async function applyAll(db: Db, docs: readonly PendingDoc[], batch: CounterBatch): Promise<void> {
  let todo = [...docs];
  // Concurrent first upserts of one counter document can race to E11000; retrying turns them into updates.
  const tries = startRetries(COUNTER_UPSERT_RACES);
  while (todo.length > 0) {
    try {
      await counterStore(db).bulkIncrement(todo.map((d) => incrementOp(d, batch)));
      return;
    } catch (error) {
      const failed = duplicateKeyIndexes(error, todo.length);
      if (!(await tries.next())) throw error;
      todo = todo.filter((_d, i) => failed.has(i));
    }
  }
}

/** Step 4 on a resume: each counter document is read first and skipped when its marker already names this batch. */
async function applyChecked(db: Db, docs: readonly PendingDoc[], batch: CounterBatch): Promise<void> {
  const totals = counterStore(db);
  for (const doc of docs) {
    const current = await totals.marker(doc.id, batch.writer);
    if ((current?.j as Record<string, unknown> | undefined)?.[batch.writer] === batch.id) continue;
    const tries = startRetries(COUNTER_UPSERT_RACES);
    for (;;) {
      try {
        await totals.increment(doc.id, incrementUpdate(doc, batch));
        break;
      } catch (e) {
        if (!isDuplicateKeyError(e) || !(await tries.next())) throw e;
      }
    }
  }
}
