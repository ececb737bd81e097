/**
 * `writeOptimization.compressionEnabled`: item.json over the threshold is stored gzipped under the
 * same key, every read gives the same record as without compression, versions written before it
 * was switched on still read, and the reconciler's "payload exists and parses" understands gzip.
 */
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_COMPRESSION_MIN_BYTES, isGzip } from '../../runtime/ops/store/payload-codec.js';
import { reconcileCollection } from '../../runtime/ops/reconcile.js';
import { InjectedCrash } from '../../runtime/ops/engine.js';
import { BACKENDS, openFixture, type Fixture } from './support/fixture.js';
import { violations } from './support/invariants.js';

const ON = { compression: { enabled: true, minBytes: DEFAULT_COMPRESSION_MIN_BYTES } };
const big = (tag: string) => ({ tag, text: `${tag} `.repeat(800), list: Array.from({ length: 50 }, (_, i) => ({ i, tag })) });

describe.each(BACKENDS)('payload compression (%s storage)', (backend) => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await openFixture(backend);
  });
  afterAll(async () => {
    await fx.teardown();
  });
  const raw = async (coll: string, id: string, ov: number) => fx.store.get(fx.bucket, `${coll}/${id}/v${ov}/item.json`);

  describe('writing', () => {
    it('stores item.json over the threshold as gzip under the same key, smaller than the JSON', async () => {
      const ops = fx.ops('cz_big', { settings: ON });
      const { id } = await ops.create(big('a'));
      expect(await fx.keys(`cz_big/${id}/`)).toEqual([`cz_big/${id}/v0/item.json`]);
      const bytes = await raw('cz_big', id, 0);
      expect(isGzip(bytes)).toBe(true);
      const json = gunzipSync(bytes).toString('utf8');
      expect(JSON.parse(json)).toMatchObject({ _id: id, tag: 'a', _system: { ov: 0 } });
      expect(bytes.length).toBeLessThan(Buffer.byteLength(json) / 3);
    });

    it('leaves item.json at or under the threshold as plain JSON', async () => {
      const ops = fx.ops('cz_small', { settings: ON });
      const { id } = await ops.create({ name: 'Ada' });
      const bytes = await raw('cz_small', id, 0);
      expect(isGzip(bytes)).toBe(false);
      expect(JSON.parse(Buffer.from(bytes).toString('utf8'))).toMatchObject({ _id: id, name: 'Ada' });
    });

    it('stores plain JSON of any size when compression is off', async () => {
      const { id } = await fx.ops('cz_off').create(big('off'));
      expect(isGzip(await raw('cz_off', id, 0))).toBe(false);
    });
  });

  describe('reading', () => {
    it('gives the same record from getLatest, getVersion, getAsOf and listByMeta as an uncompressed collection', async () => {
      const plain = fx.ops('cz_same_plain', { settings: { indexedProps: ['tag'] } });
      const packed = fx.ops('cz_same_gz', { settings: { ...ON, indexedProps: ['tag'] } });
      const a = await plain.create(big('x'));
      const b = await packed.create(big('x'));
      const strip = (r: unknown) => {
        const { _id, _system, ...data } = r as Record<string, unknown>;
        return data;
      };
      const latest = await packed.getLatest(b.id);
      expect(strip(latest)).toEqual(strip(await plain.getLatest(a.id)));
      expect(await packed.getVersion(b.id, 0)).toEqual(latest);
      expect(await packed.getAsOf(b.id, new Date())).toEqual(latest);
      expect((await packed.listByMeta({ filter: { tag: 'x' } })).items).toEqual([latest]);
    });

    it('reads versions written before compression was switched on next to compressed ones', async () => {
      const before = fx.ops('cz_switch');
      const { id } = await before.create(big('old'));
      const after = fx.ops('cz_switch', { settings: ON });
      await after.update(id, big('new'), 0);
      expect(isGzip(await raw('cz_switch', id, 0))).toBe(false);
      expect(isGzip(await raw('cz_switch', id, 1))).toBe(true);
      expect(await after.getVersion(id, 0)).toMatchObject({ tag: 'old' });
      expect(await after.getLatest(id)).toMatchObject({ tag: 'new', _system: { ov: 1 } });
      // And back off again: the compressed version still reads.
      expect(await before.getLatest(id)).toMatchObject({ tag: 'new' });
    });

    it('keeps base64 props as their own uncompressed objects beside a compressed item.json', async () => {
      const ops = fx.ops('cz_blob', { settings: { ...ON, base64Props: { file: { contentType: 'application/pdf' } } } });
      const file = Buffer.from('%PDF-1.4 '.repeat(300)).toString('base64');
      const { id } = await ops.create({ ...big('b'), file });
      expect(isGzip(await raw('cz_blob', id, 0))).toBe(true);
      expect(Buffer.from(await fx.store.get(fx.bucket, `cz_blob/${id}/v0/file/blob.bin`)).toString('base64')).toBe(file);
      expect(await ops.getLatest(id)).toMatchObject({ tag: 'b', file });
    });
  });

  describe('reconcile', () => {
    it('rolls a crashed write with a complete compressed payload forward', async () => {
      const coll = 'cz_crash';
      const ops = fx.ops(coll, { settings: ON });
      const { id } = await ops.create(big('v0'));
      const crashing = fx.ops(coll, {
        settings: ON,
        faults: (step) => {
          if (step === 'payload-written') throw new Error('crash');
        },
      });
      await expect(crashing.update(id, big('v1'), 0)).rejects.toBeInstanceOf(InjectedCrash);
      expect(isGzip(await raw(coll, id, 1))).toBe(true);
      const report = await reconcileCollection(fx.context(coll, { settings: ON }), { graceMs: 0 });
      expect(report.rolledForward).toEqual([expect.objectContaining({ id, ov: 1 })]);
      expect(await violations(fx, coll)).toEqual([]);
      expect(await ops.getLatest(id)).toMatchObject({ tag: 'v1', _system: { ov: 1 } });
    });

    it('rolls back a crashed write whose gzip payload is truncated', async () => {
      const coll = 'cz_trunc';
      const ops = fx.ops(coll, { settings: ON });
      const { id } = await ops.create(big('v0'));
      const crashing = fx.ops(coll, {
        settings: ON,
        faults: async (step) => {
          if (step !== 'payload-written') return;
          const key = `${coll}/${id}/v1/item.json`;
          const whole = await fx.store.get(fx.bucket, key);
          await fx.store.put(fx.bucket, key, whole.subarray(0, Math.floor(whole.length / 2)));
          throw new Error('crash mid-upload');
        },
      });
      await expect(crashing.update(id, big('v1'), 0)).rejects.toBeInstanceOf(InjectedCrash);
      const report = await reconcileCollection(fx.context(coll, { settings: ON }), { graceMs: 0 });
      expect(report.rolledBack).toEqual([expect.objectContaining({ id, ov: 1 })]);
      expect(await fx.keys(`${coll}/${id}/v1/`)).toEqual([]);
      expect(await ops.getLatest(id)).toMatchObject({ tag: 'v0', _system: { ov: 0 } });
    });
  });
});
