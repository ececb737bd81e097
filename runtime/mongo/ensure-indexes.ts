/**
 * Creates declared indexes on a live database: once per database and index set per process on
 * the first write (for the Mongo-only databases, whose idempotency rests on unique indexes), and
 * on demand for `chronos migrate`. `createIndexes` is idempotent, so repeating it is safe.
 */
import type { Db, MongoClient } from 'mongodb';
import type { IndexSpec } from '../ops/indexes.js';

/** Creates every index in `specs`, grouped by collection; already present indexes are left alone. */
export async function applyIndexes(db: Db, specs: readonly IndexSpec[]): Promise<void> {
  const byCollection = new Map<string, IndexSpec[]>();
  for (const spec of specs) {
    const list = byCollection.get(spec.collection) ?? [];
    list.push(spec);
    byCollection.set(spec.collection, list);
  }
  for (const [collection, list] of byCollection) {
    await db.collection(collection).createIndexes(
      list.map((spec) => ({ key: spec.key, name: spec.name, ...(spec.unique ? { unique: true } : {}) })),
    );
  }
}

// Keyed by client and database name, not by Db object: callers may build a new Db handle per call.
const ensured = new WeakMap<MongoClient, Map<string, Promise<void>>>();

/**
 * Applies `specs` to `db` the first time it is called for this client, database and `setKey`
 * in this process; later calls wait for that first run. A failed run is forgotten, so the next
 * write tries again instead of going on without its unique indexes.
 */
export function ensureIndexesOnce(db: Db, setKey: string, specs: () => readonly IndexSpec[]): Promise<void> {
  let perClient = ensured.get(db.client);
  if (!perClient) {
    perClient = new Map();
    ensured.set(db.client, perClient);
  }
  const key = `${db.databaseName}\u0000${setKey}`;
  const existing = perClient.get(key);
  if (existing) return existing;
  const run = applyIndexes(db, specs()).catch((error: unknown) => {
    perClient.delete(key);
    throw error;
  });
  perClient.set(key, run);
  return run;
}
