/**
 * The engine's `createMany` as the bench calls it, in one place. Today `chronos.with()` composes
 * it from the collection's `create` ({@link createManyRecords}, `writeOptimization.batchSize`
 * records in flight); when the write path gets a batched `createMany` of its own (issue 10,
 * item 6), this is the one call to repoint.
 */
import type { EngineCollectionOps } from '../runtime/ops/collection-ops.js';
import type { CollectionSettings } from '../runtime/ops/context.js';
import { resolveCollectionSettings } from '../runtime/ops/context.js';
import { createManyRecords, DEFAULT_CREATE_MANY_CONCURRENCY } from '../runtime/ops/create-many.js';
import type { CreateResult } from '../runtime/ops/types.js';

/** Records in flight at once, as `chronos.with()` uses without `writeOptimization.batchSize`. */
export const CREATE_MANY_CONCURRENCY = DEFAULT_CREATE_MANY_CONCURRENCY;

/** Creates `records` in one `createMany` on `ops`, whose collection has `settings`; results in input order. */
export function engineCreateMany(
  ops: EngineCollectionOps,
  settings: Partial<CollectionSettings>,
  records: readonly Record<string, unknown>[],
): Promise<CreateResult[]> {
  return createManyRecords(ops, { settings: resolveCollectionSettings(settings) }, records);
}
