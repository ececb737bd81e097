/**
 * The generated repositories over a recording stand-in for the engine (the engine lands on its own
 * branch): they validate before any call reaches it, and send plain data, filters and mappings.
 */
import { describe, expect, it } from 'vitest';
import { createRepositories, type OrdersInput } from '../../generated/index.js';
import { ValidationError, type ChronosLike, type CollectionOps, type RouteContextLike } from '../../runtime/index.js';

interface Call {
  context: RouteContextLike;
  method: string;
  args: unknown[];
}

/** Records every call; answers with fixed results so the typed layer's mapping can be checked. */
function recordingChronos(): { chronos: ChronosLike; calls: Call[] } {
  const calls: Call[] = [];
  const answers: Record<string, unknown> = {
    create: { id: 'o1', ov: 0, cv: 1, createdAt: '2026-01-01T00:00:00.000Z' },
    insertWithEntities: { mainRecordId: 'o1', entityResults: new Map([['customer', { id: 'c1', operation: 'created' }]]) },
    getWithEntities: { mainRecord: null, entityRecords: new Map([['product', { _id: 'p1', productId: 'P1' }]]) },
    listByMeta: { items: [] },
  };
  const chronos: ChronosLike = {
    with(context) {
      return new Proxy({} as CollectionOps, {
        get: (_target, method: string) => async (...args: unknown[]) => {
          calls.push({ context, method, args });
          return answers[method] ?? null;
        },
      });
    },
  };
  return { chronos, calls };
}

const order: OrdersInput = {
  orderId: 'ORD-1',
  status: 'placed',
  quantity: 2,
  total: 199.98,
  placedAt: '2026-11-25T10:00:00.000Z',
  customer: { customerId: 'C-1', name: 'Ada', email: 'ada@example.com' },
  product: { productId: 'P-1', name: 'Widget', price: 99.99 },
};

describe('writes are validated before anything reaches the engine', () => {
  it('refuses an invalid record with zod issue paths and calls nothing', async () => {
    const { chronos, calls } = recordingChronos();
    const orders = createRepositories(chronos).runtime.tenant('acme', { domain: 'retail' }).orders;
    const bad = { ...order, quantity: 0, customer: { ...order.customer, email: 'not-an-email' } };
    const error = await orders.create(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path.join('.'))).toEqual(['quantity', 'customer.email']);
    expect(calls).toEqual([]);
  });

  it('refuses _system in caller input', async () => {
    const { chronos, calls } = recordingChronos();
    const orders = createRepositories(chronos).runtime.tenant('acme', { domain: 'retail' }).orders;
    const error = await orders.update('o1', { ...order, _system: { ov: 9 } } as OrdersInput).catch((e: unknown) => e);
    expect((error as ValidationError).issues[0]?.path).toEqual(['_system']);
    expect(calls).toEqual([]);
  });

  it('refuses the whole batch of createMany when one record is invalid', async () => {
    const { chronos, calls } = recordingChronos();
    const orders = createRepositories(chronos).runtime.tenant('acme', { domain: 'retail' }).orders;
    const error = await orders.createMany([order, { ...order, total: -1 }]).catch((e: unknown) => e);
    expect((error as ValidationError).issues.map((i) => i.path.join('.'))).toEqual(['1.total']);
    expect(calls).toEqual([]);
  });

  it('validates an enrichment against the deep-partial schema without applying defaults', async () => {
    const { chronos, calls } = recordingChronos();
    const customers = createRepositories(chronos).metadata.tenant('acme').customers;
    await expect(customers.enrich('c1', { email: 'nope' })).rejects.toBeInstanceOf(ValidationError);
    await customers.enrich('c1', { name: 'Ada L.' }, { functionId: 'rename' });
    expect(calls.map((c) => [c.method, c.args])).toEqual([['enrich', ['c1', { name: 'Ada L.' }, { functionId: 'rename' }]]]);
  });
});

describe('what the repositories send', () => {
  it('routes each collection to its declared database type, tier and scope', async () => {
    const { chronos, calls } = recordingChronos();
    const repos = createRepositories(chronos);
    await repos.metadata.tenant('acme').customers.getLatest('o1');
    await repos.knowledge.domain('retail').products.history('p1');
    await repos.logs.auditEvents.delete('e1', 3);
    await repos.runtime.tenant('acme', { domain: 'retail' }).orders.getLatest('o2');
    expect(calls.map((c) => c.context)).toEqual([
      { databaseType: 'metadata', tier: 'tenant', tenantId: 'acme', collection: 'customers' },
      { databaseType: 'knowledge', tier: 'domain', domain: 'retail', collection: 'products' },
      { databaseType: 'logs', tier: 'single', collection: 'auditEvents' },
      // The extra scope routes the order's entities (its product lives in knowledge/domain).
      { databaseType: 'runtime', tier: 'tenant', tenantId: 'acme', domain: 'retail', collection: 'orders' },
    ]);
  });

  it('sends the parsed record, with defaults applied', async () => {
    const { chronos, calls } = recordingChronos();
    await createRepositories(chronos).runtime.tenant('acme', { domain: 'retail' }).orders.create(order, 'api', 'checkout');
    expect(calls[0]?.args).toEqual([
      { ...order, customer: { ...order.customer, tier: 'standard' }, product: { ...order.product, tags: [] } },
      'api',
      'checkout',
      undefined,
    ]);
  });

  it('passes a listByMeta filter through as a plain find filter', async () => {
    const { chronos, calls } = recordingChronos();
    const query = { filter: { status: { $in: ['paid' as const, 'shipped' as const] }, 'customer.customerId': 'C-1' }, sort: { total: -1 as const }, limit: 10 };
    await createRepositories(chronos).runtime.tenant('acme', { domain: 'retail' }).orders.listByMeta(query);
    expect(calls[0]?.args[0]).toEqual({ filter: { status: { $in: ['paid', 'shipped'] }, 'customer.customerId': 'C-1' }, sort: { total: -1 }, limit: 10 });
  });

  it('sends the declared entity mappings and returns results keyed by property', async () => {
    const { chronos, calls } = recordingChronos();
    const orders = createRepositories(chronos).runtime.tenant('acme', { domain: 'retail' }).orders;
    const saved = await orders.insertWithEntities(order, 'api');
    expect(calls[0]?.args[1]).toEqual([
      { property: 'customer', collection: 'customers', keyProperty: 'customerId', databaseType: 'metadata', tier: 'tenant' },
      { property: 'product', collection: 'products', keyProperty: 'productId', databaseType: 'knowledge', tier: 'domain' },
    ]);
    expect(saved).toEqual({ mainRecordId: 'o1', entityResults: { customer: { id: 'c1', operation: 'created' } } });
    const read = await orders.getWithEntities('o1');
    expect(read.entityRecords.product).toEqual({ _id: 'p1', productId: 'P1' });
  });

  it('refuses an embedded entity that breaks its own collection schema', async () => {
    const { chronos, calls } = recordingChronos();
    const orders = createRepositories(chronos).runtime.tenant('acme', { domain: 'retail' }).orders;
    const error = await orders.insertWithEntities({ ...order, product: { ...order.product, price: -5 } }).catch((e: unknown) => e);
    expect((error as ValidationError).issues.map((i) => i.path.join('.'))).toEqual(['product.price']);
    expect(calls).toEqual([]);
  });
});
