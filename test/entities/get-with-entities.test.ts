import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../runtime/errors.js';
import { getWithEntities } from '../../runtime/entities/get-with-entities.js';
import { insertWithEntities } from '../../runtime/entities/insert-with-entities.js';
import { openHarness, type EngineHarness } from './engine-harness.js';
import { ENTITY_DATABASES, entityFixture } from './entity-fixture.js';

let h: EngineHarness;
beforeAll(async () => {
  h = await openHarness('entget', ENTITY_DATABASES);
});
afterAll(async () => {
  await h?.close();
});

const john = { customerId: 'CUST-456', name: 'John Doe', email: 'john@example.com' };
const widget = { productId: 'PROD-789', name: 'Widget', price: 99.99 };

describe('reading a record with its entities', () => {
  it('returns the order and each entity it references, from their own databases', async () => {
    const f = entityFixture(h);
    const order = { orderId: 'ORD-123', customer: john, product: widget, quantity: 2 };
    const { mainRecordId, entityResults } = await insertWithEntities(f.resolver(), order, f.mappings);
    const { mainRecord, entityRecords } = await getWithEntities(f.resolver(), mainRecordId, f.mappings);

    expect(mainRecord).toMatchObject({ ...order, _id: mainRecordId });
    expect(entityRecords.get('customer')).toMatchObject({ ...john, _id: entityResults.get('customer')?.id, _system: { ov: 0 } });
    expect(entityRecords.get('product')).toMatchObject({ ...widget, _id: entityResults.get('product')?.id });
  });

  it('gives the latest version of an entity, not the copy embedded in the order', async () => {
    const f = entityFixture(h);
    const first = await insertWithEntities(f.resolver(), { orderId: 'A', customer: john }, f.mappings);
    await insertWithEntities(f.resolver(), { orderId: 'B', customer: { ...john, email: 'new@example.com' } }, f.mappings);
    const { mainRecord, entityRecords } = await getWithEntities(f.resolver(), first.mainRecordId, f.mappings);

    expect(mainRecord?.customer).toEqual(john);
    expect(entityRecords.get('customer')).toMatchObject({ email: 'new@example.com', _system: { ov: 1 } });
  });

  it('returns a null main record and no entities for an id that does not exist', async () => {
    const f = entityFixture(h);
    const result = await getWithEntities(f.resolver(), '0123456789abcdef01234567', f.mappings);

    expect(result.mainRecord).toBeNull();
    expect(result.entityRecords.size).toBe(0);
  });

  it('leaves out an entity the record does not reference, or whose record is gone', async () => {
    const f = entityFixture(h);
    const { mainRecordId, entityResults } = await insertWithEntities(f.resolver(), { orderId: 'A', customer: john }, f.mappings);
    await f.customers.delete(entityResults.get('customer')?.id ?? '');
    const { mainRecord, entityRecords } = await getWithEntities(f.resolver(), mainRecordId, f.mappings);

    expect(mainRecord?.orderId).toBe('A');
    expect([...entityRecords.keys()]).toEqual([]);
  });

  it('applies a projection to the order only, so entities still come back whole', async () => {
    const f = entityFixture(h);
    const { mainRecordId } = await insertWithEntities(f.resolver(), { orderId: 'A', customer: john, quantity: 2 }, f.mappings);
    const { mainRecord, entityRecords } = await getWithEntities(f.resolver(), mainRecordId, f.mappings, { projection: ['customer'] });

    expect(mainRecord).not.toHaveProperty('quantity');
    expect(entityRecords.get('customer')).toMatchObject(john);
  });

  it('refuses malformed mappings before reading', async () => {
    const f = entityFixture(h);
    // @ts-expect-error keyProperty is deliberately missing
    const attempt = getWithEntities(f.resolver(), '0123456789abcdef01234567', [{ property: 'customer', collection: 'c' }]);

    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    await expect(attempt).rejects.toMatchObject({ issues: [{ path: ['mappings', 0, 'keyProperty'] }] });
  });
});
