/**
 * `writeOptimization` from the config reaches the engine: `compressionEnabled` and `devShadow`
 * (the settings mapping, and one write through `initChronos` that lands compressed with a
 * shadow), `createManyBatchSize` (the batches a collection handle's `createMany` sends) and
 * `counterBatchSize` (a counter batch sent before the debounce is up), each also through the
 * deprecated `batchSize`.
 */
import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { initChronos, type Chronos } from '../../runtime/chronos.js';
import { ValidationError } from '../../runtime/errors.js';
import type { ChronosConfig } from '../../runtime/config/schema.js';
import { parseConfig } from '../../runtime/config/parse-config.js';
import { ConnectionPool } from '../../runtime/connections/connection-pool.js';
import { createCollectionHandle } from '../../runtime/instance/collection-handle.js';
import { collectionSettingsFor } from '../../runtime/instance/collection-settings.js';
import { objectStoreFor, withBucketCreation } from '../../runtime/instance/object-store-for.js';
import { resolveRoute } from '../../runtime/router/resolve-route.js';
import { DEFAULT_COMPRESSION_MIN_BYTES } from '../../runtime/ops/store/payload-codec.js';
import { DEFAULT_SHADOW_MAX_BYTES } from '../../runtime/ops/dev-shadow.js';
import { testServers } from '../support/servers.js';
import { testConfig } from '../support/chronos-config.js';

const opened: Chronos[] = [];
afterAll(async () => {
  for (const chronos of opened) await chronos.admin.shutdown();
});

describe('collectionSettingsFor', () => {
  it('leaves compression and the dev shadow off when the config does not name them', () => {
    const settings = collectionSettingsFor(parseConfig(testConfig('local')), 'orders');
    expect(settings.compression).toEqual({ enabled: false, minBytes: DEFAULT_COMPRESSION_MIN_BYTES });
    expect(settings.devShadow).toBeNull();
  });

  it('maps compressionEnabled and devShadow (hours to ms, default byte bound) onto every collection', () => {
    const config = parseConfig(testConfig('local', { writeOptimization: { compressionEnabled: true }, devShadow: { enabled: true, ttlHours: 2 } }));
    for (const coll of ['orders', 'unmapped']) {
      const settings = collectionSettingsFor(config, coll);
      expect(settings.compression).toEqual({ enabled: true, minBytes: DEFAULT_COMPRESSION_MIN_BYTES });
      expect(settings.devShadow).toEqual({ ttlMs: 2 * 3_600_000, maxBytesPerDoc: DEFAULT_SHADOW_MAX_BYTES });
    }
  });

  it('keeps the shadow off when devShadow.enabled is false and honours maxBytesPerDoc', () => {
    const off = parseConfig(testConfig('local', { devShadow: { enabled: false, ttlHours: 1 } }));
    expect(collectionSettingsFor(off, 'orders').devShadow).toBeNull();
    const bounded = parseConfig(testConfig('local', { devShadow: { enabled: true, ttlHours: 0.5, maxBytesPerDoc: 4096 } }));
    expect(collectionSettingsFor(bounded, 'orders').devShadow).toEqual({ ttlMs: 1_800_000, maxBytesPerDoc: 4096 });
  });
});

describe('a write through initChronos with both switched on', () => {
  it('keeps a shadow in the head and reads the record back whole', async () => {
    const config = testConfig('local', { writeOptimization: { compressionEnabled: true }, devShadow: { enabled: true, ttlHours: 1 } });
    const chronos = initChronos(config);
    opened.push(chronos);
    const orders = chronos.with({ databaseType: 'runtime', tenantId: 'acme', collection: 'orders' });
    const note = 'deliver to the back door '.repeat(100);
    const { id } = await orders.create({ orderId: 'o-1', status: 'new', note });
    expect(await orders.getLatest(id)).toMatchObject({ orderId: 'o-1', note, _system: { ov: 0 } });
    const client = new MongoClient(testServers().mongoUri);
    try {
      const dbName = config.databases.runtime?.tenantDatabases?.[0]?.dbName ?? '';
      const head = await client.db(dbName).collection('orders_head').findOne({ _id: id as never });
      expect(head?.shadow).toMatchObject({ ov: 0 });
      expect(JSON.parse((head?.shadow as { json: string }).json)).toMatchObject({ _id: id, note });
    } finally {
      await client.close();
    }
  });
});

