/**
 * Writes a flushed {@link CounterBatch} to the analytics database. Exactness rests on two
 * server guarantees only: the unique `_id` index of `cnt_unique` (the first insert of a seen
 * value wins, everyone else gets E11000) and `$inc` on one document.
 */
import { MongoBulkWriteError, type AnyBulkWriteOperation, type Db, type Document } from 'mongodb';
import { TOTALS_COLLECTION, UNIQUE_COLLECTION } from './counter-keys.js';
import type { PendingDoc } from './counter-batch.js';

/** Counter and seen-value documents are keyed by string ids. */
type KeyedDoc = Document & { _id: string };

const DUPLICATE_KEY = 11000;
/** Concurrent first upserts of one counter document can race to E11000; retrying turns them into updates. */
const UPSERT_ATTEMPTS = 4;

/** What a write left undone: documents to put back into the batch, and the error that stopped it. */
export interface WriteOutcome {
  leftover: PendingDoc[];
  error?: unknown;
}

/** Indices of the operations that failed in a bulk call, by error code. */
function failedIndices(error: unknown): Map<number, number> | undefined {
  if (!(error instanceof MongoBulkWriteError)) return undefined;
  const errors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
  return new Map(errors.map((e) => [e.index, e.code]));
}

/**
 * Inserts every pending seen value; each insert that succeeds becomes a `+1` on its rule's unique
 * counter in the same document's `$inc`. Duplicates are values already counted. On a failure
 * other than a duplicate, the values whose insert failed stay pending.
 */
async function claimUniques(db: Db, docs: readonly PendingDoc[]): Promise<unknown> {
  const claims = docs.flatMap((doc) => [...doc.uniques].map(([id, candidate]) => ({ doc, id, candidate })));
  if (claims.length === 0) return undefined;
  // Only what retention needs: bucket rows carry granularity and start; running-total rows just the id.
  const rows = claims.map(({ doc, id }) => (doc.identity.start ? { _id: id, g: doc.identity.granularity, start: doc.identity.start } : { _id: id }));
  let failures = new Map<number, number>();
  let stop: unknown;
  try {
    await db.collection<KeyedDoc>(UNIQUE_COLLECTION).insertMany(rows, { ordered: false });
  } catch (error) {
    const known = failedIndices(error);
    // Without per-insert results we cannot tell which values were claimed: keep them all pending.
    if (!known) return error;
    failures = known;
    if ([...known.values()].some((code) => code !== DUPLICATE_KEY)) stop = error;
  }
  claims.forEach(({ doc, id, candidate }, i) => {
    const code = failures.get(i);
    if (code !== undefined && code !== DUPLICATE_KEY) return; // stays pending for the next flush
    doc.uniques.delete(id);
    if (code === undefined) {
      const path = `rules.${candidate.rule}.unique.${candidate.prop}`;
      doc.inc.set(path, (doc.inc.get(path) ?? 0) + 1);
    }
  });
  return stop;
}

function incrementOp(doc: PendingDoc): AnyBulkWriteOperation<KeyedDoc> {
  return {
    updateOne: {
      filter: { _id: doc.id },
      update: { $inc: Object.fromEntries(doc.inc), $max: { lastAt: doc.lastAt }, $setOnInsert: { ...doc.identity } },
      upsert: true,
    },
  };
}

/** One `$inc` per document (upserted), retrying the ones that lost a first-insert race. */
async function applyIncrements(db: Db, docs: readonly PendingDoc[]): Promise<{ leftover: PendingDoc[]; error?: unknown }> {
  let todo = docs.filter((doc) => doc.inc.size > 0);
  for (let attempt = 1; todo.length > 0; attempt += 1) {
    try {
      await db.collection<KeyedDoc>(TOTALS_COLLECTION).bulkWrite(todo.map(incrementOp), { ordered: false });
      return { leftover: [] };
    } catch (error) {
      const known = failedIndices(error);
      // A lost connection may or may not have applied the batch; retrying it later can count twice, dropping it can lose counts. We retry (at-least-once) and say so in getTotals' TSDoc.
      if (!known) return { leftover: [...todo], error };
      const failed = todo.filter((_doc, i) => known.has(i));
      const onlyRaces = [...known.values()].every((code) => code === DUPLICATE_KEY);
      if (!onlyRaces || attempt >= UPSERT_ATTEMPTS) return { leftover: failed, error };
      todo = failed;
    }
  }
  return { leftover: [] };
}

/**
 * Writes the pending documents of one database: seen values first, then one `$inc` per counter
 * document. Returns what could not be written so the caller can keep it for the next flush.
 */
export async function writeCounters(db: Db, docs: readonly PendingDoc[]): Promise<WriteOutcome> {
  const claimError = await claimUniques(db, docs);
  const { leftover, error } = await applyIncrements(db, docs);
  const stillPending = docs.filter((doc) => doc.uniques.size > 0 && !leftover.includes(doc));
  const firstError = claimError ?? error;
  return firstError === undefined && stillPending.length === 0 ? { leftover } : { leftover: [...leftover, ...stillPending.map(onlyUniques)], error: firstError };
}

/** A copy of `doc` carrying only its unclaimed values (its increments were written). */
function onlyUniques(doc: PendingDoc): PendingDoc {
  return { ...doc, inc: new Map() };
}
