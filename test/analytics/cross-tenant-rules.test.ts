import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdvancedAnalytics, type AdvancedAnalytics, type TenantDbs } from '../../runtime/analytics/advanced-analytics.js';
import { analyticsConfigSchema } from '../../runtime/analytics/analytics-rules.js';
import { RouteError, ValidationError } from '../../runtime/errors.js';
import { testServers, uniqueName } from '../support/servers.js';

let client: MongoClient;
const tenants = new Map<string, TenantDbs>();
const NOW = new Date('2026-11-25T14:30:00Z');
const ago = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);

function head(id: string, meta: Record<string, unknown>, updatedAt = ago(1), deleted = false) {
  return { _id: id, ov: 0, cv: 1, deleted, insertedAt: updatedAt, updatedAt, deletedAt: deleted ? updatedAt : null, meta };
}

/**
 * Paid orders per member: s1 10 and 20 (count 2, sum 30, max 20, min 10); s2 none (one open);
 * s3 5, 7 and 100 (count 3, sum 112, max 100, min 5), plus a deleted 1000 and an old 9 (48 h).
 */
const DATA: Record<string, object[]> = {
  s1: [head('a', { status: 'paid', amount: 10 }), head('b', { status: 'paid', amount: 20 })],
  s2: [head('c', { status: 'open', amount: 50 })],
  s3: [
    head('d', { status: 'paid', amount: 5 }),
    head('e', { status: 'paid', amount: 7 }),
    head('f', { status: 'paid', amount: 100 }),
    head('g', { status: 'paid', amount: 1000 }, ago(1), true),
    head('h', { status: 'paid', amount: 9 }, ago(48)),
  ],
  m: [],
};

let analytics: AdvancedAnalytics;

beforeAll(async () => {
  client = new MongoClient(testServers().mongoUri);
  await client.connect();
  for (const [tenantId, docs] of Object.entries(DATA)) {
    const dbs = { db: client.db(uniqueName(`ct_${tenantId}`)), analyticsDb: client.db(uniqueName(`cta_${tenantId}`)) };
    if (docs.length > 0) await dbs.db.collection('orders_head').insertMany(docs as never[]);
    tenants.set(tenantId, dbs);
  }
  analytics = createAdvancedAnalytics({
    clock: () => NOW,
    tenants: [...tenants.keys()],
    resolveTenantDb: (tenantId) => {
      const dbs = tenantId === undefined ? undefined : tenants.get(tenantId);
      if (!dbs) throw new RouteError(`unknown tenant ${String(tenantId)}`);
      return dbs;
    },
  });
});

afterAll(async () => {
  await client.close();
});

const base = { collection: 'orders', query: { status: 'paid' }, primaryTenantId: 'm', memberTenantIds: ['s1', 's2', 's3'], relativeTime: { newerThan: 'P1D' } };

describe('cross-tenant modes over three members', () => {
  it('boolean counts the members with at least one match', async () => {
    const r = await analytics.executeCrossTenantRule({ ...base, name: 'any_paid', mode: 'boolean' });
    expect(r.value).toBe(2);
    expect(r.memberResults).toEqual([
      { tenantId: 's1', value: 1, count: 2 },
      { tenantId: 's2', value: 0, count: 0 },
      { tenantId: 's3', value: 1, count: 3 },
    ]);
  });

  it('sum adds the per-member sums of the field', async () => {
    const r = await analytics.executeCrossTenantRule({ ...base, name: 'paid_total', mode: 'sum', field: 'amount' });
    expect([r.value, r.memberResults.map((s) => s.value)]).toEqual([142, [30, 0, 112]]);
  });

  it('max and min take the extremes of the members that have numbers', async () => {
    const max = await analytics.executeCrossTenantRule({ ...base, name: 'paid_max', mode: 'max', field: 'amount' });
    const min = await analytics.executeCrossTenantRule({ ...base, name: 'paid_min', mode: 'min', field: 'amount' });
    expect([max.value, max.memberResults.map((s) => s.value)]).toEqual([100, [20, null, 100]]);
    expect([min.value, min.memberResults.map((s) => s.value)]).toEqual([5, [10, null, 5]]);
  });

  it('median is the true median of the per-member values, odd and even', async () => {
    const sums = await analytics.executeCrossTenantRule({ ...base, name: 'median_sum', mode: 'median', field: 'amount' });
    expect(sums.value).toBe(30); // of 0, 30, 112
    const counts = await analytics.executeCrossTenantRule({ ...base, name: 'median_count', mode: 'median' });
    expect(counts.value).toBe(2); // of 0, 2, 3
    const even = await analytics.executeCrossTenantRule({ ...base, name: 'median_even', mode: 'median', field: 'amount', memberTenantIds: ['s1', 's3'] });
    expect(even.value).toBe(71); // (30 + 112) / 2
  });

  it('counts the old record when the window is wider', async () => {
    const r = await analytics.executeCrossTenantRule({ ...base, name: 'paid_week', mode: 'sum', field: 'amount', relativeTime: { newerThan: 'P1W' } });
    expect(r.memberResults.map((s) => s.value)).toEqual([30, 0, 121]);
  });
});

