/**
 * `createMany` (`createManyRecords`) on the real servers, per storage backend: every record a
 * complete version with its own cv, at most `batchSize` in flight, and a failure part-way leaving
 * only complete versions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../runtime/errors.js';
import { createManyRecords } from '../../runtime/ops/create-many.js';
import { reconcileCollection } from '../../runtime/ops/reconcile.js';
import type { ObjectStore } from '../../runtime/storage/object-store.js';
import { BACKENDS, openFixture, type Fixture } from './support/fixture.js';

/** The fixture's store with `put` replaced (the fault or the probe); everything else passes through. */
function storeWithPut(store: ObjectStore, put: ObjectStore['put']): ObjectStore {
  return Object.assign(Object.create(store) as ObjectStore, { put });
}

describe.each(BACKENDS)('createMany on %s storage', (backend) => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await openFixture(backend);
  });
  afterAll(async () => {
    await fx.teardown();
  });

  describe('what it writes', () => {
    it('gives N records N versions at ov 0 with unique cvs, results in input order', async () => {
      const ctx = fx.context('many');
      const ops = fx.ops('many');
      const records = Array.from({ length: 25 }, (_, n) => ({ n, label: `r${n}` }));
      const results = await createManyRecords(ops, ctx, records, 'loader', 'import', 4);
      expect(results).toHaveLength(25);
      expect(new Set(results.map((r) => r.cv)).size).toBe(25);
      expect(new Set(results.map((r) => r.id)).size).toBe(25);
      for (const [n, result] of results.entries()) {
        expect(result.ov).toBe(0);
        expect(await ops.getLatest(result.id)).toMatchObject({ n, label: `r${n}`, _system: { ov: 0, cv: result.cv } });
      }
      expect(await fx.db.collection('many_ver').countDocuments({ state: 'committed' })).toBe(25);
    });

    it('validates every record before writing any', async () => {
      const ctx = fx.context('invalid');
      const records = [{ a: 1 }, { a: 2 }, { _system: { ov: 3 } }];
      await expect(createManyRecords(fx.ops('invalid'), ctx, records)).rejects.toMatchObject({ name: ValidationError.name, message: expect.stringContaining('records[2]') });
      expect(await fx.db.collection('invalid_ver').countDocuments({})).toBe(0);
      expect(await fx.keys('invalid/')).toEqual([]);
    });
  });

  describe('batchSize', () => {
    it('keeps exactly batchSize records in flight at most', async () => {
      const batchSize = 4;
      let inFlight = 0;
      let most = 0;
      let waiting: Array<() => void> = [];
      // Each PUT waits until batchSize PUTs are in flight: the run only finishes if batchSize are
      // reached, and `most` shows whether more ever were.
      const gated = storeWithPut(fx.store, async (bucket, key, body, options) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        if (inFlight >= batchSize) {
          for (const release of waiting) release();
          waiting = [];
        } else {
          await new Promise<void>((resolve) => waiting.push(resolve));
        }
        try {
          await fx.store.put(bucket, key, body, options);
        } finally {
          inFlight -= 1;
        }
      });
      const ctx = fx.context('gated', { store: gated });
      const results = await createManyRecords(fx.ops('gated', { store: gated }), ctx, Array.from({ length: 12 }, (_, n) => ({ n })), undefined, undefined, batchSize);
      expect(results).toHaveLength(12);
      expect(most).toBe(batchSize);
    });
  });

  describe('a failure part-way', () => {
    it('rejects, leaving only complete versions and nothing for reconcile to roll forward', async () => {
      let puts = 0;
      const failing = storeWithPut(fx.store, async (bucket, key, body, options) => {
        puts += 1;
        if (puts > 5) throw new Error('disk full');
        await fx.store.put(bucket, key, body, options);
      });
      const ctx = fx.context('broken', { store: failing });
      const ops = fx.ops('broken', { store: failing });
      await expect(createManyRecords(ops, ctx, Array.from({ length: 10 }, (_, n) => ({ n })), undefined, undefined, 2)).rejects.toThrow(/disk full/);

      const rows = await fx.db.collection('broken_ver').find({}).toArray();
      expect(rows.map((r) => r.state)).toEqual(Array(5).fill('committed'));
      const reader = fx.ops('broken');
      for (const row of rows) expect(await reader.getLatest(row.id as string)).toMatchObject({ _system: { ov: 0 } });
      expect((await fx.keys('broken/')).sort()).toEqual(rows.map((r) => `broken/${r.id as string}/v0/item.json`).sort());
      const repaired = await reconcileCollection(fx.context('broken'), { graceMs: 0 });
      expect(repaired).toMatchObject({ rolledForward: [], rolledBack: [], headsAdvanced: [], orphansRemoved: [] });
    });
  });
});
