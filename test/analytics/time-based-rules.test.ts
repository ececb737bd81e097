import { MongoClient, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdvancedAnalytics, type TenantDbs } from '../../runtime/analytics/advanced-analytics.js';
import { headFilter, windowOf } from '../../runtime/analytics/head-filter.js';
import { ValidationError } from '../../runtime/errors.js';
import { testServers, uniqueName } from '../support/servers.js';

let client: MongoClient;
let tenant: TenantDbs;
const NOW = new Date('2026-11-25T14:30:00Z');
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);

/** A head document in the engine's layout (ops/indexes.ts). */
function head(id: string, meta: Record<string, unknown>, updatedAt: Date, deleted = false) {
  return { _id: id, ov: 0, cv: 1, deleted, insertedAt: updatedAt, updatedAt, deletedAt: deleted ? updatedAt : null, meta };
}

/**
 * Paid, live orders: o1 10, o2 40, o3 25, o6 "n/a" (not a number), o7 (no amount), o8 5.
 * So count 6; numbers 5 10 25 40: sum 80, average 20, max 40, min 5, median (10 + 25) / 2 = 17.5.
 */
const ORDERS = [
  head('o1', { status: 'paid', amount: 10 }, ago(10)),
  head('o2', { status: 'paid', amount: 40 }, ago(120)),
  head('o3', { status: 'paid', amount: 25 }, ago(3 * 24 * 60)),
  head('o4', { status: 'open', amount: 100 }, ago(30)),
  head('o5', { status: 'paid', amount: 70 }, ago(5), true),
  head('o6', { status: 'paid', amount: 'n/a' }, ago(90)),
  head('o7', { status: 'paid' }, ago(26 * 60)),
  head('o8', { status: 'paid', amount: 5 }, ago(40 * 24 * 60)),
];

function freshDb(prefix: string): Db {
  const db = client.db(uniqueName(prefix));
  return db;
}

beforeAll(async () => {
  client = new MongoClient(testServers().mongoUri);
  await client.connect();
  tenant = { db: freshDb('tb_rt'), analyticsDb: freshDb('tb_an') };
  await tenant.db.collection('orders_head').insertMany(ORDERS as never[]);
});

afterAll(async () => {
  await client.close();
});

function analytics(clock: () => Date = () => NOW, indexed?: string[]) {
  return createAdvancedAnalytics({ resolveTenantDb: () => tenant, clock, indexedPropsOf: indexed ? () => indexed : undefined });
}

async function run(rule: Record<string, unknown>) {
  const [result] = await analytics().executeTimeBasedRule({ name: 'r', collection: 'orders', tenantId: 'a', ...rule } as never);
  return result!;
}

describe('operations on the latest, non-deleted records', () => {
  it('computes count, sum, average, max, min and an even median as worked out by hand', async () => {
    const paid = { query: { status: 'paid' } };
    expect((await run({ ...paid, operation: 'count' })).value).toBe(6);
    expect((await run({ ...paid, operation: 'sum', field: 'amount' })).value).toBe(80);
    expect((await run({ ...paid, operation: 'average', field: 'amount' })).value).toBe(20);
    expect((await run({ ...paid, operation: 'max', field: 'amount' })).value).toBe(40);
    expect((await run({ ...paid, operation: 'min', field: 'amount' })).value).toBe(5);
    const median = await run({ ...paid, operation: 'median', field: 'amount' });
    expect([median.value, median.count]).toEqual([17.5, 4]);
  });

  it('takes the middle value for an odd count', async () => {
    const median = await run({ query: { status: 'paid', amount: { $gte: 10 } }, operation: 'median', field: 'amount' });
    expect([median.value, median.count]).toEqual([25, 3]);
  });

  it('gives null for a numeric operation over no numbers, and 0 for their count and sum', async () => {
    const none = { query: { status: 'refunded' } };
    expect((await run({ ...none, operation: 'average', field: 'amount' })).value).toBeNull();
    expect((await run({ ...none, operation: 'median', field: 'amount' })).value).toBeNull();
    expect((await run({ ...none, operation: 'max', field: 'amount' })).value).toBeNull();
    expect((await run({ ...none, operation: 'sum', field: 'amount' })).value).toBe(0);
    expect((await run({ ...none, operation: 'count' })).value).toBe(0);
  });

  it('filters on _system times given as ISO strings', async () => {
    expect((await run({ query: { status: 'paid', '_system.updatedAt': { $gte: '2026-11-25T00:00:00Z' } }, operation: 'count' })).value).toBe(3);
  });
});

describe('relativeTime windows on _system.updatedAt', () => {
  it('keeps records newer than the duration', async () => {
    const r = await run({ query: { status: 'paid' }, operation: 'sum', field: 'amount', relativeTime: { newerThan: 'P1D' } });
    // o1 10, o2 40, o6 (not a number); o7 is 26 h old.
    expect([r.value, r.count]).toEqual([50, 2]);
    expect(r.window).toEqual({ from: new Date('2026-11-24T14:30:00Z'), to: null });
  });

  it('applies both bounds together', async () => {
    const r = await run({ query: { status: 'paid' }, operation: 'count', relativeTime: { newerThan: 'P1W', olderThan: 'PT1H' } });
    // Updated in [18 Nov 14:30, 25 Nov 13:30): o2, o3, o6, o7.
    expect(r.value).toBe(4);
  });

  it('subtracts calendar months, clamped to the shorter month', () => {
    expect(windowOf({ newerThan: 'P1M', olderThan: 'P1Y2M3DT4H5M6S' }, new Date('2026-03-31T12:00:00Z'))).toEqual({
      from: new Date('2026-02-28T12:00:00Z'),
      to: new Date('2025-01-28T07:54:54Z'),
    });
  });

  it('sends the query on meta paths, live records only, and the window on updatedAt', () => {
    expect(headFilter({ status: 'paid', amount: { $gte: 5 } }, windowOf({ newerThan: 'PT1H' }, NOW))).toEqual({
      $and: [{ deleted: { $ne: true } }, { 'meta.status': 'paid' }, { 'meta.amount': { $gte: 5 } }, { updatedAt: { $gte: new Date('2026-11-25T13:30:00Z') } }],
    });
  });
});

