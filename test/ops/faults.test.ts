/**
 * Crash consistency and immutable versions (docs/design.md, "Promises"): a crash injected after
 * every step of every write path, a failing storage put, and a slow writer racing the reconciler.
 * After reconcile: every head points at a committed version whose payload exists and parses, no
 * committed version lies beyond its head, nothing is pending, no payload lacks a row; earlier
 * versions read as before; a second reconcile finds nothing; a retried write succeeds.
 */
import { StorageError } from '../../runtime/errors.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { WriteStep } from '../../runtime/ops/context.js';
import { InjectedCrash } from '../../runtime/ops/engine.js';
import { reconcileCollection } from '../../runtime/ops/reconcile.js';
import type { ReconcileReport } from '../../runtime/ops/reconcile.js';
import type { ObjectStore } from '../../runtime/storage/object-store.js';
import type { VersionRow } from '../../runtime/ops/store/version-store.js';
import { manualClock } from '../support/manual-clock.js';
import { BACKENDS, openFixture, type Fixture } from './support/fixture.js';
import { violations } from './support/invariants.js';

type OpName = 'create' | 'update' | 'delete' | 'enrich' | 'restore' | 'hard-delete';
const STEPS: WriteStep[] = ['validated', 'head-read', 'claimed', 'payload-written', 'head-moved'];
/** A hard delete's own steps after its claim (`hard-delete-steps.ts`). */
const HARD_DELETE_STEPS: WriteStep[] = ['validated', 'head-read', 'claimed', 'head-removed', 'rows-erased', 'payloads-removed'];
const OPS: OpName[] = ['create', 'update', 'delete', 'enrich', 'restore', 'hard-delete'];

/** What reconcile must do after a crash at `step`: nothing, roll back, roll forward, or advance the head. */
function expectedRepair(op: OpName, step: WriteStep): keyof ReconcileReport | 'none' {
  if (['validated', 'head-read'].includes(step)) return 'none';
  if (op === 'hard-delete') return 'hardDeletesFinished';
  return ({ claimed: 'rolledBack', 'payload-written': 'rolledForward', 'head-moved': 'none' } as const)[
    step as 'claimed'
  ];
}

function isEmpty(report: ReconcileReport): boolean {
  return Object.values(report).every((v) => (Array.isArray(v) ? v.length === 0 : v === 0));
}

function crashAt(op: OpName, step: WriteStep) {
  let armed = true;
  let id: string | undefined;
  const aliases = op === 'hard-delete' ? ['hard-delete', 'delete'] : [op];
  return {
    id: () => id,
    hook: (s: WriteStep, info: { op: string; id: string }) => {
      if (armed && s === step && aliases.includes(info.op)) {
        armed = false;
        id = info.id;
        throw new Error(`crash after ${s}`);
      }
    },
  };
}

