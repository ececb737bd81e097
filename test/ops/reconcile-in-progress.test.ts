/**
 * Reconcile and a settlement another settler is running: a dead writer's claim whose settlement
 * lock is held (by a writer of the record, or another reconcile, still settling it) is left to
 * that settler and listed as in progress, and settled by the next run once the lock is gone or
 * its lease has run out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileCollection } from '../../runtime/ops/reconcile.js';
import { versionedStores } from '../../runtime/mongo/stores.js';
import { openFixture, type Fixture } from './support/fixture.js';

let fx: Fixture;
beforeAll(async () => {
  fx = await openFixture('local');
});
afterAll(async () => {
  await fx.teardown();
});

describe('reconcile meets a settlement in progress', () => {
  it('lists the claim another settler holds, leaves it alone, and settles it on the next run', async () => {
    const ops = fx.ops('inprogress');
    const { id } = await ops.create({ n: 0 });
    const dying = fx.ops('inprogress', { faults: (step) => { if (step === 'claimed') throw new Error('crash'); } });
    await expect(dying.update(id, { n: 1 })).rejects.toThrow('crash');
    // Every write leaves its row pending (reconcile marks them); the dead claim is version 1's.
    const row = await fx.db.collection<{ claim: string }>('inprogress_ver').findOne({ id, ov: 1 });
    expect(row).not.toBeNull();

    // Another settler of the same dead claim is at work: it holds the claim's settlement lock.
    const { locks } = versionedStores(fx.db, 'inprogress');
    const held = await locks.take(id, 1, row!.claim, new Date(), 60_000, 0);
    expect(held).not.toBeNull();

    const during = await reconcileCollection(fx.context('inprogress'), { graceMs: 0 });
    expect(during.settlementsInProgress).toEqual([{ id, ov: 1 }]);
    expect(during.rolledBack).toEqual([]);
    expect(await fx.db.collection('inprogress_ver').countDocuments({ id, ov: 1 })).toBe(1);

    await locks.release(held!);
    const after = await reconcileCollection(fx.context('inprogress'), { graceMs: 0 });
    expect(after.rolledBack).toEqual([{ id, ov: 1 }]);
    expect(after.settlementsInProgress).toEqual([]);
    expect(await ops.getLatest(id)).toMatchObject({ n: 0, _system: { ov: 0 } });
  });
});
