/**
 * Counters on the real engine: what a write sends before it returns, writes whose observer never
 * ran (a crash right after the commit), rows left pending after their head moved, and many
 * concurrent writers.
 */
import type { CommandStartedEvent, Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCounterRecorder, type CounterRecorder } from '../../runtime/counters/counter-recorder.js';
import { counterRuleSchema } from '../../runtime/counters/counter-rule.js';
import { getTotals } from '../../runtime/counters/counter-totals.js';
import { countUncountedVersions } from '../../runtime/counters/uncounted-versions.js';
import { createCollectionOps } from '../../runtime/ops/collection-ops.js';
import { InjectedCrash } from '../../runtime/ops/engine.js';
import { openFixture, type Fixture } from '../ops/support/fixture.js';
import { uniqueName } from '../support/servers.js';

let fx: Fixture;
const sent: CommandStartedEvent[] = [];

beforeAll(async () => {
  fx = await openFixture('local', { monitorCommands: true });
  fx.client.on('commandStarted', (e) => sent.push(e));
});

afterAll(async () => {
  await fx.teardown();
});

const rules = [
  counterRuleSchema.parse({ name: 'paid', on: ['CREATE', 'UPDATE'], when: { status: 'paid' }, countUnique: ['customerId'] }),
  counterRuleSchema.parse({ name: 'big', scope: 'payload', when: { amount: { $gte: 100 } }, countUnique: ['sku'] }),
];

function counting(analyticsDb: Db, debounceMs = 60_000): CounterRecorder {
  return createCounterRecorder({ resolveAnalyticsDb: () => analyticsDb, rules, debounceMs });
}

function scopeOf(collection: string) {
  return { dbName: fx.db.databaseName, collection, tenantId: 't1' };
}

const settings = { indexedProps: ['status', 'customerId'] };

describe('the critical path of a write', () => {
  it('sends no counter statement before the write returns, even with debounceMs 0', async () => {
    const analyticsDb = fx.client.db(uniqueName('an'));
    const recorder = counting(analyticsDb, 0);
    const ops = createCollectionOps(fx.context('crit0', { settings, observers: [recorder.observe] }));
    await ops.create({ status: 'new', customerId: 'warm-up' });
    await recorder.flush();
    sent.length = 0;
    await ops.create({ status: 'paid', customerId: 'c1', amount: 150, sku: 's1' });
    expect(sent.filter((e) => e.databaseName === analyticsDb.databaseName)).toEqual([]);
    await recorder.flush();
    expect(sent.filter((e) => e.databaseName === analyticsDb.databaseName).map((e) => e.commandName)).toEqual(['insert', 'insert', 'insert', 'update', 'update']);
    expect(await getTotals(analyticsDb, scopeOf('crit0'))).toMatchObject({ created: 2, rules: { paid: { created: 1, unique: { customerId: 1 } }, big: { created: 1, unique: { sku: 1 } } } });
  });

  it('sends nothing for a run of writes within the debounce, then one batch for all of them', async () => {
    const analyticsDb = fx.client.db(uniqueName('an'));
    const recorder = counting(analyticsDb, 60_000);
    const ops = createCollectionOps(fx.context('crit', { settings, observers: [recorder.observe] }));
    sent.length = 0;
    for (let i = 0; i < 5; i += 1) {
      const { id } = await ops.create({ status: 'paid', customerId: `c${i}`, amount: 150, sku: 's1' });
      await ops.update(id, { status: 'paid', customerId: 'c0', amount: 10 }, 0);
    }
    expect(sent.filter((e) => e.databaseName === analyticsDb.databaseName)).toEqual([]);
    await recorder.flush();
    expect(sent.filter((e) => e.databaseName === analyticsDb.databaseName)).toHaveLength(5);
    expect(await getTotals(analyticsDb, scopeOf('crit'))).toMatchObject({ created: 5, updated: 5, rules: { paid: { created: 5, updated: 5, unique: { customerId: 5 } }, big: { created: 5, unique: { sku: 1 } } } });
  });

  it('returns while the analytics database never answers', async () => {
    const hanging = new Proxy(fx.client.db(uniqueName('an')), {
      get(target, prop, receiver) {
        if (prop !== 'collection') return Reflect.get(target, prop, receiver) as unknown;
        return () => new Proxy({}, { get: () => () => new Promise(() => undefined) });
      },
    });
    const recorder = counting(hanging, 0);
    const ops = createCollectionOps(fx.context('hang', { settings, observers: [recorder.observe] }));
    const written = await ops.create({ status: 'paid', customerId: 'c1' });
    expect(written.ov).toBe(0);
  });
});

