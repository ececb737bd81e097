import { MongoClient, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketOf } from '../../runtime/counters/counter-keys.js';
import { createCounterRecorder } from '../../runtime/counters/counter-recorder.js';
import { pruneCounterBuckets } from '../../runtime/counters/counter-retention.js';
import { counterRuleSchema } from '../../runtime/counters/counter-rule.js';
import { getBucketTotals, getTotals } from '../../runtime/counters/counter-totals.js';
import { ValidationError } from '../../runtime/errors.js';
import type { WriteEvent } from '../../runtime/ops/write-event.js';
import { testServers, uniqueName } from '../support/servers.js';

let client: MongoClient;

beforeAll(async () => {
  client = new MongoClient(testServers().mongoUri);
  await client.connect();
});

afterAll(async () => {
  await client.close();
});

function freshDb(): Db {
  const db = client.db(uniqueName('cntb'));
  return db;
}

const scope = { dbName: 'rt_a', collection: 'events', tenantId: 'a' };
const rules = [counterRuleSchema.parse({ name: 'logins', when: { action: 'login' }, countUnique: ['user'] })];

let seq = 0;
function login(user: string, at: string): WriteEvent {
  seq += 1;
  return { kind: 'CREATE', ...scope, id: `r${seq}`, ov: 0, cv: seq, at: new Date(at), meta: { action: 'login', user }, data: {}, previousMeta: null };
}

/** Mon 23 Nov and Wed 25 Nov 2026 are ISO week 48; Mon 30 Nov and Tue 1 Dec are week 49. */
const EVENTS = [
  login('u1', '2026-11-23T08:00:00Z'),
  login('u1', '2026-11-23T09:00:00Z'),
  login('u2', '2026-11-25T23:59:59Z'),
  login('u1', '2026-11-30T00:00:00Z'),
  login('u3', '2026-12-01T12:00:00Z'),
];

async function recorded(): Promise<Db> {
  const db = freshDb();
  const recorder = createCounterRecorder({ resolveAnalyticsDb: () => db, debounceMs: 60_000, rules });
  for (const e of EVENTS) await recorder.observe(e);
  await recorder.close();
  return db;
}

function summary(buckets: Awaited<ReturnType<typeof getBucketTotals>>) {
  return buckets.map((b) => [b.bucket, b.created, b.rules.logins?.unique.user]);
}

describe('bucket boundaries', () => {
  it('labels UTC days, ISO weeks (the year of their Thursday) and months', () => {
    expect(bucketOf(new Date('2026-11-29T23:59:59Z'), 'week')).toEqual({ granularity: 'week', label: '2026-W48', start: new Date('2026-11-23T00:00:00Z') });
    expect(bucketOf(new Date('2027-01-01T05:00:00Z'), 'week').label).toBe('2026-W53');
    expect(bucketOf(new Date('2027-01-01T05:00:00Z'), 'day').label).toBe('2027-01-01');
    expect(bucketOf(new Date('2027-01-01T05:00:00Z'), 'month')).toEqual({ granularity: 'month', label: '2027-01', start: new Date('2027-01-01T00:00:00Z') });
  });
});

describe('time-bucketed totals', () => {
  it('counts each event in its day, week and month, with unique values per bucket', async () => {
    const db = await recorded();
    expect(summary(await getBucketTotals(db, { ...scope, granularity: 'day' }))).toEqual([
      ['2026-11-23', 2, 1],
      ['2026-11-25', 1, 1],
      ['2026-11-30', 1, 1],
      ['2026-12-01', 1, 1],
    ]);
    expect(summary(await getBucketTotals(db, { ...scope, granularity: 'week' }))).toEqual([
      ['2026-W48', 3, 2],
      ['2026-W49', 2, 2],
    ]);
    expect(summary(await getBucketTotals(db, { ...scope, granularity: 'month' }))).toEqual([
      ['2026-11', 4, 2],
      ['2026-12', 1, 1],
    ]);
    const total = await getTotals(db, scope);
    expect([total.created, total.rules.logins?.unique.user, total.lastAt]).toEqual([5, 3, '2026-12-01T12:00:00.000Z']);
  });

  it('filters buckets by start range', async () => {
    const db = await recorded();
    const days = await getBucketTotals(db, { ...scope, granularity: 'day', from: '2026-11-24T00:00:00Z', to: new Date('2026-11-30T00:00:00Z') });
    expect(days.map((d) => [d.bucket, d.start])).toEqual([
      ['2026-11-25', '2026-11-25T00:00:00.000Z'],
      ['2026-11-30', '2026-11-30T00:00:00.000Z'],
    ]);
  });

  it('judges a range Date by its internal time value: one with its own getTime or toISOString is refused', async () => {
    const db = await recorded();
    const later = Object.assign(new Date('2026-11-24T00:00:00Z'), { getTime: () => Date.parse('2026-12-31T00:00:00Z') });
    await expect(getBucketTotals(db, { ...scope, granularity: 'day', from: later })).rejects.toThrow(ValidationError);
    const iso = Object.defineProperty(new Date('2026-11-24T00:00:00Z'), 'toISOString', { value: () => '2026-12-31T00:00:00.000Z' });
    await expect(getBucketTotals(db, { ...scope, granularity: 'day', to: iso })).rejects.toThrow(ValidationError);
  });
});

describe('counter retention', () => {
  it('keeps the most recent buckets per granularity, drops older ones with their seen values, and never the totals', async () => {
    const db = await recorded();
    const result = await pruneCounterBuckets(db, { days: 2, weeks: 1, months: 1 }, new Date('2026-12-01T18:00:00Z'));
    expect(result.day).toEqual({ buckets: 2, uniqueValues: 2, cutoff: '2026-11-30T00:00:00.000Z' });
    expect(result.week).toEqual({ buckets: 1, uniqueValues: 2, cutoff: '2026-11-30T00:00:00.000Z' });
    expect(result.month).toEqual({ buckets: 1, uniqueValues: 2, cutoff: '2026-12-01T00:00:00.000Z' });
    expect(summary(await getBucketTotals(db, { ...scope, granularity: 'day' }))).toEqual([
      ['2026-11-30', 1, 1],
      ['2026-12-01', 1, 1],
    ]);
    expect(summary(await getBucketTotals(db, { ...scope, granularity: 'week' }))).toEqual([['2026-W49', 2, 2]]);
    expect(summary(await getBucketTotals(db, { ...scope, granularity: 'month' }))).toEqual([['2026-12', 1, 1]]);
    expect((await getTotals(db, scope)).rules.logins?.unique.user).toBe(3);
  });

  it('leaves a granularity alone when retention does not name it', async () => {
    const db = await recorded();
    await pruneCounterBuckets(db, { months: 1 }, new Date('2026-12-01T18:00:00Z'));
    expect((await getBucketTotals(db, { ...scope, granularity: 'day' })).length).toBe(4);
    expect((await getBucketTotals(db, { ...scope, granularity: 'week' })).length).toBe(2);
  });

  it('refuses a retention count that is not a whole number ≥ 1 and deletes nothing', async () => {
    const db = await recorded();
    await expect(pruneCounterBuckets(db, { days: 0, months: 1 }, new Date('2026-12-01T00:00:00Z'))).rejects.toThrow(ValidationError);
    await expect(pruneCounterBuckets(db, { weeks: 1.5 }, new Date('2026-12-01T00:00:00Z'))).rejects.toThrow(/retention\.counters\.weeks/);
    expect((await getBucketTotals(db, { ...scope, granularity: 'month' })).length).toBe(2);
  });
});
