/**
 * `versioning: false` keeps only the newest version; `applyVersionRetention` trims history on
 * request, never the head's version (a version stays readable until retention removes it:
 * docs/design.md, "Promises").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyVersionRetention } from '../../runtime/ops/retention.js';
import { reconcileCollection } from '../../runtime/ops/reconcile.js';
import { BACKENDS, openFixture, type Fixture } from './support/fixture.js';
import { violations } from './support/invariants.js';

describe.each(BACKENDS)('versioning and retention (%s storage)', (backend) => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await openFixture(backend);
  });
  afterAll(async () => {
    await fx.teardown();
  });

  describe('with versioning disabled', () => {
    it('keeps only the latest version: getVersion of an older ov is null and getAsOf sees the latest from its time on', async () => {
      let now = Date.parse('2033-01-01T00:00:00Z');
      const ops = fx.ops('nover', { clock: () => new Date(now), settings: { versioning: false } });
      const { id } = await ops.create({ v: 0 });
      now += 60_000;
      await ops.update(id, { v: 1 });
      now += 60_000;
      const last = await ops.enrich(id, { w: 2 });
      expect(await ops.getLatest(id)).toMatchObject({ v: 1, w: 2, _system: { ov: 2 } });
      expect(await ops.getVersion(id, 0)).toBeNull();
      expect(await ops.getVersion(id, 2)).toMatchObject({ v: 1 });
      expect(await ops.getAsOf(id, '2033-01-01T00:01:30Z')).toBeNull();
      expect(await ops.getAsOf(id, last.updatedAt)).toMatchObject({ w: 2 });
      expect((await ops.history(id)).map((h) => h.ov)).toEqual([2]);
      expect(await fx.keys(`nover/${id}/`)).toEqual([`nover/${id}/v2/item.json`]);
      expect(await violations(fx, 'nover')).toEqual([]);
      expect((await reconcileCollection(fx.context('nover', { settings: { versioning: false } }), { graceMs: 0 })).versionsPruned).toBe(0);
    });
  });

  describe('applyVersionRetention', () => {
    it('keeps the newest maxPerItem versions of each record and removes the rest with their payloads', async () => {
      const ops = fx.ops('ret');
      const { id } = await ops.create({ v: 0 });
      for (let i = 1; i < 5; i += 1) await ops.update(id, { v: i });
      const other = await ops.create({ v: 'only' });
      const report = await applyVersionRetention(fx.context('ret'), { maxPerItem: 2 });
      expect(report).toEqual({ versionsRemoved: 3, recordsTouched: 1 });
      expect((await ops.history(id)).map((h) => h.ov)).toEqual([3, 4]);
      expect(await ops.getVersion(id, 2)).toBeNull();
      expect(await fx.keys(`ret/${id}/v2/`)).toEqual([]);
      expect(await ops.getLatest(other.id)).toMatchObject({ v: 'only' });
      expect(await applyVersionRetention(fx.context('ret'), { maxPerItem: 2 })).toEqual({ versionsRemoved: 0, recordsTouched: 0 });
      expect(await violations(fx, 'ret')).toEqual([]);
    });

    it('removes versions older than the given days but never the head version', async () => {
      let now = Date.parse('2033-01-01T00:00:00Z');
      const ctx = fx.context('ret_days', { clock: () => new Date(now) });
      const ops = fx.ops('ret_days', { clock: () => new Date(now) });
      const { id } = await ops.create({ v: 0 });
      now += 10 * 86_400_000;
      await ops.update(id, { v: 1 });
      const alone = await ops.create({ v: 'old' });
      now += 40 * 86_400_000;
      expect(await applyVersionRetention(ctx, { days: 30 })).toEqual({ versionsRemoved: 1, recordsTouched: 1 });
      expect((await ops.history(id)).map((h) => h.ov)).toEqual([1]);
      expect(await ops.getLatest(alone.id)).toMatchObject({ v: 'old' });
    });

    it('refuses a policy that makes no sense', async () => {
      await expect(applyVersionRetention(fx.context('ret'), { maxPerItem: 0 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      await expect(applyVersionRetention(fx.context('ret'), { days: -1 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    });
  });
});
