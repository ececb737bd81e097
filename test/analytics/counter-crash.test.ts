/**
 * Counter batches under crashes: a writer dies after each step of a batch (and the recovery pass
 * itself dies after each step), a reply is lost after the increments landed, a batch outlives its
 * lease. After the recovery pass and a flush the totals equal those of a run without faults.
 *
 * "Committed versions" here are the events themselves: feeding them again to a fresh recorder is
 * exactly what the uncounted-versions pass does with the version rows it finds (see
 * test/analytics/counter-engine.test.ts for that pass on the real engine).
 */
import { MongoClient, MongoNetworkError, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CountersPendingError, InjectedCounterCrash } from '../../runtime/counters/counter-errors.js';
import { createCounterRecorder, type CounterRecorder, type CounterRecorderOptions } from '../../runtime/counters/counter-recorder.js';
import { recoverCounterBatches } from '../../runtime/counters/counter-recovery.js';
import { counterRuleSchema } from '../../runtime/counters/counter-rule.js';
import { getBucketTotals, getTotals } from '../../runtime/counters/counter-totals.js';
import type { CounterStep } from '../../runtime/counters/counter-writer.js';
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

const scope = { dbName: 'rt', collection: 'orders', tenantId: 't' };
const rules = [
  counterRuleSchema.parse({ name: 'paid', on: ['CREATE', 'UPDATE'], when: { status: 'paid' }, countUnique: ['customerId'] }),
  counterRuleSchema.parse({ name: 'big', scope: 'payload', when: { amount: { $gte: 100 } }, countUnique: ['sku'] }),
];

/** Two batches' worth of versions, repeating customers and skus within and across batches, over two days. */
function versions(prefix: string): WriteEvent[][] {
  const make = (i: number, ov: number, day: string): WriteEvent => ({
    kind: ov === 0 ? 'CREATE' : 'UPDATE',
    ...scope,
    id: `${prefix}${i}`,
    ov,
    cv: i * 10 + ov,
    at: new Date(`${day}T10:00:00Z`),
    meta: { status: i % 3 === 0 ? 'new' : 'paid', customerId: `c${i % 4}` },
    data: { amount: i * 40, sku: `s${i % 5}` },
    // An update here changes nothing indexed, so the replaced version had the same props.
    previousMeta: ov === 0 ? null : { status: i % 3 === 0 ? 'new' : 'paid', customerId: `c${i % 4}` },
  });
  const first = Array.from({ length: 8 }, (_, i) => make(i, 0, '2026-11-27'));
  const second = [...Array.from({ length: 8 }, (_, i) => make(i + 8, 0, '2026-11-28')), make(1, 1, '2026-11-28'), make(2, 1, '2026-11-28')];
  return [first, second];
}

function recorder(db: Db, extra: Partial<CounterRecorderOptions> = {}): CounterRecorder {
  return createCounterRecorder({ resolveAnalyticsDb: () => db, rules, debounceMs: 60_000, ...extra });
}

async function snapshot(db: Db) {
  const strip = (t: { _id: string }) => ({ ...t, _id: undefined });
  return {
    totals: strip(await getTotals(db, scope)),
    days: (await getBucketTotals(db, { ...scope, granularity: 'day' })).map(strip),
    months: (await getBucketTotals(db, { ...scope, granularity: 'month' })).map(strip),
  };
}

/** The totals of the same versions counted without any fault. */
async function expected(batches: WriteEvent[][]) {
  const db = client.db(uniqueName('cntx'));
  const clean = recorder(db);
  for (const batch of batches) {
    for (const e of batch) clean.observe(e);
    await clean.flush();
  }
  return snapshot(db);
}

/** Feeds every committed version to a fresh recorder (the uncounted pass) and flushes. */
async function recount(db: Db, batches: WriteEvent[][]): Promise<void> {
  const again = recorder(db);
  for (const e of batches.flat()) again.observe(e);
  await again.close();
}

/** Fault injection: the first `$inc` bulk through the returned Db lands on the server, but its reply is lost. */
function losingFirstReply(db: Db): Db {
  let lose = 1;
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop !== 'collection') return Reflect.get(target, prop, receiver) as unknown;
      return (name: string) => {
        const collection = target.collection(name);
        if (name !== 'cnt_total') return collection;
        return new Proxy(collection, {
          get(c, p, r) {
            const value = Reflect.get(c, p, r) as unknown;
            if (p === 'bulkWrite' && lose > 0) {
              lose -= 1;
              return async (...args: unknown[]) => {
                await (value as (...a: unknown[]) => Promise<unknown>).apply(c, args);
                throw new MongoNetworkError('injected: reply lost');
              };
            }
            return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(c) : value;
          },
        });
      };
    },
  });
}

const STEPS: CounterStep[] = ['batch-opened', 'versions-marked', 'uniques-claimed', 'counters-applied', 'batch-closed'];

