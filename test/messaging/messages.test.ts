import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../runtime/errors.js';
import { createMessagingApi } from '../../runtime/messaging/create-messaging-api.js';
import { MESSAGING_COLLECTIONS } from '../../runtime/messaging/indexes.js';
import { freshDb, sameDbWithPool, type FreshDb } from '../support/fresh-db.js';

let base: FreshDb;
let pooled: { db: FreshDb['db']; close(): Promise<void> };

beforeAll(async () => {
  base = await freshDb('msg_messages');
  pooled = await sameDbWithPool(base, 10);
});
afterAll(async () => {
  await pooled.close();
  await base.dispose();
});

const count = (filter: Record<string, unknown>) => base.db.collection(MESSAGING_COLLECTIONS.messages).countDocuments(filter);

describe('message idempotency', () => {
  it('stores a duplicate message once, keeps the first copy and reports the duplicate without throwing', async () => {
    const m = createMessagingApi(base.db, 't-dup', { captureDeliveries: false });
    expect(await m.messages.save({ topic: 'orders', msgId: 'm-1', payload: { n: 1 } })).toEqual({ inserted: true });
    expect(await m.messages.save({ topic: 'orders', msgId: 'm-1', payload: { n: 2 } })).toEqual({ inserted: false });
    expect(await count({ tenantId: 't-dup', topic: 'orders', msgId: 'm-1' })).toBe(1);
    expect((await m.messages.get({ topic: 'orders', msgId: 'm-1' }))?.payload).toEqual({ n: 1 });
  });

  it.each([
    { label: 'the URI client (maxPoolSize=1)', db: () => base.db },
    { label: 'a client with maxPoolSize=10', db: () => pooled.db },
  ])('stores one copy when 20 saves of one msgId race through $label', async ({ label, db }) => {
    const m = createMessagingApi(db(), 't-dup', { captureDeliveries: false });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => m.messages.save({ topic: 'race', msgId: label, payload: i })),
    );
    expect(results.filter((r) => r.inserted)).toHaveLength(1);
    expect(await count({ tenantId: 't-dup', topic: 'race', msgId: label })).toBe(1);
  });

  it('treats the same msgId on another topic as another message', async () => {
    const m = createMessagingApi(base.db, 't-dup', { captureDeliveries: false });
    await m.messages.save({ topic: 'a', msgId: 'shared-id', payload: 'a' });
    expect(await m.messages.save({ topic: 'b', msgId: 'shared-id', payload: 'b' })).toEqual({ inserted: true });
  });
});

describe('message get', () => {
  it('returns the stored message with headers, firstSeenAt and the payload size, and null for an unknown msgId', async () => {
    const m = createMessagingApi(base.db, 't-get', { captureDeliveries: false });
    const firstSeenAt = '2026-01-02T03:04:05.000Z';
    await m.messages.save({ topic: 't', msgId: 'x', headers: { tenantId: 'header data' }, payload: 'hello', firstSeenAt });
    expect(await m.messages.get({ topic: 't', msgId: 'x' })).toEqual({
      tenantId: 't-get',
      topic: 't',
      msgId: 'x',
      headers: { tenantId: 'header data' },
      payload: 'hello',
      firstSeenAt: new Date(firstSeenAt),
      size: 10, // BSON string: int32 length + 5 bytes + NUL
    });
    expect(await m.messages.get({ topic: 't', msgId: 'nope' })).toBeNull();
  });

  it('refuses an empty msgId and a malformed firstSeenAt, naming each field', async () => {
    const m = createMessagingApi(base.db, 't-get', { captureDeliveries: false });
    const error = await m.messages
      .save({ topic: 't', msgId: '', payload: 1, firstSeenAt: 'yesterday' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path.join('.')).sort()).toEqual(['firstSeenAt', 'msgId']);
    expect(await count({ tenantId: 't-get', msgId: '' })).toBe(0);
  });
});

describe('message list pagination', () => {
  it('pages through a topic in msgId order with after = the last msgId, without gaps or repeats', async () => {
    const m = createMessagingApi(base.db, 't-list', { captureDeliveries: false });
    const ids = Array.from({ length: 7 }, (_, i) => `id-${String(i).padStart(2, '0')}`);
    for (const msgId of [...ids].reverse()) await m.messages.save({ topic: 'p', msgId, payload: msgId });
    await m.messages.save({ topic: 'other', msgId: 'id-99', payload: 'not this topic' });

    const seen: string[] = [];
    let after: string | undefined;
    const pages: number[] = [];
    do {
      const page = await m.messages.list({ topic: 'p', limit: 3, ...(after ? { after } : {}) });
      pages.push(page.items.length);
      seen.push(...page.items.map((i) => i.msgId));
      after = page.nextCursor;
    } while (after);

    expect(seen).toEqual(ids);
    expect(pages).toEqual([3, 3, 1]);
  });

  it('gives no cursor when the last page is exactly full', async () => {
    const m = createMessagingApi(base.db, 't-list-exact', { captureDeliveries: false });
    for (const msgId of ['a', 'b']) await m.messages.save({ topic: 'p', msgId, payload: 1 });
    const page = await m.messages.list({ topic: 'p', limit: 2 });
    expect(page.items).toHaveLength(2);
    expect(page.nextCursor).toBeUndefined();
  });

  it('refuses a limit above 1000 and below 1', async () => {
    const m = createMessagingApi(base.db, 't-list', { captureDeliveries: false });
    for (const limit of [0, 1001]) {
      const error = await m.messages.list({ topic: 'p', limit }).catch((e: unknown) => e);
      expect((error as ValidationError).issues[0]?.path).toEqual(['limit']);
    }
  });
});
