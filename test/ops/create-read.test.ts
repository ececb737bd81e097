import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WriteEvent } from '../../runtime/ops/write-event.js';
import { BACKENDS, openFixture, type Fixture } from './support/fixture.js';

describe.each(BACKENDS)('create and read (%s storage)', (backend) => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await openFixture(backend);
  });
  afterAll(async () => {
    await fx.teardown();
  });

  describe('create', () => {
    it('returns a 24-hex id, ov 0, a cv from 1 upwards and the creation time', async () => {
      const ops = fx.ops('people');
      const a = await ops.create({ name: 'Ada' }, 'tester', 'first');
      const b = await ops.create({ name: 'Bob' });
      expect(a.id).toMatch(/^[0-9a-f]{24}$/);
      expect(a).toMatchObject({ ov: 0, cv: 1 });
      expect(b.cv).toBe(2);
      expect(Number.isNaN(Date.parse(a.createdAt))).toBe(false);
    });

    it('stores top-level keys that cannot be Mongo field names, keeping them out of the indexed meta', async () => {
      const ops = fx.ops('odd_keys');
      const { id } = await ops.create({ 'a.b': 1, $weird: 'x', plain: 2 });
      expect(await ops.getLatest(id)).toMatchObject({ 'a.b': 1, $weird: 'x', plain: 2 });
      expect((await ops.listByMeta({ filter: { plain: 2 } })).items.map((r) => r._id)).toEqual([id]);
    });

    it('stores the payload at <collection>/<id>/v0/item.json', async () => {
      const ops = fx.ops('layout');
      const { id } = await ops.create({ name: 'Ada' });
      expect(await fx.keys(`layout/${id}/`)).toEqual([`layout/${id}/v0/item.json`]);
    });

    it('tells observers about the committed write with its route and indexed props', async () => {
      const events: WriteEvent[] = [];
      const ops = fx.ops('observed', { settings: { indexedProps: ['status'] }, observers: [(e) => void events.push(e)] });
      const { id, cv } = await ops.create({ status: 'new', secret: 'x' });
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ kind: 'CREATE', id, ov: 0, cv, collection: 'observed', tenantId: 't1', meta: { status: 'new' } });
      expect(events[0]?.data).toEqual({ status: 'new', secret: 'x' });
    });

    it('keeps the write when an observer throws', async () => {
      const ops = fx.ops('observed2', { observers: [() => Promise.reject(new Error('counter down'))] });
      const { id } = await ops.create({ a: 1 });
      expect(await ops.getLatest(id)).toMatchObject({ a: 1 });
    });
  });

  describe('getLatest', () => {
    it('returns the application data at the top level with _id and _system, as the chronos-db API shows', async () => {
      const ops = fx.ops('shape');
      const { id, cv, createdAt } = await ops.create({ email: 'a@b.c', status: 'active' });
      expect(await ops.getLatest(id)).toEqual({
        _id: id,
        email: 'a@b.c',
        status: 'active',
        _system: { ov: 0, cv, insertedAt: createdAt, updatedAt: createdAt, deletedAt: null, deleted: false, functionIds: [] },
      });
    });

    it('returns null for an id that does not exist', async () => {
      expect(await fx.ops('shape').getLatest('0123456789abcdef01234567')).toBeNull();
    });

    it('keeps only the projected props besides _id and _system', async () => {
      const ops = fx.ops('proj');
      const { id } = await ops.create({ a: 1, b: 2, c: 3 });
      const rec = await ops.getLatest(id, { projection: ['a', 'c'] });
      expect(Object.keys(rec ?? {}).sort()).toEqual(['_id', '_system', 'a', 'c']);
    });
  });

  describe('getVersion', () => {
    it('returns version 0 and null for a version that does not exist yet', async () => {
      const ops = fx.ops('gv');
      const { id } = await ops.create({ n: 1 });
      expect(await ops.getVersion(id, 0)).toMatchObject({ n: 1, _system: { ov: 0 } });
      expect(await ops.getVersion(id, 5)).toBeNull();
    });
  });

  describe('lineage', () => {
    it('records the parent and inherits the origin from the parent head', async () => {
      const parents = fx.ops('parents');
      const children = fx.ops('children');
      const root = await parents.create({ n: 'root' }, 'sys', 'import', { origin: { id: 'cus_1', collection: 'customers', system: 'stripe' } });
      const child = await children.create({ n: 'child' }, 'sys', 'derive', { parentRecord: { id: root.id, collection: 'parents' } });
      const rec = await children.getLatest(child.id);
      expect(rec?._system).toMatchObject({
        parentId: root.id,
        parentCollection: 'parents',
        originId: 'cus_1',
        originCollection: 'stripe:customers',
      });
    });

    it('makes the parent the origin when the parent has no origin', async () => {
      const parents = fx.ops('parents2');
      const children = fx.ops('children2');
      const root = await parents.create({ n: 'root' });
      const child = await children.create({ n: 'c' }, undefined, undefined, { parentRecord: { id: root.id, collection: 'parents2' } });
      expect((await children.getLatest(child.id))?._system).toMatchObject({ originId: root.id, originCollection: 'parents2' });
    });
  });

  describe('base64 props', () => {
    const settings = {
      base64Props: {
        photo: { contentType: 'image/png' },
        note: { contentType: 'text/plain', preferredText: true, textCharset: 'utf-8' },
      },
    };

    it('stores decoded bytes as blob.bin or text.txt and records the blob\'s reference in item.json\'s _system, outside the data', async () => {
      const ops = fx.ops('files', { settings });
      const photo = Buffer.from([0, 1, 2, 250, 251]).toString('base64');
      const note = Buffer.from('héllo', 'utf8').toString('base64');
      const { id } = await ops.create({ title: 't', photo, note });
      expect((await fx.keys(`files/${id}/`)).sort()).toEqual(
        [`files/${id}/v0/item.json`, `files/${id}/v0/note/text.txt`, `files/${id}/v0/photo/blob.bin`].sort(),
      );
      expect(Buffer.from(await fx.store.get(fx.bucket, `files/${id}/v0/photo/blob.bin`))).toEqual(Buffer.from([0, 1, 2, 250, 251]));
      expect(Buffer.from(await fx.store.get(fx.bucket, `files/${id}/v0/note/text.txt`)).toString('utf8')).toBe('héllo');
      const item = JSON.parse(Buffer.from(await fx.store.get(fx.bucket, `files/${id}/v0/item.json`)).toString('utf8'));
      expect(item.photo).toBeUndefined();
      expect(item._system.blobs.photo).toEqual({ file: 'blob.bin', contentType: 'image/png', size: 5 });
      expect(await ops.getLatest(id)).toMatchObject({ title: 't', photo, note });
    });

    it('stores data shaped like a blob reference as ordinary data: it reads back, lists and enriches exactly', async () => {
      const ops = fx.ops('marker', { settings: { ...settings, indexedProps: ['title'] } });
      const lookalike = { $chronosBlob: { file: 'blob.bin', contentType: 'x', size: 1 } };
      const data = { title: 'm', photo: Buffer.from('p').toString('base64'), nested: { deep: lookalike }, top: lookalike };
      const { id } = await ops.create(data);
      expect(await ops.getLatest(id)).toMatchObject({ ...data });
      expect((await ops.listByMeta({ filter: { title: 'm' } })).items).toHaveLength(1);
      await ops.enrich(id, { more: lookalike });
      expect(await ops.getLatest(id)).toMatchObject({ ...data, more: lookalike });
      expect(await ops.getVersion(id, 0)).toMatchObject({ top: lookalike });
    });

    it('gives a presigned URL instead of the content when asked', async () => {
      const ops = fx.ops('files2', { settings });
      const photo = Buffer.from('png-bytes').toString('base64');
      const { id } = await ops.create({ photo });
      const rec = await ops.getLatest(id, { presign: true, ttlSeconds: 60 });
      const url = String(rec?.photo);
      expect(url).toMatch(backend === 's3' ? /^http/ : /^file:/);
      if (backend === 's3') expect(Buffer.from(await (await fetch(url)).arrayBuffer()).toString()).toBe('png-bytes');
    });
  });
});
