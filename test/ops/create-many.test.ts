/**
 * `createMany` on the real servers, per storage backend: every record a complete version with its
 * own cv, three Mongo round trips per batch, at most PUT_CONCURRENCY uploads in flight, and a
 * failure part-way leaving only complete versions with every record's outcome reported.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../runtime/errors.js';
import { CreateManyError, PUT_CONCURRENCY } from '../../runtime/ops/create-many.js';
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
      const ops = fx.ops('many');
      const records = Array.from({ length: 25 }, (_, n) => ({ n, label: `r${n}` }));
      const results = await ops.createMany(records, 'loader', 'import', 4);
      expect(results).toHaveLength(25);
      expect(new Set(results.map((r) => r.cv)).size).toBe(25);
      expect(new Set(results.map((r) => r.id)).size).toBe(25);
      for (const [n, result] of results.entries()) {
        expect(result.ov).toBe(0);
        expect(await ops.getLatest(result.id)).toMatchObject({ n, label: `r${n}`, _system: { ov: 0, cv: result.cv } });
      }
      expect(await fx.db.collection('many_ver').countDocuments({ kind: 'create' })).toBe(25);
      expect((await ops.history(results[3]!.id))[0]).toMatchObject({ ov: 0, actor: 'loader', reason: 'import' });
    });

    it('validates every record before writing any', async () => {
      const records = [{ a: 1 }, { a: 2 }, { _system: { ov: 3 } }];
      await expect(fx.ops('invalid').createMany(records)).rejects.toMatchObject({ name: ValidationError.name, message: expect.stringContaining('records[2]') });
      expect(await fx.db.collection('invalid_ver').countDocuments({})).toBe(0);
      expect(await fx.keys('invalid/')).toEqual([]);
    });
  });

  describe('batching', () => {
    it('sends three commands to MongoDB per batch, whatever its size', async () => {
      const commands: string[] = [];
      const monitored = await openFixture(backend, { monitorCommands: true });
      try {
        const ops = monitored.ops('batched');
        await ops.create({ warm: true }); // indexes and the first cv block, outside the count
        monitored.client.on('commandStarted', (e) => commands.push(e.commandName));
        expect(await ops.createMany(Array.from({ length: 60 }, (_, n) => ({ n })), undefined, undefined, 30)).toHaveLength(60);
      } finally {
        await monitored.teardown();
      }
      const inserts = commands.filter((c) => c === 'insert').length;
      expect(inserts).toBe(4); // rows and heads, two batches
      expect(commands.filter((c) => c !== 'insert' && c !== 'findAndModify' && c !== 'endSessions')).toEqual([]); // findAndModify: cv blocks only
    });

    it('keeps at most PUT_CONCURRENCY uploads in flight over all its batches, which overlap', async () => {
      let inFlight = 0;
      let most = 0;
      const gated = storeWithPut(fx.store, async (bucket, key, body, options) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        try {
          await new Promise((r) => setTimeout(r, 5));
          await fx.store.put(bucket, key, body, options);
        } finally {
          inFlight -= 1;
        }
      });
      const results = await fx.ops('gated', { store: gated }).createMany(Array.from({ length: 200 }, (_, n) => ({ n })), undefined, undefined, 25);
      expect(results.map((r) => r.id)).toHaveLength(200);
      expect(new Set(results.map((r) => r.cv)).size).toBe(200);
      expect(most).toBeGreaterThan(1);
      expect(most).toBeLessThanOrEqual(PUT_CONCURRENCY);
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
      const ops = fx.ops('broken', { store: failing, retry: { budgetMs: 0, baseDelayMs: 1, maxDelayMs: 1 } });
      const error = await ops.createMany(Array.from({ length: 10 }, (_, n) => ({ n })), undefined, undefined, 4).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CreateManyError);
      const outcomes = (error as CreateManyError).outcomes;
      expect(outcomes.filter((o) => o.ok)).toHaveLength(5);
      expect(outcomes.filter((o) => !o.ok).every((o) => !o.ok && /disk full/.test(o.error.message))).toBe(true);

      const rows = await fx.db.collection('broken_ver').find({}).toArray();
      expect(rows.map((r) => r.id).sort()).toEqual(outcomes.flatMap((o) => (o.ok ? [o.result.id] : [])).sort());
      const reader = fx.ops('broken');
      for (const row of rows) expect(await reader.getLatest(row.id as string)).toMatchObject({ _system: { ov: 0 } });
      expect((await fx.keys('broken/')).sort()).toEqual(rows.map((r) => `broken/${r.id as string}/v0/item.json`).sort());
      const repaired = await reconcileCollection(fx.context('broken'), { graceMs: 0 });
      expect(repaired).toMatchObject({ rolledForward: [], rolledBack: [], headsAdvanced: [], orphansRemoved: [] });
    });
  });
});
