import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../../runtime/errors.js';
import { BACKENDS, openFixture, type Fixture } from './support/fixture.js';

describe.each(BACKENDS)('update, delete and enrich (%s storage)', (backend) => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await openFixture(backend);
  });
  afterAll(async () => {
    await fx.teardown();
  });

  describe('update', () => {
    it('replaces the application data and carries lineage and functionIds over', async () => {
      const ops = fx.ops('upd');
      const { id } = await ops.create({ a: 1, b: 2 }, 'x', 'y', { origin: { id: 'o1', collection: 'src' } });
      await ops.enrich(id, { c: 3 }, { functionId: 'f@1' });
      const res = await ops.update(id, { a: 10 }, 1, 'editor', 'fix');
      expect(res).toMatchObject({ id, ov: 2 });
      const rec = await ops.getLatest(id);
      expect(rec).toMatchObject({ a: 10, _system: { ov: 2, functionIds: ['f@1'], originId: 'o1', originCollection: 'src' } });
      expect(rec).not.toHaveProperty('b');
      expect(rec!._system.insertedAt < rec!._system.updatedAt).toBe(true);
    });

    it('refuses a stale expectedOv with a ConflictError carrying the current ov', async () => {
      const ops = fx.ops('upd2');
      const { id } = await ops.create({ a: 1 });
      await ops.update(id, { a: 2 }, 0);
      const err = await ops.update(id, { a: 3 }, 0).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConflictError);
      expect((err as ConflictError).currentOv).toBe(1);
      expect(await ops.getLatest(id)).toMatchObject({ a: 2 });
    });

    it('refuses an expectedOv ahead of the record with a ConflictError', async () => {
      const ops = fx.ops('upd3');
      const { id } = await ops.create({ a: 1 });
      await expect(ops.update(id, { a: 2 }, 7)).rejects.toMatchObject({ code: 'CONFLICT', currentOv: 0 });
    });

    it('refuses an update of a record that does not exist', async () => {
      await expect(fx.ops('upd4').update('0123456789abcdef01234567', { a: 1 })).rejects.toBeInstanceOf(NotFoundError);
    });

    it('gives each version a time after the previous one even when the clock goes backwards', async () => {
      let now = Date.parse('2030-01-01T00:00:00Z');
      const ops = fx.ops('clock', { clock: () => new Date(now) });
      const { id } = await ops.create({ a: 1 });
      now -= 60_000;
      const u = await ops.update(id, { a: 2 });
      expect(u.updatedAt).toBe('2030-01-01T00:00:00.001Z');
    });
  });

  describe('logical delete', () => {
    it('writes a deleted version that keeps the data; getLatest returns null unless includeDeleted', async () => {
      const ops = fx.ops('del');
      const { id } = await ops.create({ a: 1 });
      const d = await ops.delete(id, 0, 'gdpr', 'request');
      expect(d).toMatchObject({ id, ov: 1 });
      expect(d.hard).toBeUndefined();
      expect(await ops.getLatest(id)).toBeNull();
      expect(await ops.getLatest(id, { includeDeleted: true })).toMatchObject({
        a: 1,
        _system: { ov: 1, deleted: true, deletedAt: d.deletedAt },
      });
      expect(await ops.getVersion(id, 0)).toMatchObject({ a: 1, _system: { deleted: false } });
    });

    it('refuses to update or delete a deleted record until it is restored', async () => {
      const ops = fx.ops('del2');
      const { id } = await ops.create({ a: 1 });
      await ops.delete(id);
      await expect(ops.update(id, { a: 2 })).rejects.toBeInstanceOf(NotFoundError);
      await expect(ops.delete(id)).rejects.toBeInstanceOf(NotFoundError);
      await ops.restoreObject(id, { ov: 0 });
      await expect(ops.update(id, { a: 2 })).resolves.toMatchObject({ ov: 3 });
    });
  });

  describe('hard delete', () => {
    it('removes every version, row and payload when logical delete is off', async () => {
      const ops = fx.ops('hard', { settings: { logicalDelete: false, base64Props: { f: { contentType: 'application/pdf' } } } });
      const { id } = await ops.create({ a: 1, f: Buffer.from('pdf').toString('base64') });
      await ops.update(id, { a: 2 });
      const d = await ops.delete(id, 1);
      expect(d).toMatchObject({ id, ov: 2, hard: true });
      expect(await ops.getLatest(id, { includeDeleted: true })).toBeNull();
      expect(await ops.history(id)).toEqual([]);
      expect(await fx.keys(`hard/${id}/`)).toEqual([]);
      expect(await fx.db.collection('hard_ver').countDocuments({ id, kind: { $ne: 'hard-delete' } })).toBe(0);
      expect(await fx.db.collection('hard_head').countDocuments({ _id: id } as never)).toBe(0);
      // Every version stays taken by a tombstone that holds nothing of the record.
      const tombstones = await fx.db.collection('hard_ver').find({ id }, { sort: { ov: 1 } }).toArray();
      expect(tombstones.map((t) => [t.ov, t.state, t.kind, t.meta])).toEqual([0, 1, 2].map((ov) => [ov, 'committed', 'hard-delete', {}]));
    });

    it('keeps the erased id from coming back: a writer that read the record before the delete, and a create with that id, both fail', async () => {
      const settings = { logicalDelete: false };
      const ops = fx.ops('hard_again', { settings });
      const { id } = await ops.create({ a: 1 });
      let release!: () => void;
      let reached!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const arrived = new Promise<void>((r) => (reached = r));
      const stale = fx
        .ops('hard_again', { settings, faults: async (step, info) => {
          if (step === 'head-read' && info.op === 'update') {
            reached();
            await gate;
          }
        } })
        .update(id, { a: 3 }, 0);
      await arrived; // the writer has read the head at v0
      await ops.delete(id, 0);
      release(); // it now claims v1, the tombstone's version
      await expect(stale).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(ops.create({ a: 2 }, undefined, undefined, { id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(await ops.getLatest(id, { includeDeleted: true })).toBeNull();
    });
  });

  describe('enrich', () => {
    it('merges objects, unions arrays without duplicates, replaces scalars and records the functionId once', async () => {
      const ops = fx.ops('enr');
      const { id } = await ops.create({ tags: ['a', { k: 1 }], meta: { x: 1, y: { z: 1 } }, score: 1 });
      await ops.enrich(id, { tags: ['b', 'a', { k: 1 }], meta: { y: { w: 2 } }, score: 5 }, { functionId: 'enricher@v1' });
      await ops.enrich(id, { tags: ['c'] }, { functionId: 'enricher@v1' });
      const rec = await ops.getLatest(id);
      expect(rec).toMatchObject({ tags: ['a', { k: 1 }, 'b', 'c'], meta: { x: 1, y: { z: 1, w: 2 } }, score: 5 });
      expect(rec?._system.functionIds).toEqual(['enricher@v1']);
    });

    it('applies a batch of patches as one version', async () => {
      const ops = fx.ops('enr2');
      const { id } = await ops.create({ tags: [] });
      const res = await ops.enrich(id, [{ tags: ['vip'] }, { metadata: { score: 100 } }, { tags: ['verified'] }]);
      expect(res.ov).toBe(1);
      expect(await ops.getLatest(id)).toMatchObject({ tags: ['vip', 'verified'], metadata: { score: 100 } });
    });

    it('is compare-and-set when expectedOv is given', async () => {
      const ops = fx.ops('enr3');
      const { id } = await ops.create({ a: 1 });
      await ops.enrich(id, { b: 1 });
      await expect(ops.enrich(id, { c: 1 }, { expectedOv: 0 })).rejects.toMatchObject({ code: 'CONFLICT', currentOv: 1 });
    });
  });

  describe('history', () => {
    it('lists committed versions oldest first with actor and reason', async () => {
      const ops = fx.ops('hist');
      const { id } = await ops.create({ a: 1 }, 'alice', 'new');
      await ops.update(id, { a: 2 }, 0, 'bob', 'edit');
      const h = await ops.history(id);
      expect(h.map((v) => [v.ov, v.actor, v.reason])).toEqual([
        [0, 'alice', 'new'],
        [1, 'bob', 'edit'],
      ]);
      expect(h[0]!.cv < h[1]!.cv).toBe(true);
    });
  });
});
