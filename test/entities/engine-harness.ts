/**
 * Real engine handles for the entity and tiered suites: one MongoClient on MONGODB_URI, one
 * local-folder object store in a fresh temp folder, and per logical database (a tier or database
 * type of the test's imagined config) a fresh Mongo database and its own bucket, as routing
 * would give them. Databases are never dropped (a drop racing another suite's query crashed
 * FerretDB's SQLite handler here); their names are unique, so nothing is shared.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import { createCollectionOps } from '../../runtime/ops/collection-ops.js';
import { resolveCollectionSettings, type CollectionSettings, type FaultHook } from '../../runtime/ops/context.js';
import type { VersionedOps } from '../../runtime/ops/types.js';
import { createLocalObjectStore } from '../../runtime/storage/local/local-object-store.js';
import { testServers, uniqueName } from '../support/servers.js';

/** How a test asks for a handle. */
export interface HandleOptions {
  /** One of the logical databases the harness was opened with. */
  database: string;
  collection: string;
  settings?: Partial<CollectionSettings>;
  faults?: FaultHook;
}

/** Fresh databases and buckets, and engine handles on them. */
export interface EngineHarness {
  ops(options: HandleOptions): VersionedOps;
  /** The Mongo database behind a logical name (to check where things landed). */
  db(database: string): Db;
  close(): Promise<void>;
}

/** Opens the harness with the given logical databases; call `close()` in `afterAll`. */
export async function openHarness(prefix: string, databases: readonly string[]): Promise<EngineHarness> {
  const client = await new MongoClient(testServers().mongoUri).connect();
  const folder = await mkdtemp(join(tmpdir(), `${prefix}-`));
  const store = createLocalObjectStore({ basePath: folder });
  const names = new Map(databases.map((d) => [d, uniqueName(`${prefix}_${d.replace(/[^a-z0-9]/gi, '')}`)]));
  for (const name of names.values()) await store.ensureBucket(name.replace(/_/g, '-'));
  const nameOf = (database: string): string => {
    const name = names.get(database);
    if (!name) throw new Error(`harness opened without database "${database}"`);
    return name;
  };
  const db = (database: string): Db => client.db(nameOf(database));
  return {
    db,
    ops({ database, collection, settings, faults }) {
      return createCollectionOps({
        db: db(database),
        store,
        bucket: nameOf(database).replace(/_/g, '-'),
        collection,
        routeInfo: { dbName: nameOf(database), databaseType: database, tier: database },
        settings: resolveCollectionSettings(settings),
        observers: [],
        ...(faults ? { faults } : {}),
      });
    },
    async close() {
      await client.close();
      await store.close();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
