/**
 * Write liveness on the real servers: concurrent writers at the driver's default pool all
 * succeed; enrich without expectedOv never loses to contention; a writer killed with SIGKILL
 * blocks its record for seconds (its lease), with no reconcile; a failure after the commit never
 * reports a write that happened as a plain failure.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, MongoNetworkError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StorageError, isChronosError } from '../../runtime/errors.js';
import { createCollectionOps } from '../../runtime/ops/collection-ops.js';
import { resolveCollectionSettings } from '../../runtime/ops/context.js';
import { createLocalObjectStore } from '../../runtime/storage/local/local-object-store.js';
import { HeadStore } from '../../runtime/ops/store/head-store.js';
import { reconcileCollection } from '../../runtime/ops/reconcile.js';
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

    const store = createLocalObjectStore({ basePath: folder });
    const ops = createCollectionOps({
      db: client.db(dbName),
      store,
      bucket,
      collection: 'items',
      routeInfo: { dbName, databaseType: 'runtime', tier: 'tenant' },
      settings: resolveCollectionSettings(),
      observers: [],
    });
    const started = Date.now();
    const next = await ops.update(id, { n: 'after the crash' });
    const waited = Date.now() - started;
    expect(waited).toBeLessThan(10_000);
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
    const ops = fx.ops('dead_claims');
    const { id: dead } = await ops.create({ n: 0 });
    const { id: live } = await ops.create({ n: 0 });
    const crash = fx.ops('dead_claims', { leaseMs: 200, faults: (step) => { if (step === 'claimed') throw new Error('died'); } });
    await expect(crash.update(dead, { n: 1 })).rejects.toThrow(/injected crash/);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let paused!: () => void;
    const arrived = new Promise<void>((r) => (paused = r));
    const slow = fx.ops('dead_claims', { leaseMs: 200, faults: async (step) => { if (step === 'claimed') { paused(); await gate; } } }).update(live, { n: 1 });
    await arrived;
    await new Promise((r) => setTimeout(r, 1_400)); // past lease + clock skew allowance
    const report = await reconcileCollection(fx.context('dead_claims'));
    expect(report.rolledBack).toEqual([{ id: dead, ov: 1 }]);
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
    let now = Date.now();
    const clock = () => new Date(now);
    const ops = fx.ops('slow_put', { clock });
    const { id } = await ops.create({ n: 0 });
    // The first PUT of item.json hangs past the lease (the clock jumps) and then fails as a network error would.
    let failed = false;
    const store = Object.assign(Object.create(fx.store) as typeof fx.store, {
      put: async (...args: Parameters<typeof fx.store.put>) => {
        if (!failed && args[1].endsWith('item.json')) {
          failed = true;
          now += 70_000;
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
    const original = HeadStore.prototype.commit;
    let lost = 0;
    HeadStore.prototype.commit = async function (this: HeadStore, ...args: Parameters<HeadStore['commit']>) {
      await original.apply(this, args);
      if (lost++ === 0) throw new MongoNetworkError('connection reset after the update was applied');
    };
    try {
      await expect(ops.update(id, { n: 1 }, 0)).resolves.toMatchObject({ id, ov: 1 });
    } finally {
      HeadStore.prototype.commit = original;
    }
    expect(lost).toBe(2); // the retry repeated the idempotent head write once
    expect(await ops.getLatest(id)).toMatchObject({ n: 1, _system: { ov: 1 } });
    expect(await ops.history(id)).toHaveLength(2);
  });

  it('reports a typed outcome-unknown error carrying the opId and ov when the head cannot be written at all, and the version appears once it is rolled forward', async () => {
    const ops = fx.ops('head_down', { retry: { budgetMs: 100, baseDelayMs: 10, maxDelayMs: 20 }, leaseMs: 200 });
    const { id } = await ops.create({ n: 0 });
    const original = HeadStore.prototype.commit;
    HeadStore.prototype.commit = async () => {
      throw new MongoNetworkError('server unreachable');
    };
    let error: unknown;
    try {
      error = await ops.update(id, { n: 1 }, 0, undefined, undefined, { opId: 'op-42' }).catch((e: unknown) => e);
    } finally {
      HeadStore.prototype.commit = original;
    }
    expect(isChronosError(error) && error.code).toBe('OUTCOME_UNKNOWN');
    expect(error).toMatchObject({ id, ov: 1, opId: 'op-42' });
    expect(await ops.getLatest(id)).toMatchObject({ n: 0 }); // not visible yet, and never half-visible
    await new Promise((r) => setTimeout(r, 1_300)); // the dead claim's lease (200 ms) plus the clock skew allowance (1 s)
    const next = await ops.update(id, { n: 2 });
    expect(next.ov).toBe(2);
    expect((await ops.history(id)).map((v) => v.opId)).toContain('op-42');
    expect(await ops.getVersion(id, 1)).toMatchObject({ n: 1 });
  });
});