describe.each(BACKENDS)('crash after each step (%s storage)', (backend) => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await openFixture(backend);
  });
  afterAll(async () => {
    await fx.teardown();
  });

  describe.each(OPS)('%s', (op) => {
    const coll = `crash_${op.replace('-', '_')}`;
    const settings = { logicalDelete: op !== 'hard-delete', base64Props: { file: { contentType: 'application/octet-stream' } } };
    const steps = op === 'create' ? STEPS.filter((s) => s !== 'head-read') : op === 'hard-delete' ? HARD_DELETE_STEPS : STEPS;

    it.each(steps)('leaves a consistent collection after a crash following %s', async (step) => {
      const ops = fx.ops(coll, { settings });
      let id: string | undefined;
      const before = new Map<number, unknown>();
      if (op !== 'create') {
        ({ id } = await ops.create({ n: 0, tags: ['a'], file: Buffer.from('v0').toString('base64') }));
        await ops.update(id, { n: 1, tags: ['b'], file: Buffer.from('v1').toString('base64') });
        for (const ov of [0, 1]) before.set(ov, await ops.getVersion(id, ov));
      }
      const crash = crashAt(op, step);
      const crashing = fx.ops(coll, { settings, faults: crash.hook });
      const attempt =
        op === 'create' ? crashing.create({ n: 'new' })
        : op === 'update' ? crashing.update(id!, { n: 2 }, 1)
        : op === 'enrich' ? crashing.enrich(id!, { tags: ['c'] }, { functionId: 'f' })
        : op === 'restore' ? crashing.restoreObject(id!, { ov: 0 })
        : crashing.delete(id!, 1);
      await expect(attempt).rejects.toBeInstanceOf(InjectedCrash);
      id ??= crash.id();

      const ctx = fx.context(coll, { settings });
      const report = await reconcileCollection(ctx, { graceMs: 0 });
      const repair = expectedRepair(op, step);
      if (repair === 'none') expect(isEmpty(report)).toBe(true);
      else expect(report[repair]).toHaveLength(1);
      expect(await violations(fx, coll)).toEqual([]);
      expect(isEmpty(await reconcileCollection(ctx, { graceMs: 0 }))).toBe(true);

      if (op === 'hard-delete' && repair !== 'none') {
        expect(await ops.getLatest(id!, { includeDeleted: true })).toBeNull();
        expect(await fx.keys(`${coll}/${id}/`)).toEqual([]);
      } else {
        for (const [ov, rec] of before) expect(await ops.getVersion(id!, ov)).toEqual(rec);
        const latest = await ops.getLatest(id!, { includeDeleted: true });
        const landed = repair === 'rolledForward' || step === 'head-moved';
        if (op === 'create') expect(latest === null).toBe(!landed);
        else expect(latest?._system.ov).toBe(landed ? 2 : 1);
      }
      const latestNow = await ops.getLatest(id!, { includeDeleted: true });
      const retried =
        op === 'create' || op === 'hard-delete' ? await ops.create({ n: 'retry' })
        : latestNow?._system.deleted ? await ops.restoreObject(id!, { ov: 0 }).then(() => ops.update(id!, { n: 'retry' }))
        : await ops.update(id!, { n: 'retry' });
      expect(await ops.getLatest(retried.id)).toMatchObject({ n: 'retry' });
    });
  });

  it('leaves a consistent collection when restoreCollection crashes part-way, and a rerun finishes it', async () => {
    const coll = 'crash_restore_all';
    const ops = fx.ops(coll);
    const a = await ops.create({ name: 'a' });
    const b = await ops.create({ name: 'b' });
    const mark = await ops.update(b.id, { name: 'b1' });
    await ops.update(a.id, { name: 'a1' });
    await ops.update(b.id, { name: 'b2' });
    const c = await ops.create({ name: 'c' });
    let seen = 0;
    const crashing = fx.ops(coll, {
      faults: (step, info) => {
        if (step === 'payload-written' && info.op === 'restore' && ++seen === 2) throw new Error('crash');
      },
    });
    await expect(crashing.restoreCollection({ cv: mark.cv })).rejects.toBeInstanceOf(InjectedCrash);
    await reconcileCollection(fx.context(coll), { graceMs: 0 });
    expect(await violations(fx, coll)).toEqual([]);
    await ops.restoreCollection({ cv: mark.cv });
    expect(await ops.getLatest(a.id)).toMatchObject({ name: 'a' });
    expect(await ops.getLatest(b.id)).toMatchObject({ name: 'b1' });
    expect(await ops.getLatest(c.id)).toBeNull();
  });
});

/** A store whose puts fail for keys matching `pattern`; `failed` counts the puts it refused. */
function failingPuts(store: ObjectStore, pattern: RegExp): { store: ObjectStore; failed: () => number } {
  let failed = 0;
  const wrapped = new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'put') {
        return async (bucket: string, key: string, ...rest: unknown[]) => {
          if (pattern.test(key)) {
            failed += 1;
            throw new StorageError(`injected put failure for ${key}`, { transient: true });
          }
          return (target.put as (...a: unknown[]) => Promise<void>)(bucket, key, ...rest);
        };
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  return { store: wrapped, failed: () => failed };
}

describe.each(BACKENDS)('a failing storage put (%s storage)', (backend) => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await openFixture(backend);
  });
  afterAll(async () => {
    await fx.teardown();
  });

  it.each([
    ['item.json', /item\.json$/],
    ['a blob', /blob\.bin$/],
  ])('fails the write with a StorageError and leaves nothing behind when the put of %s fails', async (_what, pattern) => {
    const coll = `putfail_${_what.replace(/\W/g, '')}`;
    const settings = { base64Props: { file: { contentType: 'application/octet-stream' } } };
    const ops = fx.ops(coll, { settings });
    const { id } = await ops.create({ n: 0, file: Buffer.from('x').toString('base64') });
    const failing = failingPuts(fx.store, pattern);
    const broken = fx.ops(coll, { settings, store: failing.store, retry: { budgetMs: 50, baseDelayMs: 5, maxDelayMs: 20 } });
    await expect(broken.update(id, { n: 1, file: Buffer.from('y').toString('base64') }, 0)).rejects.toBeInstanceOf(StorageError);
    // A transient put failure is retried within the budget before the write gives up.
    const afterUpdate = failing.failed();
    expect(afterUpdate).toBeGreaterThan(1);
    await expect(broken.create({ n: 9, file: Buffer.from('z').toString('base64') })).rejects.toBeInstanceOf(StorageError);
    expect(failing.failed() - afterUpdate).toBeGreaterThan(1);
    expect(await violations(fx, coll)).toEqual([]);
    expect(await fx.keys(`${coll}/${id}/v1/`)).toEqual([]);
    expect(await fx.db.collection(`${coll}_ver`).countDocuments()).toBe(1);
    expect(await ops.update(id, { n: 1 }, 0)).toMatchObject({ ov: 1 });
  });
});

