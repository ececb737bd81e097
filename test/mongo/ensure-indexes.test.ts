import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyIndexes } from '../../runtime/mongo/ensure-indexes.js';
import type { IndexSpec } from '../../runtime/ops/indexes.js';
import { testServers, uniqueName } from '../support/servers.js';

const specs: IndexSpec[] = [
  { collection: 'things_ver', name: 'chronos_id_ov', key: { id: 1, ov: 1 }, unique: true },
  { collection: 'things_ver', name: 'chronos_cv', key: { cv: 1 }, unique: true },
  { collection: 'things_ver', name: 'chronos_id_state_at', key: { id: 1, state: 1, at: -1 } },
];

let client: MongoClient;
beforeAll(async () => {
  client = new MongoClient(testServers().mongoUri);
  await client.connect();
});
afterAll(() => client.close());

describe('applyIndexes', () => {
  it('creates missing indexes on a collection that does not exist yet', async () => {
    const db = client.db(uniqueName('idx'));
    await applyIndexes(db, specs);
    const names = (await db.collection('things_ver').listIndexes().toArray()).map((i) => i['name']);
    expect(names.sort()).toEqual(['_id_', 'chronos_cv', 'chronos_id_ov', 'chronos_id_state_at']);
  });

  it('is a no-op the second time, from another client too (FerretDB once dropped the connection here)', async () => {
    const db = client.db(uniqueName('idx'));
    await applyIndexes(db, specs);
    const other = new MongoClient(testServers().mongoUri);
    try {
      await applyIndexes(other.db(db.databaseName), specs);
      await applyIndexes(other.db(db.databaseName), specs);
      expect(await other.db(db.databaseName).collection('things_ver').countDocuments()).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('keeps unique indexes unique', async () => {
    const db = client.db(uniqueName('idx'));
    await applyIndexes(db, specs);
    await db.collection('things_ver').insertOne({ id: 'a', ov: 0, cv: 1 });
    await expect(db.collection('things_ver').insertOne({ id: 'a', ov: 0, cv: 2 })).rejects.toMatchObject({ code: 11000 });
  });
});
