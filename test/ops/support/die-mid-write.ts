/**
 * A writer process for the crash-liveness test: creates a record (acknowledged: its id goes to
 * stdout), then starts an update of it that stops right after `STEP` and waits there until the
 * parent kills it with SIGKILL. Arguments: MongoDB URI, database name, storage folder, bucket,
 * collection, step.
 */
import { MongoClient } from 'mongodb';
import { createCollectionOps } from '../../../runtime/ops/collection-ops.js';
import { resolveCollectionSettings } from '../../../runtime/ops/context.js';
import type { WriteStep } from '../../../runtime/ops/context.js';
import { createLocalObjectStore } from '../../../runtime/storage/local/local-object-store.js';

const [uri, dbName, folder, bucket, collection, step] = process.argv.slice(2) as [string, string, string, string, string, WriteStep];
const client = new MongoClient(uri);
await client.connect();
const db = client.db(dbName);
const store = createLocalObjectStore({ basePath: folder });
await store.ensureBucket(bucket);
const context = {
  db,
  store,
  bucket,
  collection,
  routeInfo: { dbName, databaseType: 'runtime', tier: 'tenant' },
  settings: resolveCollectionSettings(),
  observers: [],
};
const ops = createCollectionOps(context);
const { id } = await ops.create({ n: 0, acknowledged: true });
process.stdout.write(`created ${id}\n`);
const dying = createCollectionOps({
  ...context,
  faults: async (s) => {
    if (s !== step) return;
    process.stdout.write(`paused after ${s}\n`);
    await new Promise(() => undefined); // until SIGKILL
  },
});
await dying.update(id, { n: 1 });
