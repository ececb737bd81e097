/**
 * The index registry: for every subsystem that keeps data in MongoDB, the one function that
 * lists the indexes its queries need. Both readers use these same lists: the subsystem itself,
 * which builds what it needs before its first use (`ensure-indexes.ts`, once per process, with
 * the function named here), and `chronos migrate`, which plans and builds all of them for every
 * configured database through {@link subsystemIndexes}.
 *
 * Subsystems whose queries address documents by `_id` only need none beyond the built-in one:
 * the settlement locks (`<collection>_locks`), the migrate lock (`chronos_migrate_locks`), the
 * meta backfill markers (`chronos_meta_backfills`) and the erasure audit (`chronos_erasures`,
 * whose one lookup by record runs only while an erasure resumes).
 */
import type { IndexSpec } from './index-spec.js';
import { requiredIndexes } from '../ops/indexes.js';
import { identityIndexes } from '../identities/indexes.js';
import { fallbackIndexes } from '../fallback/store/indexes.js';
import { messagingIndexes } from '../messaging/indexes.js';
import { counterIndexes } from '../counters/counter-indexes.js';

/** Every subsystem's index list, by subsystem. */
export const INDEX_REGISTRY = {
  /** Heads and version rows of one versioned collection (`ops/indexes.ts`). */
  versioned: (collection: string, indexedProps: readonly string[]): IndexSpec[] => requiredIndexes(collection, { indexedProps }),
  /** Records and ov claims of one identities collection (`identities/indexes.ts`). */
  identities: (collection: string, indexedProps: readonly string[]): IndexSpec[] => identityIndexes(collection, indexedProps),
  /** The fallback queue, its leases and dead letters of one versioned database (`fallback/store/indexes.ts`). */
  fallbackQueue: (deadLetterCollection: string): IndexSpec[] => fallbackIndexes(deadLetterCollection),
  /** The messaging database (`messaging/indexes.ts`). */
  messaging: (): IndexSpec[] => messagingIndexes(),
  /** The counter collections of an analytics database (`counters/counter-indexes.ts`). */
  counters: (): IndexSpec[] => counterIndexes(),
} as const;

/** Database types whose collections are versioned (heads and version rows), each with its own fallback queue. */
const VERSIONED_DATABASE_TYPES: ReadonlySet<string> = new Set(['metadata', 'knowledge', 'runtime', 'logs']);

/** What the subsystem indexes of a database depend on besides its type. */
export interface SubsystemIndexInputs {
  /** The fallback queue's dead-letter collection when the queue is enabled; no queue indexes without it. */
  fallbackDeadLetterCollection?: string;
  /** The identities collections that exist in an identities database, with their indexed props. */
  identityCollections?: ReadonlyArray<{ collection: string; indexedProps: readonly string[] }>;
}

/**
 * The indexes a database of `databaseType` needs for its subsystems, whatever versioned
 * collections are declared in it (those come from {@link INDEX_REGISTRY}.versioned per
 * declaration).
 */
export function subsystemIndexes(databaseType: string, inputs: SubsystemIndexInputs = {}): IndexSpec[] {
  if (databaseType === 'messaging') return INDEX_REGISTRY.messaging();
  if (databaseType === 'analytics') return INDEX_REGISTRY.counters();
  if (databaseType === 'identities') return (inputs.identityCollections ?? []).flatMap((c) => INDEX_REGISTRY.identities(c.collection, c.indexedProps));
  if (VERSIONED_DATABASE_TYPES.has(databaseType) && inputs.fallbackDeadLetterCollection !== undefined) {
    return INDEX_REGISTRY.fallbackQueue(inputs.fallbackDeadLetterCollection);
  }
  return [];
}
