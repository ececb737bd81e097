/**
 * Reading the error of an unordered bulk write (`insertMany`, `bulkWrite` with `ordered: false`):
 * which documents failed and why, the rest having succeeded. The one parser of `writeErrors`,
 * used by the group commit of the engine's stores and by the counter writer.
 */
import { MongoError } from 'mongodb';
import { isDuplicateKeyError } from './duplicate-key.js';

/** How one write of an unordered batch ended (what the group commit's send function answers per item). */
export type ItemOutcome = { readonly ok: true } | { readonly ok: false; readonly error: unknown };

/** One failed document of an unordered batch, as the server reported it. */
interface WriteErrorLike {
  readonly index: number;
  readonly code?: number;
  readonly errmsg?: string;
}

/**
 * Outcomes for an unordered batch of `count` writes from the error it threw: each document the
 * server names in `writeErrors` fails with a MongoError carrying its own code and message (so an
 * E11000 is still an E11000 to its caller), the rest succeeded. An error without per-document
 * errors (network, timeout, a refused command) is rethrown: it concerns the whole batch.
 */
export function outcomesFromBulkError(error: unknown, count: number): ItemOutcome[] {
  const writeErrors = (error as { writeErrors?: unknown } | null)?.writeErrors;
  const list = (Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : []) as WriteErrorLike[];
  if (list.length === 0) throw error;
  const outcomes: ItemOutcome[] = Array.from({ length: count }, () => ({ ok: true }) as const);
  for (const w of list) {
    const failure = new MongoError(w.errmsg ?? `write ${w.index} of a batch failed`);
    if (w.code !== undefined) failure.code = w.code;
    outcomes[w.index] = { ok: false, error: failure };
  }
  return outcomes;
}

/**
 * The indexes of an unordered batch of `count` inserts that failed with a duplicate key, from the
 * error it threw; rethrows `error` when any document failed otherwise (or none is named).
 */
export function duplicateKeyIndexes(error: unknown, count: number): Set<number> {
  const duplicates = new Set<number>();
  outcomesFromBulkError(error, count).forEach((outcome, index) => {
    if (outcome.ok) return;
    if (!isDuplicateKeyError(outcome.error)) throw error;
    duplicates.add(index);
  });
  return duplicates;
}
