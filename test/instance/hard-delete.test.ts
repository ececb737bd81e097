/**
 * GDPR erasure (`hardDeleteRecord`, behind `chronos.admin.hardDelete`) on the real servers, per
 * storage backend: what it removes, the audit row it leaves, crash recovery and unknown ids.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir } from 'node:fs/promises';
import { MongoClient } from 'mongodb';
import { initChronos, type Chronos } from '../../runtime/chronos.js';
import { NotFoundError, RouteError } from '../../runtime/errors.js';
import { testConfig } from '../support/chronos-config.js';
import { testServers } from '../support/servers.js';
import { createFallbackQueue } from '../../runtime/fallback/fallback-queue.js';
import { FALLBACK_OPS_COLLECTION } from '../../runtime/fallback/types.js';
import { reconcileCollection } from '../../runtime/ops/reconcile.js';
import { ERASURES_COLLECTION, hardDeleteRecord, type ErasureAuditDoc } from '../../runtime/ops/erase-record.js';
import { BACKENDS, openFixture, type Fixture } from '../ops/support/fixture.js';

const DEAD = 'chronos_fallback_dead';
const targets = { fallbackCollections: { ops: FALLBACK_OPS_COLLECTION, deadLetters: DEAD } };
const settings = { base64Props: { photo: { contentType: 'image/png' } } };
const SECRET = 'ada@private.example';
const photo = Buffer.from('face-bytes').toString('base64');

describe.each(BACKENDS)('hardDelete on %s storage', (backend) => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await openFixture(backend);
  });
  afterAll(async () => {
    await fx.teardown();
  });

  /** A record with three versions (create, update, logical delete), blobs in each, and a neighbour that must survive. */
  async function seed(collection: string) {
    const ops = fx.ops(collection, { settings });
    const { id } = await ops.create({ email: SECRET, photo });
    await ops.update(id, { email: SECRET, photo, plan: 'pro' }, 0);
    await ops.delete(id, 1);
    const other = await ops.create({ email: 'other@example', photo });
    return { ops, id, otherId: other.id, ctx: fx.context(collection, { settings }) };
  }

  async function audits(id: string): Promise<ErasureAuditDoc[]> {
    return fx.db.collection<ErasureAuditDoc>(ERASURES_COLLECTION).find({ recordId: id }).toArray();
  }

  describe('what it removes', () => {
    it('leaves no object, row or head of the record and every read finds nothing', async () => {
      const { ops, id, otherId, ctx } = await seed('people');
      const before = await ops.getVersion(id, 0);
      expect(before?.email).toBe(SECRET);
      expect(await fx.keys(`people/${id}/`)).toHaveLength(6);

      const report = await hardDeleteRecord(ctx, id, targets, { actor: 'dpo', reason: 'art. 17 request #42' });

      expect(await fx.keys(`people/${id}/`)).toEqual([]);
      expect(await fx.db.collection('people_ver').countDocuments({ id, kind: { $ne: 'hard-delete' } })).toBe(0);
      expect(await fx.db.collection('people_head').countDocuments({ _id: id } as never)).toBe(0);
      expect(await ops.getLatest(id, { includeDeleted: true })).toBeNull();
      expect(await ops.getVersion(id, 0)).toBeNull();
      expect(await ops.getAsOf(id, new Date())).toBeNull();
      expect(await ops.history(id)).toEqual([]);
      expect((await ops.getLatest(otherId))?.email).toBe('other@example');
      expect(await fx.keys(`people/${otherId}/`)).toHaveLength(2);
      expect(report).toMatchObject({ status: 'completed', recordId: id, collection: 'people', actor: 'dpo', reason: 'art. 17 request #42', versionsRemoved: 3, objectsRemoved: 6 });
    });

    it('erases just the same when logicalDelete is off', async () => {
      const ops = fx.ops('plain', { settings: { logicalDelete: false } });
      const { id } = await ops.create({ email: SECRET });
      await ops.update(id, { email: SECRET, n: 2 }, 0);
      const report = await hardDeleteRecord(fx.context('plain', { settings: { logicalDelete: false } }), id, targets);
      expect(report).toMatchObject({ versionsRemoved: 2, objectsRemoved: 2 });
      expect(await fx.keys(`plain/${id}/`)).toEqual([]);
      expect(await ops.history(id)).toEqual([]);
    });

    it('removes queued fallback writes and dead letters of the record and no others', async () => {
      const { ops, id, otherId, ctx } = await seed('queued');
      // A clock the test moves: an op enqueued in the same millisecond as the drain would not be due yet.
      let t = Date.now();
      const queue = createFallbackQueue({ db: fx.db, options: { enabled: true, maxRetries: 3, retryDelayMs: 1, maxDelayMs: 1, deadLetterCollection: DEAD }, resolve: () => ctx, clock: () => new Date(t) });
      const route = { collection: 'queued' };
      const outage = new Error('storage down');
      // Replayed now, both fail for good (an update of a deleted record, a conflict) and become dead letters.
      await queue.enqueue('op-mine-dead', { kind: 'update', id, data: { email: SECRET } }, route, outage);
      await queue.enqueue('op-other', { kind: 'update', id: otherId, data: { email: 'x' }, expectedOv: 99 }, route, outage);
      t += 1_000;
      await queue.drain();
      await queue.enqueue('op-mine', { kind: 'update', id, data: { email: SECRET } }, route, outage);
      expect((await queue.deadLetters()).map((d) => d._id).sort()).toEqual(['op-mine-dead', 'op-other']);
      expect((await queue.pending()).map((op) => op._id)).toEqual(['op-mine']);

      const report = await hardDeleteRecord(ctx, id, targets);

      expect(report).toMatchObject({ queuedOpsRemoved: 1, deadLettersRemoved: 1 });
      expect(await queue.pending()).toEqual([]);
      expect((await queue.deadLetters()).map((d) => d._id)).toEqual(['op-other']);
      expect(await ops.getLatest(otherId)).not.toBeNull();
    });
  });

  describe('the audit row', () => {
    it('says who, when, why and how much, and holds none of the record data', async () => {
      const { id, ctx } = await seed('audited');
      await hardDeleteRecord(ctx, id, targets, { actor: 'dpo' });
      const rows = await audits(id);
      expect(rows).toHaveLength(1);
      const row = rows[0] as ErasureAuditDoc;
      expect(row).toMatchObject({ dbName: fx.db.databaseName, collection: 'audited', recordId: id, actor: 'dpo', status: 'completed', versionsRemoved: 3 });
      expect(row.completedAt).toBeInstanceOf(Date);
      expect(row.requestedAt).toBeInstanceOf(Date);
      const text = JSON.stringify(row);
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(photo);
      expect(Object.keys(row).sort()).toEqual(
        ['_id', 'actor', 'collection', 'completedAt', 'dbName', 'deadLettersRemoved', 'objectsRemoved', 'queuedOpsRemoved', 'recordId', 'requestedAt', 'status', 'versionsRemoved'].sort(),
      );
    });
  });

  describe('crash part-way', () => {
    it('is finished by a second call, which keeps the first call audit row and counts', async () => {
      const { ops, id } = await seed('crashy');
      const crashing = fx.context('crashy', {
        settings,
        faults: (step, info) => {
          if (info.op === 'hard-delete' && step === 'payloads-removed') throw new Error('power cut');
        },
      });
      await expect(hardDeleteRecord(crashing, id, targets)).rejects.toThrow(/injected crash after payloads-removed/);
      expect(await ops.getLatest(id, { includeDeleted: true })).toBeNull();
      expect(await fx.keys(`crashy/${id}/`)).toEqual([]);
      expect(await fx.db.collection('crashy_ver').countDocuments({ id })).toBeGreaterThan(0);
      expect((await audits(id)).map((a) => a.status)).toEqual(['started']);

      const report = await hardDeleteRecord(fx.context('crashy', { settings }), id, targets);

      expect(report).toMatchObject({ status: 'completed', versionsRemoved: 3, objectsRemoved: 6 });
      expect(await fx.db.collection('crashy_ver').countDocuments({ id, kind: { $ne: 'hard-delete' } })).toBe(0);
      expect((await audits(id)).map((a) => a.status)).toEqual(['completed']);
      await expect(hardDeleteRecord(fx.context('crashy', { settings }), id, targets)).rejects.toBeInstanceOf(NotFoundError);
    });

    it('is finished by reconcile, and a later call only closes the audit row', async () => {
      const { ops, id } = await seed('reconciled');
      const crashing = fx.context('reconciled', {
        settings,
        faults: (step, info) => {
          if (info.op === 'hard-delete' && step === 'head-removed') throw new Error('power cut');
        },
      });
      await expect(hardDeleteRecord(crashing, id, targets)).rejects.toThrow(/injected crash/);
      const repaired = await reconcileCollection(fx.context('reconciled', { settings }), { graceMs: 0 });
      expect(repaired.hardDeletesFinished.map((r) => r.id)).toEqual([id]);
      expect(await fx.keys(`reconciled/${id}/`)).toEqual([]);
      expect(await ops.history(id)).toEqual([]);
      expect(await fx.db.collection('reconciled_ver').countDocuments({ id, kind: { $ne: 'hard-delete' } })).toBe(0);

      const report = await hardDeleteRecord(fx.context('reconciled', { settings }), id, targets);
      expect(report).toMatchObject({ status: 'completed', recordId: id, versionsRemoved: 3 });
    });
  });

  describe('writers racing the erasure', () => {
    it('refuses writes as not found while the erasure holds the next version, and the erasure then completes', async () => {
      // A short write budget: a writer without expectedOv gives up while the dead eraser's lease still runs.
      const ops = fx.ops('raced', { settings, writeBudgetMs: 300 });
      const { id } = await ops.create({ email: SECRET });
      await ops.update(id, { email: SECRET, n: 1 }, 0);
      const stalled = fx.context('raced', {
        settings,
        faults: (step, info) => {
          if (info.op === 'hard-delete' && step === 'claimed') throw new Error('stalled here');
        },
      });
      await expect(hardDeleteRecord(stalled, id, targets)).rejects.toThrow(/injected crash after claimed/);
      await expect(ops.update(id, { email: 'sneaky' }, 1)).rejects.toBeInstanceOf(NotFoundError);
      await expect(ops.update(id, { email: 'sneaky' })).rejects.toBeInstanceOf(NotFoundError);
      expect((await ops.history(id)).map((v) => v.ov)).toEqual([0, 1]);

      await hardDeleteRecord(fx.context('raced', { settings }), id, targets);
      expect(await ops.history(id)).toEqual([]);
    });
  });

  describe('ids with nothing to erase', () => {
    it('is a NotFoundError for an unknown id even where the bucket does not exist yet', async () => {
      const unknown = randomBytes(12).toString('hex');
      const ctx = { ...fx.context('nobucket', { settings }), bucket: `missing-${randomBytes(4).toString('hex')}` };
      await expect(hardDeleteRecord(ctx, unknown, targets)).rejects.toBeInstanceOf(NotFoundError);
      expect(await audits(unknown)).toEqual([]);
    });

    it('is a NotFoundError for an unknown id, and writes no audit row', async () => {
      const unknown = randomBytes(12).toString('hex');
      await expect(hardDeleteRecord(fx.context('nobody', { settings }), unknown, targets)).rejects.toBeInstanceOf(NotFoundError);
      expect(await audits(unknown)).toEqual([]);
    });

    it('is a ValidationError naming the id when the id is malformed, and writes nothing', async () => {
      await expect(hardDeleteRecord(fx.context('nobody', { settings }), 'no such/id', targets)).rejects.toMatchObject({ name: 'ValidationError', message: expect.stringContaining('id') });
      expect(await audits('no such/id')).toEqual([]);
    });

    it('leaves the id free: a later write of it is refused as not found', async () => {
      const { ops, id, ctx } = await seed('after');
      await hardDeleteRecord(ctx, id, targets);
      await expect(ops.update(id, { email: 'back' })).rejects.toBeInstanceOf(NotFoundError);
    });
  });
});