describe('a slow writer and the reconciler (local storage)', () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await openFixture('local');
  });
  afterAll(async () => {
    await fx.teardown();
  });

  function pauseAt(step: WriteStep) {
    let release!: () => void;
    let reached!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const arrived = new Promise<void>((r) => (reached = r));
    return {
      arrived,
      release,
      hook: async (s: WriteStep, info: { op: string }) => {
        if (s === step && info.op === 'update') {
          reached();
          await gate;
        }
      },
    };
  }

  it('never rolls back a slow writer that is alive: its lease is renewed while it waits, and it commits after', async () => {
    const time = manualClock();
    const ops = fx.ops('slow1');
    const { id } = await ops.create({ n: 0 });
    const pause = pauseAt('claimed');
    // A 60 ms lease is renewed every 20 ms of real time, at the reading of the test's clock.
    const leaseMs = 60;
    const slow = fx.ops('slow1', { clock: time.clock, faults: pause.hook, leaseMs }).update(id, { n: 'slow' }, 0);
    await pause.arrived;
    const leaseUntil = async () => ((await fx.db.collection<VersionRow>('slow1_ver').findOne({ id, ov: 1 }))?.leaseUntil as Date).getTime();
    // Ten leases go by on the clock, each step shorter than the lease; the writer renews after each
    // (a renewal moves the lease to a full lease past the current reading).
    for (let step = 0; step < 15; step += 1) {
      time.advance((leaseMs * 2) / 3);
      await expect.poll(leaseUntil, { interval: 5, timeout: 5_000 }).toBeGreaterThanOrEqual(time.ms() + leaseMs);
    }
    // Without the renewals the claim would be dead on this clock even with no skew allowed.
    expect((await reconcileCollection(fx.context('slow1', { clock: time.clock, clockSkewMs: 0 }))).rolledBack).toEqual([]);
    pause.release();
    await expect(slow).resolves.toMatchObject({ id, ov: 1 });
    expect(await ops.getLatest(id)).toMatchObject({ n: 'slow', _system: { ov: 1 } });
    expect(await violations(fx, 'slow1')).toEqual([]);
  });

  it('stops a writer whose lease ran out before it writes the payload, after reconcile rolled its claim back', async () => {
    const { clock, advance } = manualClock();
    const ops = fx.ops('slow2', { clock });
    const { id } = await ops.create({ n: 0 });
    const pause = pauseAt('claimed');
    // A one-minute lease is renewed every 20 s: within this test the writer cannot renew, as if cut off from the server.
    const slow = fx.ops('slow2', { clock, faults: pause.hook, leaseMs: 60_000 }).update(id, { n: 'slow' }, 0);
    await pause.arrived;
    advance(70_000);
    expect((await reconcileCollection(fx.context('slow2', { clock }))).rolledBack).toEqual([{ id, ov: 1 }]);
    await ops.update(id, { n: 'fast' }, 0);
    pause.release();
    await expect(slow).rejects.toMatchObject({ code: 'DATABASE_FAILED', transient: true });
    expect(await ops.getLatest(id)).toMatchObject({ n: 'fast', _system: { ov: 1 } });
    expect(await fx.keys(`slow2/${id}/v1/`)).toEqual([`slow2/${id}/v1/item.json`]);
    expect(await ops.getVersion(id, 1)).toMatchObject({ n: 'fast' });
    expect(await violations(fx, 'slow2')).toEqual([]);
  });

  it('reports success to a writer whose complete payload was rolled forward while its lease had run out, even after the record moved on', async () => {
    const { clock, advance } = manualClock();
    const ops = fx.ops('slow3', { clock });
    const { id } = await ops.create({ n: 0 });
    const pause = pauseAt('payload-written');
    const slow = fx.ops('slow3', { clock, faults: pause.hook, leaseMs: 60_000 }).update(id, { n: 'slow' }, 0);
    await pause.arrived;
    advance(70_000);
    expect((await reconcileCollection(fx.context('slow3', { clock }))).rolledForward).toEqual([{ id, ov: 1 }]);
    await ops.update(id, { n: 'next' }, 1);
    pause.release();
    await expect(slow).resolves.toMatchObject({ id, ov: 1 });
    expect(await ops.getLatest(id)).toMatchObject({ n: 'next', _system: { ov: 2 } });
    expect(await ops.getVersion(id, 1)).toMatchObject({ n: 'slow' });
    expect(await violations(fx, 'slow3')).toEqual([]);
  });
});
