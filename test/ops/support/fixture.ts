/**
 * A fresh engine environment per suite: its own database on the test MongoDB-wire server and its
 * own bucket on the chosen storage backend, removed again in teardown. Suites run once per
 * backend with {@link BACKENDS}.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { MongoClient } from 'mongodb';
import type { Db, MongoClientOptions } from 'mongodb';
import type { ObjectStore } from '../../../runtime/storage/object-store.js';
import { createLocalObjectStore } from '../../../runtime/storage/local/local-object-store.js';
import { createS3ObjectStore } from '../../../runtime/storage/s3/s3-object-store.js';
import { listAllKeys } from '../../../runtime/storage/list-all-keys.js';
import type { CollectionSettings, EngineContext } from '../../../runtime/ops/context.js';
import { resolveCollectionSettings } from '../../../runtime/ops/context.js';
import { createCollectionOps } from '../../../runtime/ops/collection-ops.js';
import type { EngineCollectionOps } from '../../../runtime/ops/collection-ops.js';
import { testServers, uniqueName } from '../../support/servers.js';
import { uniqueBucketName } from '../../storage/bucket-names.js';

/** Storage backends every engine suite runs against. */
export type Backend = 'local' | 's3';
/** Both by default; `CHRONOS_ENGINE_BACKENDS=local` narrows a local run (CI always runs both). */
export const BACKENDS: Backend[] = (process.env.CHRONOS_ENGINE_BACKENDS?.split(',') as Backend[] | undefined) ?? ['local', 's3'];

/** One suite's database, bucket and store. */
export interface Fixture {
  backend: Backend;
  client: MongoClient;
  db: Db;
  store: ObjectStore;
  bucket: string;
  /** A context on this fixture's database and bucket; `overrides` replace fields, `settings` is merged over the defaults. */
  context(collection: string, overrides?: Partial<Omit<EngineContext, 'settings'>> & { settings?: Partial<CollectionSettings> }): EngineContext;
  ops(collection: string, overrides?: Parameters<Fixture['context']>[1]): EngineCollectionOps;
  /** Every key in the bucket. */
  keys(prefix?: string): Promise<string[]>;
  teardown(): Promise<void>;
}

function s3Connection() {
  const { s3 } = testServers();
  return { endpoint: s3.endpoint, region: s3.region, accessKey: s3.accessKey, secretKey: s3.secretKey };
}

/** Opens a fixture on `backend`; `clientOptions` go to the MongoClient (e.g. a larger pool). */
export async function openFixture(backend: Backend, clientOptions: MongoClientOptions = {}): Promise<Fixture> {
  const client = new MongoClient(testServers().mongoUri, clientOptions);
  await client.connect();
  const db = client.db(uniqueName('eng'));
  const bucket = uniqueBucketName('eng');
  let folder: string | undefined;
  let store: ObjectStore;
  if (backend === 'local') {
    folder = await mkdtemp(join(tmpdir(), 'chronos-engine-'));
    store = createLocalObjectStore({ basePath: folder });
  } else {
    store = createS3ObjectStore(s3Connection());
  }
  await store.ensureBucket(bucket);
  const fixture: Fixture = {
    backend,
    client,
    db,
    store,
    bucket,
    context(collection, overrides = {}) {
      const { settings, ...rest } = overrides;
      return {
        db,
        store,
        bucket,
        collection,
        routeInfo: { dbName: db.databaseName, tenantId: 't1', databaseType: 'runtime', tier: 'tenant' },
        settings: resolveCollectionSettings(settings),
        observers: [],
        ...rest,
      };
    },
    ops(collection, overrides) {
      return createCollectionOps(fixture.context(collection, overrides));
    },
    async keys(prefix) {
      const out: string[] = [];
      for await (const key of listAllKeys(store, bucket, prefix ? { prefix } : {})) out.push(key);
      return out;
    },
    async teardown() {
      if (backend === 's3') {
        const keys = await fixture.keys();
        await store.deleteMany(bucket, keys);
        const { endpoint, region, accessKey, secretKey } = s3Connection();
        const raw = new S3Client({ endpoint, region, forcePathStyle: true, credentials: { accessKeyId: accessKey, secretAccessKey: secretKey } });
        await raw.send(new DeleteBucketCommand({ Bucket: bucket }));
        raw.destroy();
      }
      await store.close();
      if (folder) await rm(folder, { recursive: true, force: true });
      await db.dropDatabase();
      await client.close();
    },
  };
  return fixture;
}
