/**
 * No lost updates and ordered collection history (docs/design.md) under real concurrency,
 * on the client the harness gives (maxPoolSize=1). Every test settles all its writes before it
 * asserts (allSettled), so nothing is in flight when the database is dropped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError } from '../../runtime/errors.js';
import { BACKENDS, openFixture, type Fixture } from './support/fixture.js';
import { violations } from './support/invariants.js';
import { reconcileCollection } from '../../runtime/ops/reconcile.js';

/** Like Promise.all, but waits for every promise before throwing the first failure. */
async function settleAll<T>(promises: Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

describe.each(BACKENDS)('concurrent writers (%s storage)', (backend) => {
  describe('on the harness client (one connection)', () => {
    let fx: Fixture;
    beforeAll(async () => {
      fx = await openFixture(backend);
    });
    afterAll(async () => {
      await fx.teardown();
    });

    it('lets exactly one of 50 updates with the same expectedOv win; the 49 others get ConflictError with the current ov', async () => {
      const ops = fx.ops('race');
      const { id } = await ops.create({ n: -1 });
      const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => ops.update(id, { n: i }, 0)));
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(49);
      for (const r of lost) {
        expect(r.reason).toBeInstanceOf(ConflictError);
        expect([0, 1]).toContain((r.reason as ConflictError).currentOv);
      }
      const winner = (won[0] as PromiseFulfilledResult<{ ov: number }>).value;
      expect(winner.ov).toBe(1);
      const latest = await ops.getLatest(id);
      expect(latest?._system.ov).toBe(1);
      expect(await ops.history(id)).toHaveLength(2);
      expect(await violations(fx, 'race')).toEqual([]);
    });

    it('gives 200 concurrent creates unique cvs, and each record increasing cvs across its versions', async () => {
      const ops = fx.ops('many');
      const created = await settleAll(Array.from({ length: 200 }, (_, i) => ops.create({ i })));
      const cvs = created.map((c) => c.cv);
      expect(new Set(cvs).size).toBe(200);
      const some = created.slice(0, 20);
      const updated = await settleAll(some.map((c) => ops.update(c.id, { i: 'u' }, 0)));
      some.forEach((c, k) => expect(updated[k]!.cv).toBeGreaterThan(c.cv));
      expect(await violations(fx, 'many')).toEqual([]);
    });

    it('loses none of 20 concurrent enrichments of one record', async () => {
      const ops = fx.ops('enrich');
      const { id } = await ops.create({ tags: [] as string[], counts: {} });
      await settleAll(Array.from({ length: 20 }, (_, i) => ops.enrich(id, { tags: [`t${i}`], counts: { [`k${i}`]: i } }, { functionId: `f${i % 3}` })));
      const rec = await ops.getLatest(id);
      expect((rec?.tags as string[]).slice().sort()).toEqual(Array.from({ length: 20 }, (_, i) => `t${i}`).sort());
      expect(Object.keys(rec?.counts as object)).toHaveLength(20);
      expect(rec?._system.ov).toBe(20);
      expect(rec?._system.functionIds.slice().sort()).toEqual(['f0', 'f1', 'f2']);
      expect(await violations(fx, 'enrich')).toEqual([]);
    });
  });
});

/**
 * The same races on a client with FerretDB's default pool (100 connections), where its updates
 * are read-modify-write across connections and SQLite may answer "database is locked". The claim
 * (a unique-index insert) must still give at most one winner per version and unique cvs; server
 * errors may make individual writes fail, and those must leave nothing a reconcile cannot settle.
 * The client is single-process; FerretDB locks per database file, so other suites are unaffected.
 */
describe('concurrent writers on a pooled client (local storage)', () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await openFixture('local', { maxPoolSize: 100 });
  });
  afterAll(async () => {
    await fx.teardown();
  });

  it('never lets two of 50 updates with the same expectedOv both win', async () => {
    const ops = fx.ops('race');
    const { id } = await ops.create({ n: -1 });
    const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => ops.update(id, { n: i }, 0)));
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won.length).toBeLessThanOrEqual(1);
    const others = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    const conflicts = others.filter((r) => r.reason instanceof ConflictError).length;
    console.info(`pooled race: ${won.length} winner, ${conflicts} ConflictError, ${others.length - conflicts} server errors`);
    expect((await ops.history(id)).length).toBe(1 + won.length);
    await reconcileCollection(fx.context('race'), { graceMs: 0 });
    expect(await violations(fx, 'race')).toEqual([]);
  });

  it('gives concurrent creates unique cvs even when the counter increment is not atomic', async () => {
    const ops = fx.ops('many');
    const results = await Promise.allSettled(Array.from({ length: 100 }, (_, i) => ops.create({ i })));
    const cvs = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.cv] : []));
    console.info(`pooled creates: ${cvs.length} of 100 succeeded`);
    expect(new Set(cvs).size).toBe(cvs.length);
    const rows = await fx.db.collection('many_ver').find({}, { projection: { cv: 1 } }).toArray();
    expect(new Set(rows.map((r) => r.cv)).size).toBe(rows.length);
    await reconcileCollection(fx.context('many'), { graceMs: 0 });
    expect(await violations(fx, 'many')).toEqual([]);
  });
});
