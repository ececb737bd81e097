/**
 * Counter rules that count transitions (`count: 'transition' | 'transitions'`) on the real engine:
 * "how many orders became paid" counts the write that makes `when` hold, not every write while it
 * holds; `transitions` also counts the write after which it stops holding. A version whose
 * observer never ran (a crash right after the commit) is counted the same way by the
 * uncounted-versions pass, which reads the replaced version's indexed props from its row.
 */
import type { Db } from 'mongodb';
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

beforeAll(async () => {
  fx = await openFixture('local');
});

afterAll(async () => {
  await fx.teardown();
});

const rules = [
  counterRuleSchema.parse({ name: 'every_paid', on: ['CREATE', 'UPDATE'], when: { status: 'paid' } }),
  counterRuleSchema.parse({ name: 'became_paid', on: ['CREATE', 'UPDATE'], count: 'transition', when: { status: 'paid' }, countUnique: ['customerId'] }),
  counterRuleSchema.parse({ name: 'paid', on: ['CREATE', 'UPDATE', 'DELETE'], count: 'transitions', when: { status: 'paid' } }),
];
const settings = { indexedProps: ['status', 'customerId'] };

function counting(analyticsDb: Db): CounterRecorder {
  return createCounterRecorder({ resolveAnalyticsDb: () => analyticsDb, rules, debounceMs: 60_000 });
}

function scopeOf(collection: string) {
  return { dbName: fx.db.databaseName, collection, tenantId: 't1' };
}

describe('counting transitions', () => {
  it('counts a payment once however many writes follow while it stays paid, and counts it leaving', async () => {
    const analyticsDb = fx.client.db(uniqueName('an'));
    const recorder = counting(analyticsDb);
    const ops = createCollectionOps(fx.context('trans', { settings, observers: [recorder.observe] }));
    const { id } = await ops.create({ status: 'new', customerId: 'c1' }); // not paid
    await ops.update(id, { status: 'paid', customerId: 'c1' }); // became paid
    await ops.update(id, { status: 'paid', customerId: 'c1', note: 'receipt sent' }); // still paid
    await ops.enrich(id, { note: 'thanked' }); // still paid
    await ops.update(id, { status: 'refunded', customerId: 'c1' }); // left
    await ops.update(id, { status: 'paid', customerId: 'c1' }); // became paid again
    await ops.delete(id); // left by deletion
    const created = await ops.create({ status: 'paid', customerId: 'c2' }); // a create that matches enters
    await recorder.flush();
    const totals = await getTotals(analyticsDb, scopeOf('trans'));
    expect(totals.rules.every_paid).toMatchObject({ created: 1, updated: 4 });
    expect(totals.rules.became_paid).toEqual({ created: 1, updated: 2, deleted: 0, unique: { customerId: 2 } });
    expect(totals.rules.paid).toMatchObject({ created: 1, updated: 2, deleted: 0 });
    expect(totals.rules.paid_left).toMatchObject({ created: 0, updated: 1, deleted: 1 });
    expect(created.ov).toBe(0);
  });

  it('counts a transition whose observer never ran exactly once, from the version rows', async () => {
    const analyticsDb = fx.client.db(uniqueName('an'));
    const recorder = counting(analyticsDb);
    const ops = createCollectionOps(fx.context('trans_crash', { settings, observers: [recorder.observe] }));
    const crashing = createCollectionOps(
      fx.context('trans_crash', {
        settings,
        observers: [recorder.observe],
        faults: (step) => {
          if (step === 'head-moved') throw new Error('process killed');
        },
      }),
    );
    const { id } = await ops.create({ status: 'new', customerId: 'c1' });
    await expect(crashing.update(id, { status: 'paid', customerId: 'c1' })).rejects.toBeInstanceOf(InjectedCrash);
    await ops.update(id, { status: 'paid', customerId: 'c1', note: 'still paid' });
    await recorder.flush();
    // The crashed write committed (the head moved) but was never observed; the next one did not enter.
    expect((await getTotals(analyticsDb, scopeOf('trans_crash'))).rules.became_paid).toBeUndefined();

    const found = await countUncountedVersions(fx.context('trans_crash', { settings }), analyticsDb, recorder.observe, recorder.rules);
    expect(found.versions).toBe(1);
    await recorder.flush();
    const expected = { created: 0, updated: 1, deleted: 0, unique: { customerId: 1 } };
    expect((await getTotals(analyticsDb, scopeOf('trans_crash'))).rules.became_paid).toEqual(expected);
    expect((await countUncountedVersions(fx.context('trans_crash', { settings }), analyticsDb, recorder.observe, recorder.rules)).versions).toBe(0);
    await recorder.flush();
    expect((await getTotals(analyticsDb, scopeOf('trans_crash'))).rules.became_paid).toEqual(expected);
  });

  it('refuses a transition rule over the payload, naming the fix', () => {
    expect(() => counterRuleSchema.parse({ name: 'x', scope: 'payload', count: 'transition', when: { a: 1 } })).toThrow(/transitions compare the indexed props .* use scope \\"meta\\"/);
  });
});