describe('cross-tenant results', () => {
  it('are stored once per rule in the primary tenant analytics database only', async () => {
    await analytics.executeCrossTenantRule({ ...base, name: 'stored', mode: 'boolean' });
    await analytics.executeCrossTenantRule({ ...base, name: 'stored', mode: 'boolean', memberTenantIds: ['s2'] });
    const results = await analytics.getCrossTenantResults({ ruleName: 'stored', primaryTenantId: 'm' });
    expect(results.map((r) => [r._id, r.value, r.memberResults.length, r.timestamp.toISOString()])).toEqual([['stored|m', 0, 1, NOW.toISOString()]]);
    expect(await tenants.get('s1')!.analyticsDb.collection('crossTenantResults').countDocuments()).toBe(0);
    expect((await analytics.getCrossTenantResults({ collection: 'orders' })).length).toBeGreaterThan(1);
    expect(await analytics.getCrossTenantResults({ collection: 'invoices' })).toEqual([]);
  });

  it('refuses unsafe filters and unknown tenants before storing anything', async () => {
    const primary = tenants.get('m')!.analyticsDb.collection('crossTenantResults');
    const before = await primary.countDocuments();
    await expect(analytics.executeCrossTenantRule({ ...base, name: 'bad', mode: 'boolean', query: { $where: 'true' } })).rejects.toThrow(ValidationError);
    await expect(analytics.executeCrossTenantRule({ ...base, name: 'bad', mode: 'boolean', query: { amount: { $function: {} } } })).rejects.toThrow(/query\.amount\.\$function/);
    await expect(analytics.executeCrossTenantRule({ ...base, name: 'bad', mode: 'boolean', memberTenantIds: [] })).rejects.toThrow(/memberTenantIds/);
    await expect(analytics.executeCrossTenantRule({ ...base, name: 'bad', mode: 'boolean', memberTenantIds: ['s1', 'nope'] })).rejects.toThrow(RouteError);
    expect(await primary.countDocuments()).toBe(before);
  });
});

