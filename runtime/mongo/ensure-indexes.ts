/**
 * Creates declared indexes on a live database: once per database and index set per process on
 * the first write (for the Mongo-only databases, whose idempotency rests on unique indexes), and
 * on demand. Only missing indexes are created, so repeating it is cheap and safe.
 */
import type { Db, MongoClient } from 'mongodb';
import type { IndexSpec } from './index-spec.js';
import { IndexStore } from './index-store.js';

/**
 * Creates the indexes of `specs` that are missing, one `createIndex` per index. Present ones are
 * left alone (a changed definition is `chronos migrate`'s business). One index per command
 * because FerretDB v1.24 drops the connection (a panic in its handler, reproduced here) when one
 * `createIndexes` command names several indexes that all exist already.
 */
export async function applyIndexes(db: Db, specs: readonly IndexSpec[]): Promise<void> {
  const byCollection = new Map<string, IndexSpec[]>();
  for (const spec of specs) {
    const list = byCollection.get(spec.collection) ?? [];
    list.push(spec);
    byCollection.set(spec.collection, list);
  }
  const indexes = new IndexStore(db);
  for (const [collection, list] of byCollection) {
    const existing = await indexes.names(collection);
    for (const spec of list) {
      if (existing.has(spec.name)) continue;
      await indexes.create(spec);
    }
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
