import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MongoClient } from 'mongodb';
import { createIdentityOps } from '../../runtime/identities/create-identity-ops.js';
import { identityIndexes } from '../../runtime/identities/indexes.js';
import { recordingClient, servingIndex, type QueryShape } from '../support/index-coverage.js';
import { uniqueName } from '../support/servers.js';

let client: MongoClient;
let shapes: QueryShape[];
let dbName: string;

beforeAll(async () => {
  ({ client, shapes } = await recordingClient());
  dbName = uniqueName('ident_shapes');
});
afterAll(async () => {
  await client.close();
});

describe('identity query shapes', () => {
  it('sends only filters and sorts that a declared index serves, each with the tenant equality', async () => {
    const users = createIdentityOps(client.db(dbName), 't1', 'users', { indexedProps: ['email', 'age'] });
    const { id } = await users.create({ email: 'a@x.test', age: 3 }, undefined, undefined, { id: 'u1' });
    await users.create({ email: 'dup' }, undefined, undefined, { id: 'u1' }).catch(() => undefined);
    await users.getLatest(id);
    await users.update(id, { email: 'b@x.test', age: 4 }, 0);
    await users.update(id, { email: 'c@x.test', age: 5 });
    await users.query({});
    await users.query({ email: 'c@x.test' });
    await users.query({ email: { $in: ['c@x.test'] } }, { afterId: 'u0' });
    await users.query({ age: { $gte: 1 } });
    await users.delete(id, 2);

    const specs = identityIndexes('users', ['email', 'age']);
    const isRange = (s: QueryShape) => JSON.stringify(s.filter).includes('"data.age":{"$gte"');
    expect(shapes.length).toBeGreaterThanOrEqual(10);
    expect(shapes.filter((s) => !isRange(s) && servingIndex(s, specs) === null)).toEqual([]);
    // A range on a prop is bounded by the prop's index; its id order is a sort of the matches.
    const range = shapes.filter(isRange);
    expect(range).toHaveLength(1);
    expect(servingIndex(range[0]!, specs)).toBeNull();
    expect(servingIndex(range[0]!, specs, { sortInMemory: true })).toBe('chronos_data_age');
    for (const shape of shapes) expect(JSON.stringify(shape.filter)).toContain('"tenantId":"t1"');
  });
});