describe('committed versions no batch counted', () => {
  it('counts a write whose process died between the commit and the observer, once, payload rules included', async () => {
    const analyticsDb = fx.client.db(uniqueName('an'));
    const recorder = counting(analyticsDb);
    const crashing = createCollectionOps(
      fx.context('crash', {
        settings,
        observers: [recorder.observe],
        faults: (step) => {
          if (step === 'head-moved') throw new Error('process killed');
        },
      }),
    );
    const ops = createCollectionOps(fx.context('crash', { settings, observers: [recorder.observe] }));
    await ops.create({ status: 'paid', customerId: 'c1', amount: 500, sku: 's1' });
    await expect(crashing.create({ status: 'paid', customerId: 'c2', amount: 100, sku: 's2' })).rejects.toBeInstanceOf(InjectedCrash);
    await recorder.flush();
    expect((await getTotals(analyticsDb, scopeOf('crash'))).created).toBe(1);

    const found = await countUncountedVersions(fx.context('crash', { settings }), analyticsDb, recorder.observe, recorder.rules);
    expect(found).toEqual({ versions: 1, withoutPayload: 0 });
    await recorder.flush();
    const expected = { created: 2, rules: { paid: { created: 2, unique: { customerId: 2 } }, big: { created: 2, unique: { sku: 2 } } } };
    expect(await getTotals(analyticsDb, scopeOf('crash'))).toMatchObject(expected);

    expect(await countUncountedVersions(fx.context('crash', { settings }), analyticsDb, recorder.observe, recorder.rules)).toEqual({ versions: 0, withoutPayload: 0 });
    await recorder.flush();
    expect(await getTotals(analyticsDb, scopeOf('crash'))).toMatchObject(expected);
  });

  it('counts a row left pending once its head reached it, and not a pending row beyond its head', async () => {
    const analyticsDb = fx.client.db(uniqueName('an'));
    const recorder = counting(analyticsDb);
    const ops = createCollectionOps(fx.context('pend', { settings }));
    const { id } = await ops.create({ status: 'new', customerId: 'c1' });
    const ver = fx.db.collection('pend_ver');
    // The head-first commit rule: the row may stay pending after the head moved.
    await ver.updateMany({ id, ov: 0 }, { $set: { state: 'pending' } });
    // A claim that never committed (its head is still at 0).
    const row = await ver.findOne({ id, ov: 0 });
    await ver.insertOne({ ...row, _id: `${id}:1:other` as never, ov: 1, cv: 999, kind: 'update', claim: 'other', state: 'pending' });
    const found = await countUncountedVersions(fx.context('pend', { settings }), analyticsDb, recorder.observe, recorder.rules);
    expect(found.versions).toBe(1);
    await recorder.flush();
    expect(await getTotals(analyticsDb, scopeOf('pend'))).toMatchObject({ created: 1, updated: 0 });
  });
});

describe('concurrent writers', () => {
  it('counts 40 parallel creates and their updates exactly, with exact unique counts', async () => {
    const analyticsDb = fx.client.db(uniqueName('an'));
    const recorder = counting(analyticsDb, 5);
    const ops = createCollectionOps(fx.context('conc', { settings, observers: [recorder.observe] }));
    const created = await Promise.all(Array.from({ length: 40 }, (_, i) => ops.create({ status: i % 2 ? 'paid' : 'new', customerId: `c${i % 7}`, amount: i * 10, sku: `s${i % 3}` })));
    await Promise.all(created.slice(0, 10).map(({ id }, i) => ops.update(id, { status: 'paid', customerId: `c${i % 7}`, amount: 1 }, 0)));
    await recorder.flush();
    const totals = await getTotals(analyticsDb, scopeOf('conc'));
    expect([totals.created, totals.updated]).toEqual([40, 10]);
    expect(totals.rules.paid).toEqual({ created: 20, updated: 10, deleted: 0, unique: { customerId: 7 } });
    // amount ≥ 100: i = 10..39 → 30 creates; skus s0..s2.
    expect(totals.rules.big).toEqual({ created: 30, updated: 0, deleted: 0, unique: { sku: 3 } });
    expect((await countUncountedVersions(fx.context('conc', { settings }), analyticsDb, recorder.observe, recorder.rules)).versions).toBe(0);
  });
});
