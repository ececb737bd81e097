/**
 * The instance as users meet it: `initChronos(config)` over the real servers, contexts routed
 * to their databases, connections shared, counters and admin reachable.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { initChronos, type Chronos } from '../../runtime/chronos.js';
import { ConfigError, RouteError, ValidationError } from '../../runtime/errors.js';
import { testServers } from '../support/servers.js';
import { testConfig, type TestStorage } from '../support/chronos-config.js';

const opened: Chronos[] = [];

function open(storage: TestStorage, overrides = {}): Chronos {
  const chronos = initChronos(testConfig(storage, overrides));
  opened.push(chronos);
  return chronos;
}

afterAll(async () => {
  for (const chronos of opened) await chronos.admin.shutdown();
});

describe.each(['local', 's3'] as const)('initChronos over %s storage', (storage) => {
  it('creates, updates and reads a record through chronos.with()', async () => {
    const chronos = open(storage);
    const users = chronos.with({ databaseType: 'runtime', tier: 'tenant', tenantId: 'acme', collection: 'users' });
    const created = await users.create({ email: 'a@acme.test', name: 'Ada' }, 'test', 'signup');
    expect(created).toMatchObject({ id: expect.stringMatching(/^[0-9a-f]{24}$/), ov: 0 });
    const updated = await users.update(created.id, { email: 'a@acme.test', name: 'Ada L.' }, 0, 'test', 'rename');
    expect(updated.ov).toBe(1);
    const latest = await users.getLatest(created.id);
    expect(latest).toMatchObject({ _id: created.id, email: 'a@acme.test', name: 'Ada L.', _system: { ov: 1, deleted: false } });
    const page = await users.listByMeta({ filter: { email: 'a@acme.test' } });
    expect(page.items.map((r) => r._id)).toEqual([created.id]);
  });

  it('keeps tenants apart: an id of one tenant is not found in another', async () => {
    const chronos = open(storage);
    const acme = chronos.with({ databaseType: 'runtime', tenantId: 'acme', collection: 'users' });
    const globex = chronos.with({ databaseType: 'runtime', tenantId: 'globex', collection: 'users' });
    const { id } = await acme.create({ email: 'x@acme.test' });
    expect(await globex.getLatest(id)).toBeNull();
    expect((await globex.listByMeta({ filter: { email: 'x@acme.test' } })).items).toEqual([]);
    await expect(globex.update(id, { email: 'stolen' }, 0)).rejects.toBeInstanceOf(Error);
    expect((await acme.getLatest(id))?.email).toBe('x@acme.test');
  });

  it('counts writes into the tenant analytics database', async () => {
    const chronos = open(storage, {
      counterRules: { rules: [{ name: 'paid', on: ['CREATE', 'UPDATE'], scope: 'meta', when: { status: 'paid' }, countUnique: ['customerId'] }] },
    });
    const orders = chronos.with({ databaseType: 'runtime', tenantId: 'acme', collection: 'orders' });
    const a = await orders.create({ orderId: 'o1', status: 'new', customerId: 'c1' });
    await orders.update(a.id, { orderId: 'o1', status: 'paid', customerId: 'c1' }, 0);
    await orders.create({ orderId: 'o2', status: 'paid', customerId: 'c1' });
    await orders.create({ orderId: 'o3', status: 'paid', customerId: 'c2' });
    await chronos.admin.flush();
    const dbName = chronos.config.databases.runtime!.tenantDatabases[0]!.dbName;
    const totals = await chronos.counters.getTotals({ dbName, collection: 'orders' });
    expect(totals).toMatchObject({
      _id: `tenant:acme|db:${dbName}|coll:orders`,
      created: 3,
      updated: 1,
      deleted: 0,
      rules: { paid: { created: 2, updated: 1, unique: { customerId: 2 } } },
    });
  });
});

describe('initChronos: configuration and routing errors', () => {
  it('throws a ConfigError before opening anything', () => {
    const config = testConfig('local');
    config.databases.runtime!.tenantDatabases![0]!.dbConnRef = 'nope';
    expect(() => initChronos(config)).toThrow(ConfigError);
  });

  it('refuses an unknown tenant with the configured ones listed', () => {
    const chronos = open('local');
    expect(() => chronos.with({ databaseType: 'runtime', tenantId: 'initech', collection: 'users' })).toThrow(
      new RouteError('unknown tenant "initech" for runtime (configured: acme, globex)'),
    );
  });

  it('refuses a dbName that is not the routed database', () => {
    const chronos = open('local');
    expect(() => chronos.with({ databaseType: 'runtime', tenantId: 'acme', collection: 'users', dbName: 'someone_else' })).toThrow(RouteError);
  });

  it('refuses a malformed collection name', () => {
    const chronos = open('local');
    expect(() => chronos.with({ databaseType: 'runtime', tenantId: 'acme', collection: '$cmd' })).toThrow(ValidationError);
  });
});

describe('connections', () => {
  it('opens one Mongo client per distinct URI: 3 tenants on 2 URIs open 2 clients', async () => {
    const { mongoUri } = testServers();
    const second = mongoUri.replace('127.0.0.1', 'localhost');
    const config = testConfig('local');
    config.dbConnections = { shared: { mongoUri }, premium: { mongoUri: second } };
    const [acme, globex] = config.databases.runtime!.tenantDatabases!;
    config.databases = {
      runtime: {
        tenantDatabases: [
          { ...acme!, dbConnRef: 'shared' },
          { ...globex!, dbConnRef: 'shared' },
          { ...acme!, tenantId: 'initech', dbConnRef: 'premium', dbName: `${acme!.dbName}_initech`, analyticsDbName: `${acme!.analyticsDbName}_initech` },
        ],
      },
    };
    const chronos = initChronos(config);
    opened.push(chronos);
    await Promise.all(
      ['acme', 'globex', 'initech'].map((tenantId) => chronos.with({ databaseType: 'runtime', tenantId, collection: 'users' }).create({ email: `${tenantId}@x.test` })),
    );
    const health = await chronos.admin.health();
    expect(health.mongo.map((m) => m.name).sort()).toEqual(['premium', 'shared']);
    expect(health.ok).toBe(true);
    expect(chronos.admin.connectionStats()).toEqual({ mongoClients: 2, objectStores: 1 });
  });

  it('reports an unreachable backend in health() without throwing', async () => {
    const config = testConfig('local');
    config.dbConnections = { mongo: { mongoUri: 'mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=300' } };
    const chronos = initChronos(config);
    const health = await chronos.admin.health();
    expect(health.ok).toBe(false);
    expect(health.mongo[0]).toMatchObject({ name: 'mongo', ok: false });
    await chronos.admin.shutdown();
  });

  it('refuses work after shutdown', async () => {
    const chronos = initChronos(testConfig('local'));
    await chronos.admin.shutdown();
    expect(() => chronos.with({ databaseType: 'runtime', tenantId: 'acme', collection: 'fresh' })).toThrow(/shut down/);
  });
});
