import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../runtime/errors.js';
import { createMessagingApi } from '../../runtime/messaging/create-messaging-api.js';
import { MESSAGING_COLLECTIONS } from '../../runtime/messaging/indexes.js';
import { freshDb, type FreshDb } from '../support/fresh-db.js';

let base: FreshDb;

beforeAll(async () => {
  base = await freshDb('msg_dead');
});
afterAll(async () => {
  await base.dispose();
});

describe('dead letters', () => {
  it('saves dead letters and lists them in save order, page by page, with after = the last id', async () => {
    const m = createMessagingApi(base.db, 't-dl', { captureDeliveries: false });
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const { id } = await m.deadLetters.save({
        topic: 'orders',
        subscription: 'billing',
        msgId: `m${i}`,
        payload: { i },
        deliveries: 5,
        reason: 'poison',
        failedAt: '2026-03-01T00:00:00Z',
      });
      ids.push(id);
    }
    const first = await m.deadLetters.list({ topic: 'orders', limit: 3 });
    expect(first.items.map((d) => d.msgId)).toEqual(['m0', 'm1', 'm2']);
    expect(first.nextCursor).toBe(ids[2]);
    const second = await m.deadLetters.list({ topic: 'orders', limit: 3, after: first.nextCursor! });
    expect(second.items.map((d) => d.id)).toEqual(ids.slice(3));
    expect(second.nextCursor).toBeUndefined();
    expect(first.items[0]).toEqual({
      id: ids[0],
      tenantId: 't-dl',
      topic: 'orders',
      subscription: 'billing',
      msgId: 'm0',
      headers: {},
      payload: { i: 0 },
      deliveries: 5,
      reason: 'poison',
      failedAt: new Date('2026-03-01T00:00:00Z'),
    });
  });

  it('refuses a dead letter without a delivery count and writes nothing', async () => {
    const m = createMessagingApi(base.db, 't-dl-bad', { captureDeliveries: false });
    const error = await m.deadLetters
      .save({ topic: 'orders', msgId: 'm', payload: 1 } as never)
      .catch((e: unknown) => e);
    expect((error as ValidationError).issues.map((i) => i.path.join('.'))).toEqual(['deliveries']);
    expect(await base.db.collection(MESSAGING_COLLECTIONS.deadLetters).countDocuments({ tenantId: 't-dl-bad' })).toBe(0);
  });
});