function crashAt(step: CounterStep, batchNo = 1): CounterRecorderOptions['faults'] {
  let batches = 0;
  return (reached) => {
    if (reached === 'batch-opened') batches += 1;
    if (reached === step && batches === batchNo) throw new Error(`crash after ${step}`);
  };
}

describe('a writer that dies inside a batch', () => {
  it.each(STEPS)('leaves exact totals, uniques included, after recovery and a flush when it dies after %s', async (step) => {
    const batches = versions('r');
    const db = client.db(uniqueName('cntc'));
    const dying = recorder(db, { faults: crashAt(step, 2) });
    for (const e of batches[0]!) dying.observe(e);
    await dying.flush();
    for (const e of batches[1]!) dying.observe(e);
    await expect(dying.flush()).rejects.toBeInstanceOf(InjectedCounterCrash);

    const report = await recoverCounterBatches(db, { graceMs: 0 });
    expect(report.batchesFinished).toHaveLength(step === 'batch-closed' ? 0 : 1);
    await recount(db, batches);
    expect(await snapshot(db)).toEqual(await expected(batches));
    // Idempotent: a second pass changes nothing.
    await recoverCounterBatches(db, { graceMs: 0 });
    await recount(db, batches);
    expect(await snapshot(db)).toEqual(await expected(batches));
  });

  it.each(STEPS.slice(0, 4))('stays exact when the recovery pass itself dies after %s and runs again', async (step) => {
    const batches = versions('q');
    const db = client.db(uniqueName('cntr'));
    const dying = recorder(db, { faults: crashAt('counters-applied') });
    for (const e of batches.flat()) dying.observe(e);
    await expect(dying.flush()).rejects.toBeInstanceOf(InjectedCounterCrash);
    await expect(recoverCounterBatches(db, { graceMs: 0, faults: crashAt(step) })).rejects.toBeInstanceOf(InjectedCounterCrash);
    await recoverCounterBatches(db, { graceMs: 0 });
    await recount(db, batches);
    expect(await snapshot(db)).toEqual(await expected(batches));
  });

  it('clears the markers and journals of finished batches', async () => {
    const batches = versions('m');
    const db = client.db(uniqueName('cntm'));
    const live = recorder(db);
    for (const e of batches.flat()) live.observe(e);
    await live.flush();
    // One batch touched the running total, two days, one week and one month; its journal is kept a day.
    expect(await recoverCounterBatches(db, { graceMs: 0 })).toEqual({ batchesFinished: [], markersCleared: 5, journalsPruned: 0 });
    expect(await recoverCounterBatches(db, { graceMs: 0, journalRetentionMs: 0 })).toEqual({ batchesFinished: [], markersCleared: 0, journalsPruned: 1 });
    const docs = await db.collection('cnt_total').find().toArray();
    expect(docs.map((d) => Object.keys((d.j ?? {}) as object).length)).toEqual([0, 0, 0, 0, 0]);
    expect(await db.collection('cnt_batch').countDocuments()).toBe(0);
  });
});

describe('a live writer whose batch failed', () => {
  it('does not count twice when the increments landed but the reply was lost', async () => {
    const batches = versions('l');
    const db = client.db(uniqueName('cntl'));
    const lossy = losingFirstReply(db);
    const live = recorder(lossy);
    for (const e of batches.flat()) live.observe(e);
    await expect(live.flush()).rejects.toBeInstanceOf(CountersPendingError);
    await live.flush();
    expect(await snapshot(db)).toEqual(await expected(batches));
  });

  it('does not apply again a batch the recovery pass finished meanwhile', async () => {
    const batches = versions('f');
    const db = client.db(uniqueName('cntf'));
    const live = recorder(losingFirstReply(db));
    for (const e of batches.flat()) live.observe(e);
    await expect(live.flush()).rejects.toBeInstanceOf(CountersPendingError);
    // A grace period below the writer's lease: recovery takes the batch over and clears its markers.
    expect((await recoverCounterBatches(db, { graceMs: 0 })).batchesFinished).toHaveLength(1);
    await live.flush();
    expect(await snapshot(db)).toEqual(await expected(batches));
  });

  it('leaves a batch that outlived its lease to the recovery pass, which waits for the grace period', async () => {
    const batches = versions('g');
    const db = client.db(uniqueName('cntg'));
    let now = Date.now();
    const slow = recorder(db, {
      clock: () => new Date(now),
      leaseMs: 1_000,
      faults: (step) => {
        if (step === 'versions-marked') now += 5_000;
      },
    });
    for (const e of batches.flat()) slow.observe(e);
    await expect(slow.flush()).rejects.toBeInstanceOf(CountersPendingError);
    expect((await recoverCounterBatches(db, { graceMs: 60_000 })).batchesFinished).toEqual([]);
    expect((await getTotals(db, scope)).created).toBe(0);
    expect((await recoverCounterBatches(db, { graceMs: 0 })).batchesFinished).toHaveLength(1);
    await recount(db, batches);
    expect(await snapshot(db)).toEqual(await expected(batches));
  });
});
