/**
 * The instance-level APIs wired in `initChronos`: messaging, identities through `with()`, tiered
 * fetch, scheduled analytics, and the admin sweeps, each over the real servers.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { initChronos, type Chronos } from '../../runtime/chronos.js';
import { ConflictError, RouteError } from '../../runtime/errors.js';
import { testConfig } from '../support/chronos-config.js';

const opened: Chronos[] = [];

function open(overrides = {}): Chronos {
  const chronos = initChronos(testConfig('local', overrides));
  opened.push(chronos);
  return chronos;
}

afterAll(async () => {
  for (const chronos of opened) await chronos.admin.shutdown();
});

describe('chronos.messaging(tenantId)', () => {
  it('keeps each tenant to its own messages in the shared messaging database', async () => {
    const chronos = open();
    const acme = chronos.messaging('acme');
    const globex = chronos.messaging('globex');
    await acme.messages.save({ topic: 'orders', msgId: 'm1', payload: { n: 1 } });
    await acme.messages.save({ topic: 'orders', msgId: 'm1', payload: { n: 1 } });
    expect((await acme.messages.list({ topic: 'orders' })).items).toHaveLength(1);
    expect(await globex.messages.get({ topic: 'orders', msgId: 'm1' })).toBeNull();
  });

  it('offers deliveries only when captureDeliveries is configured', () => {
    const withMessaging = (captureDeliveries: boolean | undefined) => {
      const config = testConfig('local');
      config.databases.messaging = { dbConnRef: 'mongo', dbName: 'unused_messaging', ...(captureDeliveries !== undefined && { captureDeliveries }) };
      const chronos = initChronos(config);
      opened.push(chronos);
      return chronos.messaging('acme');
    };
    expect(withMessaging(true).deliveries).toBeDefined();
    expect(withMessaging(false).deliveries).toBeUndefined();
    expect(withMessaging(undefined).deliveries).toBeUndefined();
  });

  it('is a RouteError when no messaging database is configured', () => {
    const config = testConfig('local');
    delete config.databases.messaging;
    const chronos = initChronos(config);
    opened.push(chronos);
    expect(() => chronos.messaging('acme')).toThrow(RouteError);
  });
});

describe('identities through chronos.with()', () => {
  it('creates, queries and updates with optimistic locking, per tenant', async () => {
    const chronos = open();
    const users = chronos.with({ databaseType: 'identities', tenantId: 'acme', collection: 'users' });
    const other = chronos.with({ databaseType: 'identities', tenantId: 'globex', collection: 'users' });
    const { id } = await users.create({ email: 'ada@acme.test', role: 'admin' });
    expect((await users.query({ email: 'ada@acme.test' })).items.map((u) => u._id)).toEqual([id]);
    expect(await other.getLatest(id)).toBeNull();
    await users.update(id, { email: 'ada@acme.test', role: 'owner' }, 0);
    await expect(users.update(id, { email: 'ada@acme.test', role: 'x' }, 0)).rejects.toBeInstanceOf(ConflictError);
    expect((await users.getLatest(id))?._system.ov).toBe(1);
  });
});

describe('chronos.getKnowledge / getMetadata', () => {
  it('merges the chronos-db tiered example across generic, domain and tenant databases', async () => {
    const chronos = open();
    const tier = (t: 'generic' | 'domain' | 'tenant') =>
      chronos.with({ databaseType: 'knowledge', tier: t, collection: 'settings', ...(t === 'domain' && { domain: 'retail' }), ...(t === 'tenant' && { tenantId: 'acme' }) });
    await tier('generic').create({ key: 'ui', theme: 'light', features: ['basic', 'standard'], settings: { timeout: 30 } });
    await tier('domain').create({ key: 'ui', features: ['advanced'], settings: { maxRetries: 3 } });
    await tier('tenant').create({ key: 'ui', theme: 'dark', features: ['premium'], settings: { timeout: 60 } });
    const merged = await chronos.getKnowledge('settings', { key: 'ui' }, { tenantId: 'acme', domain: 'retail', merge: true });
    expect(merged.data).toEqual({
      key: 'ui',
      theme: 'dark',
      features: ['basic', 'standard', 'advanced', 'premium'],
      settings: { timeout: 60, maxRetries: 3 },
    });
    expect(merged.tiersFound).toEqual(['generic', 'domain', 'tenant']);
    const first = await chronos.getKnowledge('settings', { key: 'ui' }, { domain: 'retail' });
    expect(first.tiersFound).toEqual(['domain']);
  });

  it('falls back to the generic tier for a tenant without its own record', async () => {
    const chronos = open();
    await chronos.with({ databaseType: 'metadata', tier: 'generic', collection: 'settings' }).create({ key: 'limits', max: 10 });
    const found = await chronos.getMetadata('settings', { key: 'limits' }, { tenantId: 'acme', domain: 'retail' });
    expect(found).toMatchObject({ data: { key: 'limits', max: 10 }, tiersFound: ['generic'] });
  });
});

describe('chronos.analytics', () => {
  it('runs a time-based rule over a tenant head collection and stores the result', async () => {
    const chronos = open({ analytics: { tenants: ['acme', 'globex'] } });
    const orders = chronos.with({ databaseType: 'runtime', tenantId: 'acme', collection: 'orders' });
    for (const [orderId, status] of [['o1', 'paid'], ['o2', 'paid'], ['o3', 'new']] as const) await orders.create({ orderId, status, customerId: 'c1' });
    const [result] = await chronos.analytics.executeTimeBasedRule({ name: 'paid_orders', collection: 'orders', tenantId: 'acme', query: { status: 'paid' }, operation: 'count', saveMode: 'global' });
    expect(result?.value).toBe(2);
    const stored = await chronos.analytics.getTimeBasedResults({ ruleName: 'paid_orders', tenantId: 'acme' });
    expect(stored.map((r) => r.value)).toEqual([2]);
  });
});

describe('chronos.admin', () => {
  it('reconciles every versioned collection and finds nothing to repair after clean writes', async () => {
    const chronos = open();
    const orders = chronos.with({ databaseType: 'runtime', tenantId: 'acme', collection: 'orders' });
    const { id } = await orders.create({ orderId: 'o1', status: 'new' });
    await orders.update(id, { orderId: 'o1', status: 'paid' }, 0);
    await chronos.with({ databaseType: 'logs', collection: 'audit' }).create({ event: 'x' });
    const report = await chronos.admin.reconcile({ graceMs: 0 });
    expect(report.collections.map((c) => c.collection).sort()).toEqual(['audit', 'orders']);
    for (const { report: r } of report.collections) {
      expect([r.rolledForward, r.rolledBack, r.headsAdvanced, r.orphansRemoved]).toEqual([[], [], [], []]);
    }
  });

  it('applies version retention from the config', async () => {
    const chronos = open({ retention: { ver: { maxPerItem: 2 } } });
    const orders = chronos.with({ databaseType: 'runtime', tenantId: 'acme', collection: 'orders' });
    const { id } = await orders.create({ orderId: 'o1', status: 's0' });
    for (let ov = 0; ov < 4; ov += 1) await orders.update(id, { orderId: 'o1', status: `s${ov + 1}` }, ov);
    const report = await chronos.admin.applyRetention();
    expect(report.versions.find((v) => v.collection === 'orders')?.report.versionsRemoved).toBe(3);
    expect((await orders.history(id)).map((v) => v.ov)).toEqual([3, 4]);
    expect((await orders.getLatest(id))?.status).toBe('s4');
  });
});
