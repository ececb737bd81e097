/**
 * Everything one bench run creates, and its removal: a database for the engine and one for the
 * floor, and per backend a bucket (or temp folder) for each. Names are unique per run, so a bench
 * never touches data it did not create, and several runs can share the servers.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, DeleteBucketCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { MongoClient } from 'mongodb';
import type { Db, MongoClientOptions } from 'mongodb';
import type { ObjectStore } from '../runtime/storage/object-store.js';
import { createObjectStore } from '../runtime/storage/create-object-store.js';
import { listAllKeys } from '../runtime/storage/list-all-keys.js';
import type { CollectionSettings, EngineContext } from '../runtime/ops/context.js';
import { resolveCollectionSettings } from '../runtime/ops/context.js';
import { createCollectionOps } from '../runtime/ops/collection-ops.js';
import type { EngineCollectionOps } from '../runtime/ops/collection-ops.js';
import type { BenchBackend, BenchServers } from './bench-config.js';
import type { RawBlobs } from './raw-blobs.js';
import { rawLocalBlobs, rawS3Blobs, rawS3Client } from './raw-blobs.js';

const STAMP = `${Date.now().toString(36)}${process.pid.toString(36)}`;
let seq = 0;

/** A run-unique name, valid as a Mongo database name and (after `_` → `-`) as a bucket name. */
function benchName(prefix: string): string {
  seq += 1;
  return `${prefix}_${STAMP}_${seq}`;
}

/**
 * `uri` without its `maxPoolSize` option, so a client built from it gets the driver's default
 * pool (100 connections). Every other option is kept.
 */
export function withDefaultPool(uri: string): string {
  const q = uri.indexOf('?');
  if (q < 0) return uri;
  const params = uri.slice(q + 1).split('&').filter((p) => p !== '' && !/^maxPoolSize=/i.test(p));
  return params.length > 0 ? `${uri.slice(0, q)}?${params.join('&')}` : uri.slice(0, q);
}

/** Where the engine (or the floor) keeps payloads on one backend. */
export interface BenchStorage {
  backend: BenchBackend;
  bucket: string;
  /** The engine's store for this backend. */
  store: ObjectStore;
  /** The floor's bare put/get on a bucket (or folder) of its own. */
  floorBlobs: RawBlobs;
}

/** Connections and created resources of a run; {@link BenchFixture.cleanup} removes them all. */
export class BenchFixture {
  readonly client: MongoClient;
  readonly s3: S3Client;
  private readonly dbs: Db[] = [];
  private readonly buckets: { store: ObjectStore; bucket: string }[] = [];
  private readonly folders: string[] = [];
  private readonly stores: ObjectStore[] = [];
  private pooled: MongoClient | undefined;

  private constructor(readonly servers: BenchServers, client: MongoClient) {
    this.client = client;
    this.s3 = rawS3Client(servers.s3);
  }

  /** Connects to MongoDB (the URI as given: on FerretDB it carries maxPoolSize=1). */
  static async open(servers: BenchServers, clientOptions: MongoClientOptions = {}): Promise<BenchFixture> {
    const client = new MongoClient(servers.mongoUri, clientOptions);
    await client.connect();
    return new BenchFixture(servers, client);
  }

  /** A fresh database, dropped at cleanup. */
  database(prefix: string): Db {
    const db = this.client.db(benchName(prefix));
    this.dbs.push(db);
    return db;
  }

  /**
   * A fresh database reached through a second client on the same server with the driver's default
   * pool ({@link withDefaultPool}), dropped at cleanup. On FerretDB, updates are not atomic across
   * connections (docs/design.md, "Test servers and what FerretDB does"): keeping concurrent writers
   * correct there is the engine's job, and this is how the bench finds out whether it does.
   */
  async pooledDatabase(prefix: string): Promise<Db> {
    if (!this.pooled) {
      this.pooled = new MongoClient(withDefaultPool(this.servers.mongoUri));
      await this.pooled.connect();
    }
    const db = this.pooled.db(benchName(prefix));
    this.dbs.push(db);
    return db;
  }

  /** A fresh bucket (S3) or temp folder (local) for the engine, and one for the floor. */
  async storage(backend: BenchBackend): Promise<BenchStorage> {
    const bucket = benchName('chronos-bench').replace(/_/g, '-');
    const floorBucket = benchName('chronos-floor').replace(/_/g, '-');
    if (backend === 'local') {
      const folder = await mkdtemp(join(tmpdir(), 'chronos-bench-'));
      this.folders.push(folder);
      const store = createObjectStore({ kind: 'local', basePath: join(folder, 'engine') });
      this.stores.push(store);
      await store.ensureBucket(bucket);
      return { backend, bucket, store, floorBlobs: rawLocalBlobs(join(folder, 'floor')) };
    }
    const { endpoint, region, accessKey, secretKey } = this.servers.s3;
    const store = createObjectStore({ kind: 's3', endpoint, region, accessKey, secretKey, forcePathStyle: true });
    this.stores.push(store);
    await store.ensureBucket(bucket);
    this.buckets.push({ store, bucket });
    await this.s3.send(new CreateBucketCommand({ Bucket: floorBucket }));
    this.buckets.push({ store, bucket: floorBucket });
    return { backend, bucket, store, floorBlobs: rawS3Blobs(this.s3, floorBucket) };
  }

  /** The engine context of a collection on `db` and `storage`, as `chronos.with()` would build it (`extra` replaces fields). */
  context(db: Db, storage: BenchStorage, collection: string, settings: Partial<CollectionSettings>, extra: Partial<EngineContext> = {}): EngineContext {
    return {
      db,
      store: storage.store,
      bucket: storage.bucket,
      collection,
      routeInfo: { dbName: db.databaseName, tenantId: 'bench', databaseType: 'runtime', tier: 'tenant' },
      settings: resolveCollectionSettings(settings),
      observers: [],
      ...extra,
    };
  }

  /** Engine operations on `db` and `storage`, as `chronos.with()` would bind them. */
  ops(db: Db, storage: BenchStorage, collection: string, settings: Partial<CollectionSettings>): EngineCollectionOps {
    return createCollectionOps(this.context(db, storage, collection, settings));
  }

  /** Drops the databases, empties and deletes the buckets, removes the folders; reports what failed instead of stopping. */
  async cleanup(): Promise<string[]> {
    const problems: string[] = [];
    const attempt = async (what: string, fn: () => Promise<unknown>) => {
      try {
        await fn();
      } catch (e) {
        problems.push(`${what}: ${e instanceof Error ? e.message : String(e)}`);
      }
    };
    for (const db of this.dbs) await attempt(`dropping database ${db.databaseName}`, () => db.dropDatabase());
    for (const { store, bucket } of this.buckets) {
      await attempt(`emptying bucket ${bucket}`, async () => {
        const keys: string[] = [];
        for await (const key of listAllKeys(store, bucket)) keys.push(key);
        await store.deleteMany(bucket, keys);
        await this.s3.send(new DeleteBucketCommand({ Bucket: bucket }));
      });
    }
    for (const folder of this.folders) await attempt(`removing ${folder}`, () => rm(folder, { recursive: true, force: true }));
    for (const store of this.stores) await attempt('closing a store', () => store.close());
    this.s3.destroy();
    await attempt('closing the Mongo client', () => this.client.close());
    const pooled = this.pooled;
    if (pooled) await attempt('closing the default-pool Mongo client', () => pooled.close());
    return problems;
  }
}