describe('the deprecated tenant names masterTenantId and slaveTenantIds', () => {
  const old = { collection: 'orders', query: { status: 'paid' }, masterTenantId: 'm', slaveTenantIds: ['s1', 's3'], relativeTime: { newerThan: 'P1D' } };
  const resultsOfM = () => tenants.get('m')!.analyticsDb.collection('crossTenantResults');

  it('run a rule written with them and store the result under the new names', async () => {
    const r = await analytics.executeCrossTenantRule({ ...old, name: 'old_names', mode: 'sum', field: 'amount' });
    expect([r.primaryTenantId, r.memberResults.map((s) => [s.tenantId, s.value]), r.value]).toEqual(['m', [['s1', 30], ['s3', 112]], 142]);
    const stored = await resultsOfM().findOne({ _id: 'old_names|m' as never });
    expect(Object.keys(stored!)).toEqual(expect.arrayContaining(['primaryTenantId', 'memberResults']));
    expect(Object.keys(stored!)).not.toEqual(expect.arrayContaining(['masterTenantId']));
    expect(Object.keys(stored!)).not.toEqual(expect.arrayContaining(['slaveResults']));
  });

  it('accept both spellings at once when they agree', async () => {
    const r = await analytics.executeCrossTenantRule({ ...base, masterTenantId: 'm', slaveTenantIds: ['s1', 's2', 's3'], name: 'both_names', mode: 'boolean' });
    expect([r.primaryTenantId, r.memberResults.map((s) => s.tenantId)]).toEqual(['m', ['s1', 's2', 's3']]);
  });

  it('refuse both spellings with different values, naming the field, before storing anything', async () => {
    const before = await resultsOfM().countDocuments();
    const primaries = analytics.executeCrossTenantRule({ ...base, name: 'clash', mode: 'boolean', masterTenantId: 's1' });
    await expect(primaries).rejects.toThrow(ValidationError);
    await expect(primaries).rejects.toMatchObject({ issues: [{ path: ['masterTenantId'], message: expect.stringContaining('primaryTenantId') }] });
    const members = analytics.executeCrossTenantRule({ ...base, name: 'clash', mode: 'boolean', slaveTenantIds: ['s1'] });
    await expect(members).rejects.toMatchObject({ issues: [{ path: ['slaveTenantIds'], message: expect.stringContaining('memberTenantIds') }] });
    expect(await resultsOfM().countDocuments()).toBe(before);
  });

  it('refuse a rule that names no primary or no member tenant in either spelling', async () => {
    const { primaryTenantId: _p, memberTenantIds: _m, ...noTenants } = base;
    // @ts-expect-error -- the type asks for the tenants too; a JavaScript caller may leave them out
    const missing = analytics.executeCrossTenantRule({ ...noTenants, name: 'none', mode: 'boolean' });
    await expect(missing).rejects.toMatchObject({ issues: [{ path: ['primaryTenantId'] }, { path: ['memberTenantIds'] }] });
  });

  it('still filter results by masterTenantId, and refuse it when primaryTenantId says otherwise', async () => {
    await analytics.executeCrossTenantRule({ ...base, name: 'by_old_filter', mode: 'boolean' });
    expect((await analytics.getCrossTenantResults({ ruleName: 'by_old_filter', masterTenantId: 'm' })).map((r) => r._id)).toEqual(['by_old_filter|m']);
    expect(await analytics.getCrossTenantResults({ ruleName: 'by_old_filter', masterTenantId: 's1' })).toEqual([]);
    await expect(analytics.getCrossTenantResults({ primaryTenantId: 'm', masterTenantId: 's1' })).rejects.toMatchObject({ name: ValidationError.name, issues: [{ path: ['masterTenantId'] }] });
  });

  it('read results stored by an older version under the old names, returning the new names', async () => {
    const timestamp = new Date(NOW.getTime() + 1000);
    const window = { from: null, to: null };
    await resultsOfM().insertOne({
      _id: 'legacy|m' as never,
      ...{ ruleName: 'legacy', collection: 'orders', mode: 'sum', field: 'amount', value: 42, window, timestamp },
      masterTenantId: 'm',
      slaveResults: [{ tenantId: 's1', value: 42, count: 3 }],
    });
    for (const query of [{ ruleName: 'legacy', primaryTenantId: 'm' }, { ruleName: 'legacy', masterTenantId: 'm' }, { ruleName: 'legacy' }]) {
      const [legacy, ...rest] = await analytics.getCrossTenantResults(query);
      expect(rest).toEqual([]);
      expect(legacy).toEqual({ _id: 'legacy|m', ruleName: 'legacy', collection: 'orders', mode: 'sum', field: 'amount', value: 42, window, timestamp, primaryTenantId: 'm', memberResults: [{ tenantId: 's1', value: 42, count: 3 }] });
      expect(Object.keys(legacy!)).not.toEqual(expect.arrayContaining(['masterTenantId']));
      // Code written against the old names still reads them.
      expect([legacy!.masterTenantId, legacy!.slaveResults]).toEqual(['m', legacy!.memberResults]);
    }
  });
});

