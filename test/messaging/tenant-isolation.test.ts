import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMessagingApi } from '../../runtime/messaging/create-messaging-api.js';
import { freshDb, type FreshDb } from '../support/fresh-db.js';

let base: FreshDb;

beforeAll(async () => {
  base = await freshDb('msg_tenants');
});
afterAll(async () => {
  await base.dispose();
});

// Both tenants write the same namespaces, keys, topics and msgIds; each must only see its own.
async function populate(tenantId: string) {
  const m = createMessagingApi(base.db, tenantId, { captureDeliveries: true });
  await m.shared.save({ namespace: 'ns', key: 'k', val: `${tenantId}-latest`, strategy: 'latest' });
  await m.shared.save({ namespace: 'ns', key: 'k', val: `${tenantId}-append`, strategy: 'append' });
  await m.topics.ensure({ topic: 'orders', shards: tenantId === 'tenant-a' ? 2 : 3 });
  await m.messages.save({ topic: 'orders', msgId: 'm1', payload: `${tenantId}-msg`, headers: { tenantId: 'spoofed' } });
  await m.deliveries.append({ topic: 'orders', subscription: 's', msgId: 'm1', attempt: 1, status: 'ack', consumerId: tenantId });
  await m.deadLetters.save({ topic: 'orders', msgId: 'm1', payload: `${tenantId}-dead`, deliveries: 3 });
  return m;
}

describe('tenant isolation in the messaging database', () => {
  it('shows each tenant only its own keys, topics, messages, deliveries and dead letters under identical names', async () => {
    const a = await populate('tenant-a');
    const b = await populate('tenant-b');

    for (const [m, t] of [[a, 'tenant-a'], [b, 'tenant-b']] as const) {
      expect(await m.shared.load({ namespace: 'ns', key: 'k', strategy: 'latest' })).toBe(`${t}-latest`);
      expect(await m.shared.load({ namespace: 'ns', key: 'k', strategy: 'append' })).toBe(`${t}-append`);
      expect(await m.shared.load({ namespace: 'ns', key: 'k', strategy: 'append', version: 1 })).toBeNull();
      expect((await m.topics.get({ topic: 'orders' }))?.tenantId).toBe(t);
      expect((await m.messages.get({ topic: 'orders', msgId: 'm1' }))?.payload).toBe(`${t}-msg`);
      expect((await m.messages.list({ topic: 'orders' })).items.map((i) => i.payload)).toEqual([`${t}-msg`]);
      expect((await m.deliveries.listByMessage({ topic: 'orders', msgId: 'm1' })).map((d) => d.consumerId)).toEqual([t]);
      expect((await m.deadLetters.list({ topic: 'orders' })).items.map((d) => d.payload)).toEqual([`${t}-dead`]);
    }
    expect((await a.topics.get({ topic: 'orders' }))?.shards).toBe(2);
    expect((await b.topics.get({ topic: 'orders' }))?.shards).toBe(3);
  });

  it('lets a tombstone in one tenant leave the same key of another tenant untouched', async () => {
    const a = createMessagingApi(base.db, 'tomb-a', { captureDeliveries: false });
    const b = createMessagingApi(base.db, 'tomb-b', { captureDeliveries: false });
    await a.shared.save({ namespace: 'ns', key: 'k', val: 'a', strategy: 'append' });
    await b.shared.save({ namespace: 'ns', key: 'k', val: 'b', strategy: 'append' });
    expect((await a.shared.tombstone({ namespace: 'ns', key: 'k' })).removed).toBe(1);
    expect(await b.shared.load({ namespace: 'ns', key: 'k', strategy: 'append' })).toBe('b');
  });

  it('does not let a message of one tenant count as a duplicate in another', async () => {
    const a = createMessagingApi(base.db, 'dup-a', { captureDeliveries: false });
    const b = createMessagingApi(base.db, 'dup-b', { captureDeliveries: false });
    expect(await a.messages.save({ topic: 't', msgId: 'same', payload: 1 })).toEqual({ inserted: true });
    expect(await b.messages.save({ topic: 't', msgId: 'same', payload: 2 })).toEqual({ inserted: true });
  });
});
