/**
 * One fallback suite's world: a fresh database on the test server, a local-folder store behind a
 * {@link FailingStore}, an engine context on it, a pinned clock, and queues built on demand.
 * Nothing is dropped at the end (a drop racing a query crashed FerretDB's SQLite handler; README
 * "Testing and the test servers"); names are fresh.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import type { Db } from 'mongodb';
import { createLocalObjectStore } from '../../../runtime/storage/local/local-object-store.js';
import type { EngineContext } from '../../../runtime/ops/context.js';
import { resolveCollectionSettings } from '../../../runtime/ops/context.js';
import { createCollectionOps } from '../../../runtime/ops/collection-ops.js';
import type { EngineCollectionOps } from '../../../runtime/ops/collection-ops.js';
import { createFallbackQueue } from '../../../runtime/fallback/fallback-queue.js';
import type { FallbackQueue, FallbackQueueConfig } from '../../../runtime/fallback/fallback-queue.js';
import type { FallbackOptions, FallbackRoute } from '../../../runtime/fallback/types.js';
import { testServers, uniqueName } from '../../support/servers.js';
import { failingStore } from './failing-store.js';
import type { FailingStore } from './failing-store.js';

/** The fallback defaults of the chronos-db API, as the config schema fills them. */
export const DEFAULT_FALLBACK: FallbackOptions = {
  enabled: true,
  maxRetries: 3,
  retryDelayMs: 1000,
  maxDelayMs: 60_000,
  deadLetterCollection: 'chronos_fallback_dead',
};

/** A test clock: starts at the real time and moves only when told. */
export interface TestClock {
  now: () => Date;
  advance(ms: number): void;
}

/** What a fallback suite works with (one per suite). */
export interface FallbackFixture {
  client: MongoClient;
  db: Db;
  store: FailingStore;
  clock: TestClock;
  route: FallbackRoute;
  context: EngineContext;
  ops: EngineCollectionOps;
  /** A queue on this fixture's database replaying into its context; `overrides` replace config fields. */
  queue(overrides?: Partial<FallbackQueueConfig>): FallbackQueue;
  /** A second client (own pool of one connection, as a second process would have). */
  secondClient(): Promise<MongoClient>;
  teardown(): Promise<void>;
}

/** Opens a fixture: fresh database, fresh local folder, collection `orders` with `status` indexed. */
export async function openFallbackFixture(): Promise<FallbackFixture> {
  const client = new MongoClient(testServers().mongoUri);
  await client.connect();
  const dbName = uniqueName('fb');
  const db = client.db(dbName);
  const folder = await mkdtemp(join(tmpdir(), 'chronos-fallback-'));
  const store = failingStore(createLocalObjectStore({ basePath: folder }));
  const bucket = 'fallback';
  await store.ensureBucket(bucket);
  let t = Date.now();
  const clock: TestClock = { now: () => new Date(t), advance: (ms) => (t += ms) };
  const route: FallbackRoute = { collection: 'orders', databaseType: 'runtime', tier: 'tenant', tenantId: 't1' };
  const context: EngineContext = {
    db,
    store,
    bucket,
    collection: route.collection,
    routeInfo: { dbName: db.databaseName, tenantId: 't1', databaseType: 'runtime', tier: 'tenant' },
    settings: resolveCollectionSettings({ indexedProps: ['status'] }),
    observers: [],
    clock: clock.now,
    // These tests are about the queue: a failing step fails at once instead of being retried in place.
    retry: { budgetMs: 0, baseDelayMs: 1, maxDelayMs: 1 },
  };
  const extra: MongoClient[] = [];
  return {
    client,
    db,
    store,
    clock,
    route,
    context,
    ops: createCollectionOps(context),
    queue(overrides = {}) {
      return createFallbackQueue({ db, options: DEFAULT_FALLBACK, resolve: () => context, clock: clock.now, random: () => 0.5, ...overrides });
    },
    async secondClient() {
      const other = new MongoClient(testServers().mongoUri);
      await other.connect();
      extra.push(other);
      return other;
    },
    async teardown() {
      for (const other of extra) await other.close();
      await client.close();
      await store.close();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
