/**
 * A small shop on Chronos, end to end, through the generated repositories: orders in each
 * tenant's runtime database, their customers in the tenant's metadata and their products in the
 * domain's knowledge base, then history, time travel, restore and counters; the messaging and
 * identities databases at the end. Run it with `npm run demo` (MONGODB_URI comes from the test
 * servers; payloads go to a local folder).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initChronos } from '../runtime/index.js';
import { collections, createRepositories } from '../generated/index.js';
import { mongoUriForExample } from './mongo-uri.js';

const say = (step: string, value?: unknown): void => {
  console.log(`\n▸ ${step}`);
  if (value !== undefined) console.log(JSON.stringify(value, (_key, v: unknown) => (v instanceof Map ? Object.fromEntries(v) : v), 2));
};

const run = Date.now().toString(36);
const uri = await mongoUriForExample();
const basePath = mkdtempSync(join(tmpdir(), 'chronos-example-'));

const chronos = initChronos({
  dbConnections: { main: { mongoUri: uri } },
  spacesConnections: {},
  localStorage: { enabled: true, basePath },
  databases: {
    metadata: { tenantDatabases: [{ tenantId: 'acme', dbConnRef: 'main', dbName: `shop_${run}_meta_acme` }] },
    knowledge: { domainsDatabases: [{ domain: 'retail', dbConnRef: 'main', dbName: `shop_${run}_kn_retail` }] },
    runtime: {
      tenantDatabases: [{ tenantId: 'acme', dbConnRef: 'main', dbName: `shop_${run}_rt_acme`, analyticsDbName: `shop_${run}_an_acme` }],
    },
    logs: { dbConnRef: 'main', dbName: `shop_${run}_logs` },
    messaging: { dbConnRef: 'main', dbName: `shop_${run}_messaging`, captureDeliveries: true },
    identities: { dbConnRef: 'main', dbName: `shop_${run}_identities` },
  },
  // The declarations are the single source of indexed props, base64 props, counter rules and validation.
  collections,
});

try {
  console.log(`Chronos example: Mongo at ${uri.replace(/\/\/[^@]*@/, '//')}, payloads in ${basePath}`);
  const repos = createRepositories(chronos);
  const shop = repos.runtime.tenant('acme', { domain: 'retail' });

  const order = {
    orderId: 'ORD-1001',
    status: 'placed' as const,
    quantity: 2,
    total: 1299.5,
    placedAt: new Date().toISOString(),
    customer: { customerId: 'CUST-7', name: 'Ada Lovelace', email: 'ada@example.com' },
    product: { productId: 'PROD-42', name: 'Analytical Engine', price: 649.75, tags: ['steam'] },
  };
  const first = await shop.orders.insertWithEntities(order, 'shop-api', 'checkout');
  say('insertWithEntities: the order, its customer (metadata/tenant) and product (knowledge/domain)', first);

  const second = await shop.orders.insertWithEntities({ ...order, orderId: 'ORD-1002', total: 649.75, quantity: 1 }, 'shop-api', 'checkout');
  say('a second order for the same customer and product leaves both entities unchanged', second.entityResults);

  const id = first.mainRecordId;
  const paid = await shop.orders.update(id, { ...order, status: 'paid' }, 0, 'billing', 'payment captured');
  say('update with optimistic locking (expectedOv 0)', paid);

  const enriched = await shop.orders.enrich(id, { shipping: { country: 'GB', city: 'London' }, product: { tags: ['gift'] } }, { functionId: 'address-enricher@v1' });
  say('enrich: deep merge, arrays unioned, functionId recorded', enriched);

  const latest = await shop.orders.getLatest(id);
  say('getLatest', { status: latest?.status, shipping: latest?.shipping, tags: latest?.product.tags, _system: latest?._system });

  const history = await shop.orders.history(id);
  say('history', history);

  const v1At = history.find((v) => v.ov === 1)?.at as string;
  const asOf = await shop.orders.getAsOf(id, v1At);
  say(`getAsOf(${v1At}) sees version 1`, { ov: asOf?._system.ov, status: asOf?.status, shipping: asOf?.shipping ?? null });

  const restored = await shop.orders.restoreObject(id, { ov: 0 }, 'support', 'customer asked to undo');
  say('restore to ov 0: a new version equal to the first', restored);
  say('after restore', { status: (await shop.orders.getLatest(id))?.status, ov: (await shop.orders.getLatest(id))?._system.ov });

  const paidOrders = await shop.orders.listByMeta({ filter: { status: 'placed' }, sort: { total: -1 }, limit: 10 });
  say('listByMeta({ status: "placed" }) sorted by total', paidOrders.items.map((o) => ({ orderId: o.orderId, total: o.total })));

  const withEntities = await shop.orders.getWithEntities(id);
  say('getWithEntities', { customer: withEntities.entityRecords.customer?.name, product: withEntities.entityRecords.product?.name });

  await repos.logs.auditEvents.create({ action: 'order.restored', actor: 'support', tenantId: 'acme' });

  await chronos.admin.flush();
  const dbName = chronos.config.databases.runtime?.tenantDatabases[0]?.dbName as string;
  say('counters of orders', await chronos.counters.getTotals({ dbName, collection: 'orders' }));

  const m = chronos.messaging('acme');
  await m.topics.ensure({ topic: 'orders', shards: 2 });
  await m.messages.save({ topic: 'orders', msgId: 'ORD-1001:paid', payload: { orderId: 'ORD-1001' } });
  const dup = await m.messages.save({ topic: 'orders', msgId: 'ORD-1001:paid', payload: { orderId: 'ORD-1001' } });
  const plan = await m.shared.save({ namespace: 'fulfilment', key: 'ORD-1001', val: { step: 'pack' }, strategy: 'append' });
  say('messaging: duplicate message ignored, shared memory appended', { duplicateInserted: dup.inserted, planVersion: plan.version });

  const users = chronos.with({ databaseType: 'identities', tenantId: 'acme', collection: 'users' });
  const user = await users.create({ email: 'ada@example.com', role: 'admin' });
  await users.update(user.id, { email: 'ada@example.com', role: 'owner' }, 0);
  say('identities: created and updated with optimistic locking', await users.getLatest(user.id));

  say('health', await chronos.admin.health());
  console.log('\nDone.');
} finally {
  await chronos.admin.shutdown();
}
