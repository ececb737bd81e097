/**
 * Counters through `initChronos`: writes replayed by the fallback queue are counted exactly once,
 * `admin.reconcile()` never counts twice, and parallel writers are counted exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initChronos, type Chronos } from '../../runtime/chronos.js';
import { testConfig } from '../support/chronos-config.js';
import { testServers } from '../support/servers.js';
import { startSwitchableProxy, type SwitchableProxy } from '../support/switchable-proxy.js';

let proxy: SwitchableProxy;
let chronos: Chronos;
let dbName: string;

beforeAll(async () => {
  proxy = await startSwitchableProxy(testServers().s3.endpoint);
  const config = testConfig('s3', {
    fallback: { enabled: true, maxRetries: 5, retryDelayMs: 1, maxDelayMs: 5 },
    counterRules: { rules: [{ name: 'paid', on: ['CREATE', 'UPDATE'], scope: 'meta', when: { status: 'paid' }, countUnique: ['customerId'] }] },
  });
  config.spacesConnections!['s3']!.endpoint = proxy.endpoint;
  chronos = initChronos(config);
  dbName = chronos.config.databases.runtime!.tenantDatabases[0]!.dbName;
});

afterAll(async () => {
  await chronos.admin.shutdown();
  await proxy.close();
});

const ctx = { databaseType: 'runtime' as const, tenantId: 'acme', collection: 'orders' };

describe('counters of replayed writes', () => {
  it('counts a write the fallback queue replayed exactly once, through drains and reconciles', async () => {
    await chronos.withFallback(ctx).create({ orderId: 'direct', status: 'paid', customerId: 'c1' });
    proxy.setUp(false);
    const queued = await chronos.withFallback(ctx).create({ orderId: 'queued', status: 'paid', customerId: 'c2' });
    expect(queued).toMatchObject({ queued: true });
    proxy.setUp(true);
    await chronos.fallback.drain();
    await chronos.fallback.drain();
    await chronos.admin.flush();
    const expected = { created: 2, rules: { paid: { created: 2, unique: { customerId: 2 } } } };
    expect(await chronos.counters.getTotals({ dbName, collection: 'orders' })).toMatchObject(expected);
    const report = await chronos.admin.reconcile({ graceMs: 0 });
    expect(report.counters.uncounted).toEqual([]);
    await chronos.fallback.drain();
    await chronos.admin.flush();
    expect(await chronos.counters.getTotals({ dbName, collection: 'orders' })).toMatchObject(expected);
  });
});

describe('counters of parallel writers', () => {
  it('counts 30 parallel creates exactly and reconcile finds nothing left to count', async () => {
    const handle = chronos.with({ ...ctx, tenantId: 'globex' });
    const globex = { dbName: chronos.config.databases.runtime!.tenantDatabases[1]!.dbName, collection: 'orders' };
    await Promise.all(Array.from({ length: 30 }, (_, i) => handle.create({ orderId: `o${i}`, status: 'paid', customerId: `c${i % 4}` })));
    await chronos.admin.flush();
    const totals = await chronos.counters.getTotals(globex);
    expect([totals.created, totals.rules.paid?.created, totals.rules.paid?.unique]).toEqual([30, 30, { customerId: 4 }]);
    const report = await chronos.admin.reconcile({ graceMs: 0 });
    expect(report.counters.uncounted).toEqual([]);
    expect(await chronos.counters.getTotals(globex)).toEqual(totals);
  });
});

describe('counters after a process died with writes in memory', () => {
  it('counts them in admin.reconcile() of another instance, and never twice when the first one flushes late', async () => {
    const config = testConfig('local', {
      writeOptimization: { debounceMs: 3_600_000 },
      counterRules: { rules: [{ name: 'paid', on: ['CREATE', 'UPDATE'], scope: 'meta', when: { status: 'paid' }, countUnique: ['customerId'] }] },
    });
    const dying = initChronos(config);
    const survivor = initChronos(config);
    const rt = { dbName: dying.config.databases.runtime!.tenantDatabases[0]!.dbName, collection: 'orders' };
    try {
      const orders = dying.with(ctx);
      for (let i = 0; i < 6; i += 1) {
        const { id } = await orders.create({ orderId: `o${i}`, status: 'paid', customerId: `c${i % 2}` });
        if (i < 2) await orders.update(id, { orderId: `o${i}`, status: 'paid', customerId: 'c9' }, 0);
      }
      // The first instance never sent a batch: as far as the database knows, it died.
      expect(await survivor.counters.getTotals(rt)).toMatchObject({ created: 0 });
      const report = await survivor.admin.reconcile({ graceMs: 0 });
      expect(report.counters.uncounted).toEqual([{ dbName: rt.dbName, collection: 'orders', report: { versions: 8, withoutPayload: 0 } }]);
      const expected = { created: 6, updated: 2, rules: { paid: { created: 6, updated: 2, unique: { customerId: 3 } } } };
      expect(await survivor.counters.getTotals(rt)).toMatchObject(expected);
      await dying.admin.flush();
      expect(await survivor.counters.getTotals(rt)).toMatchObject(expected);
    } finally {
      await dying.admin.shutdown();
      await survivor.admin.shutdown();
    }
  });
});

