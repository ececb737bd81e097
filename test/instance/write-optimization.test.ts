/**
 * `writeOptimization.compressionEnabled` and `devShadow` from the config reach the engine:
 * the settings mapping, and one write through `initChronos` that lands compressed with a shadow.
 */
import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { initChronos, type Chronos } from '../../runtime/chronos.js';
import { parseConfig } from '../../runtime/config/parse-config.js';
import { collectionSettingsFor } from '../../runtime/instance/collection-settings.js';
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
