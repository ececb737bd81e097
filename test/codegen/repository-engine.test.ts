/**
 * The generated repositories on the real engine (FerretDB and a local storage folder), after
 * `migrate` has built the indexes: validation happens before anything is written, and what
 * comes back has the declared shape.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../cli/migrate/migrate.js';
import { listDatabaseTargets } from '../../cli/migrate/targets.js';
import { parseConfig } from '../../runtime/config/parse-config.js';
import type { ChronosConfig } from '../../runtime/config/schema.js';
import { ConfigError, ConflictError, ValidationError, initChronos, type Chronos } from '../../runtime/index.js';
import { collections, createRepositories, type OrdersInput, type Repositories } from '../../generated/index.js';
import { testServers, uniqueName } from '../support/servers.js';

let chronos: Chronos;
let repos: Repositories;

beforeAll(async () => {
  const config: ChronosConfig = {
    dbConnections: { main: { mongoUri: testServers().mongoUri } },
    localStorage: { enabled: true, basePath: mkdtempSync(join(tmpdir(), 'chronos-codegen-')) },
    databases: {
      metadata: { tenantDatabases: [{ tenantId: 'acme', dbConnRef: 'main', dbName: uniqueName('cg_md') }] },
      knowledge: { domainsDatabases: [{ domain: 'retail', dbConnRef: 'main', dbName: uniqueName('cg_kn') }] },
      runtime: { tenantDatabases: [{ tenantId: 'acme', dbConnRef: 'main', dbName: uniqueName('cg_rt') }] },
    },
    collections,
  };
  const migrated = await migrate({ targets: listDatabaseTargets(parseConfig(config)), collections });
  expect(migrated.ok).toBe(true);
  chronos = initChronos(config);
  repos = createRepositories(chronos);
});

afterAll(async () => {
  await chronos?.admin.shutdown();
});

const order = (orderId: string): OrdersInput => ({
  orderId,
  status: 'placed',
  quantity: 1,
  total: 25,
  placedAt: '2026-11-25T10:00:00.000Z',
  customer: { customerId: `C-${orderId}`, name: 'Ada', email: 'ada@example.com' },
  product: { productId: 'P-1', name: 'Widget', price: 25 },
});

describe('createRepositories and the declarations', () => {
  it('refuses an instance that was not given the generated collections, naming them', async () => {
    const bare = initChronos({ dbConnections: chronos.config.dbConnections, localStorage: chronos.config.localStorage, databases: {} });
    const error = (() => {
      try {
        createRepositories(bare);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/pass the generated `collections` to initChronos/);
    expect((error as ConfigError).issues.map((i) => i.path.join('.'))).toEqual(['collections.auditEvents', 'collections.customers', 'collections.orders', 'collections.products']);
    await bare.admin.shutdown();
  });
});

describe('typed repositories on the engine', () => {
  it('stores the parsed record and reads it back with its declared shape', async () => {
    const shop = repos.runtime.tenant('acme', { domain: 'retail' }).orders;
    const { id } = await shop.create(order('ORD-1'), 'test');
    const latest = await shop.getLatest(id);
    expect(latest?.customer.tier).toBe('standard');
    expect(latest?.product.tags).toEqual([]);
    expect(latest?._system.ov).toBe(0);
  });

  it('writes nothing when the input is invalid', async () => {
    const shop = repos.runtime.tenant('acme', { domain: 'retail' }).orders;
    const error = await shop.create({ ...order('ORD-BAD'), total: -1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path.join('.'))).toEqual(['total']);
    expect((await shop.listByMeta({ filter: { orderId: 'ORD-BAD' } })).items).toEqual([]);
  });

  it('leaves the record unchanged when an enrichment is invalid', async () => {
    const shop = repos.runtime.tenant('acme', { domain: 'retail' }).orders;
    const { id } = await shop.create(order('ORD-2'));
    await expect(shop.enrich(id, { customer: { email: 'nope' } })).rejects.toBeInstanceOf(ValidationError);
    expect((await shop.getLatest(id))?._system.ov).toBe(0);
  });

  it('finds records by indexed props, nested ones included', async () => {
    const shop = repos.runtime.tenant('acme', { domain: 'retail' }).orders;
    await shop.create(order('ORD-3'));
    const page = await shop.listByMeta({ filter: { 'customer.customerId': 'C-ORD-3', status: 'placed' } });
    expect(page.items.map((o) => o.orderId)).toEqual(['ORD-3']);
  });

  it('saves and fetches entities in their own tiers', async () => {
    const shop = repos.runtime.tenant('acme', { domain: 'retail' }).orders;
    const saved = await shop.insertWithEntities(order('ORD-4'), 'test');
    expect(saved.entityResults.customer?.operation).toBe('created');
    const read = await shop.getWithEntities(saved.mainRecordId);
    expect(read.entityRecords.customer?.customerId).toBe('C-ORD-4');
    expect(read.entityRecords.product?.productId).toBe('P-1');
    const stored = await repos.metadata.tenant('acme').customers.listByMeta({ filter: { customerId: 'C-ORD-4' } });
    expect(stored.items.map((c) => c.name)).toEqual(['Ada']);
  });
});

describe('typed writes pass the engine options through', () => {
  it('tags the version a typed update wrote with its opId, so a retry refused by expectedOv leaves one version with it', async () => {
    const shop = repos.runtime.tenant('acme', { domain: 'retail' }).orders;
    const { id } = await shop.create(order('ORD-OP'));
    const first = await shop.update(id, { ...order('ORD-OP'), quantity: 2 }, 0, 'test', 'retry check', { opId: 'op-typed-update' });
    expect(first.ov).toBe(1);
    const retry = await shop.update(id, { ...order('ORD-OP'), quantity: 2 }, 0, 'test', 'retry check', { opId: 'op-typed-update' }).catch((e: unknown) => e);
    expect(retry).toBeInstanceOf(ConflictError);
    const history = await shop.history(id);
    expect(history.filter((v) => v.opId === 'op-typed-update').map((v) => v.ov)).toEqual([1]);
    expect((await shop.getLatest(id))?._system.ov).toBe(1);
  });

  it('passes a typed createMany its batchSize (an invalid one is refused by the engine, naming it)', async () => {
    const shop = repos.runtime.tenant('acme', { domain: 'retail' }).orders;
    const made = await shop.createMany([order('ORD-B1'), order('ORD-B2'), order('ORD-B3')], 'test', undefined, { batchSize: 2 });
    expect(made.map((r) => r.ov)).toEqual([0, 0, 0]);
    const error = await shop.createMany([order('ORD-B4')], 'test', undefined, { batchSize: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path.join('.'))).toEqual(['options.batchSize']);
  });

  it('tags a typed delete with its opId', async () => {
    const shop = repos.runtime.tenant('acme', { domain: 'retail' }).orders;
    const { id } = await shop.create(order('ORD-DEL'));
    const deleted = await shop.delete(id, 0, 'test', undefined, { opId: 'op-typed-delete' });
    expect((await shop.history(id)).find((v) => v.opId === 'op-typed-delete')?.ov).toBe(deleted.ov);
  });

  it('refuses a typed restore whose expectedOv is stale, and writes nothing', async () => {
    const shop = repos.runtime.tenant('acme', { domain: 'retail' }).orders;
    const { id } = await shop.create(order('ORD-RS'));
    await shop.update(id, { ...order('ORD-RS'), quantity: 3 });
    const stale = await shop.restoreObject(id, { ov: 0 }, 'test', undefined, { expectedOv: 0 }).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(ConflictError);
    expect((await shop.getLatest(id))?.quantity).toBe(3);
    const restored = await shop.restoreObject(id, { ov: 0 }, 'test', undefined, { expectedOv: 1 });
    expect(restored.ov).toBe(2);
    expect((await shop.getLatest(id))?.quantity).toBe(1);
  });
});
