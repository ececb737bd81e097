/**
 * `chronos migrate` plans and builds every subsystem's indexes from the index registry (the
 * fallback queue in versioned databases, identities collections), and the subsystems that are
 * used before any migrate build the same indexes themselves (counters here).
 */
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../codegen/migrate/migrate.js';
import type { DatabaseTarget } from '../../codegen/migrate/targets.js';
import { counterIndexes } from '../../runtime/analytics/counter-indexes.js';
import { getBucketTotals } from '../../runtime/analytics/counter-totals.js';
import { fallbackIndexes } from '../../runtime/fallback/store/indexes.js';
import { identityIndexes } from '../../runtime/identities/indexes.js';
import { INDEX_REGISTRY, subsystemIndexes } from '../../runtime/mongo/index-registry.js';
import { testServers, uniqueName } from '../support/servers.js';

let mongoUri: string;
let client: MongoClient;

beforeAll(async () => {
  mongoUri = testServers().mongoUri;
  client = new MongoClient(mongoUri);
});

afterAll(async () => {
  await client.close();
});

function target(databaseType: DatabaseTarget['databaseType'], tier: DatabaseTarget['tier'], dbName: string, scope: { tenantId?: string } = {}): DatabaseTarget {
  return { databaseType, tier, ...scope, dbConnRef: 'main', mongoUri, dbName };
}

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
