/**
 * The `writeOptimization` config block. Two batch sizes size two unrelated things, so each has
 * its own setting; `batchSize`, the one name the chronos-db API used for both, stays accepted
 * as a deprecated alias. Parsing resolves the alias, so the parsed config carries only the two
 * specific sizes and nothing downstream reads `batchSize`.
 */
import { z } from 'zod';

const positiveInt = z.number().int().positive();

const writeOptimizationInput = z.strictObject({
  /**
   * Records per batch of `createMany` (default 100, at most 1,000): each batch is one
   * `insertMany` of claims, the payload uploads, and one `insertMany` of heads.
   */
  createManyBatchSize: positiveInt.optional(),
  /**
   * Counter contributions (counted versions) waiting in memory that send a counter batch at
   * once, without waiting for `debounceMs` (default 500).
   */
  counterBatchSize: positiveInt.optional(),
  /**
   * @deprecated Use `createManyBatchSize` and `counterBatchSize`. Accepted so configurations
   * written for the chronos-db API load unchanged: it sets both sizes, and each of the two
   * given next to it wins for its own use.
   */
  batchSize: positiveInt.optional(),
  /** How long counted writes wait in memory before a counter batch, in ms (default 100). */
  debounceMs: z.number().int().nonnegative().optional(),
  /** gzip payloads over 1 KiB (old uncompressed versions still read); off by default. */
  compressionEnabled: z.boolean().optional(),
});

/** `writeOptimization` as written, and as parsed: the deprecated `batchSize` resolved into the two sizes. */
export const writeOptimizationSchema = writeOptimizationInput
  .transform(({ batchSize, createManyBatchSize = batchSize, counterBatchSize = batchSize, ...rest }) => ({
    ...rest,
    ...(createManyBatchSize !== undefined && { createManyBatchSize }),
    ...(counterBatchSize !== undefined && { counterBatchSize }),
  }))
  .prefault({});
