/**
 * The cases that rest on the engine honouring `CreateOptions.id` (a caller-chosen id; creating one
 * that exists is a ConflictError): concurrent creators of one new entity meet on its derived id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError } from '../../runtime/errors.js';
import { insertWithEntities } from '../../runtime/entities/insert-with-entities.js';
import { openHarness, type EngineHarness } from './engine-harness.js';
import { allRecords, ENTITY_DATABASES, entityFixture } from './entity-fixture.js';

let h: EngineHarness;
beforeAll(async () => {
  h = await openHarness('entnew', ENTITY_DATABASES);
});
afterAll(async () => {
  await h?.close();
});

const john = { customerId: 'CUST-456', name: 'John Doe', email: 'john@example.com' };

describe('concurrent inserts that share a new entity', () => {
  it('creates exactly one customer, with one version, from 20 parallel orders sharing a new customer', async () => {
    const f = entityFixture(h);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => insertWithEntities(f.resolver(), { orderId: `ORD-${i}`, customer: john }, f.mappings)),
    );

    const outcomes = results.map((r) => r.entityResults.get('customer'));
    expect(outcomes.filter((o) => o?.operation === 'created')).toHaveLength(1);
    expect(outcomes.filter((o) => o?.operation === 'unchanged')).toHaveLength(19);
    const ids = new Set(outcomes.map((o) => o?.id));
    expect(ids.size).toBe(1);
    const customers = await allRecords(f.customers);
    expect(customers).toHaveLength(1);
    expect(await f.customers.history(customers[0]?._id ?? '')).toHaveLength(1);
    expect(await allRecords(f.orders)).toHaveLength(20);
  });
});

describe('an entity that was logically deleted', () => {
  it('refuses to save an order whose customer was logically deleted, and writes no order', async () => {
    const f = entityFixture(h);
    const first = await insertWithEntities(f.resolver(), { orderId: 'A', customer: john }, f.mappings);
    await f.customers.delete(first.entityResults.get('customer')?.id ?? '');

    const attempt = insertWithEntities(f.resolver(), { orderId: 'B', customer: john }, f.mappings);
    await expect(attempt).rejects.toBeInstanceOf(ConflictError);
    await expect(attempt).rejects.toThrow(/logically deleted: restore it/);
    expect((await allRecords(f.orders)).map((o) => o.orderId)).toEqual(['A']);
  });
});
