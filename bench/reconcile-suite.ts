/**
 * How long `chronos.admin.reconcile()` takes after a burst of writes: creates, updates and
 * enriches over a few hundred records of one runtime collection (with a counter rule, so the
 * counters' pass runs too), plus a handful of claims whose writers died (some before their
 * payload, to roll back; some after it, to roll forward). Every write leaves its version row
 * `pending` (the write path never updates it), so the first reconcile walks all of them; the
 * second one, right after, shows what a run with nothing new costs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initChronos } from '../runtime/chronos.js';
import type { ChronosConfig } from '../runtime/config/schema.js';
import { createCollectionOps } from '../runtime/ops/collection-ops.js';
import type { WriteStep } from '../runtime/ops/context.js';
import { createObjectStore } from '../runtime/storage/create-object-store.js';
import type { BenchFixture, BenchStorage } from './bench-fixture.js';
import { checkInterrupted } from './interrupt.js';

/** What one reconcile run found and how long it took. */
export interface ReconcileRun {
  seconds: number;
  rolledForward: number;
  rolledBack: number;
  orphansRemoved: number;
  uncounted: number;
}

/** The figures of the reconcile scenario. */
export interface ReconcileRow {
  writes: number;
  records: number;
  deadClaims: number;
  writeSeconds: number;
  first: ReconcileRun;
  second: ReconcileRun;
}

const COLLECTION = 'orders';
/** Writers that issue the writes at once (each on its own records), so the burst takes less of the run. */
const LANES = 4;
/** Where each dead writer stopped: after its claim (rolled back) or after its payload (rolled forward). */
const DEAD_STEPS: readonly WriteStep[] = ['claimed', 'payload-written', 'claimed', 'payload-written', 'payload-written'];

/** Writes `writes` versions over `records` records and a few dead claims, then times two reconciles. */
export async function runReconcileSuite(
  fx: BenchFixture,
  storage: BenchStorage,
  sizes: { writes: number; records: number },
  log: (line: string) => void,
): Promise<ReconcileRow> {
  const runtimeDb = fx.database('chronos_bench_reconcile');
  const analyticsDb = fx.database('chronos_bench_reconcile_an');
  const folder = storage.backend === 'local' ? await mkdtemp(join(tmpdir(), 'chronos-bench-reconcile-')) : undefined;
  const { endpoint, region, accessKey, secretKey } = fx.servers.s3;
  const config: ChronosConfig = {
    dbConnections: { mongo: { mongoUri: fx.servers.mongoUri } },
    ...(folder ? { localStorage: { enabled: true, basePath: folder } } : { spacesConnections: { s3: { endpoint, region, accessKey, secretKey, forcePathStyle: true } } }),
    databases: {
      runtime: {
        tenantDatabases: [
          { tenantId: 'bench', dbConnRef: 'mongo', ...(folder ? {} : { spaceConnRef: 's3' }), bucket: storage.bucket, dbName: runtimeDb.databaseName, analyticsDbName: analyticsDb.databaseName },
        ],
      },
    },
    collectionMaps: { [COLLECTION]: { indexedProps: ['status'] } },
    counterRules: { rules: [{ name: 'paid', on: ['CREATE', 'UPDATE'], scope: 'meta', when: { status: 'paid' } }] },
  };
  const chronos = initChronos(config);
  try {
    const orders = chronos.with({ databaseType: 'runtime', tenantId: 'bench', collection: COLLECTION });
    const records = Math.min(sizes.records, sizes.writes);
    const started = performance.now();
    const ids: string[] = new Array<string>(records);
    await Promise.all(
      Array.from({ length: LANES }, async (_, lane) => {
        for (let i = lane; i < records; i += LANES) ids[i] = (await orders.create({ status: i % 2 ? 'paid' : 'open', n: i })).id;
      }),
    );
    log(`reconcile: ${records} records created, ${sizes.writes - records} updates and enriches to go…`);
    await Promise.all(
      Array.from({ length: LANES }, async (_, lane) => {
        // Each lane writes only its own records, so lanes never race each other for one.
        const mine = ids.filter((_id, i) => i % LANES === lane);
        for (let k = 0, n = records + lane; n < sizes.writes && mine.length > 0; k += 1, n += LANES) {
          checkInterrupted();
          const id = mine[k % mine.length] as string;
          if (n % 3 === 0) await orders.enrich(id, { tags: [`t${n}`] });
          else await orders.update(id, { status: n % 2 ? 'paid' : 'open', n });
        }
      }),
    );
    await chronos.admin.flush();
    const writeSeconds = (performance.now() - started) / 1000;
    await leaveDeadClaims(fx, storage, folder, runtimeDb.databaseName, ids);
    log('reconcile: timing admin.reconcile()…');
    const first = await timedReconcile(chronos);
    const second = await timedReconcile(chronos);
    return { writes: sizes.writes, records, deadClaims: DEAD_STEPS.length, writeSeconds, first, second };
  } finally {
    await chronos.admin.shutdown();
    if (folder) await rm(folder, { recursive: true, force: true });
  }
}

/**
 * Claims whose writers died: each writer's clock runs two minutes behind, so its lease has long
 * run out by the reconciler's clock and the claim counts as dead at once (no waiting). The first
 * two are creates, the others updates of existing records.
 */
async function leaveDeadClaims(fx: BenchFixture, storage: BenchStorage, folder: string | undefined, dbName: string, ids: readonly string[]): Promise<void> {
  const store = folder ? createObjectStore({ kind: 'local', basePath: folder }) : storage.store;
  try {
    for (const [i, step] of DEAD_STEPS.entries()) {
      const dying = createCollectionOps({
        ...fx.context(fx.client.db(dbName), { ...storage, store }, COLLECTION, { indexedProps: ['status'] }),
        clock: () => new Date(Date.now() - 120_000),
        faults: (at) => {
          if (at === step) throw new Error(`writer died after ${step}`);
        },
      });
      const write = i < 2 ? dying.create({ status: 'paid', n: -i }) : dying.update(ids[i] as string, { status: 'paid', n: -i });
      const outcome = await write.then(
        () => 'committed',
        () => 'died',
      );
      if (outcome !== 'died') throw new Error(`the dying writer of claim ${i} was expected to stop after ${step}, but it committed`);
    }
  } finally {
    if (folder) await store.close();
  }
}

async function timedReconcile(chronos: ReturnType<typeof initChronos>): Promise<ReconcileRun> {
  const started = performance.now();
  const report = await chronos.admin.reconcile();
  const seconds = (performance.now() - started) / 1000;
  const sum = (pick: (r: (typeof report.collections)[number]['report']) => number) => report.collections.reduce((n, c) => n + pick(c.report), 0);
  return {
    seconds,
    rolledForward: sum((r) => r.rolledForward.length),
    rolledBack: sum((r) => r.rolledBack.length),
    orphansRemoved: sum((r) => r.orphansRemoved.length),
    uncounted: report.counters.uncounted.reduce((n, u) => n + u.report.versions, 0),
  };
}
