import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RouteError, ValidationError } from '../../runtime/errors.js';
import type { EntityResolver } from '../../runtime/entities/entity-types.js';
import { insertWithEntities } from '../../runtime/entities/insert-with-entities.js';
import { openHarness, type EngineHarness } from './engine-harness.js';
import { allRecords, ENTITY_DATABASES, entityFixture } from './entity-fixture.js';

let h: EngineHarness;
beforeAll(async () => {
  h = await openHarness('entins', ENTITY_DATABASES);
});
afterAll(async () => {
  await h?.close();
});

const john = { customerId: 'CUST-456', name: 'John Doe', email: 'john@example.com' };
const widget = { productId: 'PROD-789', name: 'Widget', price: 99.99 };

describe('saving each entity by its key', () => {
  it('creates missing entities, then the order that embeds them', async () => {
    const f = entityFixture(h);
    const order = { orderId: 'ORD-123', customer: john, product: widget, quantity: 2 };
    const result = await insertWithEntities(f.resolver(), order, f.mappings, 'order-system', 'new order created');

    expect(result.entityResults.get('customer')?.operation).toBe('created');
    expect(result.entityResults.get('product')?.operation).toBe('created');
    const customer = await f.customers.getLatest(result.entityResults.get('customer')?.id ?? '');
    expect(customer).toMatchObject({ ...john, _system: { ov: 0 } });
    const saved = await f.orders.getLatest(result.mainRecordId);
    expect(saved).toMatchObject(order);
  });

  it('leaves an entity unchanged when the embedded copy has the same content', async () => {
    const f = entityFixture(h);
    const first = await insertWithEntities(f.resolver(), { orderId: 'A', customer: john }, f.mappings);
    const second = await insertWithEntities(f.resolver(), { orderId: 'B', customer: { ...john } }, f.mappings);

    const id = first.entityResults.get('customer')?.id ?? '';
    expect(second.entityResults.get('customer')).toEqual({ id, operation: 'unchanged' });
    expect(await f.customers.history(id)).toHaveLength(1);
  });

  it('updates an entity, with one new version, only when its content differs', async () => {
    const f = entityFixture(h);
    const first = await insertWithEntities(f.resolver(), { orderId: 'A', customer: john }, f.mappings);
    const moved = { ...john, email: 'john@new.example.com' };
    const second = await insertWithEntities(f.resolver(), { orderId: 'B', customer: moved }, f.mappings, 'crm', 'email changed');
    const third = await insertWithEntities(f.resolver(), { orderId: 'C', customer: moved }, f.mappings);

    const id = first.entityResults.get('customer')?.id ?? '';
    expect(second.entityResults.get('customer')).toEqual({ id, operation: 'updated' });
    expect(third.entityResults.get('customer')).toEqual({ id, operation: 'unchanged' });
    expect(await f.customers.getLatest(id)).toMatchObject({ ...moved, _system: { ov: 1 } });
    expect((await f.customers.history(id)).map((v) => [v.ov, v.actor, v.reason])).toEqual([
      [0, undefined, undefined],
      [1, 'crm', 'email changed'],
    ]);
  });

  it('updates an entity found by its key even when it was created outside insertWithEntities', async () => {
    const f = entityFixture(h);
    const { id } = await f.customers.create({ ...john, name: 'J. Doe' });
    const result = await insertWithEntities(f.resolver(), { orderId: 'A', customer: john }, f.mappings);

    expect(result.entityResults.get('customer')).toEqual({ id, operation: 'updated' });
    expect(await allRecords(f.customers)).toHaveLength(1);
  });

  it('ignores _id and _system inside an embedded entity and compares stored (JSON) forms', async () => {
    const f = entityFixture(h);
    const withDate = { ...john, since: new Date('2024-01-01T00:00:00Z') };
    const first = await insertWithEntities(f.resolver(), { orderId: 'A', customer: withDate }, f.mappings);
    const stored = await f.customers.getLatest(first.entityResults.get('customer')?.id ?? '');
    const again = await insertWithEntities(f.resolver(), { orderId: 'B', customer: withDate }, f.mappings);
    const readBack = await insertWithEntities(f.resolver(), { orderId: 'C', customer: stored }, f.mappings);

    expect(stored).toMatchObject({ since: '2024-01-01T00:00:00.000Z' });
    expect(again.entityResults.get('customer')?.operation).toBe('unchanged');
    expect(readBack.entityResults.get('customer')?.operation).toBe('unchanged');
  });

  it('looks each entity up with one equality filter on its key prop, the shape the key index serves', async () => {
    const f = entityFixture(h);
    const sent: unknown[] = [];
    const base = f.resolver();
    const recording: EntityResolver = {
      ...base,
      opsFor(mapping) {
        const ops = base.opsFor(mapping);
        return { ...ops, listByMeta: (query, options) => (sent.push(query), ops.listByMeta(query, options)) };
      },
    };
    await insertWithEntities(recording, { orderId: 'A', customer: john, product: widget }, f.mappings);

    expect(sent).toEqual([
      { filter: { customerId: 'CUST-456' }, limit: 2 },
      { filter: { productId: 'PROD-789' }, limit: 2 },
    ]);
  });

  it('skips a mapping whose property the record does not have', async () => {
    const f = entityFixture(h);
    const result = await insertWithEntities(f.resolver(), { orderId: 'A', customer: john, product: null }, f.mappings);

    expect([...result.entityResults.keys()]).toEqual(['customer']);
    expect(await allRecords(f.products)).toHaveLength(0);
  });
});

