/**
 * `devShadow`: the head carries a copy of its own version's item.json, so getLatest answers
 * without an object-storage GET; the copy expires by its age (engine clock, no TTL index), is
 * skipped over `maxBytesPerDoc`, and follows every write because it is set by the update that
 * moves the head.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObjectStore } from '../../runtime/storage/object-store.js';
import type { DevShadowSettings } from '../../runtime/ops/dev-shadow.js';
import { reconcileCollection } from '../../runtime/ops/reconcile.js';
import { InjectedCrash } from '../../runtime/ops/engine.js';
import { manualClock } from '../support/manual-clock.js';
import { BACKENDS, openFixture, type Fixture } from './support/fixture.js';

const HOUR = 3_600_000;
const SHADOW: DevShadowSettings = { ttlMs: HOUR, maxBytesPerDoc: 256 * 1024 };

/** The fixture's store with its GETs recorded (observation only; every call reaches the real store). */
function countingStore(store: ObjectStore): { store: ObjectStore; gets: string[] } {
  const gets: string[] = [];
  const wrapped = new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'get') {
        return (bucket: string, key: string) => {
          gets.push(key);
          return target.get(bucket, key);
        };
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { store: wrapped, gets };
}

describe.each(BACKENDS)('dev shadow (%s storage)', (backend) => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await openFixture(backend);
  });
  afterAll(async () => {
    await fx.teardown();
  });

  /** A shadowing and a plain handle on one collection, both counting GETs. */
  function handles(coll: string, shadow: DevShadowSettings = SHADOW, extra: Parameters<Fixture['ops']>[1] = {}) {
    const counted = countingStore(fx.store);
    const { settings, ...rest } = extra;
    const on = fx.ops(coll, { ...rest, store: counted.store, settings: { ...settings, devShadow: shadow } });
    const off = fx.ops(coll, { ...rest, settings: { ...settings } });
    return { on, off, gets: counted.gets };
  }

  describe('getLatest', () => {
    it('makes no storage GET and returns what the storage read returns', async () => {
      const { on, off, gets } = handles('sh_basic');
      const { id } = await on.create({ name: 'Ada', nested: { a: [1, 2, { b: null }] } });
      gets.length = 0;
      const fromShadow = await on.getLatest(id);
      expect(gets).toEqual([]);
      expect(fromShadow).toEqual(await off.getLatest(id));
      expect(fromShadow).toMatchObject({ name: 'Ada', _system: { ov: 0 } });
    });

    it('applies projection to the shadow as to a storage read', async () => {
      const { on, off, gets } = handles('sh_proj');
      const { id } = await on.create({ a: 1, b: 2 });
      gets.length = 0;
      expect(await on.getLatest(id, { projection: ['a'] })).toEqual(await off.getLatest(id, { projection: ['a'] }));
      expect(gets).toEqual([]);
    });

    it('reads storage when shadows are off, so the counting store does count', async () => {
      const counted = countingStore(fx.store);
      const ops = fx.ops('sh_offcount', { store: counted.store });
      const { id } = await ops.create({ a: 1 });
      await ops.getLatest(id);
      expect(counted.gets).toEqual([`sh_offcount/${id}/v0/item.json`]);
    });
  });

  describe('expiry', () => {
    it('ignores a shadow older than ttlHours and reads storage, by the engine clock alone', async () => {
      const time = manualClock();
      const { on, gets } = handles('sh_ttl', SHADOW, { clock: time.clock });
      const { id } = await on.create({ v: 'x' });
      gets.length = 0;
      time.advance(HOUR - 1000);
      expect(await on.getLatest(id)).toMatchObject({ v: 'x' });
      expect(gets).toEqual([]);
      time.advance(2000);
      expect(await on.getLatest(id)).toMatchObject({ v: 'x' });
      expect(gets).toEqual([`sh_ttl/${id}/v0/item.json`]);
    });

    it('starts a fresh shadow with the next write', async () => {
      const time = manualClock();
      const { on, gets } = handles('sh_ttl2', SHADOW, { clock: time.clock });
      const { id } = await on.create({ v: 0 });
      time.advance(2 * HOUR);
      await on.update(id, { v: 1 }, 0);
      gets.length = 0;
      expect(await on.getLatest(id)).toMatchObject({ v: 1 });
      expect(gets).toEqual([]);
    });
  });

  describe('size bound', () => {
    it('keeps no shadow for a document over maxBytesPerDoc and reads it from storage', async () => {
      const { on, gets } = handles('sh_big', { ttlMs: HOUR, maxBytesPerDoc: 500 });
      const small = await on.create({ s: 'x' });
      const big = await on.create({ s: 'x'.repeat(600) });
      const heads = fx.db.collection('sh_big_head');
      expect(await heads.findOne({ _id: big.id as never })).not.toHaveProperty('shadow');
      expect(await heads.findOne({ _id: small.id as never })).toHaveProperty('shadow.ov', 0);
      gets.length = 0;
      expect(await on.getLatest(big.id)).toMatchObject({ s: 'x'.repeat(600) });
      expect(gets).toEqual([`sh_big/${big.id}/v0/item.json`]);
    });

    it('drops the shadow when an update grows the document over the bound', async () => {
      const { on, gets } = handles('sh_grow', { ttlMs: HOUR, maxBytesPerDoc: 500 });
      const { id } = await on.create({ s: 'small' });
      await on.update(id, { s: 'y'.repeat(600) }, 0);
      gets.length = 0;
      expect(await on.getLatest(id)).toMatchObject({ s: 'y'.repeat(600), _system: { ov: 1 } });
      expect(gets).toEqual([`sh_grow/${id}/v1/item.json`]);
    });
  });

  describe('following the head', () => {
    it('follows updates, enrich, logical deletes and restores without a storage GET', async () => {
      const { on, off, gets } = handles('sh_follow');
      const { id } = await on.create({ n: 0, tags: ['a'] });
      const check = async () => {
        gets.length = 0;
        const got = await on.getLatest(id, { includeDeleted: true });
        expect(gets).toEqual([]);
        expect(got).toEqual(await off.getLatest(id, { includeDeleted: true }));
        return got;
      };
      await on.update(id, { n: 1, tags: ['b'] }, 0);
      expect(await check()).toMatchObject({ n: 1, _system: { ov: 1 } });
      await on.enrich(id, { tags: ['c'] }, { functionId: 'f1' });
      expect(await check()).toMatchObject({ tags: ['b', 'c'], _system: { ov: 2 } });
      await on.delete(id, 2);
      expect(await check()).toMatchObject({ _system: { ov: 3, deleted: true } });
      expect(await on.getLatest(id)).toBeNull();
      await on.restoreObject(id, { ov: 0 });
      expect(await check()).toMatchObject({ n: 0, tags: ['a'], _system: { ov: 4, deleted: false } });
    });

    it('returns null after a hard delete', async () => {
      const { on } = handles('sh_hard', SHADOW, { settings: { logicalDelete: false } });
      const { id } = await on.create({ n: 0 });
      await on.delete(id, 0);
      expect(await on.getLatest(id, { includeDeleted: true })).toBeNull();
    });

    it('has no shadow after a writer with shadows off moves the head, so reads go to storage', async () => {
      const { on, off, gets } = handles('sh_mixed');
      const { id } = await on.create({ n: 0 });
      await off.update(id, { n: 1 }, 0);
      gets.length = 0;
      expect(await on.getLatest(id)).toMatchObject({ n: 1, _system: { ov: 1 } });
      expect(gets).toEqual([`sh_mixed/${id}/v1/item.json`]);
    });

    it('never serves the previous version after reconcile moves the head without a shadow', async () => {
      const coll = 'sh_reconcile';
      const { on, gets } = handles(coll);
      const { id } = await on.create({ n: 0 });
      const crashing = fx.ops(coll, {
        settings: { devShadow: SHADOW },
        faults: (step) => {
          if (step === 'payload-written') throw new Error('crash');
        },
      });
      await expect(crashing.update(id, { n: 1 }, 0)).rejects.toBeInstanceOf(InjectedCrash);
      const report = await reconcileCollection(fx.context(coll), { graceMs: 0 });
      expect(report.rolledForward).toEqual([{ id, ov: 1 }]);
      gets.length = 0;
      expect(await on.getLatest(id)).toMatchObject({ n: 1, _system: { ov: 1 } });
      expect(gets).toEqual([`${coll}/${id}/v1/item.json`]);
    });

    it('ignores a shadow that names another version than its head', async () => {
      const { on, gets } = handles('sh_guard');
      const { id } = await on.create({ n: 0 });
      await on.update(id, { n: 1 }, 0);
      // A head whose shadow is from v0 cannot be written by the engine; forge one to test the read guard.
      const stale = JSON.stringify({ _id: id, n: 'stale', _system: { ov: 0 } });
      await fx.db.collection('sh_guard_head').updateOne({ _id: id as never }, { $set: { shadow: { ov: 0, at: new Date(), json: stale } } });
      gets.length = 0;
      expect(await on.getLatest(id)).toMatchObject({ n: 1 });
      expect(gets).toEqual([`sh_guard/${id}/v1/item.json`]);
    });
  });

  describe('with base64 props and compression', () => {
    it('reads only the blob (not item.json) for inline base64, and nothing for presigned URLs', async () => {
      const base64Props = { file: { contentType: 'application/pdf' } };
      const { on, off, gets } = handles('sh_blob', SHADOW, { settings: { base64Props } });
      const file = Buffer.from('%PDF-1.4 hello').toString('base64');
      const { id } = await on.create({ name: 'doc', file });
      gets.length = 0;
      expect(await on.getLatest(id)).toEqual(await off.getLatest(id));
      expect(gets).toEqual([`sh_blob/${id}/v0/file/blob.bin`]);
      gets.length = 0;
      const presigned = await on.getLatest(id, { presign: true });
      expect(gets).toEqual([]);
      expect(presigned?.file).toMatch(/^(https?|file):/);
    });

    it('keeps the uncompressed JSON in the shadow when item.json is gzipped', async () => {
      const compression = { enabled: true, minBytes: 1024 };
      const { on, off, gets } = handles('sh_gz', SHADOW, { settings: { compression } });
      const { id } = await on.create({ text: 'lorem '.repeat(500) });
      const head = await fx.db.collection('sh_gz_head').findOne({ _id: id as never });
      expect(JSON.parse((head?.shadow as { json: string }).json)).toMatchObject({ _id: id, text: 'lorem '.repeat(500) });
      gets.length = 0;
      expect(await on.getLatest(id)).toEqual(await off.getLatest(id));
      expect(gets).toEqual([]);
    });
  });
});