const orders = { databaseType: 'runtime' as const, tenantId: 'acme', collection: 'orders' };

/** MongoDB `insert` commands one `createMany` of `count` records sends through a collection handle built from `writeOptimization`. */
async function createManyInserts(writeOptimization: ChronosConfig['writeOptimization'], count: number, options?: { batchSize?: number }): Promise<number> {
  const config = parseConfig(testConfig('local', { writeOptimization }));
  const pool = new ConnectionPool(config, (cfg, connRef) => withBucketCreation(objectStoreFor(cfg, connRef)));
  const route = resolveRoute(config, orders);
  const client = new MongoClient(route.mongo.uri, { monitorCommands: true });
  try {
    const handle = createCollectionHandle({
      config,
      pool,
      route,
      context: orders,
      db: client.db(route.mongo.dbName),
      observers: [],
      withContext: () => {
        throw new Error('no entities in this test');
      },
    });
    await handle.create({ orderId: 'warm', status: 'new' }); // indexes and the first cv block, outside the count
    let inserts = 0;
    client.on('commandStarted', (e) => {
      if (e.commandName === 'insert') inserts += 1;
    });
    expect(await handle.createMany(Array.from({ length: count }, (_, n) => ({ orderId: `o${n}`, status: 'new' })), undefined, undefined, options)).toHaveLength(count);
    return inserts;
  } finally {
    await client.close();
    await pool.close();
  }
}

describe('createManyBatchSize through a collection handle', () => {
  // Two inserts per batch: the claims, then the heads.
  it('sends createMany in batches of createManyBatchSize records', async () => {
    expect(await createManyInserts({ createManyBatchSize: 3 }, 6)).toBe(4);
  });

  it('takes the size from the deprecated batchSize when createManyBatchSize is absent', async () => {
    expect(await createManyInserts({ batchSize: 2 }, 6)).toBe(6);
  });

  it('lets the batchSize of a call win over the configured size', async () => {
    expect(await createManyInserts({ createManyBatchSize: 6 }, 6, { batchSize: 2 })).toBe(6);
  });

  it('refuses a batchSize outside 1..1000 in a call, naming it, and writes nothing', async () => {
    const chronos = initChronos(testConfig('local'));
    opened.push(chronos);
    const handle = chronos.with(orders);
    for (const batchSize of [0, 1001, 2.5]) {
      const error = await handle.createMany([{ orderId: `bad-${batchSize}`, status: 'new' }], undefined, undefined, { batchSize }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues.map((i) => i.path.join('.'))).toEqual(['options.batchSize']);
    }
    expect((await handle.listByMeta({ filter: { orderId: 'bad-0' } })).items).toEqual([]);
  });

  it('lets createManyBatchSize win over batchSize, and counterBatchSize leave it alone', async () => {
    expect(await createManyInserts({ batchSize: 6, createManyBatchSize: 2 }, 6)).toBe(6);
    expect(await createManyInserts({ counterBatchSize: 1 }, 6)).toBe(2); // the default 100 records per batch
  });
});

/** Creates `count` records with a debounce of an hour, and waits until the counters show them: only a full counter batch sends them. */
async function countedWithoutDebounce(writeOptimization: ChronosConfig['writeOptimization'], count: number): Promise<void> {
  const chronos = initChronos(testConfig('local', { writeOptimization: { debounceMs: 3_600_000, ...writeOptimization } }));
  opened.push(chronos);
  const handle = chronos.with(orders);
  for (let n = 0; n < count; n += 1) await handle.create({ orderId: `o${n}`, status: 'new' });
  const runtime = { dbName: chronos.config.databases.runtime!.tenantDatabases[0]!.dbName, collection: 'orders' };
  await vi.waitFor(async () => expect((await chronos.counters.getTotals(runtime)).created).toBe(count), { timeout: 10_000, interval: 50 });
}

describe('counterBatchSize through initChronos', () => {
  it('sends a counter batch as soon as counterBatchSize versions wait', async () => {
    await countedWithoutDebounce({ counterBatchSize: 3 }, 3);
  });

  it('takes the size from the deprecated batchSize when counterBatchSize is absent', async () => {
    await countedWithoutDebounce({ batchSize: 2 }, 2);
  });

  it('lets counterBatchSize win over batchSize', async () => {
    await countedWithoutDebounce({ batchSize: 1000, counterBatchSize: 2 }, 2);
  });
});
