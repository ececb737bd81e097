/**
 * Ordered history with deterministic time travel, and immutable versions (docs/design.md):
 * getAsOf between, at and outside version times, by both of its strategies on every server;
 * restoreObject and restoreCollection append instead of rewriting; a history of 1,000 versions.
 */
import type { CommandStartedEvent } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../runtime/errors.js';
import type { EngineContext } from '../../runtime/ops/context.js';
import { applyVersionRetention } from '../../runtime/ops/retention.js';
import { BACKENDS, openFixture, type Fixture } from './support/fixture.js';
import { violations } from './support/invariants.js';

/** getAsOf's two ways of finding the version current at an instant (`versionAsOf` in `read.ts`). */
const AS_OF_STRATEGIES: Array<NonNullable<EngineContext['asOfStrategy']>> = ['query', 'lookups'];

describe.each(BACKENDS)('time travel and restore (%s storage)', (backend) => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await openFixture(backend);
  });
  afterAll(async () => {
    await fx.teardown();
  });

  /** A clock the test moves: versions at 10:00, 11:00, 12:00. */
  function steppedClock() {
    let now = Date.parse('2031-05-01T10:00:00.000Z');
    return { clock: () => new Date(now), set: (iso: string) => void (now = Date.parse(iso)) };
  }

  // The server decides which strategy runs by default (mongo/server-profile.ts); both run here on every server.
  describe.each(AS_OF_STRATEGIES)('getAsOf by %s', (asOfStrategy) => {
    it('returns the version current at an instant between, at and after version times, and null before the first', async () => {
      const t = steppedClock();
      const ops = fx.ops(`asof_${asOfStrategy}`, { clock: t.clock, asOfStrategy });
      const { id } = await ops.create({ v: 'ten' });
      t.set('2031-05-01T11:00:00.000Z');
      await ops.update(id, { v: 'eleven' });
      t.set('2031-05-01T12:00:00.000Z');
      await ops.update(id, { v: 'noon' });
      expect(await ops.getAsOf(id, '2031-05-01T09:59:59.999Z')).toBeNull();
      expect(await ops.getAsOf(id, '2031-05-01T10:00:00.000Z')).toMatchObject({ v: 'ten', _system: { ov: 0 } });
      expect(await ops.getAsOf(id, '2031-05-01T10:30:00Z')).toMatchObject({ v: 'ten' });
      expect(await ops.getAsOf(id, new Date('2031-05-01T11:00:00.000Z'))).toMatchObject({ v: 'eleven', _system: { ov: 1, updatedAt: '2031-05-01T11:00:00.000Z' } });
      expect(await ops.getAsOf(id, '2031-05-01T11:59:59.999Z')).toMatchObject({ v: 'eleven' });
      expect(await ops.getAsOf(id, '2099-01-01T00:00:00Z')).toMatchObject({ v: 'noon', _system: { ov: 2 } });
    });

    it('returns null at a time the record was deleted, unless includeDeleted', async () => {
      const t = steppedClock();
      const ops = fx.ops(`asof_del_${asOfStrategy}`, { clock: t.clock, asOfStrategy });
      const { id } = await ops.create({ v: 1 });
      t.set('2031-05-01T11:00:00.000Z');
      await ops.delete(id);
      expect(await ops.getAsOf(id, '2031-05-01T10:30:00Z')).toMatchObject({ v: 1 });
      expect(await ops.getAsOf(id, '2031-05-01T11:30:00Z')).toBeNull();
      expect(await ops.getAsOf(id, '2031-05-01T11:30:00Z', { includeDeleted: true })).toMatchObject({ v: 1, _system: { deleted: true } });
    });

    it('finds versions across a long history and never answers with a version still being written', async () => {
      const t = steppedClock();
      const coll = `asof_long_${asOfStrategy}`;
      const ops = fx.ops(coll, { clock: t.clock, asOfStrategy });
      const { id } = await ops.create({ i: 0 });
      const hour = (i: number) => new Date(Date.parse('2031-05-01T10:00:00.000Z') + i * 3_600_000);
      for (let i = 1; i < 20; i += 1) {
        t.set(hour(i).toISOString());
        await ops.update(id, { i }, i - 1);
      }
      for (const i of [0, 1, 7, 10, 18, 19]) expect(await ops.getAsOf(id, new Date(hour(i).getTime() + 1_000)), `hour ${i}`).toMatchObject({ i });
      // A writer that died after claiming version 20: its row exists, its version never became visible.
      t.set(hour(20).toISOString());
      const dying = fx.ops(coll, { clock: t.clock, asOfStrategy, faults: (step) => { if (step === 'claimed') throw new Error('died'); } });
      await expect(dying.update(id, { i: 20 }, 19)).rejects.toThrow(/injected crash/);
      expect(await ops.getAsOf(id, hour(21))).toMatchObject({ i: 19, _system: { ov: 19 } });
    });

    it('answers from the versions retention kept and null for a time only removed versions covered', async () => {
      const t = steppedClock();
      const coll = `asof_kept_${asOfStrategy}`;
      const ops = fx.ops(coll, { clock: t.clock, asOfStrategy });
      const { id } = await ops.create({ v: 'ten' });
      t.set('2031-05-01T11:00:00.000Z');
      await ops.update(id, { v: 'eleven' });
      t.set('2031-05-01T12:00:00.000Z');
      await ops.update(id, { v: 'noon' });
      await applyVersionRetention(fx.context(coll), { maxPerItem: 2 });
      expect(await ops.getAsOf(id, '2031-05-01T10:30:00Z')).toBeNull();
      expect(await ops.getAsOf(id, '2031-05-01T11:30:00Z')).toMatchObject({ v: 'eleven', _system: { ov: 1 } });
      expect(await ops.getAsOf(id, '2031-05-01T12:30:00Z')).toMatchObject({ v: 'noon', _system: { ov: 2 } });
    });

    it('restores by time and refuses a target before the record existed', async () => {
      const t = steppedClock();
      const ops = fx.ops(`rest_at_${asOfStrategy}`, { clock: t.clock, asOfStrategy });
      const { id } = await ops.create({ v: 'a' });
      t.set('2031-05-01T11:00:00.000Z');
      await ops.update(id, { v: 'b' });
      t.set('2031-05-01T12:00:00.000Z');
      await ops.restoreObject(id, { at: '2031-05-01T10:59:00Z' });
      expect(await ops.getLatest(id)).toMatchObject({ v: 'a', _system: { ov: 2 } });
      await expect(ops.restoreObject(id, { at: '2031-05-01T09:00:00Z' })).rejects.toBeInstanceOf(NotFoundError);
      await expect(ops.restoreObject(id, { ov: 40 })).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe('restoreObject', () => {
    it('restores a deleted record by appending a version equal to the chosen one', async () => {
      const ops = fx.ops('rest');
      const { id } = await ops.create({ v: 'a' });
      await ops.update(id, { v: 'b' });
      await ops.delete(id);
      const r = await ops.restoreObject(id, { ov: 0 }, 'admin', 'undo');
      expect(r.ov).toBe(3);
      expect(await ops.getLatest(id)).toMatchObject({ v: 'a', _system: { ov: 3, deleted: false, deletedAt: null } });
      expect((await ops.history(id)).map((h) => [h.ov, h.deleted])).toEqual([
        [0, false],
        [1, false],
        [2, true],
        [3, false],
      ]);
      expect(await ops.getVersion(id, 1)).toMatchObject({ v: 'b' });
    });

    it('records on the new version which version it was restored from, and history shows it', async () => {
      const ops = fx.ops('rest_from');
      const { id } = await ops.create({ v: 'a' });
      await ops.update(id, { v: 'b' });
      await ops.restoreObject(id, { ov: 0 }, 'admin', 'back to a');
      const log = await ops.history(id);
      expect(log.map((h) => [h.ov, h.restoredFrom])).toEqual([
        [0, undefined],
        [1, undefined],
        [2, 0],
      ]);
    });

    it('is compare-and-set when given expectedOv', async () => {
      const ops = fx.ops('rest_cas');
      const { id } = await ops.create({ v: 'a' });
      await ops.update(id, { v: 'b' });
      await expect(ops.restoreObject(id, { ov: 0 }, 'admin', 'undo', { expectedOv: 0 })).rejects.toMatchObject({ code: 'CONFLICT', currentOv: 1 });
      await expect(ops.restoreObject(id, { ov: 0 }, 'admin', 'undo', { expectedOv: 1 })).resolves.toMatchObject({ ov: 2 });
    });

  });

  describe('restoreCollection', () => {
    it('brings updates back, deletes records created later and undeletes records deleted later, all by appending', async () => {
      const ops = fx.ops('rc');
      const a = await ops.create({ n: 'a0' });
      const b = await ops.create({ n: 'b0' });
      const gone = await ops.create({ n: 'gone' });
      const point = await ops.update(a.id, { n: 'a1' });
      await ops.update(a.id, { n: 'a2' });
      await ops.delete(gone.id);
      const late = await ops.create({ n: 'late' });
      const res = await ops.restoreCollection({ cv: point.cv }, 'admin', 'rollback');
      expect(res).toEqual({ restored: 2, deleted: 1, unchanged: 1 });
      expect(await ops.getLatest(a.id)).toMatchObject({ n: 'a1', _system: { ov: 3 } });
      expect(await ops.getLatest(b.id)).toMatchObject({ n: 'b0', _system: { ov: 0 } });
      expect(await ops.getLatest(gone.id)).toMatchObject({ n: 'gone', _system: { ov: 2, deleted: false } });
      expect(await ops.getLatest(late.id)).toBeNull();
      expect(await ops.getLatest(late.id, { includeDeleted: true })).toMatchObject({ n: 'late', _system: { deleted: true } });
      expect(await ops.getVersion(a.id, 2)).toMatchObject({ n: 'a2' });
      expect(await ops.restoreCollection({ cv: point.cv })).toEqual({ restored: 0, deleted: 0, unchanged: 4 });
      expect(await violations(fx, 'rc')).toEqual([]);
    });

    it('restores by time', async () => {
      const t = steppedClock();
      const ops = fx.ops('rc_at', { clock: t.clock });
      const a = await ops.create({ n: 'a0' });
      t.set('2031-05-01T11:00:00.000Z');
      await ops.update(a.id, { n: 'a1' });
      await ops.create({ n: 'later' });
      t.set('2031-05-01T12:00:00.000Z');
      expect(await ops.restoreCollection({ at: '2031-05-01T10:30:00Z' })).toEqual({ restored: 1, deleted: 1, unchanged: 0 });
      expect(await ops.getLatest(a.id)).toMatchObject({ n: 'a0' });
    });
  });
});

describe('a history of 1,000 versions (local storage)', () => {
  let fx: Fixture;
  const sent: CommandStartedEvent[] = [];
  beforeAll(async () => {
    fx = await openFixture('local', { monitorCommands: true });
    fx.client.on('commandStarted', (e) => sent.push(e));
  });
  afterAll(async () => {
    await fx.teardown();
  });

  it('keeps every version readable by number and by time, and the latest read is one head lookup', async () => {
    let now = Date.parse('2032-01-01T00:00:00.000Z');
    const ops = fx.ops('long', { clock: () => new Date(now) });
    const started = performance.now();
    const { id } = await ops.create({ i: 0 });
    for (let i = 1; i < 1000; i += 1) {
      now += 1000;
      await ops.update(id, { i }, i - 1);
    }
    const writeMs = performance.now() - started;
    const readStart = performance.now();
    sent.length = 0;
    expect(await ops.getLatest(id)).toMatchObject({ i: 999, _system: { ov: 999 } });
    // Every command the latest read sent: one find on the heads, by _id, whatever the history length.
    expect(sent.map((e) => ({ command: e.commandName, collection: e.command[e.commandName] as unknown, filter: e.command['filter'] as unknown }))).toEqual([
      { command: 'find', collection: 'long_head', filter: { _id: id } },
    ]);
    expect(await ops.getVersion(id, 0)).toMatchObject({ i: 0 });
    expect(await ops.getVersion(id, 500)).toMatchObject({ i: 500 });
    expect(await ops.getAsOf(id, new Date(Date.parse('2032-01-01T00:00:00.000Z') + 123_500))).toMatchObject({ i: 123 });
    const history = await ops.history(id);
    expect(history.map((h) => h.ov)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(history.every((h, i) => i === 0 || h.cv > history[i - 1]!.cv)).toBe(true);
    console.info(`1,000 versions: writes ${Math.round(writeMs)} ms, reads ${Math.round(performance.now() - readStart)} ms`);
  }, 240_000);
});
