/**
 * The indexes the fallback queue's queries need: built by the queue before its first use and
 * by `chronos migrate`.
 */
import type { IndexSpec } from '../../mongo/index-spec.js';
import { FALLBACK_OPS_COLLECTION } from '../types.js';

/** The collection of the replay leases of the queue (`store/op-lease.ts`). */
export const FALLBACK_LEASES_COLLECTION = `${FALLBACK_OPS_COLLECTION}_leases`;

/**
 * Every index of a queue whose dead letters live in `deadLetterCollection`. Query shapes served:
 * due ops (`nextAttemptAt` range and sort), the newest lease of an op (`opId`, `n` descending),
 * dead letters oldest first (`deadAt`).
 */
export function fallbackIndexes(deadLetterCollection: string): IndexSpec[] {
  return [
    { collection: FALLBACK_OPS_COLLECTION, name: 'chronos_due', key: { nextAttemptAt: 1 } },
    { collection: FALLBACK_LEASES_COLLECTION, name: 'chronos_op_lease', key: { opId: 1, n: -1 } },
    { collection: deadLetterCollection, name: 'chronos_dead_at', key: { deadAt: 1 } },
  ];
}
