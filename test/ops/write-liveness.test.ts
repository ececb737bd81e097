/**
 * Write liveness on the real servers: concurrent writers at the driver's default pool all
 * succeed; enrich without expectedOv never loses to contention; a writer killed with SIGKILL
 * blocks its record for seconds (its lease), with no reconcile; a failure after the commit never
 * reports a write that happened as a plain failure. Leases run out on a clock the tests move
 * (the engine's `clock` seam), never by waiting; faults reach single head-store calls through
 * the context's `wrapHeadStore` seam.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, MongoNetworkError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, StorageError, isChronosError } from '../../runtime/errors.js';
import { createCollectionOps } from '../../runtime/ops/collection-ops.js';
import { DEFAULT_CLOCK_SKEW_MS, resolveCollectionSettings } from '../../runtime/ops/context.js';
import { createLocalObjectStore } from '../../runtime/storage/local/local-object-store.js';
import type { HeadStore } from '../../runtime/ops/store/head-store.js';
import type { VersionRow } from '../../runtime/ops/store/version-store.js';
import { reconcileCollection } from '../../runtime/ops/reconcile.js';
import { manualClock } from '../support/manual-clock.js';
import { testServers } from '../support/servers.js';
import { openFixture, type Fixture } from './support/fixture.js';
import { violations } from './support/invariants.js';

describe('writers at the driver\'s default pool (local storage)', () => {
  let fx: Fixture;
  beforeAll(async () => {
    // The driver's default pool size; the option overrides the test URI's maxPoolSize=1.
    fx = await openFixture('local', { maxPoolSize: 100 });
    expect(fx.client.options.maxPoolSize).toBe(100);
  });
  afterAll(async () => {
    await fx.teardown();
  });

  it('lets 200 concurrent creates all succeed, each a complete version with its own cv', async () => {
    const ops = fx.ops('pool_creates');
    const settled = await Promise.allSettled(Array.from({ length: 200 }, (_, n) => ops.create({ n })));
    const failed = settled.filter((s) => s.status === 'rejected');
    expect(failed.map((f) => String((f as PromiseRejectedResult).reason))).toEqual([]);
    const cvs = settled.map((s) => (s as PromiseFulfilledResult<{ cv: number }>).value.cv);
    expect(new Set(cvs).size).toBe(200);
    expect(await violations(fx, 'pool_creates')).toEqual([]);
  });

  it('applies every patch of 50 concurrent enrichments without expectedOv, each in its own version', async () => {
    const ops = fx.ops('pool_enrich');
    const { id } = await ops.create({ tags: [] as string[] });
    const settled = await Promise.allSettled(Array.from({ length: 50 }, (_, n) => ops.enrich(id, { tags: [`t${n}`], [`k${n}`]: n })));
    expect(settled.filter((s) => s.status === 'rejected').map((f) => String((f as PromiseRejectedResult).reason))).toEqual([]);
    const latest = await ops.getLatest(id);
    expect(latest?._system.ov).toBe(50);
    expect([...(latest?.tags as string[])].sort()).toEqual(Array.from({ length: 50 }, (_, n) => `t${n}`).sort());
    for (let n = 0; n < 50; n += 1) expect(latest?.[`k${n}`]).toBe(n);
    expect(await violations(fx, 'pool_enrich')).toEqual([]);
  });
});

describe('a writer killed with SIGKILL in the middle of a write (local storage)', () => {
  let client: MongoClient;
  let folder: string;
  beforeAll(async () => {
    client = new MongoClient(testServers().mongoUri);
    await client.connect();
    folder = await mkdtemp(join(tmpdir(), 'chronos-sigkill-'));
  });
  afterAll(async () => {
    await client.close();
    await rm(folder, { recursive: true, force: true });
  });

  it.each(['claimed', 'payload-written'] as const)('blocks its record for less than 10 s after dying after %s: the next write succeeds without reconcile, nothing acknowledged is lost', async (step) => {
    const dbName = `sigkill_${Date.now()}_${step.replace('-', '_')}`;
    const bucket = 'sigkill';
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/ops/support/die-mid-write.ts', testServers().mongoUri, dbName, folder, bucket, 'items', step], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    while (!out.includes('paused after')) {
      if (child.exitCode !== null) throw new Error(`the writer exited early: ${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const id = /created ([0-9a-f]{24})/.exec(out)?.[1] as string;
    child.kill('SIGKILL');
    await once(child, 'exit');
    const diedAt = Date.now();
    const dead = (await client.db(dbName).collection<VersionRow>('items_ver').findOne({ id, ov: 1 })) as VersionRow;
    expect(dead).toMatchObject({ state: 'pending', leaseUntil: expect.any(Date) });

    const store = createLocalObjectStore({ basePath: folder });
    // The dead writer's claim is judged on a clock the test moves; every other default stays.
    const time = manualClock((dead.leaseUntil as Date).getTime() + DEFAULT_CLOCK_SKEW_MS);
    const opsAt = (writeBudgetMs?: number) => createCollectionOps({
      db: client.db(dbName),
      store,
      bucket,
      collection: 'items',
      routeInfo: { dbName, databaseType: 'runtime', tier: 'tenant' },
      settings: resolveCollectionSettings(),
      observers: [],
      clock: time.clock,
      ...(writeBudgetMs !== undefined && { writeBudgetMs }),
    });
    // Up to its lease plus the allowed clock skew the claim is taken as alive: a single attempt loses to it.
    await expect(opsAt(0).update(id, { n: 'too early' })).rejects.toBeInstanceOf(ConflictError);
    expect(await opsAt().getLatest(id)).toMatchObject({ n: 0, _system: { ov: 0 } }); // nor was it settled
    // Ten seconds after the death the next write settles the claim itself.
    time.set(diedAt + 10_000);
    const next = await opsAt().update(id, { n: 'after the crash' });
    const ops = opsAt();
    // After the payload the dead write is rolled forward (it was complete); after the claim, rolled back.
    expect(next.ov).toBe(step === 'payload-written' ? 2 : 1);
    expect(await ops.getVersion(id, 0)).toMatchObject({ n: 0, acknowledged: true });
    expect(await ops.getLatest(id)).toMatchObject({ n: 'after the crash' });
    await store.close();
  }, 30_000);
});

describe('reconcile and dead writers (local storage)', () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await openFixture('local');
  });
  afterAll(async () => {
    await fx.teardown();
  });

  it('settles the claim of a writer whose lease has run out without any grace period, and leaves a live one alone', async () => {
    const time = manualClock();
    const ops = fx.ops('dead_claims');
    const { id: dead } = await ops.create({ n: 0 });
    const { id: live } = await ops.create({ n: 0 });
    const crash = fx.ops('dead_claims', { clock: time.clock, leaseMs: 200, faults: (step) => { if (step === 'claimed') throw new Error('died'); } });
    await expect(crash.update(dead, { n: 1 })).rejects.toThrow(/injected crash/);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let paused!: () => void;
    const arrived = new Promise<void>((r) => (paused = r));
    // The live writer's lease outlasts everything the test does to the clock.
    const slow = fx.ops('dead_claims', { clock: time.clock, leaseMs: 60_000, faults: async (step) => { if (step === 'claimed') { paused(); await gate; } } }).update(live, { n: 1 });
    await arrived;
    const reconcile = () => reconcileCollection(fx.context('dead_claims', { clock: time.clock }));
    time.advance(200 + DEFAULT_CLOCK_SKEW_MS); // the lease plus the skew allowance, not past it
    expect((await reconcile()).rolledBack).toEqual([]);
    time.advance(1);
    expect((await reconcile()).rolledBack).toEqual([{ id: dead, ov: 1 }]);
    release();
    await expect(slow).resolves.toMatchObject({ ov: 1 });
    expect(await violations(fx, 'dead_claims')).toEqual([]);
  });
});

describe('a payload upload that outlasts its lease (local storage)', () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await openFixture('local');
  });
  afterAll(async () => {
    await fx.teardown();
  });

  it('leaves the claim to the settler and reports the outcome unknown, since the PUT it sent may have landed', async () => {
    const { clock, advance } = manualClock();
    const ops = fx.ops('slow_put', { clock });
    const { id } = await ops.create({ n: 0 });
    // The first PUT of item.json hangs past the lease (the clock jumps) and then fails as a network error would.
    let failed = false;
    const store = Object.assign(Object.create(fx.store) as typeof fx.store, {
      put: async (...args: Parameters<typeof fx.store.put>) => {
        if (!failed && args[1].endsWith('item.json')) {
          failed = true;
          advance(70_000);
          throw new StorageError('socket hang up', { transient: true });
        }
        return fx.store.put(...args);
      },
    });
    const error = await fx.ops('slow_put', { clock, store, leaseMs: 60_000 }).update(id, { n: 1 }, 0, undefined, undefined, { opId: 'op-slow' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'OUTCOME_UNKNOWN', id, ov: 1, opId: 'op-slow' });
    expect(await fx.db.collection('slow_put_ver').countDocuments({ id, ov: 1 })).toBe(1); // untouched
    expect((await reconcileCollection(fx.context('slow_put', { clock }))).rolledBack).toEqual([{ id, ov: 1 }]);
    expect(await ops.getLatest(id)).toMatchObject({ n: 0, _system: { ov: 0 } });
    expect(await violations(fx, 'slow_put')).toEqual([]);
  });
});

describe('a transient failure after the commit (local storage)', () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await openFixture('local');
  });
  afterAll(async () => {
    await fx.teardown();
  });

  it('reports the write as done when the head write landed but its reply was lost', async () => {
    const ops = fx.ops('lost_reply');
    const { id } = await ops.create({ n: 0 });
    let lost = 0;
    const replyLost = (heads: HeadStore): HeadStore => Object.assign(Object.create(heads) as HeadStore, {
      commit: async (...args: Parameters<HeadStore['commit']>) => {
        await heads.commit(...args);
        if (lost++ === 0) throw new MongoNetworkError('connection reset after the update was applied');
      },
    });
    await expect(fx.ops('lost_reply', { wrapHeadStore: replyLost }).update(id, { n: 1 }, 0)).resolves.toMatchObject({ id, ov: 1 });
    expect(lost).toBe(2); // the retry repeated the idempotent head write once
    expect(await ops.getLatest(id)).toMatchObject({ n: 1, _system: { ov: 1 } });
    expect(await ops.history(id)).toHaveLength(2);
  });

  it('reports a typed outcome-unknown error carrying the opId and ov when the head cannot be written at all, and the version appears once it is rolled forward', async () => {
    const time = manualClock();
    const ops = fx.ops('head_down', { clock: time.clock, leaseMs: 200 });
    const { id } = await ops.create({ n: 0 });
    let attempts = 0;
    const unreachable = (heads: HeadStore): HeadStore => Object.assign(Object.create(heads) as HeadStore, {
      commit: async () => {
        attempts += 1;
        throw new MongoNetworkError('server unreachable');
      },
    });
    const down = fx.ops('head_down', { clock: time.clock, leaseMs: 200, wrapHeadStore: unreachable, retry: { budgetMs: 100, baseDelayMs: 10, maxDelayMs: 20 } });
    const error = await down.update(id, { n: 1 }, 0, undefined, undefined, { opId: 'op-42' }).catch((e: unknown) => e);
    expect(isChronosError(error) && error.code).toBe('OUTCOME_UNKNOWN');
    expect(error).toMatchObject({ id, ov: 1, opId: 'op-42' });
    expect(attempts).toBeGreaterThan(1); // a transient failure is retried before the writer gives up
    expect(await ops.getLatest(id)).toMatchObject({ n: 0 }); // not visible yet, and never half-visible
    time.advance(200 + DEFAULT_CLOCK_SKEW_MS + 1); // the dead claim's lease plus the clock skew allowance
    const next = await ops.update(id, { n: 2 });
    expect(next.ov).toBe(2);
    expect((await ops.history(id)).map((v) => v.opId)).toContain('op-42');
    expect(await ops.getVersion(id, 1)).toMatchObject({ n: 1 });
  });
});
