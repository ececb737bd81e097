/**
 * `createMany`: several creates, validated together before the first write, then written with
 * at most `writeOptimization.batchSize` (default 16) records in flight.
 *
 * Why not one `insertMany` of claims per batch: every record still goes through the write
 * protocol of `write-version.ts` on its own. Its guarantees hang on per-record steps a batched
 * insert would have to re-create for each element: a cv drawn per claim and, on a duplicate cv
 * (a counter behind after a non-atomic `$inc`), a re-sync and a fresh draw for that record only;
 * an abandoned holder of `(id, ov)` settled before claiming again; a lease measured from each
 * record's own claim; the commit (row, then head, or one transaction) per record. An unordered
 * `insertMany` would save one round trip of the four a create makes (cv, claim, commit, head),
 * while a failed element would need exactly that per-record recovery. So batchSize bounds the
 * concurrency: a batch's payload PUTs and Mongo writes run in parallel, and each record is a
 * complete version or nothing.
 */
import type { EngineContext } from './context.js';
import { checkData } from './input-validation.js';
import type { CollectionOps, CreateResult } from './types.js';

/** How many creates run at once when `writeOptimization.batchSize` is not set. */
export const DEFAULT_CREATE_MANY_CONCURRENCY = 16;

/**
 * Creates `records`, results in input order. Every record is validated first, so one invalid
 * record means a ValidationError (path `records[i]...`) and nothing written. A failure while
 * writing (storage or server down) stops new records from starting and, once the records in
 * flight have settled, rejects with the first error: records written before it stay written,
 * each a complete version (not rolled back), and the failed ones left nothing visible (their
 * writer released its claim, or marked it abandoned for the next writer or reconcile to settle).
 *
 * @param batchSize records in flight at once (`writeOptimization.batchSize`).
 */
export async function createManyRecords(
  ops: Pick<CollectionOps, 'create'>,
  ctx: Pick<EngineContext, 'settings'>,
  records: readonly unknown[],
  actor?: string,
  reason?: string,
  batchSize = DEFAULT_CREATE_MANY_CONCURRENCY,
): Promise<CreateResult[]> {
  records.forEach((record, i) => checkData(record, ctx.settings, `records[${i}]`));
  const results = new Array<CreateResult>(records.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (!failure && next < records.length) {
      const i = next;
      next += 1;
      try {
        results[i] = await ops.create(records[i] as Record<string, unknown>, actor, reason);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(batchSize, records.length) }, worker));
  if (failure) throw failure.error;
  return results;
}
