/**
 * `createMany`: several creates, validated together before the first write, then written in
 * bounded-concurrency batches (`writeOptimization.batchSize`, default 16 at a time).
 */
import { forEachConcurrently } from '../storage/bounded-concurrency.js';
import type { EngineContext } from './context.js';
import { checkData } from './input-validation.js';
import type { CollectionOps, CreateResult } from './types.js';

/** How many creates run at once when the config does not say. */
export const DEFAULT_CREATE_MANY_CONCURRENCY = 16;

/**
 * Creates `records` in input order of results. Every record is validated first, so one invalid
 * record means a ValidationError (path `records[i]...`) and nothing written. A failure while
 * writing (storage or server down) rejects with that error once the running batch has settled;
 * records written before it stay written, each a complete version, and are not rolled back.
 */
export async function createManyRecords(
  ops: Pick<CollectionOps, 'create'>,
  ctx: Pick<EngineContext, 'settings'>,
  records: readonly unknown[],
  actor?: string,
  reason?: string,
  concurrency = DEFAULT_CREATE_MANY_CONCURRENCY,
): Promise<CreateResult[]> {
  records.forEach((record, i) => checkData(record, ctx.settings, `records[${i}]`));
  const results = new Array<CreateResult>(records.length);
  await forEachConcurrently(records, concurrency, async (record, i) => {
    results[i] = await ops.create(record as Record<string, unknown>, actor, reason);
  });
  return results;
}
