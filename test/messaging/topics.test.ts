import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../runtime/errors.js';
import { createMessagingApi } from '../../runtime/messaging/create-messaging-api.js';
import { MESSAGING_COLLECTIONS } from '../../runtime/messaging/indexes.js';
import { freshDb, sameDbWithPool, type FreshDb } from '../support/fresh-db.js';

let base: FreshDb;
let pooled: { db: FreshDb['db']; close(): Promise<void> };

beforeAll(async () => {
  base = await freshDb('msg_topics');
  pooled = await sameDbWithPool(base, 10);
});
afterAll(async () => {
  await pooled.close();
  await base.dispose();
});

describe('topic ensure', () => {
  it('creates a topic with one shard by default and returns it from get', async () => {
    const m = createMessagingApi(base.db, 't1', { captureDeliveries: false });
    const created = await m.topics.ensure({ topic: 'orders' });
    expect(created).toMatchObject({ tenantId: 't1', topic: 'orders', shards: 1 });
    expect(created.createdAt).toBeInstanceOf(Date);
    expect(await m.topics.get({ topic: 'orders' })).toEqual(created);
    expect(await m.topics.get({ topic: 'absent' })).toBeNull();
  });

  it('creates exactly one topic when 20 ensures race through a client with maxPoolSize=10', async () => {
    const m = createMessagingApi(pooled.db, 't1', { captureDeliveries: false });
    const results = await Promise.all(Array.from({ length: 20 }, () => m.topics.ensure({ topic: 'race', shards: 4 })));
    expect(new Set(results.map((r) => r.createdAt.getTime())).size).toBe(1);
    expect(await base.db.collection(MESSAGING_COLLECTIONS.topics).countDocuments({ tenantId: 't1', topic: 'race' })).toBe(1);
  });

  it('refuses to change the shard count of an existing topic and leaves it as it was', async () => {
    const m = createMessagingApi(base.db, 't1', { captureDeliveries: false });
    await m.topics.ensure({ topic: 'fixed', shards: 2 });
    const error = await m.topics.ensure({ topic: 'fixed', shards: 3 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues[0]?.path).toEqual(['shards']);
    expect((await m.topics.ensure({ topic: 'fixed' })).shards).toBe(2);
  });

  it('refuses zero shards', async () => {
    const m = createMessagingApi(base.db, 't1', { captureDeliveries: false });
    await expect(m.topics.ensure({ topic: 'z', shards: 0 })).rejects.toBeInstanceOf(ValidationError);
    expect(await m.topics.get({ topic: 'z' })).toBeNull();
  });
});
