/**
 * Type tests of the generated repositories, checked by `tsc --noEmit` (and by `vitest --typecheck`).
 * Each `@ts-expect-error` line must fail to compile; each `expectTypeOf` must hold.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { ChronosRecord, CreateResult, EntityResult, ListPage } from '../../runtime/index.js';
import type {
  CustomersRecord,
  CustomersRepository,
  OrdersData,
  OrdersInput,
  OrdersRecord,
  OrdersRepository,
  ProductsRecord,
  Repositories,
} from '../../generated/index.js';

declare const repos: Repositories;
declare const orders: OrdersRepository;
declare const input: OrdersInput;

describe('typed access by database type and tier', () => {
  it('gives a tenant-tier collection per tenant', () => {
    expectTypeOf(repos.runtime.tenant('acme', { domain: 'retail' }).orders).toEqualTypeOf<OrdersRepository>();
    expectTypeOf(repos.metadata.tenant('acme').customers).toEqualTypeOf<CustomersRepository>();
  });

  it('requires a domain for a repository whose entities go to a domain tier', () => {
    // @ts-expect-error orders map products into knowledge/domain: name the domain
    void repos.runtime.tenant('acme').orders.create(input);
    // @ts-expect-error an empty scope names no domain either
    void repos.runtime.tenant('acme', {}).orders.create(input);
  });

  it('does not offer a tenant-only collection in the generic tier', () => {
    // @ts-expect-error runtime has no generic tier with orders
    void repos.runtime.generic;
    // @ts-expect-error customers are placed in metadata/tenant only
    void repos.metadata.generic;
    // @ts-expect-error products live in knowledge, not metadata
    void repos.metadata.tenant('acme').products.getLatest('p1');
  });

  it('requires the scope of a scoped tier', () => {
    // @ts-expect-error a tenant tier needs the tenant id
    void repos.runtime.tenant().orders;
  });
});

describe('writes accept only the declared shape', () => {
  it('accepts an input with defaults left out', () => {
    expectTypeOf(orders.create).parameter(0).toEqualTypeOf<OrdersInput>();
    expectTypeOf(orders.create(input)).resolves.toEqualTypeOf<CreateResult>();
  });

  it('refuses an unknown field', () => {
    // @ts-expect-error `colour` is not a field of orders
    void orders.create({ ...input, colour: 'red' });
  });

  it('refuses a wrong value type', () => {
    // @ts-expect-error quantity is a number
    void orders.create({ ...input, quantity: '2' });
    // @ts-expect-error status is one of the declared values
    void orders.create({ ...input, status: 'lost' });
  });

  it('takes a deep-partial enrichment but not a wrong type inside it', () => {
    void orders.enrich('id', { customer: { name: 'New name' } });
    // @ts-expect-error customer.name is a string
    void orders.enrich('id', { customer: { name: 42 } });
  });
});

describe('listByMeta filters and sorts on indexed props only', () => {
  it('accepts indexed props with their types, including declared nested paths', () => {
    void orders.listByMeta({ filter: { status: 'paid', total: { $gte: 100 }, 'customer.customerId': 'c1' }, sort: { total: -1 } });
    void orders.listByMeta({ sort: { updatedAt: 1 } });
  });

  it('accepts the _system fields the runtime filters and sorts on, with their types', () => {
    void orders.listByMeta({ filter: { '_system.deleted': false, '_system.ov': { $gte: 1 }, '_system.updatedAt': { $gt: new Date() } }, sort: { '_system.cv': -1 } });
    void orders.listByMeta({ filter: { '_system.functionIds': 'scorer@v1', '_system.parentId': { $exists: true }, _id: { $in: ['a'] } } });
    // @ts-expect-error _system.deleted is a boolean
    void orders.listByMeta({ filter: { '_system.deleted': 'no' } });
    // @ts-expect-error _system.ov is a number
    void orders.listByMeta({ filter: { '_system.ov': { $gt: 'one' } } });
    // @ts-expect-error there is no _system.version
    void orders.listByMeta({ filter: { '_system.version': 1 } });
  });

  it('refuses a non-indexed field in a filter', () => {
    // @ts-expect-error quantity is not indexed
    void orders.listByMeta({ filter: { quantity: 2 } });
  });

  it('refuses a wrong value type in a filter', () => {
    // @ts-expect-error total is a number
    void orders.listByMeta({ filter: { total: { $gte: 'many' } } });
  });

  it('refuses a non-indexed field in a sort', () => {
    // @ts-expect-error quantity is not indexed
    void orders.listByMeta({ sort: { quantity: 1 } });
  });

  it('refuses server-side JavaScript operators', () => {
    // @ts-expect-error $where is not a filter operator
    void orders.listByMeta({ filter: { status: { $where: 'sleep(1000)' } } });
  });
});

describe('reads infer precise record types', () => {
  it('types getLatest, getAsOf and listByMeta results', async () => {
    expectTypeOf(orders.getLatest('id')).resolves.toEqualTypeOf<OrdersRecord | null>();
    expectTypeOf(orders.getAsOf('id', new Date())).resolves.toEqualTypeOf<OrdersRecord | null>();
    expectTypeOf(orders.listByMeta()).resolves.toEqualTypeOf<ListPage<OrdersData>>();
    const record = await orders.getLatest('id');
    if (record) {
      expectTypeOf(record.status).toEqualTypeOf<'placed' | 'paid' | 'shipped' | 'cancelled'>();
      expectTypeOf(record.customer.tier).toEqualTypeOf<'standard' | 'premium'>();
      expectTypeOf(record._system.ov).toEqualTypeOf<number>();
      expectTypeOf(record).toMatchTypeOf<ChronosRecord<OrdersData>>();
    }
  });
});

describe('entity methods follow the declared mappings', () => {
  it('types entity results and records by property', async () => {
    const saved = await orders.insertWithEntities(input);
    expectTypeOf(saved.entityResults.customer).toEqualTypeOf<EntityResult | undefined>();
    const read = await orders.getWithEntities('id');
    expectTypeOf(read.entityRecords.customer).toEqualTypeOf<CustomersRecord | undefined>();
    expectTypeOf(read.entityRecords.product).toEqualTypeOf<ProductsRecord | undefined>();
  });

  it('refuses a property that is not a declared entity', async () => {
    const read = await orders.getWithEntities('id');
    // @ts-expect-error orders has no `shipping` entity
    void read.entityRecords.shipping;
    const saved = await orders.insertWithEntities(input);
    // @ts-expect-error `custmer` is misspelt
    void saved.entityResults.custmer;
  });
});

describe('typed writes take the engine options', () => {
  it('takes an opId on update and delete and an expectedOv on restores', () => {
    void orders.update('id', input, 0, 'actor', 'reason', { opId: 'op-1' });
    void orders.delete('id', 0, 'actor', 'reason', { opId: 'op-2' });
    void orders.restoreObject('id', { ov: 0 }, 'actor', 'reason', { expectedOv: 1 });
    void orders.restore('id', { ov: 0 }, 'actor', 'reason', { expectedOv: 1 });
    void orders.enrich('id', { quantity: 2 }, { opId: 'op-3', expectedOv: 1 });
    void orders.create(input, 'actor', 'reason', { opId: 'op-4' });
    void orders.createMany([input, input], 'actor', 'reason', { batchSize: 50 });
  });

  it('refuses options of the wrong type', () => {
    // @ts-expect-error an opId is a string
    void orders.update('id', input, 0, 'actor', 'reason', { opId: 1 });
    // @ts-expect-error a restore's expectedOv is a number
    void orders.restoreObject('id', { ov: 0 }, 'actor', 'reason', { expectedOv: '1' });
    // @ts-expect-error a batch size is a number
    void orders.createMany([input], 'actor', 'reason', { batchSize: '50' });
    // @ts-expect-error delete takes no expectedOv in its options (it is the second argument)
    void orders.delete('id', 0, 'actor', 'reason', { expectedOv: 0 });
  });
});