describe('chronos.admin.hardDelete', () => {
  let chronos: Chronos;
  let basePath: string;
  beforeAll(() => {
    const config = testConfig('local', {
      counterRules: { rules: [{ name: 'paid', on: ['CREATE', 'UPDATE'], scope: 'meta', when: { status: 'paid' }, countUnique: ['customerId'] }] },
    });
    basePath = (config.localStorage as { basePath: string }).basePath;
    chronos = initChronos(config);
  });
  afterAll(async () => {
    await chronos.admin.shutdown();
  });

  it('erases a routed record, files and all, leaves counter totals as they were and audits it in the same database', async () => {
    const ctx = { databaseType: 'runtime' as const, tenantId: 'acme', collection: 'orders' };
    const orders = chronos.with(ctx);
    const a = await orders.create({ orderId: 'o1', status: 'paid', customerId: SECRET });
    await orders.update(a.id, { orderId: 'o1', status: 'paid', customerId: SECRET, note: 'x' }, 0);
    await orders.create({ orderId: 'o2', status: 'paid', customerId: 'c2' });
    await chronos.admin.flush();
    const dbName = chronos.config.databases.runtime!.tenantDatabases![0]!.dbName;
    const before = await chronos.counters.getTotals({ dbName, collection: 'orders' });
    const files = async () => (await readdir(basePath, { recursive: true })).filter((p) => p.includes(a.id));
    expect(await files()).not.toEqual([]);

    const report = await chronos.admin.hardDelete(ctx, a.id, { actor: 'dpo', reason: 'erasure request' });
    await chronos.admin.flush();

    expect(report).toMatchObject({ dbName, collection: 'orders', recordId: a.id, status: 'completed', versionsRemoved: 2, objectsRemoved: 2 });
    expect(await files()).toEqual([]);
    expect(await orders.getLatest(a.id, { includeDeleted: true })).toBeNull();
    expect(await orders.history(a.id)).toEqual([]);
    expect(await chronos.counters.getTotals({ dbName, collection: 'orders' })).toEqual(before);
    const client = new MongoClient(testServers().mongoUri);
    try {
      const audit = await client.db(dbName).collection(ERASURES_COLLECTION).findOne({ recordId: a.id });
      expect(audit).toMatchObject({ actor: 'dpo', reason: 'erasure request', status: 'completed' });
      expect(JSON.stringify(audit)).not.toContain(SECRET);
    } finally {
      await client.close();
    }
  });

  it('refuses an identities context with a RouteError', async () => {
    await expect(chronos.admin.hardDelete({ databaseType: 'identities', tenantId: 'acme', collection: 'users' }, randomBytes(12).toString('hex'))).rejects.toBeInstanceOf(RouteError);
  });
});
