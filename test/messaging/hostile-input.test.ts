/**
 * Hostile input to messaging: `$` keys, circular payloads and other values BSON or the server
 * would choke on are ValidationErrors naming the field, before anything is written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../runtime/errors.js';
import { createMessagingApi } from '../../runtime/messaging/create-messaging-api.js';
import { MESSAGING_COLLECTIONS } from '../../runtime/messaging/indexes.js';
import { freshDb, type FreshDb } from '../support/fresh-db.js';

let base: FreshDb;

beforeAll(async () => {
  base = await freshDb('msg_hostile');
});
afterAll(async () => {
  await base.dispose();
});

async function paths(call: () => Promise<unknown>): Promise<Array<Array<string | number>>> {
  const error = await call().then(() => undefined, (e: unknown) => e);
  expect(error, String(error)).toBeInstanceOf(ValidationError);
  return (error as ValidationError).issues.map((i) => [...i.path]);
}

describe('messaging refuses payloads the server would choke on', () => {
  const circular = (): Record<string, unknown> => {
    const self: Record<string, unknown> = {};
    self['again'] = self;
    return self;
  };

  it('refuses $ keys, dotted keys, circular payloads, NaN and binary data in payloads, values and headers', async () => {
    const m = createMessagingApi(base.db, 'acme', { captureDeliveries: true });
    const save = (payload: unknown, headers?: Record<string, unknown>) =>
      m.messages.save({ topic: 't', msgId: 'm', payload, ...(headers && { headers }) });
    expect(await paths(() => save({ $set: { a: 1 } }))).toEqual([['payload', '$set']]);
    expect(await paths(() => save({ a: { 'x.y': 1 } }))).toEqual([['payload', 'a', 'x.y']]);
    expect(await paths(() => save(circular()))).toEqual([['payload', 'again']]);
    expect(await paths(() => save({ n: Number.NaN }))).toEqual([['payload', 'n']]);
    expect(await paths(() => save({ b: Buffer.from('x') }))).toEqual([['payload', 'b']]);
    expect(await paths(() => save([[]]))).toEqual([['payload', 0]]);
    expect(await paths(() => save({ ok: 1 }, JSON.parse('{"__proto__": 0}') as Record<string, unknown>))).toEqual([['headers', '__proto__']]);
    expect(await paths(() => save({ ok: 1 }, { constructor: [{}] }))).toEqual([['headers', 'constructor']]);
    expect(await paths(() => save({ id: { _bsontype: 'ObjectId', id: 'x' } }))).toEqual([['payload', 'id', '_bsontype']]);
    expect(await paths(() => save({ at: Object.assign(new Date(0), { toISOString: () => 'x' }) }))).toEqual([['payload', 'at']]);
    expect(await paths(() => save({ ok: 1 }, { $where: 'x' }))).toEqual([['headers', '$where']]);
    expect(await paths(() => m.shared.save({ namespace: 'n', key: 'k', val: circular(), strategy: 'latest' }))).toEqual([['val', 'again']]);
    expect(await paths(() => m.deadLetters.save({ topic: 't', msgId: 'm', payload: { $x: 1 }, deliveries: 1 }))).toEqual([['payload', '$x']]);
    expect(await paths(() => m.messages.save({ topic: '\ud800', msgId: 'm', payload: 1 }))).toEqual([['topic']]);
    expect(await base.db.collection(MESSAGING_COLLECTIONS.messages).countDocuments({})).toBe(0);
  });

  it('round-trips JSON and Dates exactly', async () => {
    const m = createMessagingApi(base.db, 'acme', { captureDeliveries: false });
    const payload = { s: 'é😀', n: [1, 2.5, -3], at: new Date('2026-01-01T00:00:00.000Z'), nested: { ok: null } };
    const headers = { 'x-trace': 't1', constructor: 0 };
    await m.messages.save({ topic: 't', msgId: 'round', payload, headers });
    const back = await m.messages.get({ topic: 't', msgId: 'round' });
    expect(back?.payload).toEqual(payload);
    expect(Object.entries(back?.headers ?? {})).toEqual([['x-trace', 't1'], ['constructor', 0]]);
  });
});
