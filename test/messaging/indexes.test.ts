import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../runtime/errors.js';
import { createMessagingApi } from '../../runtime/messaging/create-messaging-api.js';
import { MESSAGING_COLLECTIONS, messagingIndexes } from '../../runtime/messaging/indexes.js';
import { freshDb, type FreshDb } from '../support/fresh-db.js';

let base: FreshDb;

beforeAll(async () => {
  base = await freshDb('msg_indexes');
});
afterAll(async () => {
  await base.dispose();
});

describe('messaging index declarations', () => {
  it('names every index chronos_ and starts every key with tenantId', () => {
    for (const spec of messagingIndexes()) {
      expect(spec.name).toMatch(/^chronos_/);
      expect(Object.keys(spec.key)[0]).toBe('tenantId');
    }
  });

  it('declares the unique keys the claims rest on', () => {
    const unique = messagingIndexes()
      .filter((s) => s.unique)
      .map((s) => `${s.collection}:${Object.keys(s.key).join(',')}`);
    expect(unique).toEqual([
      'shared_memory:tenantId,namespace,key,strategy,version',
      'topics:tenantId,topic',
      'messages:tenantId,topic,msgId',
      'deliveries:tenantId,topic,msgId,subscription,attempt,status',
    ]);
  });
});

describe('index creation on first write', () => {
  it('creates every declared index on the live database with the first write', async () => {
    const m = createMessagingApi(base.db, 't1', { captureDeliveries: true });
    await m.messages.save({ topic: 't', msgId: 'first', payload: 1 });
    for (const spec of messagingIndexes()) {
      const live = await base.db.collection(spec.collection).indexes();
      const found = live.find((i) => i.name === spec.name);
      expect(found?.key, `${spec.collection}.${spec.name}`).toEqual(spec.key);
      expect(Boolean(found?.unique)).toBe(Boolean(spec.unique));
    }
  });
});

describe('messaging API construction', () => {
  it('refuses an empty tenantId', () => {
    expect(() => createMessagingApi(base.db, '', { captureDeliveries: false })).toThrow(ValidationError);
  });

  it('refuses a maxPayloadBytes below 1', () => {
    expect(() => createMessagingApi(base.db, 't', { captureDeliveries: false, maxPayloadBytes: 0 })).toThrow(/maxPayloadBytes/);
  });

  it('accepts the whole databases.messaging config entry, captureDeliveries defaulting to false', () => {
    const entry = { dbConnRef: 'mongo-primary', dbName: 'chronos_messaging' };
    expect(createMessagingApi(base.db, 't', entry as never).deliveries).toBeUndefined();
  });

  it('uses the documented collection names', () => {
    expect(Object.values(MESSAGING_COLLECTIONS)).toEqual([
      'shared_memory',
      'shared_memory_tombstones',
      'topics',
      'messages',
      'deliveries',
      'dead_letters',
    ]);
  });
});