describe('time-based rules without a tenant', () => {
  it('run for every configured tenant, each result in its own analytics database, and read back across them', async () => {
    const results = await analytics.executeTimeBasedRule({ name: 'paid_everywhere', collection: 'orders', query: { status: 'paid' }, operation: 'count' });
    expect(results.map((r) => [r.tenantId, r.value])).toEqual([
      ['s1', 2],
      ['s2', 0],
      ['s3', 4],
      ['m', 0],
    ]);
    expect(await tenants.get('s3')!.analyticsDb.collection('timeBasedResults').countDocuments({ ruleName: 'paid_everywhere' })).toBe(1);
    const stored = await analytics.getTimeBasedResults({ ruleName: 'paid_everywhere' });
    expect(stored.map((r) => r._id).sort()).toEqual(['paid_everywhere|m|global', 'paid_everywhere|s1|global', 'paid_everywhere|s2|global', 'paid_everywhere|s3|global']);
    expect((await analytics.getTimeBasedResults({ ruleName: 'paid_everywhere', tenantId: 's1' })).map((r) => r.value)).toEqual([2]);
  });
});

describe('analytics config block', () => {
  it('accepts counter, time-based and cross-tenant rules with tenants', () => {
    const config = analyticsConfigSchema.parse({
      counterRules: [{ name: 'logins', when: { action: 'login' }, countUnique: ['user'] }],
      timeBasedRules: [{ name: 'paid', collection: 'orders', query: { status: 'paid' }, operation: 'count', tenantId: 'a' }],
      crossTenantRules: [
        { name: 'x', collection: 'orders', mode: 'boolean', primaryTenantId: 'a', memberTenantIds: ['b'] },
        { name: 'y', collection: 'orders', mode: 'boolean', masterTenantId: 'a', slaveTenantIds: ['b'] },
      ],
      tenants: ['a', 'b'],
    });
    expect(config.timeBasedRules[0]?.saveMode).toBe('global');
    expect(config.counterRules[0]?.scope).toBe('meta');
  });

  it('refuses a tenant not listed, a repeated rule name and an unsafe query, naming each path', () => {
    const parsed = analyticsConfigSchema.safeParse({
      timeBasedRules: [
        { name: 'paid', collection: 'orders', operation: 'count', tenantId: 'zz' },
        { name: 'paid', collection: 'orders', operation: 'count', query: { $where: '1' } },
      ],
      crossTenantRules: [{ name: 'x', collection: 'orders', mode: 'boolean', masterTenantId: 'a', slaveTenantIds: ['c'] }],
      tenants: ['a', 'b'],
    });
    expect(parsed.success).toBe(false);
    const paths = parsed.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['timeBasedRules.1.query.$where']));
    const second = analyticsConfigSchema.safeParse({
      timeBasedRules: [
        { name: 'paid', collection: 'orders', operation: 'count', tenantId: 'zz' },
        { name: 'paid', collection: 'orders', operation: 'count' },
      ],
      crossTenantRules: [{ name: 'x', collection: 'orders', mode: 'boolean', masterTenantId: 'a', slaveTenantIds: ['c'] }],
      tenants: ['a', 'b'],
    });
    expect(second.error!.issues.map((i) => i.path.join('.'))).toEqual(['timeBasedRules.1.name', 'timeBasedRules.0.tenantId', 'crossTenantRules.0.slaveTenantIds.0']);
  });

  it('names the tenant field as written, in either spelling', () => {
    const parsed = analyticsConfigSchema.safeParse({
      crossTenantRules: [
        { name: 'x', collection: 'orders', mode: 'boolean', primaryTenantId: 'zz', memberTenantIds: ['a', 'c'] },
        { name: 'y', collection: 'orders', mode: 'boolean', masterTenantId: 'a', slaveTenantIds: ['b'], primaryTenantId: 'b' },
      ],
      tenants: ['a', 'b'],
    });
    expect(parsed.error!.issues.map((i) => i.path.join('.'))).toEqual(['crossTenantRules.1.masterTenantId', 'crossTenantRules.0.primaryTenantId', 'crossTenantRules.0.memberTenantIds.1']);
  });
});
