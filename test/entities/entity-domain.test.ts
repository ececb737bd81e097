/**
 * Which domain an entity mapped into a domain tier lands in (docs/design.md, "Decisions the code
 * relies on"): the mapping's `domain`, else the calling context's, else the only domain configured
 * for that database type; otherwise a RouteError listing the choices. Starts with the chronos-db
 * insertWithEntities example, which names no domain anywhere.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { RouteError, initChronos, type Chronos, type EntityMapping } from '../../runtime/index.js';
import { testConfig } from '../support/chronos-config.js';

const opened: Chronos[] = [];
afterAll(async () => {
  for (const chronos of opened) await chronos.admin.shutdown();
});

function open(config: Parameters<typeof initChronos>[0]): Chronos {
  const chronos = initChronos(config);
  opened.push(chronos);
  return chronos;
}

// The mappings of the chronos-db insertWithEntities example, verbatim.
const entityMappings: EntityMapping[] = [
  { property: 'customer', collection: 'customers', keyProperty: 'customerId', databaseType: 'metadata', tier: 'tenant' },
  { property: 'product', collection: 'products', keyProperty: 'productId', databaseType: 'knowledge', tier: 'domain' },
];

const order = (orderId: string, productId: string) => ({
  orderId,
  customer: { customerId: 'CUST-456', name: 'John Doe', email: 'john@example.com' },
  product: { productId, name: 'Widget', price: 99.99 },
  quantity: 2,
});

describe('the domain of a domain-tier entity', () => {
  it('is the only configured domain when neither the mapping nor the context names one (the chronos-db example)', async () => {
    const chronos = open(testConfig('local'));
    const ops = chronos.with({ databaseType: 'runtime', tier: 'tenant', tenantId: 'acme', collection: 'orders' });
    const result = await ops.insertWithEntities(order('ORD-123', 'PROD-789'), entityMappings, 'order-system', 'new order created');
    expect(result.entityResults.get('product')?.operation).toBe('created');
    const products = chronos.with({ databaseType: 'knowledge', tier: 'domain', domain: 'retail', collection: 'products' });
    expect((await products.listByMeta({ filter: { productId: 'PROD-789' } })).items).toHaveLength(1);
  });

  const twoDomains = () => {
    const config = testConfig('local');
    const knowledge = config.databases.knowledge!;
    const retail = knowledge.domainsDatabases![0]!;
    knowledge.domainsDatabases = [retail, { ...retail, domain: 'finance', dbName: `${retail.dbName}_fin` }];
    return open(config);
  };

  it('is refused with a RouteError listing the choices when several are configured and none is named', async () => {
    const chronos = twoDomains();
    const ops = chronos.with({ databaseType: 'runtime', tier: 'tenant', tenantId: 'acme', collection: 'orders' });
    const error = await ops.insertWithEntities(order('ORD-124', 'PROD-1'), entityMappings).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RouteError);
    expect((error as RouteError).message).toMatch(/configured: retail, finance/);
    expect((await ops.listByMeta({ filter: { orderId: 'ORD-124' } })).items).toEqual([]);
  });

  it("is the mapping's domain first, then the context's", async () => {
    const chronos = twoDomains();
    const inFinance = entityMappings.map((m) => (m.tier === 'domain' ? { ...m, domain: 'finance' } : m));
    const ops = chronos.with({ databaseType: 'runtime', tier: 'tenant', tenantId: 'acme', domain: 'retail', collection: 'orders' });
    await ops.insertWithEntities(order('ORD-125', 'PROD-FIN'), inFinance);
    await ops.insertWithEntities(order('ORD-126', 'PROD-RET'), entityMappings);
    const productsIn = (domain: string) => chronos.with({ databaseType: 'knowledge', tier: 'domain', domain, collection: 'products' });
    expect((await productsIn('finance').listByMeta({ filter: { productId: 'PROD-FIN' } })).items).toHaveLength(1);
    expect((await productsIn('retail').listByMeta({ filter: { productId: 'PROD-FIN' } })).items).toEqual([]);
    expect((await productsIn('retail').listByMeta({ filter: { productId: 'PROD-RET' } })).items).toHaveLength(1);
  });
});
