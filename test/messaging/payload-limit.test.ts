import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../runtime/errors.js';
import { createMessagingApi } from '../../runtime/messaging/create-messaging-api.js';
import { MESSAGING_COLLECTIONS } from '../../runtime/messaging/indexes.js';
import { DEFAULT_MAX_PAYLOAD_BYTES } from '../../runtime/messaging/payload-size.js';
import { freshDb, type FreshDb } from '../support/fresh-db.js';

let base: FreshDb;

beforeAll(async () => {
  base = await freshDb('msg_limit');
});
afterAll(async () => {
  await base.dispose();
});

const tooBig = 'x'.repeat(DEFAULT_MAX_PAYLOAD_BYTES);
const total = async (tenantId: string) => {
  let n = 0;
  for (const name of Object.values(MESSAGING_COLLECTIONS)) n += await base.db.collection(name).countDocuments({ tenantId });
  return n;
};

async function refusal(call: Promise<unknown>): Promise<ValidationError> {
  const error = await call.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

describe('payload size limit', () => {
  it('is 256 KB by default', () => {
    expect(DEFAULT_MAX_PAYLOAD_BYTES).toBe(262_144);
  });

  it('refuses an oversize message payload, shared value, header set or dead letter, naming the field, and writes nothing', async () => {
    const m = createMessagingApi(base.db, 't-big', { captureDeliveries: true });
    expect((await refusal(m.messages.save({ topic: 't', msgId: 'm', payload: tooBig }))).issues[0]?.path).toEqual(['payload']);
    expect((await refusal(m.messages.save({ topic: 't', msgId: 'm', payload: 1, headers: { h: tooBig } }))).issues[0]?.path).toEqual([
      'headers',
    ]);
    expect((await refusal(m.shared.save({ namespace: 'n', key: 'k', val: { tooBig }, strategy: 'append' }))).issues[0]?.path).toEqual([
      'val',
    ]);
    const dead = await refusal(m.deadLetters.save({ topic: 't', msgId: 'm', payload: [tooBig], deliveries: 1 }));
    expect(dead.issues[0]?.path).toEqual(['payload']);
    expect(dead.message).toMatch(/limit is 262144/);
    expect(await total('t-big')).toBe(0);
  });

  it('accepts a payload just under the limit', async () => {
    const m = createMessagingApi(base.db, 't-edge', { captureDeliveries: false });
    // A BSON string costs 4 length bytes and a NUL besides its characters.
    const justFits = 'y'.repeat(DEFAULT_MAX_PAYLOAD_BYTES - 5);
    expect(await m.messages.save({ topic: 't', msgId: 'edge', payload: justFits })).toEqual({ inserted: true });
    await refusal(m.messages.save({ topic: 't', msgId: 'over', payload: `${justFits}y` }));
  });

  it('follows a configured maxPayloadBytes', async () => {
    const m = createMessagingApi(base.db, 't-small', { captureDeliveries: false, maxPayloadBytes: 100 });
    await refusal(m.shared.save({ namespace: 'n', key: 'k', val: 'z'.repeat(100), strategy: 'latest' }));
    await m.shared.save({ namespace: 'n', key: 'k', val: 'z'.repeat(50), strategy: 'latest' });
    expect(await m.shared.load({ namespace: 'n', key: 'k', strategy: 'latest' })).toBe('z'.repeat(50));
  });
});
