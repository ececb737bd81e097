import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../runtime/errors.js';
import { createMessagingApi } from '../../runtime/messaging/create-messaging-api.js';
import { MESSAGING_COLLECTIONS } from '../../runtime/messaging/indexes.js';
import { freshDb, type FreshDb } from '../support/fresh-db.js';

let base: FreshDb;

beforeAll(async () => {
  base = await freshDb('msg_deliveries');
});
afterAll(async () => {
  await base.dispose();
});

describe('deliveries presence', () => {
  it('has no deliveries API when captureDeliveries is false', () => {
    const m = createMessagingApi(base.db, 't1', { captureDeliveries: false });
    expect(m.deliveries).toBeUndefined();
    expect('deliveries' in m).toBe(false);
  });

  it('has a deliveries API when captureDeliveries is true', () => {
    const m = createMessagingApi(base.db, 't1', { captureDeliveries: true });
    expect(typeof m.deliveries.append).toBe('function');
  });
});

describe('delivery log', () => {
  it('records each status of an attempt once and lists them by subscription, then attempt', async () => {
    const m = createMessagingApi(base.db, 't-log', { captureDeliveries: true });
    const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
    const base0 = { topic: 'orders', msgId: 'm1' };
    await m.deliveries.append({ ...base0, subscription: 'billing', attempt: 2, status: 'ack', ts: at(5) });
    await m.deliveries.append({ ...base0, subscription: 'billing', attempt: 1, status: 'pending', ts: at(1) });
    await m.deliveries.append({ ...base0, subscription: 'billing', attempt: 1, status: 'nack', reason: 'timeout', ts: at(2) });
    await m.deliveries.append({ ...base0, subscription: 'audit', attempt: 1, status: 'ack', consumerId: 'c7', ts: at(3) });
    expect(
      await m.deliveries.append({ ...base0, subscription: 'billing', attempt: 1, status: 'nack', reason: 'retry', ts: at(9) }),
    ).toEqual({ inserted: false });

    const all = await m.deliveries.listByMessage(base0);
    expect(all.map((d) => `${d.subscription}/${d.attempt}/${d.status}`)).toEqual([
      'audit/1/ack',
      'billing/1/pending',
      'billing/1/nack',
      'billing/2/ack',
    ]);
    expect(all[0]).toEqual({ tenantId: 't-log', topic: 'orders', msgId: 'm1', subscription: 'audit', attempt: 1, status: 'ack', consumerId: 'c7', ts: at(3) });
    expect(all[2]?.reason).toBe('timeout');
    expect((await m.deliveries.listByMessage({ ...base0, subscription: 'audit' })).map((d) => d.status)).toEqual(['ack']);
  });

  it('refuses an unknown status and a negative attempt, and writes nothing', async () => {
    const m = createMessagingApi(base.db, 't-bad', { captureDeliveries: true });
    const error = await m.deliveries
      .append({ topic: 't', subscription: 's', msgId: 'm', attempt: -1, status: 'lost' as 'ack' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path.join('.')).sort()).toEqual(['attempt', 'status']);
    expect(await base.db.collection(MESSAGING_COLLECTIONS.deliveries).countDocuments({ tenantId: 't-bad' })).toBe(0);
  });
});
