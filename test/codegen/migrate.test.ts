/**
 * `chronos migrate` against the real server (FerretDB in CI): fresh database names per test.
 * Databases are not dropped afterwards (a drop racing another connection's query crashed
 * FerretDB's SQLite handler; the test servers start with empty data instead).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, type IndexStatus, type MigrateResult } from '../../cli/migrate/migrate.js';
import { LOCK_COLLECTION } from '../../cli/migrate/store/migrate-lock.js';
import type { DatabaseTarget } from '../../cli/migrate/targets.js';
import { counterIndexes } from '../../runtime/counters/counter-indexes.js';
import { getBucketTotals } from '../../runtime/counters/counter-totals.js';
import { fallbackIndexes } from '../../runtime/fallback/store/indexes.js';
import { identityIndexes } from '../../runtime/identities/indexes.js';
import { INDEX_REGISTRY, subsystemIndexes } from '../../runtime/mongo/index-registry.js';
import { collectionIndexes } from '../../runtime/index.js';
import { messagingIndexes } from '../../runtime/messaging/indexes.js';
import { auditEvents } from '../../schemas/audit-events.js';
import { customers } from '../../schemas/customers.js';
import { orders } from '../../schemas/orders.js';
import { products } from '../../schemas/products.js';
import { testServers, uniqueName } from '../support/servers.js';

const collections = [auditEvents, customers, orders, products];

interface LockDoc {
  _id: string;
  owner: string;
  acquiredAt: Date;
  expiresAt: Date;
}
const root = path.resolve(import.meta.dirname, '../..');
let mongoUri: string;
let client: MongoClient;

beforeAll(async () => {
  mongoUri = testServers().mongoUri;
  client = new MongoClient(mongoUri);
});

afterAll(async () => {
  await client.close();
});

function freshDb(prefix: string): string {
  return uniqueName(prefix);
}

function target(databaseType: DatabaseTarget['databaseType'], tier: DatabaseTarget['tier'], dbName: string, scope: { tenantId?: string; domain?: string } = {}): DatabaseTarget {
  return { databaseType, tier, ...scope, dbConnRef: 'main', mongoUri, dbName };
}

function statuses(result: MigrateResult, dbName: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const index of result.databases.find((d) => d.dbName === dbName)?.indexes ?? []) counts[index.status] = (counts[index.status] ?? 0) + 1;
  return counts;
}

function countOf(result: MigrateResult, status: IndexStatus): number {
  return result.databases.flatMap((d) => d.indexes).filter((i) => i.status === status).length;
}

async function liveIndexNames(dbName: string, collection: string): Promise<string[]> {
  return (await client.db(dbName).collection(collection).listIndexes().toArray()).map((i) => i.name as string).sort();
}

const ordersIndexCount = collectionIndexes(orders).indexes.length;

describe('migrate creates the declared indexes where each collection is placed', () => {
  it('plans without writing on a dry run', async () => {
    const db = freshDb('mig_dry');
    const result = await migrate({ targets: [target('runtime', 'tenant', db, { tenantId: 'acme' })], collections, dryRun: true });
    expect(result.ok).toBe(true);
    expect(statuses(result, db)).toEqual({ planned: ordersIndexCount });
    expect(await client.db(db).listCollections().toArray()).toEqual([]);
  });

  it('creates every index with its key order, then finds nothing to do on a second run', async () => {
    const runtimeDb = freshDb('mig_rt');
    const metadataDb = freshDb('mig_md');
    const targets = [target('runtime', 'tenant', runtimeDb, { tenantId: 'acme' }), target('metadata', 'tenant', metadataDb, { tenantId: 'acme' })];
    const first = await migrate({ targets, collections });
    expect(first.ok).toBe(true);
    expect(statuses(first, runtimeDb)).toEqual({ created: ordersIndexCount });
    expect(statuses(first, metadataDb)).toEqual({ created: collectionIndexes(customers).indexes.length });
    const ver = await client.db(runtimeDb).collection('orders_ver').listIndexes().toArray();
    expect(ver.find((i) => i.name === 'chronos_id_at')?.key).toEqual({ id: 1, at: -1 });
    expect(Object.keys(ver.find((i) => i.name === 'chronos_id_at')?.key ?? {})).toEqual(['id', 'at']);
    expect(ver.find((i) => i.name === 'chronos_id_ov')?.unique).toBe(true);
    // customers live in metadata only: nothing of theirs in the runtime database.
    expect((await client.db(runtimeDb).listCollections().toArray()).map((c) => c.name).sort()).toEqual(['chronos_migrate_locks', 'orders_head', 'orders_ver']);

    const second = await migrate({ targets, collections });
    expect(second.ok).toBe(true);
    expect(countOf(second, 'unchanged')).toBe(countOf(first, 'created'));
    expect(countOf(second, 'created') + countOf(second, 'dropped') + countOf(second, 'changed')).toBe(0);
  });

  it('migrates a tenant added to the config later and leaves the existing one as it is', async () => {
    const acme = freshDb('mig_acme');
    const globex = freshDb('mig_globex');
    await migrate({ targets: [target('runtime', 'tenant', acme, { tenantId: 'acme' })], collections });
    const later = await migrate({ targets: [target('runtime', 'tenant', acme, { tenantId: 'acme' }), target('runtime', 'tenant', globex, { tenantId: 'globex' })], collections });
    expect(later.ok).toBe(true);
    expect(statuses(later, acme)).toEqual({ unchanged: ordersIndexCount });
    expect(statuses(later, globex)).toEqual({ created: ordersIndexCount });
  });

  it('migrates a database shared by two routes once, with the indexes of both', async () => {
    const shared = freshDb('mig_shared');
    const result = await migrate({ targets: [target('metadata', 'tenant', shared, { tenantId: 'acme' }), target('logs', 'single', shared)], collections });
    expect(result.databases).toHaveLength(1);
    expect(result.databases[0]?.targets).toEqual(['metadata/tenant acme', 'logs/single']);
    expect(countOf(result, 'created')).toBe(collectionIndexes(customers).indexes.length + collectionIndexes(auditEvents).indexes.length);
  });
});

describe('migrate changes only what it manages', () => {
  it('reports a hand-made index without touching it, and drops it only with dropExtra', async () => {
    const db = freshDb('mig_foreign');
    const targets = [target('runtime', 'tenant', db, { tenantId: 'acme' })];
    await migrate({ targets, collections });
    await client.db(db).collection('orders_head').createIndex({ 'meta.orderId': 1, 'meta.status': 1 }, { name: 'ops_dashboard' });
    const kept = await migrate({ targets, collections });
    expect(kept.ok).toBe(true);
    expect(kept.databases[0]?.indexes.find((i) => i.name === 'ops_dashboard')).toMatchObject({ action: 'foreign', status: 'reported' });
    expect(await liveIndexNames(db, 'orders_head')).toContain('ops_dashboard');
    const dropped = await migrate({ targets, collections, dropExtra: true });
    expect(dropped.databases[0]?.indexes.find((i) => i.name === 'ops_dashboard')).toMatchObject({ action: 'drop', status: 'dropped' });
    expect(await liveIndexNames(db, 'orders_head')).not.toContain('ops_dashboard');
  });

  it('never looks at collections that have no declared indexes, even with dropExtra', async () => {
    const db = freshDb('mig_other');
    await client.db(db).collection('app_things').createIndex({ sku: 1 }, { name: 'chronos_looks_managed' });
    const result = await migrate({ targets: [target('runtime', 'tenant', db, { tenantId: 'acme' })], collections, dropExtra: true });
    expect(result.ok).toBe(true);
    expect(result.databases[0]?.indexes.some((i) => i.collection === 'app_things')).toBe(false);
    expect(await liveIndexNames(db, 'app_things')).toEqual(['_id_', 'chronos_looks_managed']);
  });

  it('drops a managed index that is no longer declared and rebuilds one whose options changed', async () => {
    const db = freshDb('mig_change');
    const targets = [target('runtime', 'tenant', db, { tenantId: 'acme' })];
    await migrate({ targets, collections });
    const head = client.db(db).collection('orders_head');
    await head.createIndex({ 'meta.coupon': 1, _id: 1 }, { name: 'chronos_meta_coupon' });
    await head.dropIndex('chronos_meta_status');
    await head.createIndex({ 'meta.status': 1, _id: 1 }, { name: 'chronos_meta_status', unique: true });
    const result = await migrate({ targets, collections });
    expect(result.ok).toBe(true);
    expect(statuses(result, db)).toEqual({ unchanged: ordersIndexCount - 1, changed: 1, dropped: 1 });
    const status = (await head.listIndexes().toArray()).find((i) => i.name === 'chronos_meta_status');
    expect(status?.unique).toBeUndefined();
    expect(await liveIndexNames(db, 'orders_head')).not.toContain('chronos_meta_coupon');
  });

  it('reports an index it could not build, goes on with the rest, and is not ok', async () => {
    const db = freshDb('mig_fail');
    // Two rows with one (id, ov): the unique version index cannot be built over them.
    await client.db(db).collection('orders_ver').insertMany([{ id: 'a', ov: 0 }, { id: 'a', ov: 0 }]);
    const result = await migrate({ targets: [target('runtime', 'tenant', db, { tenantId: 'acme' })], collections });
    expect(result.ok).toBe(false);
    const failed = result.databases[0]?.indexes.filter((i) => i.status === 'failed') ?? [];
    expect(failed.map((i) => i.name)).toEqual(['chronos_id_ov']);
    expect(failed[0]?.error).toBeTruthy();
    expect(statuses(result, db)).toEqual({ failed: 1, created: ordersIndexCount - 1 });
  });
});

describe('two deploys cannot race', () => {
  it('skips a database whose lock another run holds, and writes nothing there', async () => {
    const db = freshDb('mig_busy');
    const now = Date.now();
    await client.db(db).collection<LockDoc>(LOCK_COLLECTION).insertOne({ _id: 'migrate', owner: 'deploy-41', acquiredAt: new Date(now), expiresAt: new Date(now + 60_000) });
    const result = await migrate({ targets: [target('runtime', 'tenant', db, { tenantId: 'acme' })], collections });
    expect(result.ok).toBe(false);
    expect(result.databases[0]).toMatchObject({ lock: 'busy', indexes: [] });
    expect(result.databases[0]?.error).toContain('deploy-41');
    expect((await client.db(db).listCollections().toArray()).map((c) => c.name)).toEqual([LOCK_COLLECTION]);
  });

  it('takes over a lock whose holder crashed once it has expired', async () => {
    const db = freshDb('mig_stale');
    await client.db(db).collection<LockDoc>(LOCK_COLLECTION).insertOne({ _id: 'migrate', owner: 'crashed', acquiredAt: new Date(0), expiresAt: new Date(1000) });
    const result = await migrate({ targets: [target('runtime', 'tenant', db, { tenantId: 'acme' })], collections });
    expect(result.ok).toBe(true);
    expect(statuses(result, db)).toEqual({ created: ordersIndexCount });
    expect(await client.db(db).collection(LOCK_COLLECTION).countDocuments()).toBe(0);
  });

  it('builds each index once when two runs start together', async () => {
    const db = freshDb('mig_race');
    const targets = [target('runtime', 'tenant', db, { tenantId: 'acme' })];
    const [a, b] = await Promise.all([migrate({ targets, collections, owner: 'a' }), migrate({ targets, collections, owner: 'b' })]);
    expect(countOf(a, 'failed') + countOf(b, 'failed')).toBe(0);
    expect(countOf(a, 'created') + countOf(b, 'created')).toBe(ordersIndexCount);
  });
});

describe('chronos migrate on the command line', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(path.join(root, '.tmp-migrate-'));
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('reads the config file, migrates every routed database with its subsystem indexes, and prints JSON', async () => {
    const tenantDb = freshDb('mig_cli');
    const analyticsDb = freshDb('mig_cli_an');
    const messagingDb = freshDb('mig_cli_msg');
    const config = path.join(scratch, 'chronos.config.ts');
    await writeFile(
      config,
      `export const schemas = '../schemas';\nexport default ${JSON.stringify({
        dbConnections: { main: { mongoUri } },
        localStorage: { enabled: true, basePath: path.join(scratch, 'blobs') },
        databases: {
          runtime: { tenantDatabases: [{ tenantId: 'acme', dbConnRef: 'main', dbName: tenantDb, analyticsDbName: analyticsDb }] },
          messaging: { dbConnRef: 'main', dbName: messagingDb },
        },
      })};\n`,
    );
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(root, 'cli/cli.ts'), 'migrate', '--config', config, '--json'], { cwd: root });
    const result = JSON.parse(stdout) as MigrateResult;
    expect(result.ok).toBe(true);
    expect(result.databases.map((d) => [d.dbName, d.targets])).toEqual([
      [tenantDb, ['runtime/tenant acme']],
      [analyticsDb, ['analytics/tenant acme']],
      [messagingDb, ['messaging/single']],
    ]);
    expect(statuses(result, tenantDb)).toEqual({ created: ordersIndexCount });
    expect(statuses(result, analyticsDb)).toEqual({ created: counterIndexes().length });
    expect(statuses(result, messagingDb)).toEqual({ created: messagingIndexes().length });
    expect(stdout).not.toContain(mongoUri);
  });
});

async function indexNames(dbName: string, collection: string): Promise<string[]> {
  return (await client.db(dbName).collection(collection).listIndexes().toArray()).map((i) => String(i.name)).filter((n) => n !== '_id_').sort();
}

function namesOn(specs: ReadonlyArray<{ collection: string; name: string }>, collection: string): string[] {
  return specs.filter((s) => s.collection === collection).map((s) => s.name).sort();
}

describe('the index registry lists every subsystem for migrate', () => {
  it('gives a versioned database the fallback queue indexes only when the queue is on', () => {
    expect(subsystemIndexes('runtime', {})).toEqual([]);
    expect(subsystemIndexes('runtime', { fallbackDeadLetterCollection: 'dead' })).toEqual(fallbackIndexes('dead'));
    expect(subsystemIndexes('messaging', { fallbackDeadLetterCollection: 'dead' })).toEqual(INDEX_REGISTRY.messaging());
    expect(subsystemIndexes('analytics')).toEqual(counterIndexes());
  });
});

describe('migrate builds the subsystem indexes', () => {
  it('creates the fallback queue indexes in a versioned database when the queue is enabled', async () => {
    const db = uniqueName('mig_fb');
    const result = await migrate({ targets: [target('runtime', 'tenant', db, { tenantId: 'acme' })], collections: [], subsystems: { fallbackDeadLetterCollection: 'chronos_fallback_dead' } });
    expect(result.ok).toBe(true);
    const specs = fallbackIndexes('chronos_fallback_dead');
    expect(result.databases[0]?.indexes.map((i) => `${i.collection}.${i.name}:${i.status}`).sort()).toEqual(specs.map((s) => `${s.collection}.${s.name}:created`).sort());
    for (const collection of new Set(specs.map((s) => s.collection))) expect(await indexNames(db, collection)).toEqual(namesOn(specs, collection));
  });

  it('creates the indexes of every identities collection it finds, with the configured indexed props', async () => {
    const db = uniqueName('mig_id');
    await client.db(db).collection('users').insertOne({ _id: 'u1' as never, tenantId: 't', id: 'a', ov: 0, data: {} });
    await client.db(db).collection('users_claims').insertOne({ _id: 'c1' as never, tenantId: 't', headId: 'u1', ov: 1, at: new Date() });
    const result = await migrate({
      targets: [target('identities', 'single', db)],
      collections: [],
      subsystems: { identityIndexedProps: (collection) => (collection === 'users' ? ['email'] : []) },
    });
    expect(result.ok).toBe(true);
    const specs = identityIndexes('users', ['email']);
    expect(result.databases[0]?.indexes.filter((i) => i.status === 'created').length).toBe(specs.length);
    expect(await indexNames(db, 'users')).toEqual(namesOn(specs, 'users'));
    expect(await indexNames(db, 'users_claims')).toEqual(namesOn(specs, 'users_claims'));
  });
});

describe('counters build their indexes at first use', () => {
  it('creates the counter indexes before the first bucket read of a fresh analytics database', async () => {
    const db = uniqueName('first_cnt');
    expect(await getBucketTotals(client.db(db), { dbName: 'rt', collection: 'orders', granularity: 'day' })).toEqual([]);
    for (const collection of new Set(counterIndexes().map((s) => s.collection))) {
      expect(await indexNames(db, collection)).toEqual(namesOn(counterIndexes(), collection));
    }
  });
});