describe('entities in another database type and tier', () => {
  it('saves the product in the knowledge database of the domain tier, not beside the order', async () => {
    const f = entityFixture(h);
    const result = await insertWithEntities(f.resolver(), { orderId: 'A', product: widget }, f.mappings);
    const productColl = `${f.mappings[1]?.collection}_head`;

    expect(await f.products.getLatest(result.entityResults.get('product')?.id ?? '')).toMatchObject(widget);
    expect(await h.db('knowledge-domain').collection(productColl).countDocuments()).toBe(1);
    expect(await h.db('runtime-tenant').listCollections({ name: productColl }).toArray()).toEqual([]);
  });
});

describe('concurrent inserts that share an existing entity', () => {
  it('lets every one of 8 parallel orders with different copies of a customer succeed, one version per update', async () => {
    const f = entityFixture(h);
    const { id } = await f.customers.create(john);
    const names = Array.from({ length: 8 }, (_, i) => `John ${i}`);
    const results = await Promise.all(
      names.map((name, i) => insertWithEntities(f.resolver(), { orderId: `ORD-${i}`, customer: { ...john, name } }, f.mappings)),
    );

    const updated = results.filter((r) => r.entityResults.get('customer')?.operation === 'updated').length;
    expect(updated).toBeGreaterThanOrEqual(1);
    expect(results.every((r) => r.entityResults.get('customer')?.id === id)).toBe(true);
    expect(await f.customers.history(id)).toHaveLength(1 + updated);
    expect(names).toContain((await f.customers.getLatest(id))?.name);
  });
});

describe('bad input is refused before anything is written', () => {
  it('refuses a key prop that is not indexed in the entity collection, naming the mapping', async () => {
    const f = entityFixture(h, { customerIndexedProps: ['email'] });
    const attempt = insertWithEntities(f.resolver(), { orderId: 'A', product: widget, customer: john }, f.mappings);

    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    await expect(attempt).rejects.toMatchObject({ issues: [{ path: ['mappings', 0, 'keyProperty'] }] });
    expect(await allRecords(f.products)).toHaveLength(0);
    expect(await allRecords(f.orders)).toHaveLength(0);
  });

  it('refuses an entity without its key, naming the field', async () => {
    const f = entityFixture(h);
    const attempt = insertWithEntities(f.resolver(), { orderId: 'A', product: widget, customer: { name: 'No Key' } }, f.mappings);

    await expect(attempt).rejects.toMatchObject({ issues: [{ path: ['record', 'customer', 'customerId'] }] });
    expect(await allRecords(f.products)).toHaveLength(0);
  });

  it('refuses malformed mappings with every problem listed', async () => {
    const f = entityFixture(h);
    const bad = [
      { property: 'customer', collection: '', keyProperty: 'customerId' },
      { property: 'customer', collection: 'x', keyProperty: 'id', tier: 'galaxy' },
    ];
    // @ts-expect-error the tier is deliberately not one of the allowed values
    const attempt = insertWithEntities(f.resolver(), { orderId: 'A', customer: john }, bad);

    await expect(attempt).rejects.toMatchObject({
      issues: [{ path: ['mappings', 0, 'collection'] }, { path: ['mappings', 1, 'tier'] }, { path: ['mappings', 1, 'property'] }],
    });
    expect(await allRecords(f.customers)).toHaveLength(0);
  });

  it('refuses a mapping to a tier that is not configured before saving the entities before it', async () => {
    const f = entityFixture(h);
    const mappings = [...f.mappings, { property: 'supplier', collection: 'suppliers', keyProperty: 'supplierId', tier: 'generic' as const }];
    const attempt = insertWithEntities(f.resolver(), { orderId: 'A', customer: john, supplier: { supplierId: 'S1' } }, mappings);

    await expect(attempt).rejects.toBeInstanceOf(RouteError);
    expect(await allRecords(f.customers)).toHaveLength(0);
  });

  it('refuses _system on the record itself', async () => {
    const f = entityFixture(h);
    const attempt = insertWithEntities(f.resolver(), { orderId: 'A', customer: john, _system: {} }, f.mappings);

    await expect(attempt).rejects.toMatchObject({ issues: [{ path: ['record', '_system'] }] });
    expect(await allRecords(f.customers)).toHaveLength(0);
  });
});

describe('a failure part-way', () => {
  it('leaves the entities and no order when the order create fails after them, and a retry then succeeds', async () => {
    const f = entityFixture(h);
    let crash = true;
    const flaky = f.ordersWithFaults((step, info) => {
      if (crash && info.op === 'create' && step === 'payload-written') throw new Error('process died');
    });
    const order = { orderId: 'ORD-1', customer: john, product: widget };

    await expect(insertWithEntities(f.resolver(flaky), order, f.mappings)).rejects.toThrow(/payload-written/);
    expect(await allRecords(f.customers)).toHaveLength(1);
    expect(await allRecords(f.products)).toHaveLength(1);
    expect(await allRecords(f.orders)).toHaveLength(0);

    crash = false;
    const retry = await insertWithEntities(f.resolver(flaky), order, f.mappings);
    expect(retry.entityResults.get('customer')?.operation).toBe('unchanged');
    expect(retry.entityResults.get('product')?.operation).toBe('unchanged');
    expect(await allRecords(f.orders)).toEqual([expect.objectContaining({ _id: retry.mainRecordId, orderId: 'ORD-1' })]);
  });
});
