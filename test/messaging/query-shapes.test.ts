import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MongoClient } from 'mongodb';
import { createMessagingApi } from '../../runtime/messaging/create-messaging-api.js';
import { messagingIndexes } from '../../runtime/messaging/indexes.js';
import { recordingClient, servingIndex, type QueryShape } from '../support/index-coverage.js';
import { uniqueName } from '../support/servers.js';

let client: MongoClient;
let shapes: QueryShape[];
let dbName: string;

beforeAll(async () => {
  ({ client, shapes } = await recordingClient());
  dbName = uniqueName('msg_shapes');
});
afterAll(async () => {
  await client.close();
});

describe('messaging query shapes', () => {
  it('sends only filters and sorts that a declared index serves, each with the tenant equality', async () => {
    const m = createMessagingApi(client.db(dbName), 't1', { captureDeliveries: true });
    await m.shared.save({ namespace: 'n', key: 'k', val: 1, strategy: 'append' });
    await m.shared.save({ namespace: 'n', key: 'k', val: 2, strategy: 'latest' });
    await m.shared.load({ namespace: 'n', key: 'k', strategy: 'append' });
    await m.shared.load({ namespace: 'n', key: 'k', strategy: 'append', version: 0 });
    await m.shared.load({ namespace: 'n', key: 'k', strategy: 'latest' });
    await m.shared.tombstone({ namespace: 'n', key: 'k' });
    await m.topics.ensure({ topic: 't' });
    await m.topics.ensure({ topic: 't' });
    await m.topics.get({ topic: 't' });
    await m.messages.save({ topic: 't', msgId: 'a', payload: 1 });
    await m.messages.get({ topic: 't', msgId: 'a' });
    await m.messages.list({ topic: 't' });
    await m.messages.list({ topic: 't', after: 'a' });
    await m.deliveries.append({ topic: 't', subscription: 's', msgId: 'a', attempt: 1, status: 'ack' });
    await m.deliveries.listByMessage({ topic: 't', msgId: 'a' });
    await m.deliveries.listByMessage({ topic: 't', msgId: 'a', subscription: 's' });
    const { id } = await m.deadLetters.save({ topic: 't', msgId: 'a', payload: 1, deliveries: 3 });
    await m.deadLetters.list({ topic: 't' });
    await m.deadLetters.list({ topic: 't', after: id });

    const sent = shapes.filter((s) => s.collection !== '$cmd');
    expect(sent.length).toBeGreaterThanOrEqual(15);
    const unserved = sent.filter((s) => servingIndex(s, messagingIndexes()) === null);
    expect(unserved).toEqual([]);
    for (const shape of sent) expect(JSON.stringify(shape.filter)).toContain('"tenantId":"t1"');
  });
});