describe('stored results', () => {
  it('keeps one global result per rule, replaced on each run', async () => {
    const a = analytics();
    await a.executeTimeBasedRule({ name: 'paid_count', collection: 'orders', tenantId: 'a', query: { status: 'paid' }, operation: 'count' });
    await a.executeTimeBasedRule({ name: 'paid_count', collection: 'orders', tenantId: 'a', query: { status: 'paid' }, operation: 'count', relativeTime: { newerThan: 'P1D' } });
    const results = await a.getTimeBasedResults({ ruleName: 'paid_count' });
    expect(results.map((r) => [r._id, r.value, r.saveMode, r.bucket])).toEqual([['paid_count|a|global', 3, 'global', null]]);
  });

  it('keeps one result per hourly bucket of execution, newest first', async () => {
    let now = new Date('2026-11-25T14:30:00Z');
    const a = analytics(() => now);
    const rule = { name: 'hourly_paid', collection: 'orders', tenantId: 'a', query: { status: 'paid' }, operation: 'count', saveMode: 'timeframe', timeframe: 'hourly' } as const;
    await a.executeTimeBasedRule(rule);
    now = new Date('2026-11-25T14:59:00Z');
    await a.executeTimeBasedRule(rule);
    now = new Date('2026-11-25T15:05:00Z');
    await a.executeTimeBasedRule(rule);
    const results = await a.getTimeBasedResults({ ruleName: 'hourly_paid', timeframe: 'hourly' });
    expect(results.map((r) => [r.bucket, r.bucketStart?.toISOString(), r.timestamp.toISOString()])).toEqual([
      ['2026-11-25T15', '2026-11-25T15:00:00.000Z', '2026-11-25T15:05:00.000Z'],
      ['2026-11-25T14', '2026-11-25T14:00:00.000Z', '2026-11-25T14:59:00.000Z'],
    ]);
    expect(await a.getTimeBasedResults({ ruleName: 'hourly_paid', limit: 1 })).toHaveLength(1);
    expect(await a.getTimeBasedResults({ ruleName: 'hourly_paid', timeframe: 'daily' })).toEqual([]);
  });

  it('labels daily and monthly buckets', async () => {
    const a = analytics();
    const [daily] = await a.executeTimeBasedRule({ name: 'd', collection: 'orders', tenantId: 'a', operation: 'count', saveMode: 'timeframe', timeframe: 'daily' });
    const [monthly] = await a.executeTimeBasedRule({ name: 'm', collection: 'orders', tenantId: 'a', operation: 'count', saveMode: 'timeframe', timeframe: 'monthly' });
    expect([daily?._id, monthly?._id, monthly?.value]).toEqual(['d|a|2026-11-25', 'm|a|2026-11', 7]);
  });
});

describe('refused rules', () => {
  const refused = async (rule: Record<string, unknown>, path: Array<string | number>, indexed?: string[]) => {
    const before = await tenant.analyticsDb.collection('timeBasedResults').countDocuments();
    const error = await analytics(() => NOW, indexed)
      .executeTimeBasedRule({ name: 'bad', collection: 'orders', tenantId: 'a', operation: 'count', ...rule } as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues[0]?.path).toEqual(path);
    expect(await tenant.analyticsDb.collection('timeBasedResults').countDocuments()).toBe(before);
  };

  it('refuses server-side code and unknown operators in the query', async () => {
    await refused({ query: { $where: 'sleep(1000)' } }, ['query', '$where']);
    await refused({ query: { amount: { $function: { body: 'x' } } } }, ['query', 'amount', '$function']);
    await refused({ query: { amount: { $accumulator: {} } } }, ['query', 'amount', '$accumulator']);
    await refused({ query: { amount: { $regex: '.' } } }, ['query', 'amount', '$regex']);
  });

  it('refuses _system fields other than the times, and props that are not indexed', async () => {
    await refused({ query: { '_system.ov': 1 } }, ['query', '_system.ov']);
    await refused({ query: { secret: 1 } }, ['query', 'secret'], ['status', 'amount']);
    await refused({ operation: 'sum', field: 'secret' }, ['field'], ['status', 'amount']);
  });

  it('refuses a numeric operation without field, timeframe mode without timeframe, and a bad duration', async () => {
    await refused({ operation: 'median' }, ['field']);
    await refused({ saveMode: 'timeframe' }, ['timeframe']);
    await refused({ relativeTime: { newerThan: '1 day' } }, ['relativeTime', 'newerThan']);
  });

  it('refuses a bad result limit', async () => {
    await expect(analytics().getTimeBasedResults({ limit: 0 })).rejects.toThrow(/limit/);
  });
});
